package bot

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

// httpHandlerFunc is a commands.Handler made of a function, for tests.
type httpHandlerFunc func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse

func (f httpHandlerFunc) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	return f(ctx, i)
}

// httpSyncBuffer is a log sink safe for concurrent writes.
type httpSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *httpSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *httpSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// httpEnv is a running HTTP transport on 127.0.0.1 and the key Discord
// would sign with.
type httpEnv struct {
	t        testing.TB
	url      string // interactions endpoint
	adminURL string // operations; == url when they share the listener
	priv     ed25519.PrivateKey
	metrics  *Metrics
	ready    *atomic.Bool
	logs     *httpSyncBuffer
	client   *http.Client
	fake     *discordtest.Server
	stopOnce sync.Once
	stopErr  error
	stop     func() error
}

type httpEnvOptions struct {
	deferAfter time.Duration
	admin      bool // operations on a listener of their own
	notReady   bool
	quiet      bool                // log warnings and errors only
	fake       *discordtest.Server // webhook target; nil: a new fake
}

func newHTTPEnv(t testing.TB, h httpHandlerFunc, o httpEnvOptions) *httpEnv {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env := &httpEnv{t: t, priv: priv, ready: new(atomic.Bool), logs: new(httpSyncBuffer), fake: o.fake}
	env.ready.Store(!o.notReady)
	if env.fake == nil {
		env.fake = discordtest.New(t, discordtest.Options{})
	}
	level := slog.LevelDebug
	if o.quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(env.logs, &slog.HandlerOptions{Level: level}))
	env.metrics = NewMetrics(func() (knowledge.Stats, bool) {
		return knowledge.Stats{Entries: 3, Sentences: 42}, env.ready.Load()
	})
	if o.deferAfter == 0 {
		o.deferAfter = time.Minute // never defer unless a test asks to
	}
	ih, err := NewInteractionsHandler(HTTPOptions{
		PublicKey:  pub,
		Handler:    h,
		Webhooks:   &RESTClient{Base: env.fake.URL},
		Metrics:    env.metrics,
		Logger:     logger,
		DeferAfter: o.deferAfter,
		Ready:      env.ready.Load,
		Labels:     &MetricLabels{Commands: []string{"ask", "entry", "boom", "nothing"}, Routes: []string{"/entry"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var admin net.Listener
	cfg := HTTPConfig{Addr: ln.Addr().String(), PublicKey: pub, ShutdownTimeout: 30 * time.Second}
	if o.admin {
		if admin, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		cfg.AdminAddr = admin.Addr().String()
	}
	srv := &HTTPServer{Config: cfg, Interactions: ih, Metrics: env.metrics, Ready: env.ready.Load, Logger: logger}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, admin) }()
	env.url = "http://" + ln.Addr().String()
	env.adminURL = env.url
	if admin != nil {
		env.adminURL = "http://" + admin.Addr().String()
	}
	env.client = &http.Client{Timeout: time.Minute}
	env.stop = func() error {
		env.stopOnce.Do(func() {
			cancel()
			env.stopErr = <-done
		})
		return env.stopErr
	}
	t.Cleanup(func() {
		if err := env.stop(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		logs := env.logs.String()
		for _, bad := range []string{"goroutine ", "runtime/debug", "http: panic"} {
			if strings.Contains(logs, bad) && !strings.Contains(logs, "handler panicked") {
				t.Errorf("logs hold a stack trace (%q):\n%s", bad, logs)
			}
		}
	})
	return env
}

// signed builds a signed POST of body, as Discord sends it.
func (e *httpEnv) signed(body []byte, ts time.Time) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/interactions", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTimestamp, stamp)
	req.Header.Set(HeaderSignature, SignInteraction(e.priv, stamp, body))
	return req
}

// do sends req and returns the status and body.
func (e *httpEnv) do(req *http.Request) (int, http.Header, []byte) {
	e.t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// send plays Discord: it gives the fake the interaction (which fills in
// ids and a token and remembers it for the webhook), posts it signed to
// the transport, and hands the HTTP answer to the fake's callback endpoint,
// which checks it the way Discord does (a valid type for the interaction,
// within the limits). It returns the interaction as sent and the answer.
func (e *httpEnv) send(i *discordgo.Interaction) (*discordgo.Interaction, discordtest.Callback) {
	e.t.Helper()
	sent, err := e.fake.SendInteraction(i)
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := json.Marshal(sent)
	if err != nil {
		e.t.Fatal(err)
	}
	status, hdr, answer := e.do(e.signed(body, time.Now()))
	if status != http.StatusOK {
		e.t.Fatalf("interaction answered HTTP %d: %s", status, answer)
	}
	if ct := hdr.Get("Content-Type"); ct != "application/json" {
		e.t.Errorf("Content-Type %q, want application/json", ct)
	}
	cbURL := e.fake.URL + discordtest.CallbackPath(sent.ID, sent.Token)
	resp, err := e.client.Post(cbURL, "application/json", bytes.NewReader(answer))
	if err != nil {
		e.t.Fatal(err)
	}
	verdict, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		e.t.Fatalf("Discord would refuse the answer %s: HTTP %d %s", answer, resp.StatusCode, verdict)
	}
	cb, err := discordtest.DecodeCallback(discordtest.Request{Body: answer})
	if err != nil {
		e.t.Fatal(err)
	}
	return sent, cb
}

// get fetches an operations path.
func (e *httpEnv) get(path string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.adminURL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	status, _, body := e.do(req)
	return status, string(body)
}

// scrape reads /metrics into "name{labels}" -> value.
func (e *httpEnv) scrape() map[string]float64 {
	e.t.Helper()
	status, body := e.get("/metrics")
	if status != http.StatusOK {
		e.t.Fatalf("/metrics: HTTP %d", status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[k+1:], 64)
		if err != nil {
			e.t.Fatalf("bad metrics line %q", line)
		}
		out[line[:k]] = v
	}
	return out
}

func httpCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func httpMessage(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content},
	}
}

