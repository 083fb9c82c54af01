package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// waitGuard bounds every wait in these tests. It is a failure guard only:
// waits return as soon as the awaited event happens.
const waitGuard = 20 * time.Second

func guard(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitGuard)
	t.Cleanup(cancel)
	return ctx
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeApp is a tiny App: a fixed command set and a handler function.
type fakeApp struct {
	cmds   []*discordgo.ApplicationCommand
	handle func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse
}

func (a *fakeApp) Commands() []*discordgo.ApplicationCommand { return a.cmds }
func (a *fakeApp) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	return a.handle(ctx, i)
}

var fakeCommands = []*discordgo.ApplicationCommand{
	{Name: "echo", Description: "Says it back", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "What to say", Required: true},
	}},
	{Name: "slow", Description: "Takes its time"},
	{Name: "boom", Description: "Panics"},
}

// echoApp answers /echo with its text (trying to ping everyone), /slow
// when release is closed, and panics on /boom.
func echoApp(started chan<- string, release <-chan struct{}) *fakeApp {
	return &fakeApp{cmds: fakeCommands, handle: func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		msg := func(s string) *discordgo.InteractionResponse {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: s}}
		}
		switch i.Type {
		case discordgo.InteractionMessageComponent:
			id := i.MessageComponentData().CustomID
			if started != nil {
				started <- id
			}
			if release != nil {
				<-release
			}
			if strings.HasPrefix(id, "update") {
				return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
					Data: &discordgo.InteractionResponseData{Content: "updated " + id}}
			}
			r := msg("clicked " + id)
			r.Data.Flags = discordgo.MessageFlagsEphemeral
			return r
		}
		d := i.ApplicationCommandData()
		switch d.Name {
		case "echo":
			return msg("@everyone " + d.Options[0].StringValue())
		case "slow":
			if started != nil {
				started <- i.ID
			}
			<-release
			return msg("slow answer")
		case "boom":
			panic("boom")
		}
		return nil
	}}
}

