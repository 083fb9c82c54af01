package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/logclip"
)

// maxPanicLog bounds the panic value logged: it may quote what a member
// typed.
const maxPanicLog = 1000

// Sender delivers interaction responses for a transport. The gateway
// transport implements it with a discordgo session (SessionSender); every
// method may be called from any goroutine.
type Sender interface {
	// Callback sends the initial response (the interaction callback).
	Callback(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error
	// EditOriginal edits the original response: the deferred message after
	// a type 5 callback, or the component's message after type 6.
	EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error
	// Followup posts a new message on the interaction's webhook.
	Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error
	// DeleteOriginal deletes the original response.
	DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error
}

// DeferHinter may be implemented by a commands.Handler to say, before it has
// answered, whether its answer to i will be ephemeral. The Responder uses it
// to choose the flags of a deferred response; without it, message commands
// and commands with a true "private" option are deferred ephemerally. A
// wrong guess is repaired (the answer is posted as a followup with the right
// visibility and the deferred message deleted), at the cost of a flicker.
type DeferHinter interface {
	DeferEphemeral(i *discordgo.Interaction) bool
}

// EagerDeferrer may be implemented by a commands.Handler to ask that i be
// acknowledged at once with a deferred response, its answer following
// through the webhook: for work known to be slow (a download), or an
// answer only a webhook edit can carry (a file).
type EagerDeferrer interface {
	DeferAtOnce(i *discordgo.Interaction) bool
}

// Timing defaults of the Responder.
const (
	// DefaultHandlerTimeout bounds a handler's total run time once its
	// answer has been deferred.
	DefaultHandlerTimeout = 30 * time.Second
	// callbackWindow is how long Discord accepts the initial callback.
	callbackWindow = 3 * time.Second
	// webhookWindow is how long the interaction token accepts edits and
	// followups (15 minutes), less a margin.
	webhookWindow = 14 * time.Minute
	// autocompleteBudget is how long an autocomplete (which cannot be
	// deferred) may take before it is answered with no choices.
	autocompleteBudget = 2700 * time.Millisecond
	// respondMaxRetries bounds the retries of a rate-limited call.
	respondMaxRetries = 5
)

// Responder runs a handler for one interaction and delivers its answer
// within Discord's 3 seconds: if the handler is not done after DeferAfter,
// the interaction is acknowledged with a deferred response (type 5 for
// commands and modals, 6 for components; autocomplete cannot be deferred)
// and the answer is delivered through the webhook once ready. It recovers
// panics in the handler (answering with an ephemeral error), and it makes
// allowed_mentions empty on every message it sends.
//
// It knows nothing of the transport: a Sender delivers.
type Responder struct {
	Handler commands.Handler
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// DeferAfter is how long the handler may run before the answer is
	// deferred; 0 means DefaultDeferAfter.
	DeferAfter time.Duration
	// Timeout bounds the handler in total; 0 means DefaultHandlerTimeout.
	Timeout time.Duration

	// acBudget replaces autocompleteBudget in tests.
	acBudget time.Duration
}

// ErrorText is what users see when a handler fails.
const ErrorText = "Sorry, something went wrong while answering. The error has been logged."

// errorResponse is the ephemeral answer to a failed handler.
func errorResponse(i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: ErrorText, Flags: discordgo.MessageFlagsEphemeral},
	}
}

// noMentions is the allowed_mentions of every message: nothing pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// sanitize returns r with allowed_mentions empty when it carries a message
// (types 4 and 7). It copies rather than modifying the handler's value.
func sanitize(r *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	if r == nil || r.Data == nil {
		return r
	}
	switch r.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		cp := *r
		data := *r.Data
		data.AllowedMentions = noMentions()
		cp.Data = &data
		return &cp
	}
	return r
}

func isEphemeral(d *discordgo.InteractionResponseData) bool {
	return d != nil && d.Flags&discordgo.MessageFlagsEphemeral != 0
}

