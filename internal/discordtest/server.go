// Package discordtest runs a fake Discord inside a test process: the REST
// API under /api/v9 and the gateway websocket, both on 127.0.0.1, speaking
// the real protocol so that the real discordgo client can connect to it.
//
// The fake records every REST request and every gateway frame a client
// sends, and tests wait for them through channels (WaitRequest,
// WaitCallback, WaitGatewayOp, ...). Waits only time out as a failure
// guard: they return as soon as the awaited thing has happened.
//
// What it implements:
//
//   - GET /api/v9/gateway and /api/v9/gateway/bot, pointing at its own
//     websocket (served at /ws and at /ws/, since discordgo appends a slash);
//   - GET /api/v9/users/@me;
//   - PUT and GET /api/v9/applications/{app}/commands and
//     /api/v9/applications/{app}/guilds/{guild}/commands (bulk overwrite,
//     echoed back with ids);
//   - POST /api/v9/interactions/{id}/{token}/callback, checking that the
//     interaction exists, is answered once, with a response type valid for
//     it, and within Discord's size limits;
//   - the interaction webhook: POST /api/v9/webhooks/{app}/{token}
//     (followups), GET, PATCH and DELETE .../messages/{id|@original};
//   - the gateway: HELLO, IDENTIFY -> READY, heartbeats and their ACKs,
//     dispatches with sequence numbers (INTERACTION_CREATE), RESUME ->
//     replay of missed dispatches and RESUMED, and dropping the socket from
//     the server side;
//   - injected HTTP 429 responses on the next N matching requests.
package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/footnote-bot/footnote/internal/discordspec"
)

// DefaultToken is the bot token the fake accepts unless Options.Token says
// otherwise. It has the shape of a real token and no value anywhere.
const DefaultToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.ZmFrZS1kaXNjb3JkLXRlc3QtdG9rZW4"

// Options configure a Server. The zero value is usable.
type Options struct {
	// Token is the bot token (without "Bot ") the fake accepts; "" means
	// DefaultToken.
	Token string
	// AppID is the application id READY reports; "" means a fixed id.
	AppID string
	// BotUserID is the bot user's id in READY; "" means AppID.
	BotUserID string
	// HeartbeatInterval is announced in HELLO; 0 means 41.25 s, Discord's
	// usual value. discordgo sends its first heartbeat immediately anyway.
	HeartbeatInterval time.Duration
}

// Request is one REST request the fake received.
type Request struct {
	Method string
	Path   string // URL path, e.g. /api/v9/interactions/1/tok/callback
	Query  string
	Header http.Header
	Body   []byte
	// Status is the HTTP status the fake answered with.
	Status int
}

// Frame is one gateway payload a client sent.
type Frame struct {
	Conn int // 1 for the first websocket connection, 2 for the next, ...
	Op   int
	Data json.RawMessage
}

// Server is a fake Discord. Create it with New; it stops when the test
// ends.
type Server struct {
	// URL is the base URL to use instead of https://discord.com
	// (http://127.0.0.1:PORT).
	URL string
	// GatewayURL is the websocket address GET /api/v9/gateway returns.
	GatewayURL string
	// AppID and BotUserID are what READY reports.
	AppID     string
	BotUserID string
	// Token is the accepted bot token, without "Bot ".
	Token string

	heartbeat time.Duration
	srv       *httptest.Server
	upgrader  websocket.Upgrader

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced whenever anything is recorded
	requests   []Request
	frames     []Frame
	rateLimits []*rateLimit
	commands   map[string][]*discordgo.ApplicationCommand // by guild id; "" = global
	byID       map[string]*interaction
	byToken    map[string]*interaction
	files      map[string]*attachment // by attachment id
	nextID     uint64
	conns      int
	closed     bool

	// gateway sessions, one per shard id (see gateway.go)
	shards map[int]*gwSession
	all    []*gwConn
	ended  []int // connections whose read loop has ended
}

type dispatch struct {
	seq     int64
	payload []byte
}

type rateLimit struct {
	remaining  int
	retryAfter time.Duration
	global     bool
	match      func(Request) bool
}

// interaction is what the fake knows about an interaction it sent.
type interaction struct {
	id, token string
	typ       discordgo.InteractionType
	acked     bool
	ackType   discordgo.InteractionResponseType
	original  *discordgo.Message
	followups map[string]*discordgo.Message
}

