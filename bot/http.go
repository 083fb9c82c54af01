package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/logclip"
)

// Webhooks finishes deferred interactions through Discord's webhook REST
// calls: the part of a Sender that does not depend on the transport.
// *RESTClient implements it.
type Webhooks interface {
	EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error
	Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error
	DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error
}

// HTTPOptions configure an InteractionsHandler.
type HTTPOptions struct {
	// PublicKey verifies every request (required).
	PublicKey ed25519.PublicKey
	// Handler answers interactions (required): the same commands router
	// the gateway transport uses.
	Handler commands.Handler
	// Webhooks finishes deferred answers (required unless no handler can
	// ever be slower than DeferAfter).
	Webhooks Webhooks
	// Metrics, when set, counts interactions and rejections.
	Metrics *Metrics
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// DeferAfter is how long a handler may take before the answer is
	// deferred; 0 means DefaultDeferAfter. Timeout bounds a deferred
	// handler; 0 means DefaultHandlerTimeout.
	DeferAfter time.Duration
	Timeout    time.Duration
	// Ready reports whether interactions can be answered (the knowledge is
	// loaded); until then they get 503. Nil means always ready.
	Ready func() bool
	// Now is the clock for timestamp checks; nil means time.Now.
	Now func() time.Time
	// Labels is the closed set of names the metrics count interactions
	// by; nil means what Handler declares (its command set and component
	// routes, as *commands.Router does). Other names count as LabelOther.
	Labels *MetricLabels
}

// InteractionsHandler is the http.Handler Discord's Interactions Endpoint URL
// points at. It verifies each request, answers PING with PONG, and passes
// everything else to a Responder (the same answering logic as the gateway:
// deferral after DeferAfter, panic recovery, no mentions), whose first
// response becomes the HTTP response itself; a deferred answer is finished
// through the webhook. It holds no state between requests, so any number of
// replicas can serve one application.
type InteractionsHandler struct {
	opts   HTTPOptions
	log    *slog.Logger
	now    func() time.Time
	labels labeler

	base    context.Context // parent of every answer's context
	cancel  context.CancelFunc
	pending sync.WaitGroup // answers still running (deferred ones included)
}

// NewInteractionsHandler checks opts and returns the handler.
func NewInteractionsHandler(opts HTTPOptions) (*InteractionsHandler, error) {
	if len(opts.PublicKey) != ed25519.PublicKeySize {
		return nil, errors.New("http transport: a 32-byte Ed25519 public key is required")
	}
	if opts.Handler == nil {
		return nil, errors.New("http transport: a commands handler is required")
	}
	h := &InteractionsHandler{opts: opts, log: opts.Logger, now: opts.Now}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	if opts.Labels != nil {
		h.labels = newLabeler(*opts.Labels)
	} else {
		h.labels = newLabeler(labelsOf(opts.Handler))
	}
	h.base, h.cancel = context.WithCancel(context.Background())
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *InteractionsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, rej := verifyRequest(w, r, h.opts.PublicKey, h.now())
	if rej != nil {
		h.reject(w, r, rej)
		return
	}
	i := new(discordgo.Interaction)
	if err := json.Unmarshal(body, i); err != nil {
		h.reject(w, r, &verifyRejection{http.StatusBadRequest, "malformed_json"})
		return
	}
	switch i.Type {
	case discordgo.InteractionPing:
		h.write(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		h.opts.Metrics.observeInteraction("ping", "", OutcomeOK, time.Since(start))
		return
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete,
		discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit:
	default:
		h.reject(w, r, &verifyRejection{http.StatusBadRequest, "unknown_type"})
		return
	}
	kind, command := h.labels.of(i)
	if h.opts.Ready != nil && !h.opts.Ready() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "not ready: the knowledge is still loading", http.StatusServiceUnavailable)
		h.opts.Metrics.observeInteraction(kind, command, OutcomeNotReady, 0)
		return
	}

	obs := &httpObservedHandler{next: h.opts.Handler}
	x := &httpExchange{Webhooks: h.opts.Webhooks, first: make(chan *discordgo.InteractionResponse, 1), obs: obs, written: make(chan struct{})}
	responder := &Responder{Handler: obs, Logger: h.log, DeferAfter: h.opts.DeferAfter, Timeout: h.opts.Timeout}
	h.pending.Add(1)
	go func() {
		defer h.pending.Done()
		err := responder.Answer(h.base, x, i)
		if x.answered.CompareAndSwap(false, true) {
			x.first <- errorResponse(i) // never happens with the Responder: belt and braces
		}
		// Deferred answers are counted once delivered; the others were
		// counted as they went out, unless Discord hung up first.
		x.counted.Do(func() { h.opts.Metrics.observeInteraction(kind, command, x.outcome(err), time.Since(start)) })
	}()
	select {
	case resp := <-x.first:
		// Count before writing, so a scrape after the answer sees it: if
		// the goroutine above is counting it, Do waits for it to finish.
		if !x.deferred.Load() {
			x.counted.Do(func() { h.opts.Metrics.observeInteraction(kind, command, x.outcome(nil), time.Since(start)) })
		}
		h.write(w, resp)
		close(x.written)
	case <-r.Context().Done():
		// Discord hung up; the answer, if it comes, has nowhere to go.
		close(x.written)
	}
}