// toEdit turns message data into a webhook edit replacing content, embeds
// and components.
func toEdit(d *discordgo.InteractionResponseData) *discordgo.WebhookEdit {
	content := ""
	embeds := []*discordgo.MessageEmbed{}
	components := []discordgo.MessageComponent{}
	if d != nil {
		content = d.Content
		if d.Embeds != nil {
			embeds = d.Embeds
		}
		if d.Components != nil {
			components = d.Components
		}
	}
	e := &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
	if d != nil && len(d.Files) > 0 {
		e.Files = d.Files
	}
	return e
}

// toFollowup turns message data into a followup message.
func toFollowup(d *discordgo.InteractionResponseData) *discordgo.WebhookParams {
	p := &discordgo.WebhookParams{AllowedMentions: noMentions(), Components: []discordgo.MessageComponent{}}
	if d != nil {
		p.Content, p.Embeds, p.Flags, p.Files = d.Content, d.Embeds, d.Flags, d.Files
		if d.Components != nil {
			p.Components = d.Components
		}
	}
	return p
}

// deferral chooses the deferred response for i, or nil when i cannot be
// deferred.
func (r *Responder) deferral(i *discordgo.Interaction) *discordgo.InteractionResponse {
	switch i.Type {
	case discordgo.InteractionMessageComponent:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	case discordgo.InteractionApplicationCommand, discordgo.InteractionModalSubmit:
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if r.deferEphemeral(i) {
			resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
		return resp
	}
	return nil
}

func (r *Responder) deferEphemeral(i *discordgo.Interaction) bool {
	if h, ok := r.Handler.(DeferHinter); ok {
		return h.DeferEphemeral(i)
	}
	if i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return false
	}
	if d.CommandType == discordgo.MessageApplicationCommand || d.CommandType == discordgo.UserApplicationCommand {
		return true
	}
	for _, o := range d.Options {
		if o != nil && o.Name == "private" && o.Type == discordgo.ApplicationCommandOptionBoolean {
			if b, ok := o.Value.(bool); ok && b {
				return true
			}
		}
	}
	return false
}

func (r *Responder) deferAtOnce(i *discordgo.Interaction) bool {
	h, ok := r.Handler.(EagerDeferrer)
	return ok && i.Type != discordgo.InteractionApplicationCommandAutocomplete && h.DeferAtOnce(i)
}

func (r *Responder) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// run calls the handler, turning a panic or a nil answer into the error
// response.
func (r *Responder) run(ctx context.Context, log *slog.Logger, i *discordgo.Interaction) (resp *discordgo.InteractionResponse) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("handler panicked", "panic", logclip.Clip(fmt.Sprint(v), maxPanicLog), "stack", string(debug.Stack()))
			resp = errorResponse(i)
		}
	}()
	resp = r.Handler.Handle(ctx, i)
	if resp == nil {
		log.Error("handler returned no response")
		resp = errorResponse(i)
	}
	return resp
}

// Answer runs the handler for i and delivers its answer through s. It
// returns when the answer has been delivered (or delivery failed, which it
// also logs). ctx should not be cancelled by a shutdown: in-flight answers
// are meant to finish.
func (r *Responder) Answer(ctx context.Context, s Sender, i *discordgo.Interaction) (err error) {
	start := time.Now()
	log := r.logger().With(interactionAttrs(i)...)
	defer func() {
		if err != nil {
			err = scrubToken(err, i)
			log.Error("answering failed", "err", err, "took", time.Since(start))
		} else {
			log.Info("answered", "took", time.Since(start))
		}
	}()

	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultHandlerTimeout
	}
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan *discordgo.InteractionResponse, 1)
	go func() { done <- r.run(hctx, log, i) }()

	deferAfter := r.DeferAfter
	if deferAfter <= 0 {
		deferAfter = DefaultDeferAfter
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		deferAfter = autocompleteBudget
		if r.acBudget > 0 {
			deferAfter = r.acBudget
		}
	}
	if !r.deferAtOnce(i) {
		timer := time.NewTimer(deferAfter)
		defer timer.Stop()
		select {
		case resp := <-done:
			return r.callback(ctx, s, i, start, resp)
		case <-timer.C:
		}
	}

	def := r.deferral(i)
	if def == nil {
		log.Warn("autocomplete too slow; answering with no choices")
		return r.callback(ctx, s, i, start, errorResponse(i))
	}
	if err := r.callback(ctx, s, i, start, def); err != nil {
		return fmt.Errorf("deferring: %w", err)
	}
	log.Debug("deferred", "type", int(def.Type))

	var resp *discordgo.InteractionResponse
	select {
	case resp = <-done:
	case <-hctx.Done():
		log.Error("handler timed out", "timeout", timeout)
		resp = errorResponse(i)
	}
	fctx, fcancel := context.WithDeadline(ctx, start.Add(webhookWindow))
	defer fcancel()
	return r.finish(fctx, s, i, def, resp)
}

