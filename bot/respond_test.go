package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
)

// call is one Sender call recorded by fakeSender.
type call struct {
	op   string // callback, edit, followup, delete
	resp *discordgo.InteractionResponse
	edit *discordgo.WebhookEdit
	post *discordgo.WebhookParams
}

// fakeSender records calls; failFirst makes the first n calls of an op
// fail with err.
type fakeSender struct {
	mu        sync.Mutex
	calls     []call
	failFirst map[string]int
	err       error
}

func (f *fakeSender) record(c call) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failFirst[c.op] > 0 {
		f.failFirst[c.op]--
		return f.err
	}
	f.calls = append(f.calls, c)
	return nil
}

func (f *fakeSender) Callback(_ context.Context, _ *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	return f.record(call{op: "callback", resp: r})
}
func (f *fakeSender) EditOriginal(_ context.Context, _ *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	return f.record(call{op: "edit", edit: e})
}
func (f *fakeSender) Followup(_ context.Context, _ *discordgo.Interaction, p *discordgo.WebhookParams) error {
	return f.record(call{op: "followup", post: p})
}
func (f *fakeSender) DeleteOriginal(_ context.Context, _ *discordgo.Interaction) error {
	return f.record(call{op: "delete"})
}

func (f *fakeSender) ops() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s []string
	for _, c := range f.calls {
		op := c.op
		if c.resp != nil {
			op += fmt.Sprintf("(%d", c.resp.Type)
			if isEphemeral(c.resp.Data) {
				op += ",ephemeral"
			}
			op += ")"
		}
		if c.post != nil && c.post.Flags&discordgo.MessageFlagsEphemeral != 0 {
			op += "(ephemeral)"
		}
		s = append(s, op)
	}
	return strings.Join(s, " ")
}

func message(content string, ephemeral bool) *discordgo.InteractionResponse {
	r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content}}
	if ephemeral {
		r.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	return r
}

func command(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{ID: "1", Token: "tok", Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: opts}}
}

func component(id string) *discordgo.Interaction {
	return &discordgo.Interaction{ID: "2", Token: "tok", Type: discordgo.InteractionMessageComponent,
		Data: discordgo.MessageComponentInteractionData{CustomID: id, ComponentType: discordgo.ButtonComponent}}
}

func autocomplete(name string) *discordgo.Interaction {
	i := command(name)
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	return i
}

var private = &discordgo.ApplicationCommandInteractionDataOption{Name: "private", Type: discordgo.ApplicationCommandOptionBoolean, Value: true}