// New starts a fake Discord on 127.0.0.1 and stops it when tb ends.
func New(tb TB, opts Options) *Server {
	tb.Helper()
	s := &Server{
		AppID:     opts.AppID,
		BotUserID: opts.BotUserID,
		Token:     opts.Token,
		heartbeat: opts.HeartbeatInterval,
		changed:   make(chan struct{}),
		commands:  map[string][]*discordgo.ApplicationCommand{},
		byID:      map[string]*interaction{},
		byToken:   map[string]*interaction{},
		files:     map[string]*attachment{},
		nextID:    1200000000000000000,
		upgrader:  websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
	}
	if s.Token == "" {
		s.Token = DefaultToken
	}
	if s.AppID == "" {
		s.AppID = "1100000000000000001"
	}
	if s.BotUserID == "" {
		s.BotUserID = s.AppID
	}
	if s.heartbeat <= 0 {
		s.heartbeat = 41250 * time.Millisecond
	}
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	s.GatewayURL = "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws"
	tb.Cleanup(s.Close)
	return s
}

// TB is the part of testing.TB New needs.
type TB interface {
	Helper()
	Cleanup(func())
}

// Close drops every websocket and stops the server. It is safe to call
// more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := s.all
	s.shards = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	s.srv.Close()
}

// notify wakes every waiter. Callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until check (called with s.mu held) returns true or ctx
// ends.
func (s *Server) waitFor(ctx context.Context, what string, check func() bool) error {
	for {
		s.mu.Lock()
		if check() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: waiting for %s: %w", what, ctx.Err())
		}
	}
}

// newID returns a fresh snowflake-shaped id. Callers hold s.mu.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatUint(s.nextID, 10)
}

// Requests returns a copy of every REST request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Frames returns a copy of every gateway payload received so far.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

// WaitRequest returns the first recorded request (past or future) for which
// match is true.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	err := s.waitFor(ctx, "a matching request", func() bool {
		for _, r := range s.requests {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitRequests waits until n requests match and returns them in order.
func (s *Server) WaitRequests(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	var found []Request
	err := s.waitFor(ctx, fmt.Sprintf("%d matching requests", n), func() bool {
		found = found[:0]
		for _, r := range s.requests {
			if match(r) {
				found = append(found, r)
			}
		}
		return len(found) >= n
	})
	return found, err
}

// WaitGatewayOp waits until clients have sent n payloads with opcode op
// and returns the nth.
func (s *Server) WaitGatewayOp(ctx context.Context, op, n int) (Frame, error) {
	var found Frame
	err := s.waitFor(ctx, fmt.Sprintf("gateway op %d #%d", op, n), func() bool {
		k := 0
		for _, f := range s.frames {
			if f.Op == op {
				k++
				if k == n {
					found = f
					return true
				}
			}
		}
		return false
	})
	return found, err
}

// WaitHeartbeat waits for a heartbeat on connection conn (1-based).
func (s *Server) WaitHeartbeat(ctx context.Context, conn int) error {
	return s.waitFor(ctx, fmt.Sprintf("a heartbeat on connection %d", conn), func() bool {
		for _, f := range s.frames {
			if f.Op == OpHeartbeat && f.Conn == conn {
				return true
			}
		}
		return false
	})
}

// Connections returns how many websocket connections have been accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// RateLimit makes the next n requests for which match is true fail with
// HTTP 429, a Retry-After of retryAfter and Discord's JSON body. Requests
// answered 429 are recorded with Status 429.
func (s *Server) RateLimit(n int, retryAfter time.Duration, match func(Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimits = append(s.rateLimits, &rateLimit{remaining: n, retryAfter: retryAfter, match: match})
}

// Match returns a request matcher for a method ("" = any) and a path
// prefix.
func Match(method, pathPrefix string) func(Request) bool {
	return func(r Request) bool {
		return (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix)
	}
}

// CallbackPath is the path of the callback for interaction id.
func CallbackPath(id, token string) string {
	return "/api/v9/interactions/" + id + "/" + token + "/callback"
}

// Commands returns the command set last registered for guildID ("" =
// global), as the fake stored it (with ids).
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), s.commands[guildID]...)
}