type harness struct {
	t      *testing.T
	fake   *discordtest.Server
	bot    *Bot
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startBot runs a Bot configured the way serve configures it (LoadConfig,
// then New) against a fake Discord, and waits until it is ready.
func startBot(t *testing.T, app App, env map[string]string, tweak func(*Bot)) *harness {
	t.Helper()
	fake := discordtest.New(t, discordtest.Options{})
	vars := map[string]string{
		EnvToken:   fake.Token,
		EnvAPIURL:  fake.URL,
		EnvGuildID: discordtest.GuildID,
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	b, err := New(cfg, app, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, fake: fake, bot: b, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		h.stop()
		if strings.Contains(logs.String(), fake.Token) {
			t.Errorf("the token reached the log:\n%s", logs.String())
		}
	})
	select {
	case <-b.Ready():
	case err := <-h.done:
		t.Fatalf("Run returned before ready: %v\nlogs:\n%s", err, logs)
	case <-guard(t).Done():
		t.Fatalf("bot not ready\nlogs:\n%s", logs)
	}
	// discordgo heartbeats at once after READY; wait for it so that a
	// Close cannot race its heartbeat goroutine.
	if err := fake.WaitHeartbeat(guard(t), 1); err != nil {
		t.Fatal(err)
	}
	return h
}

// stop shuts the bot down and returns Run's result (once).
func (h *harness) stop() error {
	h.cancel()
	select {
	case err, ok := <-h.done:
		if ok {
			close(h.done)
		}
		return err
	case <-time.After(waitGuard):
		h.t.Fatal("Run did not return after cancel")
		return nil
	}
}

func (h *harness) send(i *discordgo.Interaction) *discordgo.Interaction {
	h.t.Helper()
	sent, err := h.fake.SendInteraction(i)
	if err != nil {
		h.t.Fatal(err)
	}
	return sent
}

func (h *harness) callback(i *discordgo.Interaction) discordtest.Callback {
	h.t.Helper()
	cb, err := h.fake.WaitCallback(guard(h.t), i)
	if err != nil {
		h.t.Fatalf("%v\nrequests: %v\nlogs:\n%s", err, paths(h.fake.Requests()), h.logs)
	}
	return cb
}

// answer waits for the content i was finally answered with.
func (h *harness) answer(i *discordgo.Interaction) string {
	h.t.Helper()
	return h.answerMessage(i).Content
}

// answerMessage waits for the message i was finally answered with: a
// message callback, or the edit of a deferred one.
func (h *harness) answerMessage(i *discordgo.Interaction) *discordtest.Message {
	h.t.Helper()
	var content *discordtest.Message
	_, err := h.fake.WaitRequest(guard(h.t), func(r discordtest.Request) bool {
		if r.Status/100 != 2 {
			return false
		}
		switch {
		case r.Path == discordtest.CallbackPath(i.ID, i.Token):
			cb, err := discordtest.DecodeCallback(r)
			if err != nil || cb.Type != discordgo.InteractionResponseChannelMessageWithSource {
				return false
			}
			content = cb.Message
			return true
		case r.Method == http.MethodPatch && strings.Contains(r.Path, "/"+i.Token+"/"):
			m, err := discordtest.DecodeMessage(r.Body)
			if err != nil {
				return false
			}
			content = m
			return true
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("%v\nrequests: %v\nlogs:\n%s", err, paths(h.fake.Requests()), h.logs)
	}
	return content
}

// answered reports, without waiting, whether the fake has accepted a
// final answer to i (a message callback or an edit).
func answered(fake *discordtest.Server, i *discordgo.Interaction) bool {
	for _, r := range fake.Requests() {
		if r.Status/100 != 2 {
			continue
		}
		if r.Path == discordtest.CallbackPath(i.ID, i.Token) {
			if cb, err := discordtest.DecodeCallback(r); err == nil && cb.Type == discordgo.InteractionResponseChannelMessageWithSource {
				return true
			}
		}
		if r.Method == http.MethodPatch && strings.Contains(r.Path, "/"+i.Token+"/") {
			return true
		}
	}
	return false
}

func paths(rs []discordtest.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Method+" "+r.Path+" "+http.StatusText(r.Status))
	}
	return out
}

// assertNoMentions checks that every message-bearing request the fake
// received carries allowed_mentions with nothing allowed.
func assertNoMentions(t *testing.T, fake *discordtest.Server) {
	t.Helper()
	n := 0
	for _, r := range fake.Requests() {
		var m *discordtest.Message
		switch {
		case strings.HasSuffix(r.Path, "/callback"):
			cb, err := discordtest.DecodeCallback(r)
			if err != nil {
				t.Fatal(err)
			}
			if cb.Type != discordgo.InteractionResponseChannelMessageWithSource && cb.Type != discordgo.InteractionResponseUpdateMessage {
				continue
			}
			m = cb.Message
		case strings.HasPrefix(r.Path, "/api/v9/webhooks/") && (r.Method == http.MethodPost || r.Method == http.MethodPatch):
			var err error
			if m, err = discordtest.DecodeMessage(r.Body); err != nil {
				t.Fatal(err)
			}
		default:
			continue
		}
		n++
		if m == nil || m.AllowedMentions == nil {
			t.Errorf("%s %s: no allowed_mentions in %s", r.Method, r.Path, r.Body)
			continue
		}
		am := m.AllowedMentions
		if am.Parse == nil || len(am.Parse) != 0 || len(am.Roles) != 0 || len(am.Users) != 0 || am.RepliedUser {
			t.Errorf("%s %s: allowed_mentions allows something: %+v", r.Method, r.Path, am)
		}
		if !bytes.Contains(m.Raw, []byte(`"parse":[]`)) {
			t.Errorf("%s %s: allowed_mentions.parse is not an empty list: %s", r.Method, r.Path, m.Raw)
		}
	}
	if n == 0 {
		t.Error("no message was sent")
	}
}

func TestBotRegistersInGuildAndAnswers(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), nil, nil)

	put, err := h.fake.WaitRequest(guard(t), discordtest.Match(http.MethodPut, "/api/v9/applications/"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "/api/v9/applications/" + h.fake.AppID + "/guilds/" + discordtest.GuildID + "/commands"; put.Path != want {
		t.Errorf("registered at %s, want %s", put.Path, want)
	}
	if got := put.Header.Get("Authorization"); got != "Bot "+h.fake.Token {
		t.Errorf("Authorization = %q, want the bot token", got)
	}
	var sent []*discordgo.ApplicationCommand
	if err := json.Unmarshal(put.Body, &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent) != len(fakeCommands) || sent[0].Name != "echo" || sent[2].Name != "boom" {
		t.Errorf("registered %s", put.Body)
	}
	if got := len(h.fake.Commands(discordtest.GuildID)); got != len(fakeCommands) {
		t.Errorf("fake holds %d guild commands", got)
	}
	if h.bot.AppID() != h.fake.AppID {
		t.Errorf("AppID = %q, want %q from READY", h.bot.AppID(), h.fake.AppID)
	}

	i := h.send(discordtest.Slash("echo", discordtest.String("text", "hello")))
	cb := h.callback(i)
	if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message.Content != "@everyone hello" {
		t.Errorf("callback = type %d %q", cb.Type, cb.Message.Content)
	}
	assertNoMentions(t, h.fake)

	// The IDENTIFY asked for no intents and carried the token.
	f, err := h.fake.WaitGatewayOp(guard(t), discordtest.OpIdentify, 1)
	if err != nil {
		t.Fatal(err)
	}
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
	}
	if err := json.Unmarshal(f.Data, &id); err != nil {
		t.Fatal(err)
	}
	if id.Intents != 0 || id.Token != "Bot "+h.fake.Token {
		t.Errorf("IDENTIFY intents=%d, token ok=%v", id.Intents, id.Token == "Bot "+h.fake.Token)
	}
	if err := h.stop(); err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

func TestBotRegistersGloballyWithoutGuild(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), map[string]string{EnvGuildID: ""}, nil)
	put, err := h.fake.WaitRequest(guard(t), discordtest.Match(http.MethodPut, "/api/v9/applications/"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "/api/v9/applications/" + h.fake.AppID + "/commands"; put.Path != want {
		t.Errorf("registered at %s, want %s", put.Path, want)
	}
}

func TestBotDefersSlowCommand(t *testing.T) {
	t.Parallel()
	started, release := make(chan string, 1), make(chan struct{})
	h := startBot(t, echoApp(started, release), nil, func(b *Bot) { b.Responder.DeferAfter = 10 * time.Millisecond })

	i := h.send(discordtest.Slash("slow"))
	<-started
	cb := h.callback(i)
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("first callback type %d, want a deferred message (5)", cb.Type)
	}
	close(release)
	r, m, err := h.fake.WaitWebhook(guard(t), i, http.MethodPatch)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(r.Path, "/messages/@original") || m.Content != "slow answer" {
		t.Errorf("edit %s %q", r.Path, m.Content)
	}
	assertNoMentions(t, h.fake)
}

func TestBotRecoversPanic(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), nil, nil)
	i := h.send(discordtest.Slash("boom"))
	cb := h.callback(i)
	if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message.Content != ErrorText ||
		cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("callback = type %d %q flags %d, want the ephemeral error", cb.Type, cb.Message.Content, cb.Message.Flags)
	}
	if !strings.Contains(h.logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
	// The bot still answers.
	i = h.send(discordtest.Slash("echo", discordtest.String("text", "still here")))
	if cb := h.callback(i); cb.Message.Content != "@everyone still here" {
		t.Errorf("after a panic: %q", cb.Message.Content)
	}
}