// httpExchange is the Sender of one HTTP interaction: the first response
// (the callback) goes back as the HTTP response, the rest through the
// webhook.
type httpExchange struct {
	Webhooks
	first    chan *discordgo.InteractionResponse
	obs      *httpObservedHandler
	answered atomic.Bool
	deferred atomic.Bool
	timedOut atomic.Bool // autocomplete answered with no choices while its handler ran on
	counted  sync.Once
	// written is closed once the first response has been written to
	// Discord: a webhook call must not overtake it (an edit of a deferred
	// message Discord has not seen yet would be refused).
	written chan struct{}
}

// afterCallback waits until the callback has gone out, or ctx ends.
func (x *httpExchange) afterCallback(ctx context.Context) error {
	select {
	case <-x.written:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Callback implements Sender: it hands resp to the waiting HTTP request.
func (x *httpExchange) Callback(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	if !x.answered.CompareAndSwap(false, true) {
		return errors.New("the interaction has already been acknowledged")
	}
	switch resp.Type {
	case discordgo.InteractionResponseDeferredChannelMessageWithSource, discordgo.InteractionResponseDeferredMessageUpdate:
		x.deferred.Store(true)
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if !x.obs.returned.Load() {
			x.timedOut.Store(true)
		}
	}
	x.first <- resp // buffered: never blocks
	return nil
}

func (x *httpExchange) EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	if x.Webhooks == nil {
		return errHTTPNoWebhooks
	}
	if err := x.afterCallback(ctx); err != nil {
		return err
	}
	return x.Webhooks.EditOriginal(ctx, i, e)
}

func (x *httpExchange) Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error {
	if x.Webhooks == nil {
		return errHTTPNoWebhooks
	}
	if err := x.afterCallback(ctx); err != nil {
		return err
	}
	return x.Webhooks.Followup(ctx, i, p)
}

func (x *httpExchange) DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	if x.Webhooks == nil {
		return errHTTPNoWebhooks
	}
	if err := x.afterCallback(ctx); err != nil {
		return err
	}
	return x.Webhooks.DeleteOriginal(ctx, i)
}

var errHTTPNoWebhooks = errors.New("no webhook client to finish deferred answers with")

// outcome names how an answer went, for the metrics.
func (x *httpExchange) outcome(err error) string {
	switch {
	case err != nil && x.deferred.Load():
		return OutcomeFollowupFailed
	case x.timedOut.Load():
		return OutcomeTimeout
	case x.obs.failed.Load() || err != nil:
		return OutcomeError
	case x.deferred.Load():
		return OutcomeDeferred
	}
	return OutcomeOK
}

// httpObservedHandler notes whether the handler failed (panicked or
// returned nothing), which the Responder turns into an error message.
type httpObservedHandler struct {
	next     commands.Handler
	failed   atomic.Bool
	returned atomic.Bool
}

func (o *httpObservedHandler) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	ok := false
	defer func() {
		o.returned.Store(true)
		if !ok {
			o.failed.Store(true) // a panic on its way to the Responder's recovery
		}
	}()
	resp := o.next.Handle(ctx, i)
	ok = resp != nil
	return resp
}

// DeferEphemeral passes the wrapped handler's hint on to the Responder.
func (o *httpObservedHandler) DeferEphemeral(i *discordgo.Interaction) bool {
	if h, ok := o.next.(DeferHinter); ok {
		return h.DeferEphemeral(i)
	}
	return httpWantsEphemeral(i)
}

// DeferAtOnce passes the wrapped handler's wish on to the Responder.
func (o *httpObservedHandler) DeferAtOnce(i *discordgo.Interaction) bool {
	h, ok := o.next.(EagerDeferrer)
	return ok && h.DeferAtOnce(i)
}

// httpWantsEphemeral is the Responder's guess without a hint: a message
// command, or a true "private" option.
func httpWantsEphemeral(i *discordgo.Interaction) bool {
	d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	if d.CommandType == discordgo.MessageApplicationCommand || d.CommandType == discordgo.UserApplicationCommand {
		return true
	}
	for _, o := range d.Options {
		if o != nil && o.Name == "private" && o.Type == discordgo.ApplicationCommandOptionBoolean {
			if v, ok := o.Value.(bool); ok && v {
				return true
			}
		}
	}
	return false
}