// routes builds the HTTP handler: recording and rate limiting around the
// REST mux, and the websocket.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", s.serveGateway)
	mux.HandleFunc("GET /ws/", s.serveGateway)

	api := http.NewServeMux()
	api.HandleFunc("GET /api/v9/gateway", s.getGateway)
	api.HandleFunc("GET /api/v9/gateway/bot", s.bot(s.getGatewayBot))
	api.HandleFunc("GET /api/v9/users/@me", s.bot(s.getMe))
	api.HandleFunc("PUT /api/v9/applications/{app}/commands", s.bot(s.putCommands))
	api.HandleFunc("PUT /api/v9/applications/{app}/guilds/{guild}/commands", s.bot(s.putCommands))
	api.HandleFunc("GET /api/v9/applications/{app}/commands", s.bot(s.getCommands))
	api.HandleFunc("GET /api/v9/applications/{app}/guilds/{guild}/commands", s.bot(s.getCommands))
	api.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", s.postCallback)
	api.HandleFunc("POST /api/v9/webhooks/{app}/{token}", s.postFollowup)
	api.HandleFunc("GET /api/v9/webhooks/{app}/{token}/messages/{msg}", s.webhookMessage)
	api.HandleFunc("PATCH /api/v9/webhooks/{app}/{token}/messages/{msg}", s.webhookMessage)
	api.HandleFunc("DELETE /api/v9/webhooks/{app}/{token}/messages/{msg}", s.webhookMessage)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	})
	mux.Handle("/api/", s.record(buffered(api)))
	mux.HandleFunc("GET /attachments/{channel}/{id}/{name}", s.getAttachment)
	return mux
}

// buffered runs h against a buffer and copies the result out afterwards:
// handlers write while holding s.mu, and the recorder around them takes
// s.mu when the status goes out.
func buffered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes()) // the client may have gone; nothing to do
	})
}

// recorder records the request as soon as its status is known, before the
// response reaches the client: a client that has its answer can rely on the
// request being in Requests().
type recorder struct {
	http.ResponseWriter
	done func(status int)
	sent bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.sent {
		r.sent = true
		r.done(code)
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.sent {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// record reads and records each request, applies injected rate limits and
// passes the rest on.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, 0, "unreadable body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}

		rec := &recorder{ResponseWriter: w, done: func(status int) {
			req.Status = status
			s.addRequest(req)
		}}
		if rl := s.takeRateLimit(req); rl != nil {
			writeRateLimit(rec, rl)
			return
		}
		next.ServeHTTP(rec, r)
		if !rec.sent {
			rec.WriteHeader(http.StatusOK)
		}
	})
}

func (s *Server) addRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.notify()
}

func (s *Server) takeRateLimit(r Request) *rateLimit {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rl := range s.rateLimits {
		if rl.remaining > 0 && rl.match(r) {
			rl.remaining--
			return rl
		}
	}
	return nil
}

func writeRateLimit(w http.ResponseWriter, rl *rateLimit) {
	secs := rl.retryAfter.Seconds()
	h := w.Header()
	// Retry-After is whole seconds, rounded up, as Discord sends it.
	h.Set("Retry-After", strconv.Itoa(int(secs+0.999)))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(rl.retryAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "fakebucket")
	h.Set("X-RateLimit-Scope", "user")
	if rl.global {
		h.Set("X-RateLimit-Global", "true")
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": secs,
		"global":      rl.global,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The client went away; nothing else to do in a fake.
		return
	}
}

// writeError writes Discord's JSON error shape.
func writeError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message})
}

// bot wraps a handler that requires the bot's Authorization header.
func (s *Server) bot(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bot "+s.Token {
			writeError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
			return
		}
		h(w, r)
	}
}

func (s *Server) getGateway(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"url": s.GatewayURL})
}

func (s *Server) getGatewayBot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    s.GatewayURL,
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id": s.BotUserID, "username": "Footnote", "discriminator": "0", "global_name": nil, "bot": true,
	}
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.botUser())
}

func (s *Server) putCommands(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("app") != s.AppID {
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	var cmds []*discordgo.ApplicationCommand
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	route := discordspec.RouteGlobalCommands
	if r.PathValue("guild") != "" {
		route = discordspec.RouteGuildCommands
	}
	if !checkSchema(w, http.MethodPut, route, body) {
		return
	}
	if problems := validateCommands(cmds); len(problems) > 0 {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+strings.Join(problems, "; "))
		return
	}
	guild := r.PathValue("guild")
	s.mu.Lock()
	for _, c := range cmds {
		c.ID = s.newID()
		c.ApplicationID = s.AppID
		c.GuildID = guild
		c.Version = s.newID()
	}
	s.commands[guild] = cmds
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, cmds)
}