func TestBotRetriesRateLimitedCallback(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), nil, nil)
	h.fake.RateLimit(2, 30*time.Millisecond, discordtest.Match(http.MethodPost, "/api/v9/interactions/"))
	i := h.send(discordtest.Slash("echo", discordtest.String("text", "patience")))
	cb := h.callback(i)
	if cb.Message.Content != "@everyone patience" {
		t.Errorf("answer %q", cb.Message.Content)
	}
	var limited int
	for _, r := range h.fake.Requests() {
		if r.Path == discordtest.CallbackPath(i.ID, i.Token) && r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 2 {
		t.Errorf("%d rate-limited callbacks, want 2", limited)
	}
}

func TestBotComponentDeferral(t *testing.T) {
	t.Parallel()
	started, release := make(chan string, 2), make(chan struct{})
	h := startBot(t, echoApp(started, release), nil, func(b *Bot) { b.Responder.DeferAfter = 10 * time.Millisecond })

	// A click answered with a new (ephemeral) message: deferred update,
	// then a followup.
	msg := &discordgo.Message{ID: "1100000000000000900", ChannelID: discordtest.ChannelID}
	click := h.send(discordtest.Button("new/1", msg))
	<-started
	if cb := h.callback(click); cb.Type != discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatalf("click deferred with type %d, want 6", cb.Type)
	}
	// A click that updates its message: deferred update, then an edit.
	upd := h.send(discordtest.Button("update/1", msg))
	<-started
	if cb := h.callback(upd); cb.Type != discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatalf("update deferred with type %d, want 6", cb.Type)
	}
	close(release)

	r, m, err := h.fake.WaitWebhook(guard(t), click, http.MethodPost)
	if err != nil {
		t.Fatal(err)
	}
	if m.Content != "clicked new/1" || m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("followup %s %q flags %d", r.Path, m.Content, m.Flags)
	}
	r, m, err = h.fake.WaitWebhook(guard(t), upd, http.MethodPatch)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(r.Path, "/messages/@original") || m.Content != "updated update/1" {
		t.Errorf("edit %s %q", r.Path, m.Content)
	}
	assertNoMentions(t, h.fake)
}

