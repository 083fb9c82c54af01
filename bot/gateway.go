package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/gorilla/websocket"
)

// App is what the bot serves: a handler for interactions and the command
// set to register. *commands.Router is one.
type App interface {
	commands.Handler
	Commands() []*discordgo.ApplicationCommand
}

// The commands router is what serve runs.
var _ App = (*commands.Router)(nil)

// Defaults of the gateway transport.
const (
	// DefaultDrainTimeout bounds how long a shutdown waits for in-flight
	// interactions.
	DefaultDrainTimeout = 30 * time.Second
	// gatewayRESTTimeout bounds each REST call discordgo makes.
	gatewayRESTTimeout = 20 * time.Second
	// gatewayReadyTimeout bounds the wait for READY after connecting.
	gatewayReadyTimeout = 30 * time.Second
	// gatewayHeartbeatWait bounds the wait for discordgo's first heartbeat
	// before closing (see Bot.shutdown).
	gatewayHeartbeatWait = 3 * time.Second
)

// apiRewriter is the http.RoundTripper behind DISCORD_API_URL: it sends
// every request for https://discord.com to the configured base instead.
//
// Why a RoundTripper rather than reassigning discordgo's endpoint
// variables: discordgo.EndpointDiscord, EndpointAPI and the string
// endpoints derived from them (EndpointGuilds, EndpointWebhooks,
// EndpointApplications, EndpointGateway, ...) are package-level variables
// computed once at init, so changing EndpointDiscord alone changes nothing,
// and reassigning all of them is a process-wide mutation (racy with a
// session already running, wrong for two sessions with different bases, and
// silently incomplete whenever discordgo adds an endpoint). The transport
// sees every REST call of this session's http.Client, whatever endpoint
// built its URL; discordgo's rate-limit buckets are keyed by the original
// URL and keep working. The gateway needs no rewriting: its address comes
// from GET /api/v9/gateway, which the base answers.
type apiRewriter struct {
	base *url.URL
	next http.RoundTripper
}

func (t *apiRewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" || req.URL.Scheme != "https" {
		return t.next.RoundTrip(req)
	}
	r2 := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = t.base.Scheme, t.base.Host
	u.Path = t.base.Path + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = t.base.EscapedPath() + req.URL.RawPath
	}
	r2.URL, r2.Host = &u, ""
	resp, err := t.next.RoundTrip(r2)
	if err != nil {
		return nil, &dialError{dialled: u.Redacted(), err: err}
	}
	return resp, nil
}

// HTTPClient returns the http.Client for Discord's REST API under cfg:
// requests for https://discord.com go to cfg.APIURL when it is set.
func HTTPClient(cfg Config) (*http.Client, error) {
	c := &http.Client{Timeout: gatewayRESTTimeout}
	if cfg.APIURL == "" {
		return c, nil
	}
	base, err := url.Parse(cfg.APIURL)
	if err != nil {
		return nil, &ConfigError{Var: EnvAPIURL, Problem: "is not a URL"}
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawPath = ""
	c.Transport = &apiRewriter{base: base, next: http.DefaultTransport}
	return c, nil
}

// NewSession returns a discordgo session configured from cfg, not yet
// open: the token, REST base (DISCORD_API_URL), shard, no intents
// (interactions need none), no state cache, automatic reconnection.
// `footnote serve` and the end-to-end tests both use it.
func NewSession(cfg Config) (*discordgo.Session, error) {
	if err := cfg.RequireToken(); err != nil {
		return nil, err
	}
	if cfg.ShardCount < 1 || cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount {
		return nil, &ConfigError{Var: EnvShardID, Problem: fmt.Sprintf("is %d of %d: want 0 <= %s < %s", cfg.ShardID, cfg.ShardCount, EnvShardID, EnvShardCount)}
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("creating the Discord session: %w", err)
	}
	client, err := HTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	s.Client = client
	dialer := *websocket.DefaultDialer // a copy: never mutate the shared default
	s.Dialer = &dialer
	s.StateEnabled = false
	s.Identify.Intents = discordgo.IntentsNone
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true // for registration; interaction calls retry in retryRateLimited
	s.SyncEvents = false            // each event in its own goroutine: a slow answer blocks nothing
	s.LogLevel = discordgo.LogError // discordgo's debug logs would print the IDENTIFY payload, token included
	return s, nil
}

// SessionSender is the gateway transport's Sender: it answers through a
// discordgo session's REST calls. Rate limits are returned to the
// Responder, which retries within the interaction's deadline (discordgo
// would sleep for any Retry-After, however long).
type SessionSender struct {
	Session *discordgo.Session
}

func (g SessionSender) opts(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)}
}