func (s *Server) getCommands(w http.ResponseWriter, r *http.Request) {
	cmds := s.Commands(r.PathValue("guild"))
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	writeJSON(w, http.StatusOK, cmds)
}

// Callback is a decoded interaction response.
type Callback struct {
	Request
	Type discordgo.InteractionResponseType
	// Message holds the data of a message response (types 4 and 7, and the
	// flags of type 5); nil when the response had no data.
	Message *Message
}

// Message is the message part of a callback, followup or edit.
type Message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Flags      discordgo.MessageFlags
	// AllowedMentions is nil when the request did not carry the field.
	AllowedMentions *discordgo.MessageAllowedMentions
	// Choices are the autocomplete choices (type 8).
	Choices []*discordgo.ApplicationCommandOptionChoice
	// Raw is the JSON object as sent (payload_json, for a message sent
	// with files).
	Raw json.RawMessage
	// Files are the files sent with the message (multipart/form-data),
	// by file name.
	Files map[string][]byte
}

// DecodeMessage decodes a message payload (callback data, webhook body).
func DecodeMessage(raw []byte) (*Message, error) {
	var m discordgo.Message // its UnmarshalJSON decodes components
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decoding message: %w", err)
	}
	var extra struct {
		AllowedMentions *discordgo.MessageAllowedMentions           `json:"allowed_mentions"`
		Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	}
	if err := json.Unmarshal(raw, &extra); err != nil {
		return nil, fmt.Errorf("decoding message: %w", err)
	}
	return &Message{
		Content: m.Content, Embeds: m.Embeds, Components: m.Components, Flags: m.Flags,
		AllowedMentions: extra.AllowedMentions, Choices: extra.Choices, Raw: append(json.RawMessage(nil), raw...),
	}, nil
}

// DecodeCallback decodes a callback request's body.
func DecodeCallback(r Request) (Callback, error) {
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		return Callback{}, fmt.Errorf("decoding callback: %w", err)
	}
	cb := Callback{Request: r, Type: raw.Type}
	if len(raw.Data) > 0 && string(raw.Data) != "null" {
		m, err := DecodeMessage(raw.Data)
		if err != nil {
			return Callback{}, err
		}
		cb.Message = m
	}
	return cb, nil
}

// WaitCallback waits for the accepted (2xx) callback of interaction i.
func (s *Server) WaitCallback(ctx context.Context, i *discordgo.Interaction) (Callback, error) {
	path := CallbackPath(i.ID, i.Token)
	r, err := s.WaitRequest(ctx, func(r Request) bool {
		return r.Method == http.MethodPost && r.Path == path && r.Status/100 == 2
	})
	if err != nil {
		return Callback{}, err
	}
	return DecodeCallback(r)
}

// WaitWebhook waits for an accepted (2xx) webhook request with the given
// method on interaction i's token (a followup POST, or a PATCH/DELETE of one
// of its messages) and decodes its body (nil for DELETE).
func (s *Server) WaitWebhook(ctx context.Context, i *discordgo.Interaction, method string) (Request, *Message, error) {
	prefix := "/api/v9/webhooks/" + i.AppID + "/" + i.Token
	r, err := s.WaitRequest(ctx, func(r Request) bool {
		return r.Method == method && strings.HasPrefix(r.Path, prefix) && r.Status/100 == 2
	})
	if err != nil || len(r.Body) == 0 {
		return r, nil, err
	}
	m, err := DecodeRequestMessage(r)
	return r, m, err
}

var validCallbacks = map[discordgo.InteractionType][]discordgo.InteractionResponseType{
	discordgo.InteractionApplicationCommand: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseModal,
	},
	discordgo.InteractionMessageComponent: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate,
		discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseModal,
	},
	discordgo.InteractionApplicationCommandAutocomplete: {
		discordgo.InteractionApplicationCommandAutocompleteResult,
	},
	discordgo.InteractionModalSubmit: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate,
		discordgo.InteractionResponseUpdateMessage,
	},
}