// httpEcho answers each kind of interaction the way the commands router
// does, from what it was sent.
func httpEcho(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			typed := ""
			for _, o := range d.Options {
				if o.Focused {
					typed, _ = o.Value.(string)
				}
			}
			return &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "Aid " + typed, Value: "aid-" + typed},
				}},
			}
		}
		var q string
		for _, o := range d.Options {
			if o.Name == "question" {
				q, _ = o.Value.(string)
			}
		}
		resp := httpMessage("/" + d.Name + ": " + q)
		for _, o := range d.Options {
			if o.Name == "private" && o.Value == true {
				resp.Data.Flags = discordgo.MessageFlagsEphemeral
			}
		}
		// A handler asking for pings: the transport must not allow them.
		resp.Data.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeEveryone}}
		return resp
	case discordgo.MessageComponentInteractionData:
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: "clicked " + d.CustomID},
		}
	}
	return nil
}

func TestHTTPAnswersInTheResponse(t *testing.T) {
	var calls atomic.Int32
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		calls.Add(1)
		return httpEcho(ctx, i)
	}, httpEnvOptions{})

	tests := []struct {
		name    string
		in      *discordgo.Interaction
		typ     discordgo.InteractionResponseType
		content string
		choice  string
	}{
		{"ask", discordtest.Slash("ask", discordtest.String("question", "who gave aid?")),
			discordgo.InteractionResponseChannelMessageWithSource, "/ask: who gave aid?", ""},
		{"autocomplete", discordtest.Autocomplete("entry", discordtest.Focused("name", "sov")),
			discordgo.InteractionApplicationCommandAutocompleteResult, "", "Aid sov"},
		{"button", discordtest.Button("/entry/aid-soviet/page/1", &discordgo.Message{ID: "1100000000000000900"}),
			discordgo.InteractionResponseUpdateMessage, "clicked /entry/aid-soviet/page/1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cb := env.send(tt.in)
			if cb.Type != tt.typ {
				t.Fatalf("response type %d, want %d", cb.Type, tt.typ)
			}
			if cb.Message == nil {
				t.Fatal("response without data")
			}
			if cb.Message.Content != tt.content {
				t.Errorf("content %q, want %q", cb.Message.Content, tt.content)
			}
			if tt.choice != "" {
				if len(cb.Message.Choices) != 1 || cb.Message.Choices[0].Name != tt.choice {
					t.Errorf("choices %+v, want one named %q", cb.Message.Choices, tt.choice)
				}
				return
			}
			am := cb.Message.AllowedMentions
			if am == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 {
				t.Errorf("allowed_mentions %+v, want an empty parse list", am)
			}
		})
	}
	if n := calls.Load(); n != int32(len(tests)) {
		t.Errorf("handler called %d times, want %d", n, len(tests))
	}
}