// Callback implements Sender.
func (g SessionSender) Callback(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	return g.Session.InteractionRespond(i, r, g.opts(ctx)...)
}

// EditOriginal implements Sender.
func (g SessionSender) EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	_, err := g.Session.InteractionResponseEdit(i, e, g.opts(ctx)...)
	return err
}

// Followup implements Sender.
func (g SessionSender) Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error {
	_, err := g.Session.FollowupMessageCreate(i, true, p, g.opts(ctx)...)
	return err
}

// DeleteOriginal implements Sender.
func (g SessionSender) DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	return g.Session.InteractionResponseDelete(i, g.opts(ctx)...)
}

// Bot is Footnote on the Discord gateway.
type Bot struct {
	// Responder answers interactions; its timing may be tuned before Run.
	Responder *Responder
	// DrainTimeout bounds the wait for in-flight interactions at shutdown;
	// 0 means DefaultDrainTimeout.
	DrainTimeout time.Duration

	cfg     Config
	app     App
	session *discordgo.Session
	log     *slog.Logger
	ready   chan struct{}
	started bool // Run was called
	opened  bool // the gateway connection was established

	mu       sync.Mutex
	closing  bool
	appID    string
	inflight sync.WaitGroup
	base     context.Context // parent of handler contexts: not cancelled by shutdown
}

// New returns a bot serving app with cfg: its costly interactions are
// admitted under cfg.Admission (see Admission), and refusals counted in
// metrics (which may be nil). It does not connect: see Run.
func New(cfg Config, app App, logger *slog.Logger, metrics *Metrics) (*Bot, error) {
	if app == nil {
		return nil, errors.New("bot: an app is required")
	}
	if logger == nil {
		logger = slog.Default()
	}
	s, err := NewSession(cfg)
	if err != nil {
		return nil, err
	}
	admitted, err := NewAdmission(app, cfg.Admission, metrics, logger)
	if err != nil {
		return nil, err
	}
	return &Bot{
		Responder: &Responder{Handler: admitted, Logger: logger},
		cfg:       cfg,
		app:       app,
		session:   s,
		log:       logger,
		ready:     make(chan struct{}),
		base:      context.Background(),
	}, nil
}

// Session returns the bot's discordgo session.
func (b *Bot) Session() *discordgo.Session { return b.session }

// Ready is closed once the bot is connected and its commands registered.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

// AppID returns the application id in use (known once Ready is closed).
func (b *Bot) AppID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

// Run connects to the gateway, registers the command set (in
// DISCORD_GUILD_ID when set, else globally) and answers interactions until
// ctx is cancelled. Then it stops accepting interactions, closes the
// gateway, lets the in-flight ones finish, and returns nil. A dropped
// connection is resumed (or re-identified) by discordgo meanwhile.
func (b *Bot) Run(ctx context.Context) error {
	if b.started {
		return errors.New("bot: Run called twice")
	}
	b.started = true
	s := b.session
	b.mu.Lock()
	b.base = context.WithoutCancel(ctx)
	b.mu.Unlock()

	readyc := make(chan *discordgo.Ready, 1)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		b.log.Info("gateway ready", "shard", fmt.Sprintf("%d/%d", b.cfg.ShardID, b.cfg.ShardCount))
		select {
		case readyc <- r:
		default: // a later READY (after a re-identify) needs no action
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { b.log.Info("gateway session resumed") })
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { b.log.Info("gateway disconnected") })
	s.AddHandler(b.onInteraction)

	b.log.Info("connecting to Discord", "config", b.cfg)
	if err := s.Open(); err != nil {
		return openError(err)
	}
	b.opened = true

	var ready *discordgo.Ready
	t := time.NewTimer(gatewayReadyTimeout)
	defer t.Stop()
	select {
	case ready = <-readyc:
	case <-ctx.Done():
		b.shutdown()
		return nil
	case <-t.C:
		b.shutdown()
		return errors.New("connecting to Discord: no READY from the gateway")
	}

	if err := b.register(ctx, ready); err != nil {
		b.shutdown()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	close(b.ready)

	<-ctx.Done()
	b.log.Info("shutting down")
	b.shutdown()
	return nil
}