func (s *Server) postCallback(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	cb, err := DecodeCallback(Request{Body: body})
	if err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if !checkSchema(w, http.MethodPost, discordspec.RouteCallback, body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.byID[r.PathValue("id")]
	if it == nil || it.token != r.PathValue("token") {
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if it.acked {
		writeError(w, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return
	}
	ok := false
	for _, t := range validCallbacks[it.typ] {
		ok = ok || t == cb.Type
	}
	if !ok {
		writeError(w, http.StatusBadRequest, 50035, fmt.Sprintf("Invalid Form Body: type: interaction response type %d is not valid for interaction type %d", cb.Type, it.typ))
		return
	}
	if cb.Message != nil {
		var problems []string
		if cb.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
			problems = validateChoices(cb.Message.Choices)
		} else {
			problems = validateMessage(cb.Message)
		}
		if len(problems) > 0 {
			writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+strings.Join(problems, "; "))
			return
		}
	}
	it.acked = true
	it.ackType = cb.Type
	switch cb.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		it.original = s.storedMessage(cb.Message)
	}
	w.WriteHeader(http.StatusNoContent)
}

// storedMessage turns message data into a message the webhook can return.
// Callers hold s.mu.
func (s *Server) storedMessage(m *Message) *discordgo.Message {
	msg := &discordgo.Message{ID: s.newID(), ChannelID: "1100000000000000300", Type: discordgo.MessageTypeChatInputCommand}
	if m != nil {
		msg.Content, msg.Embeds, msg.Components, msg.Flags = m.Content, m.Embeds, m.Components, m.Flags
	}
	return msg
}

func (s *Server) postFollowup(w http.ResponseWriter, r *http.Request) {
	body, files, err := messageBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, 50109, err.Error())
		return
	}
	m, err := DecodeMessage(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if !checkSchema(w, http.MethodPost, discordspec.RouteWebhook, body) {
		return
	}
	s.waitAcked(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.byToken[r.PathValue("token")]
	if it == nil || r.PathValue("app") != s.AppID {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	if !it.acked {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	if problems := validateMessage(m); len(problems) > 0 {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+strings.Join(problems, "; "))
		return
	}
	msg := s.storedMessage(m)
	msg.Attachments = s.storeFilesLocked(msg.ChannelID, files)
	it.followups[msg.ID] = msg
	if r.URL.Query().Get("wait") == "true" {
		writeJSON(w, http.StatusOK, msg)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// waitAcked gives a webhook call that comes before its interaction's
// callback a moment for the callback to arrive. Over HTTP, Discord reads
// the callback from the HTTP response, which it always has before any
// webhook call the bot makes after it; a test that relays the response to
// the fake itself may relay it a little after such a call.
func (s *Server) waitAcked(r *http.Request) {
	token := r.PathValue("token")
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	_ = s.waitFor(ctx, "the callback", func() bool {
		it := s.byToken[token]
		return it == nil || it.acked
	})
}

func (s *Server) webhookMessage(w http.ResponseWriter, r *http.Request) {
	body, files, err := messageBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, 50109, err.Error())
		return
	}
	s.waitAcked(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.byToken[r.PathValue("token")]
	if it == nil || r.PathValue("app") != s.AppID {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	id := r.PathValue("msg")
	var msg *discordgo.Message
	if id == "@original" {
		msg = it.original
		if msg == nil && it.acked && (it.ackType == discordgo.InteractionResponseDeferredMessageUpdate || it.ackType == discordgo.InteractionResponseUpdateMessage) {
			// The original of a component interaction is the message the
			// component is on.
			msg = &discordgo.Message{ID: s.newID(), ChannelID: "1100000000000000300"}
			it.original = msg
		}
	} else {
		msg = it.followups[id]
	}
	if msg == nil {
		writeError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, msg)
	case http.MethodDelete:
		if id == "@original" {
			it.original = nil
		} else {
			delete(it.followups, id)
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		m, err := DecodeMessage(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
			return
		}
		route := discordspec.RouteMessage
		if id == "@original" {
			route = discordspec.RouteOriginal
		}
		if !checkSchema(w, http.MethodPatch, route, body) {
			return
		}
		if problems := validateMessage(m); len(problems) > 0 {
			writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+strings.Join(problems, "; "))
			return
		}
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(body, &fields) // already decoded once above
		if _, ok := fields["content"]; ok {
			msg.Content = m.Content
		}
		if _, ok := fields["embeds"]; ok {
			msg.Embeds = m.Embeds
		}
		if _, ok := fields["components"]; ok {
			msg.Components = m.Components
		}
		if len(files) > 0 {
			msg.Attachments = s.storeFilesLocked(msg.ChannelID, files)
		}
		writeJSON(w, http.StatusOK, msg)
	}
}