func TestBotResumesAfterDrop(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), nil, nil)
	i := h.send(discordtest.Slash("echo", discordtest.String("text", "one")))
	h.callback(i)

	if err := h.fake.Drop(); err != nil {
		t.Fatal(err)
	}
	// Sent while disconnected: the fake keeps it and replays it on RESUME.
	i = h.send(discordtest.Slash("echo", discordtest.String("text", "two")))
	f, err := h.fake.WaitGatewayOp(guard(t), discordtest.OpResume, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Conn != 2 {
		t.Errorf("RESUME on connection %d, want 2", f.Conn)
	}
	var rp struct {
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(f.Data, &rp); err != nil {
		t.Fatal(err)
	}
	if rp.SessionID == "" || rp.Seq != 2 { // READY was 1, the first interaction 2
		t.Errorf("RESUME %s", f.Data)
	}
	if cb := h.callback(i); cb.Message.Content != "@everyone two" {
		t.Errorf("replayed answer %q", cb.Message.Content)
	}
	// And a new one after the resume.
	i = h.send(discordtest.Slash("echo", discordtest.String("text", "three")))
	if cb := h.callback(i); cb.Message.Content != "@everyone three" {
		t.Errorf("answer after resume %q", cb.Message.Content)
	}
	if n, err := h.fake.WaitGatewayOp(guard(t), discordtest.OpIdentify, 1); err != nil || n.Conn != 1 {
		t.Errorf("IDENTIFY on connection %d (%v): a resume should not identify again", n.Conn, err)
	}
	if err := h.fake.WaitHeartbeat(guard(t), 2); err != nil {
		t.Fatal(err)
	}
}

func TestBotResumesOnReconnectRequest(t *testing.T) {
	t.Parallel()
	h := startBot(t, echoApp(nil, nil), nil, nil)
	// Discord's op 7: the client must close and resume elsewhere.
	if err := h.fake.Reconnect(); err != nil {
		t.Fatal(err)
	}
	if f, err := h.fake.WaitGatewayOp(guard(t), discordtest.OpResume, 1); err != nil || f.Conn != 2 {
		t.Fatalf("RESUME on connection %d: %v", f.Conn, err)
	}
	i := h.send(discordtest.Slash("echo", discordtest.String("text", "moved")))
	if cb := h.callback(i); cb.Message.Content != "@everyone moved" {
		t.Errorf("answer after op 7: %q", cb.Message.Content)
	}
	if err := h.fake.WaitHeartbeat(guard(t), 2); err != nil {
		t.Fatal(err)
	}
}

func TestBotShutdownFinishesInFlight(t *testing.T) {
	t.Parallel()
	started, release := make(chan string, 1), make(chan struct{})
	h := startBot(t, echoApp(started, release), nil, nil)
	i := h.send(discordtest.Slash("slow"))
	<-started

	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()
	// The gateway closes while the answer is still being computed...
	if err := h.fake.WaitClosed(guard(t), 1); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Run returned (%v) with an interaction in flight", err)
	default:
	}
	// ...and once it is done, the answer is delivered and Run returns nil.
	close(release)
	if err := <-stopped; err != nil {
		t.Errorf("Run = %v", err)
	}
	// Run has returned: the answer must already have been delivered.
	if !answered(h.fake, i) {
		t.Fatal("Run returned before the in-flight interaction was answered")
	}
	if got := h.answer(i); got != "slow answer" {
		t.Errorf("in-flight answer %q", got)
	}
}

func TestBotShutdownDrainTimeout(t *testing.T) {
	t.Parallel()
	started, release := make(chan string, 1), make(chan struct{})
	defer close(release)
	h := startBot(t, echoApp(started, release), nil, func(b *Bot) { b.DrainTimeout = time.Millisecond })
	h.send(discordtest.Slash("slow"))
	<-started
	// The handler never finishes in time: Run gives up waiting after
	// DrainTimeout, says so, and still returns nil.
	if err := h.stop(); err != nil {
		t.Errorf("Run = %v", err)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "in-flight interactions still running") || strings.Contains(logs, "in-flight interactions finished") {
		t.Errorf("shutdown did not wait for the in-flight interaction:\n%s", logs)
	}
}