// slowHandler answers with resp after release is closed (immediately
// when release is nil).
func slowHandler(resp *discordgo.InteractionResponse, release <-chan struct{}) commands.Handler {
	return commands.HandlerFunc(func(ctx context.Context, _ *discordgo.Interaction) *discordgo.InteractionResponse {
		if release != nil {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return resp
	})
}

// deferredSender closes release as soon as the deferral callback is sent,
// so that "slow" handlers are deterministic: always deferred, then done.
type deferredSender struct {
	*fakeSender
	once    sync.Once
	release chan struct{}
}

func (d *deferredSender) Callback(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	err := d.fakeSender.Callback(ctx, i, r)
	d.once.Do(func() { close(d.release) })
	return err
}

func TestResponderPaths(t *testing.T) {
	t.Parallel()
	update := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "page 2"}}
	modal := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "m", Title: "t"}}
	choices := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}}}
	ackUpdate := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}

	tests := []struct {
		name  string
		i     *discordgo.Interaction
		resp  *discordgo.InteractionResponse
		slow  bool
		want  string
		hint  *bool
		check func(t *testing.T, f *fakeSender)
	}{
		{name: "fast command", i: command("ask"), resp: message("hi", false), want: "callback(4)"},
		{name: "fast autocomplete", i: autocomplete("entry"), resp: choices, want: "callback(8)"},
		{name: "slow command: deferred, then edited", i: command("ask"), resp: message("hi", false), slow: true,
			want: "callback(5) edit"},
		{name: "slow private command: deferred ephemerally", i: command("ask", private), resp: message("hi", true), slow: true,
			want: "callback(5,ephemeral) edit"},
		{name: "slow message command: deferred ephemerally", i: &discordgo.Interaction{ID: "3", Token: "t", Type: discordgo.InteractionApplicationCommand,
			Data: discordgo.ApplicationCommandInteractionData{Name: "Find sources", CommandType: discordgo.MessageApplicationCommand}},
			resp: message("facts", true), slow: true, want: "callback(5,ephemeral) edit"},
		{name: "wrong guess public->ephemeral: followup then delete", i: command("ask"), resp: message("secret", true), slow: true,
			want: "callback(5) followup(ephemeral) delete"},
		{name: "wrong guess ephemeral->public: followup then delete", i: command("ask", private), resp: message("all", false), slow: true,
			want: "callback(5,ephemeral) followup delete"},
		{name: "hint overrides the guess", i: command("ask"), resp: message("secret", true), slow: true, hint: ptr(true),
			want: "callback(5,ephemeral) edit"},
		{name: "slow click answered with a new message: followup", i: component("/entry/x"), resp: message("entry", true), slow: true,
			want: "callback(6) followup(ephemeral)"},
		{name: "slow click updating its message: edit", i: component("/entry/x/page/1"), resp: update, slow: true,
			want: "callback(6) edit"},
		{name: "slow click acknowledged only", i: component("/noop"), resp: ackUpdate, slow: true, want: "callback(6)"},
		{name: "modal after a deferral cannot be sent", i: command("ask"), resp: modal, slow: true,
			want: "callback(5) edit", check: func(t *testing.T, f *fakeSender) {
				if got := *f.calls[1].edit.Content; got != ErrorText {
					t.Errorf("edit content %q, want the error text", got)
				}
			}},
		{name: "slow autocomplete: no choices", i: autocomplete("entry"), resp: choices, slow: true, want: "callback(8)",
			check: func(t *testing.T, f *fakeSender) {
				if c := f.calls[0].resp.Data.Choices; c == nil || len(c) != 0 {
					t.Errorf("choices %v, want an empty list", c)
				}
			}},
		{name: "nil response: ephemeral error", i: command("ask"), resp: nil, want: "callback(4,ephemeral)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeSender{}
			var s Sender = f
			var release chan struct{}
			if tt.slow {
				release = make(chan struct{})
				s = &deferredSender{fakeSender: f, release: release}
			}
			var h commands.Handler = slowHandler(tt.resp, release)
			if tt.hint != nil {
				h = hinted{Handler: h, ephemeral: *tt.hint}
			}
			// Fast cases never reach the deferral; slow ones always do (their
			// handler waits for the deferral callback).
			deferAfter := time.Hour
			if tt.slow {
				deferAfter = time.Millisecond
			}
			r := &Responder{Handler: h, Logger: slog.New(slog.DiscardHandler), DeferAfter: deferAfter, acBudget: deferAfter}
			err := r.Answer(context.Background(), s, tt.i)
			wantErr := tt.resp == modal
			if (err != nil) != wantErr {
				t.Errorf("Answer = %v, want error %v", err, wantErr)
			}
			if got := f.ops(); got != tt.want {
				t.Errorf("calls: %s\nwant:  %s", got, tt.want)
			}
			for _, c := range f.calls {
				checkNoMentions(t, c)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

type hinted struct {
	commands.Handler
	ephemeral bool
}

func (h hinted) DeferEphemeral(*discordgo.Interaction) bool { return h.ephemeral }

func ptr[T any](v T) *T { return &v }

// checkNoMentions fails when a message the Responder sent does not carry
// an empty allowed_mentions.
func checkNoMentions(t *testing.T, c call) {
	t.Helper()
	var am *discordgo.MessageAllowedMentions
	switch {
	case c.resp != nil:
		if c.resp.Type != discordgo.InteractionResponseChannelMessageWithSource && c.resp.Type != discordgo.InteractionResponseUpdateMessage {
			return
		}
		am = c.resp.Data.AllowedMentions
	case c.edit != nil:
		am = c.edit.AllowedMentions
	case c.post != nil:
		am = c.post.AllowedMentions
	default:
		return
	}
	b, _ := json.Marshal(am)
	if string(b) != `{"parse":[],"replied_user":false}` {
		t.Errorf("%s sent allowed_mentions %s", c.op, b)
	}
}

func TestResponderDoesNotModifyTheHandlersResponse(t *testing.T) {
	t.Parallel()
	resp := message("hi", false)
	resp.Data.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeEveryone}}
	f := &fakeSender{}
	r := &Responder{Handler: slowHandler(resp, nil), Logger: slog.New(slog.DiscardHandler)}
	if err := r.Answer(context.Background(), f, command("ask")); err != nil {
		t.Fatal(err)
	}
	checkNoMentions(t, f.calls[0])
	if len(resp.Data.AllowedMentions.Parse) != 1 {
		t.Error("the handler's response was modified")
	}
}

func TestResponderRecoversPanic(t *testing.T) {
	t.Parallel()
	for _, i := range []*discordgo.Interaction{command("ask"), component("/x"), autocomplete("entry")} {
		f := &fakeSender{}
		logs := &syncBuffer{}
		r := &Responder{Handler: commands.HandlerFunc(func(context.Context, *discordgo.Interaction) *discordgo.InteractionResponse {
			panic("kaboom")
		}), Logger: slog.New(slog.NewTextHandler(logs, nil))}
		if err := r.Answer(context.Background(), f, i); err != nil {
			t.Fatal(err)
		}
		want := "callback(4,ephemeral)"
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			want = "callback(8)"
		}
		if got := f.ops(); got != want {
			t.Errorf("%s: calls %s, want %s", i.Type, got, want)
		}
		if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "handler panicked") {
			t.Errorf("panic not logged: %s", logs)
		}
	}
}