// Drain waits until every answer in progress has been delivered, deferred
// ones included, or ctx ends; then it cancels the handlers still running
// and waits for them to give up.
func (h *InteractionsHandler) Drain(ctx context.Context) error {
	idle := make(chan struct{})
	go func() { h.pending.Wait(); close(idle) }()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		h.cancel()
		<-idle
		return fmt.Errorf("draining interactions: %w", ctx.Err())
	}
}

// reject answers a refused request. Forged requests are routine (Discord
// sends some to test the endpoint), so they are logged at debug level,
// without any of the request's content.
func (h *InteractionsHandler) reject(w http.ResponseWriter, r *http.Request, rej *verifyRejection) {
	if rej.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	level := slog.LevelDebug
	if rej.reason == "malformed_json" || rej.reason == "unknown_type" {
		level = slog.LevelWarn // signed by Discord, yet unreadable
	}
	h.log.Log(r.Context(), level, "interaction request refused", "reason", rej.reason, "status", rej.status,
		"method", logclip.String(r.Method), "remote", r.RemoteAddr)
	h.opts.Metrics.observeRejected(rej.reason)
	http.Error(w, http.StatusText(rej.status), rej.status)
}

// write sends resp as the HTTP response.
func (h *InteractionsHandler) write(w http.ResponseWriter, resp *discordgo.InteractionResponse) {
	b, err := json.Marshal(resp)
	if err != nil {
		h.log.Error("encoding an interaction response failed", "type", int(resp.Type), "err", err)
		b, _ = json.Marshal(sanitize(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: ErrorText, Flags: discordgo.MessageFlagsEphemeral},
		}))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// HTTPServer runs the HTTP transport: the interactions endpoint and the
// operations endpoints, on one listener or two.
type HTTPServer struct {
	Config       HTTPConfig
	Interactions *InteractionsHandler
	// Metrics and Ready back /metrics and /readyz.
	Metrics *Metrics
	Ready   func() bool
	Logger  *slog.Logger
}

// OpsHandler serves /healthz (the process is up), /readyz (the knowledge is
// loaded: 200, else 503) and /metrics.
func OpsHandler(metrics *Metrics, ready func() bool) *http.ServeMux {
	mux := http.NewServeMux()
	httpAddOps(mux, metrics, ready)
	return mux
}

func httpAddOps(mux *http.ServeMux, metrics *Metrics, ready func() bool) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if ready != nil && !ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready: knowledge loading\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
	if metrics != nil {
		mux.Handle("GET /metrics", metrics.Handler())
	}
}

// Handler returns what the interactions listener serves: the interactions
// endpoint at every path, plus the operations endpoints when they have no
// listener of their own.
func (s *HTTPServer) Handler() http.Handler {
	if s.Config.AdminAddr != "" {
		return s.Interactions
	}
	mux := OpsHandler(s.Metrics, s.Ready)
	mux.Handle("/", s.Interactions)
	return mux
}

// ListenAndServe listens on Config.Addr (and Config.AdminAddr) and serves
// until ctx ends, then shuts down gracefully.
func (s *HTTPServer) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.Config.Addr)
	if err != nil {
		return fmt.Errorf("listening for interactions: %w", err)
	}
	var admin net.Listener
	if s.Config.AdminAddr != "" {
		if admin, err = lc.Listen(ctx, "tcp", s.Config.AdminAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listening for operations: %w", err)
		}
	}
	return s.Serve(ctx, ln, admin)
}

// Serve serves on ln (and admin, when not nil) until ctx ends or a listener
// fails. Then it stops accepting, lets in-flight requests finish, delivers
// the deferred answers still running, all within Config.ShutdownTimeout,
// and returns nil after a clean shutdown.
func (s *HTTPServer) Serve(ctx context.Context, ln, admin net.Listener) error {
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		}
	}
	servers := []*http.Server{newServer(s.Handler())}
	listeners := []net.Listener{ln}
	if admin != nil {
		servers = append(servers, newServer(OpsHandler(s.Metrics, s.Ready)))
		listeners = append(listeners, admin)
	}
	errc := make(chan error, len(servers))
	for k, srv := range servers {
		go func() {
			if err := srv.Serve(listeners[k]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
				return
			}
			errc <- nil
		}()
	}
	log.Info("serving interactions over HTTP", "addr", ln.Addr().String())
	if admin != nil {
		log.Info("serving operations", "addr", admin.Addr().String())
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
		if serveErr != nil {
			serveErr = fmt.Errorf("serving HTTP: %w", serveErr)
		}
	}
	log.Info("shutting down the HTTP transport")
	sctx, cancel := context.WithTimeout(context.Background(), s.Config.shutdownTimeout())
	defer cancel()
	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutting down HTTP: %w", err))
			srv.Close()
		}
	}
	if err := s.Interactions.Drain(sctx); err != nil {
		errs = append(errs, err)
	}
	if serveErr != nil {
		errs = append([]error{serveErr}, errs...)
	}
	return errors.Join(errs...)
}