// register bulk-overwrites the command set.
func (b *Bot) register(ctx context.Context, ready *discordgo.Ready) error {
	appID := b.cfg.AppID
	readyID := ""
	if ready.Application != nil {
		readyID = ready.Application.ID
	} else if ready.User != nil {
		readyID = ready.User.ID // a bot's user id is its application id
	}
	switch {
	case appID == "":
		appID = readyID
	case readyID != "" && readyID != appID:
		b.log.Warn(EnvAppID+" differs from the application the token belongs to", "configured", appID, "ready", readyID)
	}
	if appID == "" {
		return &ConfigError{Var: EnvAppID, Problem: "is not set and READY carried no application id"}
	}
	b.mu.Lock()
	b.appID = appID
	b.mu.Unlock()

	cmds := b.app.Commands()
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	created, err := b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, cmds, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("registering %d commands: %w", len(cmds), err)
	}
	scope := "global"
	if b.cfg.GuildID != "" {
		scope = "guild " + b.cfg.GuildID
	}
	b.log.Info("commands registered", "count", len(created), "scope", scope, "app_id", appID)
	return nil
}

// onInteraction answers one INTERACTION_CREATE; discordgo calls it in its
// own goroutine.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		b.log.Warn("shutting down; interaction not answered", interactionAttrs(ic.Interaction)...)
		return
	}
	b.inflight.Add(1)
	base := b.base
	b.mu.Unlock()
	defer b.inflight.Done()
	defer func() {
		if v := recover(); v != nil {
			b.log.Error("panic while answering", append(interactionAttrs(ic.Interaction), "panic", logclip.Clip(fmt.Sprint(v), maxPanicLog))...)
		}
	}()
	_ = b.Responder.Answer(base, SessionSender{Session: s}, ic.Interaction) // Answer logs its failures
}

// shutdown closes the gateway, then waits for in-flight interactions:
// closing first means no new interaction can arrive, and answers go over
// REST, which needs no gateway.
func (b *Bot) shutdown() {
	// discordgo starts its heartbeat goroutine at the end of Open; a Close
	// before that goroutine has sent its first heartbeat makes it fail on
	// the closed socket and reconnect. DataReady turns true after that
	// first heartbeat.
	deadline := time.Now().Add(gatewayHeartbeatWait)
	for b.opened {
		b.session.RLock()
		ok := b.session.DataReady
		b.session.RUnlock()
		if ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := b.session.Close(); err != nil {
		b.log.Warn("closing the gateway", "err", err)
	}

	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	drained := make(chan struct{})
	go func() {
		b.inflight.Wait()
		close(drained)
	}()
	timeout := b.DrainTimeout
	if timeout <= 0 {
		timeout = DefaultDrainTimeout
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-drained:
		b.log.Info("gateway closed; in-flight interactions finished")
	case <-t.C:
		b.log.Error("in-flight interactions still running at shutdown", "waited", timeout)
	}
}

// openError turns a failure to connect into a one-line error, naming the
// token when Discord rejected it.
func openError(err error) error {
	err = dialledURL(err)
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized {
		return &ConfigError{Var: EnvToken, Problem: "was rejected by Discord (401 Unauthorized): reset the token in the Developer Portal and update it"}
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == 4004 {
		return &ConfigError{Var: EnvToken, Problem: "was rejected by the gateway (authentication failed): reset the token in the Developer Portal and update it"}
	}
	return fmt.Errorf("connecting to the Discord gateway: %w", err)
}