func TestResponderHandlerTimeout(t *testing.T) {
	t.Parallel()
	f := &fakeSender{}
	never := make(chan struct{})
	r := &Responder{Handler: slowHandler(message("late", false), never), Logger: slog.New(slog.DiscardHandler),
		DeferAfter: time.Millisecond, Timeout: 20 * time.Millisecond}
	if err := r.Answer(context.Background(), f, command("ask")); err != nil {
		t.Fatal(err)
	}
	if got := f.ops(); got != "callback(5) followup(ephemeral) delete" {
		t.Errorf("calls %s", got)
	}
	if got := f.calls[1].post.Content; got != ErrorText {
		t.Errorf("followup %q, want the error text", got)
	}
}

func rateLimited(after time.Duration) error {
	return &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: after}, URL: "https://discord.com/api/v9/interactions/1/tok/callback"}}
}

func TestResponderRetriesRateLimits(t *testing.T) {
	t.Parallel()
	f := &fakeSender{failFirst: map[string]int{"callback": 2}, err: rateLimited(5 * time.Millisecond)}
	r := &Responder{Handler: slowHandler(message("hi", false), nil), Logger: slog.New(slog.DiscardHandler)}
	if err := r.Answer(context.Background(), f, command("ask")); err != nil {
		t.Fatalf("Answer = %v", err)
	}
	if got := f.ops(); got != "callback(4)" {
		t.Errorf("calls %s", got)
	}
}

func TestResponderGivesUpOnLongRateLimit(t *testing.T) {
	t.Parallel()
	// A Retry-After past the 3 s callback window is not waited for.
	f := &fakeSender{failFirst: map[string]int{"callback": 1}, err: rateLimited(time.Hour)}
	logs := &syncBuffer{}
	r := &Responder{Handler: slowHandler(message("hi", false), nil), Logger: slog.New(slog.NewTextHandler(logs, nil))}
	err := r.Answer(context.Background(), f, command("ask"))
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("Answer = %v, want the rate limit error", err)
	}
	if strings.Contains(err.Error(), "/tok/") || strings.Contains(logs.String(), "/tok/") {
		t.Errorf("the interaction token reached the error or the log: %v", err)
	}
	if got := f.ops(); got != "" {
		t.Errorf("calls %s", got)
	}
}

func TestResponderOtherErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	f := &fakeSender{failFirst: map[string]int{"callback": 1}, err: errors.New("HTTP 400 Bad Request")}
	r := &Responder{Handler: slowHandler(message("hi", false), nil), Logger: slog.New(slog.DiscardHandler)}
	if err := r.Answer(context.Background(), f, command("ask")); err == nil {
		t.Fatal("Answer = nil, want the error")
	}
	if got := f.ops(); got != "" {
		t.Errorf("calls %s, want none after the failure", got)
	}
}