// callback sends the initial response within Discord's window, retrying on
// rate limits.
func (r *Responder) callback(ctx context.Context, s Sender, i *discordgo.Interaction, start time.Time, resp *discordgo.InteractionResponse) error {
	cctx, cancel := context.WithDeadline(ctx, start.Add(callbackWindow))
	defer cancel()
	resp = sanitize(resp)
	return retryRateLimited(cctx, func() error { return s.Callback(cctx, i, resp) })
}

// finish delivers resp after the deferral def.
func (r *Responder) finish(ctx context.Context, s Sender, i *discordgo.Interaction, def, resp *discordgo.InteractionResponse) error {
	edit := func(d *discordgo.InteractionResponseData) error {
		return retryRateLimited(ctx, func() error { return s.EditOriginal(ctx, i, toEdit(d)) })
	}
	followup := func(d *discordgo.InteractionResponseData) error {
		return retryRateLimited(ctx, func() error { return s.Followup(ctx, i, toFollowup(d)) })
	}
	deleteOriginal := func() error {
		return retryRateLimited(ctx, func() error { return s.DeleteOriginal(ctx, i) })
	}
	deferredMessage := def.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource

	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if !deferredMessage {
			// Deferred update of a component: an update edits the
			// component's message; a new message is a followup.
			if resp.Type == discordgo.InteractionResponseUpdateMessage {
				return edit(resp.Data)
			}
			return followup(resp.Data)
		}
		if isEphemeral(resp.Data) == isEphemeral(def.Data) {
			return edit(resp.Data)
		}
		// The deferral guessed the visibility wrong: post with the right
		// one, then remove the placeholder.
		if err := followup(resp.Data); err != nil {
			return err
		}
		return deleteOriginal()
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if deferredMessage && resp.Type == discordgo.InteractionResponseDeferredMessageUpdate {
			return deleteOriginal()
		}
		return nil
	default:
		// A modal or autocomplete result cannot follow a deferral.
		err := fmt.Errorf("handler answered with type %d after the answer was deferred", resp.Type)
		d := errorResponse(i).Data
		if deferredMessage {
			err = errors.Join(err, edit(d))
		} else {
			err = errors.Join(err, followup(d))
		}
		return err
	}
}

// retryRateLimited calls f, and again while it fails with a rate limit whose
// wait fits before ctx's deadline.
func retryRateLimited(ctx context.Context, f func() error) error {
	for attempt := 0; ; attempt++ {
		err := f()
		var rl *discordgo.RateLimitError
		if err == nil || !errors.As(err, &rl) || rl.RateLimit == nil || rl.TooManyRequests == nil || attempt >= respondMaxRetries {
			return err
		}
		wait := rl.RetryAfter
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
	}
}

// interactionAttrs describes i for logs: id, kind and the command or custom
// id, each clipped (see logclip), never the token.
func interactionAttrs(i *discordgo.Interaction) []any {
	attrs := []any{slog.String("interaction", logclip.String(i.ID)), slog.String("kind", i.Type.String())}
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		attrs = append(attrs, slog.String("command", logclip.String(d.Name)))
	case discordgo.MessageComponentInteractionData:
		attrs = append(attrs, slog.String("custom_id", logclip.String(d.CustomID)))
	case discordgo.ModalSubmitInteractionData:
		attrs = append(attrs, slog.String("custom_id", logclip.String(d.CustomID)))
	}
	return attrs
}

// scrubbedError hides an interaction token that discordgo puts in its
// error messages (the token is part of callback and webhook URLs).
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func scrubToken(err error, i *discordgo.Interaction) error {
	if err == nil || i.Token == "" || !strings.Contains(err.Error(), i.Token) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), i.Token, "[token]"), err: err}
}