func TestHTTPPing(t *testing.T) {
	var calls atomic.Int32
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		calls.Add(1)
		return nil
	}, httpEnvOptions{notReady: true}) // PING works while loading: the portal checks the URL with it
	status, _, body := env.do(env.signed([]byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`), time.Now()))
	if status != http.StatusOK {
		t.Fatalf("PING: HTTP %d %s", status, body)
	}
	var pong struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &pong); err != nil || pong.Type != 1 || pong.Data != nil {
		t.Errorf("PING answered %s (err %v), want {\"type\":1}", body, err)
	}
	if calls.Load() != 0 {
		t.Error("PING reached the commands handler")
	}
}

func TestHTTPRejects(t *testing.T) {
	var calls atomic.Int32
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		calls.Add(1)
		return httpEcho(ctx, i)
	}, httpEnvOptions{})
	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ask := []byte(`{"id":"1100000000000000001","application_id":"1","type":2,"token":"tok","version":1,"data":{"name":"ask","type":1,"options":[{"name":"question","type":3,"value":"q"}]}}`)
	now := time.Now()
	big := append(append([]byte(`{"type":2,"pad":"`), bytes.Repeat([]byte("a"), MaxInteractionBody)...), `"}`...)

	tests := []struct {
		name   string
		req    func() *http.Request
		status int
		reason string
	}{
		{"unsigned", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Del(HeaderSignature)
			r.Header.Del(HeaderTimestamp)
			return r
		}, http.StatusUnauthorized, "missing_signature"},
		{"no timestamp", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Del(HeaderTimestamp)
			return r
		}, http.StatusUnauthorized, "missing_signature"},
		{"signed by another key", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Set(HeaderSignature, SignInteraction(otherKey, r.Header.Get(HeaderTimestamp), ask))
			return r
		}, http.StatusUnauthorized, "bad_signature"},
		{"body changed after signing", func() *http.Request {
			r := env.signed(ask, now)
			tampered := bytes.Replace(ask, []byte(`"q"`), []byte(`"x"`), 1)
			r.Body = io.NopCloser(bytes.NewReader(tampered))
			r.ContentLength = int64(len(tampered))
			return r
		}, http.StatusUnauthorized, "bad_signature"},
		{"timestamp changed after signing", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix()+1, 10))
			return r
		}, http.StatusUnauthorized, "bad_signature"},
		{"signature not hex", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Set(HeaderSignature, strings.Repeat("zz", ed25519.SignatureSize))
			return r
		}, http.StatusUnauthorized, "bad_signature"},
		{"signature too short", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Set(HeaderSignature, r.Header.Get(HeaderSignature)[:64])
			return r
		}, http.StatusUnauthorized, "bad_signature"},
		{"stale", func() *http.Request { return env.signed(ask, now.Add(-MaxClockSkew-time.Minute)) },
			http.StatusUnauthorized, "stale_timestamp"},
		{"from the future", func() *http.Request { return env.signed(ask, now.Add(MaxClockSkew+time.Minute)) },
			http.StatusUnauthorized, "stale_timestamp"},
		{"timestamp not a number", func() *http.Request {
			r := env.signed(ask, now)
			r.Header.Set(HeaderTimestamp, "yesterday")
			r.Header.Set(HeaderSignature, SignInteraction(env.priv, "yesterday", ask))
			return r
		}, http.StatusUnauthorized, "stale_timestamp"},
		{"oversized", func() *http.Request { return env.signed(big, now) },
			http.StatusRequestEntityTooLarge, "too_large"},
		{"oversized without length", func() *http.Request {
			r := env.signed(big, now)
			r.ContentLength = -1 // chunked: only the reader can tell
			r.Body = io.NopCloser(bytes.NewReader(big))
			return r
		}, http.StatusRequestEntityTooLarge, "too_large"},
		{"GET", func() *http.Request {
			r := env.signed(nil, now)
			r.Method = http.MethodGet
			return r
		}, http.StatusMethodNotAllowed, "method"},
		{"PUT", func() *http.Request {
			r := env.signed(ask, now)
			r.Method = http.MethodPut
			return r
		}, http.StatusMethodNotAllowed, "method"},
		{"malformed JSON", func() *http.Request { return env.signed([]byte(`{"type":2,"data":`), now) },
			http.StatusBadRequest, "malformed_json"},
		{"not an object", func() *http.Request { return env.signed([]byte(`"hello"`), now) },
			http.StatusBadRequest, "malformed_json"},
		{"empty body", func() *http.Request { return env.signed(nil, now) },
			http.StatusBadRequest, "malformed_json"},
		{"data of the wrong shape", func() *http.Request {
			return env.signed([]byte(`{"type":2,"data":{"options":"nope"}}`), now)
		}, http.StatusBadRequest, "malformed_json"},
		{"unknown type", func() *http.Request { return env.signed([]byte(`{"type":42}`), now) },
			http.StatusBadRequest, "unknown_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.scrape()[`footnote_http_rejected_total{reason="`+tt.reason+`"}`]
			status, hdr, body := env.do(tt.req())
			if status != tt.status {
				t.Fatalf("HTTP %d %q, want %d", status, body, tt.status)
			}
			if tt.status == http.StatusMethodNotAllowed && hdr.Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q, want POST", hdr.Get("Allow"))
			}
			after := env.scrape()[`footnote_http_rejected_total{reason="`+tt.reason+`"}`]
			if after != before+1 {
				t.Errorf("rejections for %s went from %v to %v, want one more", tt.reason, before, after)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the handler saw %d refused requests", n)
	}
	// A valid request still works after all that.
	if _, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "still there?"))); cb.Message == nil || cb.Message.Content != "/ask: still there?" {
		t.Errorf("answer after rejections: %+v", cb.Message)
	}
	logs := env.logs.String()
	if !strings.Contains(logs, "reason=bad_signature") || !strings.Contains(logs, "level=DEBUG") {
		t.Errorf("rejections not logged at debug:\n%s", logs)
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("a bad request was logged as an error:\n%s", logs)
	}
}

func TestHTTPDefersSlowAnswers(t *testing.T) {
	release := make(chan struct{})
	cancelled := make(chan struct{}) // closed when the abandoned autocomplete handler sees its context end
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			<-ctx.Done() // too slow: the transport gives up and cancels
			close(cancelled)
			return httpEcho(ctx, i)
		}
		<-release
		if d, ok := i.Data.(discordgo.MessageComponentInteractionData); ok {
			if strings.HasPrefix(d.CustomID, "/page") {
				return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
					Data: &discordgo.InteractionResponseData{Content: "page 2"}}
			}
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "entry", Flags: discordgo.MessageFlagsEphemeral}}
		}
		return httpEcho(ctx, i)
	}, httpEnvOptions{deferAfter: time.Millisecond})
	ctx := httpCtx(t)

	t.Run("command", func(t *testing.T) {
		sent, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "slow?")))
		if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("acknowledged with type %d, want 5", cb.Type)
		}
		if cb.Message != nil && cb.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Error("a public answer was deferred as ephemeral")
		}
		release <- struct{}{}
		req, msg, err := env.fake.WaitWebhook(ctx, sent, http.MethodPatch)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(req.Path, "/messages/@original") {
			t.Errorf("edited %s, want the original", req.Path)
		}
		if msg.Content != "/ask: slow?" {
			t.Errorf("edited to %q", msg.Content)
		}
		if msg.AllowedMentions == nil || len(msg.AllowedMentions.Parse) != 0 {
			t.Errorf("allowed_mentions %+v, want empty", msg.AllowedMentions)
		}
	})
	t.Run("private command", func(t *testing.T) {
		sent, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "quietly"), discordtest.Bool("private", true)))
		if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || cb.Message == nil ||
			cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("acknowledged with %+v, want an ephemeral type 5", cb)
		}
		release <- struct{}{}
		if _, msg, err := env.fake.WaitWebhook(ctx, sent, http.MethodPatch); err != nil || msg.Content != "/ask: quietly" {
			t.Fatalf("edit %+v, %v", msg, err)
		}
	})
	t.Run("button answering with a new message", func(t *testing.T) {
		sent, cb := env.send(discordtest.Button("/entry/x", &discordgo.Message{ID: "1100000000000000901"}))
		if cb.Type != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Fatalf("acknowledged with type %d, want 6", cb.Type)
		}
		release <- struct{}{}
		req, msg, err := env.fake.WaitWebhook(ctx, sent, http.MethodPost)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(req.Path, "/messages/") || msg.Content != "entry" || msg.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Errorf("follow-up %s %+v, want a new ephemeral message", req.Path, msg)
		}
	})
	t.Run("button updating its message", func(t *testing.T) {
		sent, cb := env.send(discordtest.Button("/page/2", &discordgo.Message{ID: "1100000000000000902"}))
		if cb.Type != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Fatalf("acknowledged with type %d, want 6", cb.Type)
		}
		release <- struct{}{}
		if _, msg, err := env.fake.WaitWebhook(ctx, sent, http.MethodPatch); err != nil || msg.Content != "page 2" {
			t.Fatalf("edit %+v, %v", msg, err)
		}
	})
	t.Run("autocomplete cannot wait", func(t *testing.T) {
		_, cb := env.send(discordtest.Autocomplete("entry", discordtest.Focused("name", "x")))
		if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || cb.Message == nil || len(cb.Message.Choices) != 0 {
			t.Fatalf("slow autocomplete answered %+v, want no choices", cb)
		}
	})
	// Every deferred answer is delivered once the transport has drained.
	if err := env.stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-cancelled:
	case <-ctx.Done():
		t.Error("the abandoned autocomplete handler's context was never cancelled")
	}
	m := env.scrape2()
	if got := m[`footnote_interactions_total{command="ask",kind="command",outcome="deferred"}`]; got != 2 {
		t.Errorf("deferred /ask counted %v times, want 2", got)
	}
	if got := m[`footnote_interactions_total{command="entry",kind="autocomplete",outcome="timeout"}`]; got != 1 {
		t.Errorf("timed-out autocomplete counted %v times, want 1", got)
	}
}

// scrape2 reads the metrics straight from the registry, for after the
// listener is closed.
func (e *httpEnv) scrape2() map[string]float64 {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k := strings.LastIndexByte(line, ' ')
		v, _ := strconv.ParseFloat(line[k+1:], 64)
		out[line[:k]] = v
	}
	return out
}

func TestHTTPHandlerFailures(t *testing.T) {
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		d, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		switch d.Name {
		case "boom":
			panic("handler bug")
		case "nothing":
			return nil
		}
		return httpEcho(ctx, i)
	}, httpEnvOptions{})
	for _, name := range []string{"boom", "nothing"} {
		t.Run(name, func(t *testing.T) {
			_, cb := env.send(discordtest.Slash(name))
			if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message == nil ||
				cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(cb.Message.Content, "went wrong") {
				t.Fatalf("answered %+v, want an ephemeral error message", cb.Message)
			}
		})
	}
	if _, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "after"))); cb.Message.Content != "/ask: after" {
		t.Errorf("after a panic: %q", cb.Message.Content)
	}
	m := env.scrape()
	if m[`footnote_interactions_total{command="boom",kind="command",outcome="error"}`] != 1 ||
		m[`footnote_interactions_total{command="nothing",kind="command",outcome="error"}`] != 1 {
		t.Errorf("errors not counted: %v", m)
	}
	if !strings.Contains(env.logs.String(), "handler bug") {
		t.Error("the panic was not logged")
	}
}

func TestHTTPReadiness(t *testing.T) {
	env := newHTTPEnv(t, httpEcho, httpEnvOptions{notReady: true})
	if status, _ := env.get("/healthz"); status != http.StatusOK {
		t.Errorf("/healthz while loading: HTTP %d, want 200", status)
	}
	if status, _ := env.get("/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while loading: HTTP %d, want 503", status)
	}
	body := []byte(`{"id":"1100000000000000001","application_id":"1","type":2,"token":"tok","data":{"name":"ask","type":1}}`)
	if status, _, _ := env.do(env.signed(body, time.Now())); status != http.StatusServiceUnavailable {
		t.Errorf("interaction while loading: HTTP %d, want 503", status)
	}
	if got := env.scrape()["footnote_corpus_entries"]; got != 0 {
		t.Errorf("corpus_entries %v before loading, want 0", got)
	}
	env.ready.Store(true)
	if status, _ := env.get("/readyz"); status != http.StatusOK {
		t.Errorf("/readyz when loaded: HTTP %d, want 200", status)
	}
	m := env.scrape()
	if m["footnote_corpus_entries"] != 3 || m["footnote_corpus_sentences"] != 42 {
		t.Errorf("corpus gauges %v / %v, want 3 / 42", m["footnote_corpus_entries"], m["footnote_corpus_sentences"])
	}
}

func TestHTTPAdminListener(t *testing.T) {
	env := newHTTPEnv(t, httpEcho, httpEnvOptions{admin: true})
	if env.adminURL == env.url {
		t.Fatal("no separate admin listener")
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if status, _ := env.get(path); status != http.StatusOK {
			t.Errorf("admin %s: HTTP %d", path, status)
		}
	}
	// The interactions listener serves interactions only.
	req, _ := http.NewRequest(http.MethodGet, env.url+"/healthz", nil)
	if status, _, _ := env.do(req); status != http.StatusMethodNotAllowed {
		t.Errorf("GET /healthz on the interactions listener: HTTP %d, want 405", status)
	}
	if _, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "q"))); cb.Message.Content != "/ask: q" {
		t.Errorf("answer %q", cb.Message.Content)
	}
}

func TestHTTPMetrics(t *testing.T) {
	env := newHTTPEnv(t, httpEcho, httpEnvOptions{})
	for range 3 {
		env.send(discordtest.Slash("ask", discordtest.String("question", "q")))
	}
	env.send(discordtest.Autocomplete("entry", discordtest.Focused("name", "a")))
	env.send(discordtest.Button("/entry/aid/page/3", &discordgo.Message{ID: "1100000000000000903"}))
	env.metrics.ObserveAnswer(knowledge.Answer{Answered: true})
	env.metrics.ObserveAnswer(knowledge.Answer{Answered: false})

	m := env.scrape()
	want := map[string]float64{
		`footnote_interactions_total{command="ask",kind="command",outcome="ok"}`:          3,
		`footnote_interactions_total{command="entry",kind="autocomplete",outcome="ok"}`:   1,
		`footnote_interactions_total{command="/entry",kind="component",outcome="ok"}`:     1,
		`footnote_answer_duration_seconds_count{command="ask",kind="command"}`:            3,
		`footnote_answer_duration_seconds_bucket{command="ask",kind="command",le="+Inf"}`: 3,
		`footnote_answer_duration_seconds_count{command="/entry",kind="component"}`:       1,
		`footnote_abstentions_total`: 1,
		`footnote_answers_total`:     2,
		`footnote_corpus_entries`:    3,
		`footnote_corpus_sentences`:  42,
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if _, ok := m["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// TestHTTPMetricsClosedLabels sends many distinct command names and custom
// ids: the metrics must count them all under "other", not grow a series
// for each.
func TestHTTPMetricsClosedLabels(t *testing.T) {
	env := newHTTPEnv(t, httpEcho, httpEnvOptions{quiet: true})
	size := func() int {
		_, body := env.get("/metrics")
		return len(body)
	}
	env.send(discordtest.Slash("ask", discordtest.String("question", "q")))
	env.send(discordtest.Slash("first-unknown"))
	env.send(discordtest.Button("/first-unknown", &discordgo.Message{ID: "1100000000000000903"}))
	before := size()
	const n = 300
	for k := 1; k < n; k++ {
		env.send(discordtest.Slash(fmt.Sprintf("cmd%d", k)))
		env.send(discordtest.Button(fmt.Sprintf("/route%d/x", k), &discordgo.Message{ID: "1100000000000000903"}))
	}
	// The counters' values grow by a few digits; the series must not.
	if after := size(); after > before+2000 {
		t.Errorf("/metrics grew from %d to %d bytes with %d distinct names", before, after, 2*n)
	}
	m := env.scrape()
	if got := m[`footnote_interactions_total{command="other",kind="command",outcome="ok"}`]; got != n {
		t.Errorf("unknown commands counted %v times as other, want %d", got, n)
	}
	if got := m[`footnote_interactions_total{command="other",kind="component",outcome="ok"}`]; got != n {
		t.Errorf("unknown components counted %v times as other, want %d", got, n)
	}
}

// TestHTTPLogsClipUserStrings sends a 100,000-character custom id and
// command name: the log lines about them must stay short.
func TestHTTPLogsClipUserStrings(t *testing.T) {
	fixed := func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		if i.Type == discordgo.InteractionMessageComponent {
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{Content: "ok"}}
		}
		return httpMessage("ok")
	}
	env := newHTTPEnv(t, fixed, httpEnvOptions{})
	long := strings.Repeat("x", 100_000)
	env.send(discordtest.Button("/entry/"+long, &discordgo.Message{ID: "1100000000000000903"}))
	env.send(discordtest.Slash(long))
	logs := env.logs.String()
	if strings.Contains(logs, strings.Repeat("x", 1000)) {
		t.Errorf("a user-supplied string was logged in full (%d bytes of logs)", len(logs))
	}
	if !strings.Contains(logs, "bytes]") {
		t.Errorf("no clipped value in the logs:\n%s", logs)
	}
}

func TestHTTPGracefulShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	env := newHTTPEnv(t, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		close(entered)
		<-release
		return httpEcho(ctx, i)
	}, httpEnvOptions{})
	type result struct {
		status int
		body   []byte
	}
	got := make(chan result, 1)
	body := []byte(`{"id":"1100000000000000001","application_id":"1","type":2,"token":"tok","data":{"name":"ask","type":1,"options":[{"name":"question","type":3,"value":"in flight"}]}}`)
	req := env.signed(body, time.Now())
	go func() {
		resp, err := env.client.Do(req)
		if err != nil {
			got <- result{status: -1, body: []byte(err.Error())}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{resp.StatusCode, b}
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- env.stop() }()
	// The server stops accepting new connections while it drains.
	waitClosed(t, strings.TrimPrefix(env.url, "http://"))
	select {
	case err := <-stopped:
		t.Fatalf("shutdown finished before the in-flight request: %v", err)
	default:
	}
	close(release)
	r := <-got
	if r.status != http.StatusOK || !bytes.Contains(r.body, []byte("in flight")) {
		t.Fatalf("in-flight request got %d %s", r.status, r.body)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// waitClosed waits until addr refuses connections.
func waitClosed(t *testing.T, addr string) {
	t.Helper()
	for k := 0; ; k++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		if k > 10000 {
			t.Fatal("listener still open")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestHTTPNewInteractionsHandlerChecks(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := NewInteractionsHandler(HTTPOptions{Handler: httpHandlerFunc(httpEcho)}); err == nil {
		t.Error("no key accepted")
	}
	if _, err := NewInteractionsHandler(HTTPOptions{PublicKey: pub}); err == nil {
		t.Error("no handler accepted")
	}
}

func TestHTTPWantsEphemeral(t *testing.T) {
	tests := []struct {
		name string
		in   *discordgo.Interaction
		want bool
	}{
		{"public command", discordtest.Slash("ask"), false},
		{"private command", discordtest.Slash("ask", discordtest.Bool("private", true)), true},
		{"private false", discordtest.Slash("ask", discordtest.Bool("private", false)), false},
		{"private as a string", discordtest.Slash("ask", discordtest.String("private", "true")), false},
		{"message command", discordtest.MessageCommand("Find sources", "1", "claim"), true},
		{"button", discordtest.Button("/entry/x", nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := httpWantsEphemeral(tt.in); got != tt.want {
				t.Errorf("ephemeral %v, want %v", got, tt.want)
			}
		})
	}
}

var errHTTPTest = errors.New("test")

// httpFailingFollowups fails every webhook call.
type httpFailingFollowups struct{}

func (httpFailingFollowups) EditOriginal(context.Context, *discordgo.Interaction, *discordgo.WebhookEdit) error {
	return errHTTPTest
}
func (httpFailingFollowups) Followup(context.Context, *discordgo.Interaction, *discordgo.WebhookParams) error {
	return errHTTPTest
}
func (httpFailingFollowups) DeleteOriginal(context.Context, *discordgo.Interaction) error {
	return errHTTPTest
}

func TestHTTPFollowupFailureIsCounted(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	release := make(chan struct{})
	m := NewMetrics(nil)
	logs := new(httpSyncBuffer)
	ih, err := NewInteractionsHandler(HTTPOptions{
		PublicKey: pub, Metrics: m, Webhooks: httpFailingFollowups{}, DeferAfter: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Labels: &MetricLabels{Commands: []string{"ask"}},
		Handler: httpHandlerFunc(func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
			<-release
			return httpMessage("late")
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"1","application_id":"1","type":2,"token":"secret-token","data":{"name":"ask","type":1}}`)
	req, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, SignInteraction(priv, ts, body))
	rec := httptest.NewRecorder()
	ih.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"type":5`) {
		t.Fatalf("answered %s, want a deferral", rec.Body.String())
	}
	close(release)
	if err := ih.Drain(httpCtx(t)); err != nil {
		t.Fatal(err)
	}
	out := httptest.NewRecorder()
	m.Handler().ServeHTTP(out, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(out.Body.String(), `footnote_interactions_total{command="ask",kind="command",outcome="followup_failed"} 1`) {
		t.Errorf("failed follow-up not counted:\n%s", out.Body.String())
	}
	if strings.Contains(logs.String(), "secret-token") {
		t.Error("the interaction token reached the log")
	}
	if !strings.Contains(logs.String(), "answering failed") {
		t.Errorf("failure not logged: %s", logs.String())
	}
}