func TestBotRejectedToken(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.Options{})
	wrong := "MTEwMDAwMDAwMDAwMDAwMDAwMQ.d3Jvbmc.d3JvbmctdG9rZW4td3JvbmctdG9rZW4"
	cfg := Config{Token: wrong, APIURL: fake.URL, ShardCount: 1}
	logs := &syncBuffer{}
	b, err := New(cfg, echoApp(nil, nil), slog.New(slog.NewTextHandler(logs, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(guard(t))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Var != EnvToken {
		t.Fatalf("Run = %v, want a ConfigError on %s", err, EnvToken)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(logs.String(), wrong) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error or logs show the token, or the error is not one line: %v", err)
	}
}

// stubTransport records the URL of each request and answers 200 {}.
type stubTransport struct {
	mu   sync.Mutex
	urls []string
}

func (s *stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.urls = append(s.urls, r.URL.String()+" host="+r.Host)
	s.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

func TestAPIRewriter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, in, want string
	}{
		{"http://127.0.0.1:8080", "https://discord.com/api/v9/gateway", "http://127.0.0.1:8080/api/v9/gateway host="},
		{"http://127.0.0.1:8080/proxy", "https://discord.com/api/v9/webhooks/1/tok/messages/@original",
			"http://127.0.0.1:8080/proxy/api/v9/webhooks/1/tok/messages/@original host="},
		{"https://proxy.internal", "https://discord.com/api/v9/channels/1/messages?limit=5",
			"https://proxy.internal/api/v9/channels/1/messages?limit=5 host="},
		{"http://127.0.0.1:8080/p", "https://discord.com/api/v9/users/a%2Fb", "http://127.0.0.1:8080/p/api/v9/users/a%2Fb host="},
		// Not Discord's API: untouched.
		{"http://127.0.0.1:8080", "https://cdn.discordapp.com/avatars/1/2.png", "https://cdn.discordapp.com/avatars/1/2.png host=cdn.discordapp.com"},
		{"http://127.0.0.1:8080", "http://discord.com/api/v9/gateway", "http://discord.com/api/v9/gateway host=discord.com"},
	}
	for _, tt := range tests {
		client, err := HTTPClient(Config{APIURL: tt.base})
		if err != nil {
			t.Fatal(err)
		}
		stub := &stubTransport{}
		client.Transport.(*apiRewriter).next = stub
		req, err := http.NewRequest(http.MethodGet, tt.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := req.URL.String()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(stub.urls) != 1 || stub.urls[0] != tt.want {
			t.Errorf("%s via %s: sent %v, want %s", tt.in, tt.base, stub.urls, tt.want)
		}
		if req.URL.String() != before {
			t.Errorf("the caller's request was modified: %s", req.URL)
		}
	}
	c, err := HTTPClient(Config{})
	if err != nil || c.Transport != nil {
		t.Errorf("without DISCORD_API_URL: transport %v, err %v", c.Transport, err)
	}
}

// TestDiscordgoRateLimitOnCallback pins down what discordgo v0.29.0 does
// with a 429 on an interaction callback: by default it sleeps for
// retry_after and retries (however long that is); with
// WithRetryOnRatelimit(false), which SessionSender uses, it returns a
// *RateLimitError carrying retry_after, and the Responder decides.
func TestDiscordgoRateLimitOnCallback(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.Options{})
	s, err := NewSession(Config{Token: fake.Token, APIURL: fake.URL, ShardCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "hi", AllowedMentions: noMentions()}}
	callbacks := discordtest.Match(http.MethodPost, "/api/v9/interactions/")

	i, err := fake.SendInteraction(discordtest.Slash("echo"))
	if err != nil {
		t.Fatal(err)
	}
	fake.RateLimit(1, 20*time.Millisecond, callbacks)
	if err := s.InteractionRespond(i, resp); err != nil {
		t.Fatalf("default InteractionRespond after a 429: %v", err)
	}
	got, err := fake.WaitRequests(guard(t), 2, discordtest.Match(http.MethodPost, discordtest.CallbackPath(i.ID, i.Token)))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != http.StatusTooManyRequests || got[1].Status != http.StatusNoContent {
		t.Errorf("statuses %d, %d; want 429 then 204", got[0].Status, got[1].Status)
	}

	i, err = fake.SendInteraction(discordtest.Slash("echo"))
	if err != nil {
		t.Fatal(err)
	}
	fake.RateLimit(1, 20*time.Millisecond, callbacks)
	err = SessionSender{Session: s}.Callback(guard(t), i, resp)
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 20*time.Millisecond {
		t.Fatalf("SessionSender.Callback after a 429 = %v, want a RateLimitError of 20ms", err)
	}
	// The Responder's retry then succeeds.
	if err := retryRateLimited(guard(t), func() error { return SessionSender{Session: s}.Callback(guard(t), i, resp) }); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if _, err := fake.WaitCallback(guard(t), i); err != nil {
		t.Fatal(err)
	}
}
