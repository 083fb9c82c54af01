package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

// stuckLoad replaces the corpus loader with one that ignores its context
// (as indexing does) and returns the seed index only once released, or
// fail's error when fail is set; started is closed when the load begins.
// The test restores the real loader.
func stuckLoad(t *testing.T, fail error) (release func(), started <-chan struct{}) {
	t.Helper()
	gate, begun := make(chan struct{}), make(chan struct{})
	real := openCorpus
	openCorpus = func(ctx context.Context, dir string, opts knowledge.LoadOptions) (*knowledge.Index, knowledge.LoadReport, error) {
		close(begun)
		<-gate
		if fail != nil {
			return nil, knowledge.LoadReport{}, fail
		}
		return real(context.Background(), dir, opts)
	}
	var once bool
	release = func() {
		if !once {
			once = true
			close(gate)
		}
	}
	t.Cleanup(func() {
		release()
		openCorpus = real
	})
	return release, begun
}

// serveStart starts `footnote serve args...` in-process; cancel plays the
// SIGTERM that main turns into a cancelled context.
func serveStart(t *testing.T, vars map[string]string, args ...string) (cancel func(), done <-chan int, stderr *registerBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &registerBuffer{}
	env := &environment{stdin: strings.NewReader(""), stdout: &registerBuffer{}, stderr: stderr, getenv: testGetenv(vars)}
	exit := make(chan int, 1)
	go func() { exit <- run(ctx, env, append([]string{"serve"}, args...)) }()
	t.Cleanup(cancel)
	return cancel, exit, stderr
}

// waitAddr waits for serve to log the address it listens on.
func waitAddr(t *testing.T, stderr *registerBuffer, done <-chan int) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m := serveHTTPAddrLine.FindStringSubmatch(stderr.String()); m != nil {
			return "http://" + m[2]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("serve never listened: %s", stderr)
	return ""
}

// TestServeHTTPListensWhileLoading: the listener opens before the corpus
// is loaded; /healthz says 200 at once, /readyz and interactions 503 until
// the load ends, then 200.
func TestServeHTTPListensWhileLoading(t *testing.T) {
	release, _ := stuckLoad(t, nil)
	pub, priv := serveHTTPKey(t)
	cancel, done, stderr := serveStart(t, map[string]string{bot.EnvPublicKey: pub}, "--http", "127.0.0.1:0")
	base := waitAddr(t, stderr, done)

	if status, body := serveHTTPGet(t, base+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz while loading: %d %s", status, body)
	}
	if status, body := serveHTTPGet(t, base+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while loading: %d %s", status, body)
	}
	ask := discordtest.Slash("ask", discordtest.String("question", "soviet aid"))
	ask.ID, ask.AppID, ask.Token = "1100000000000000001", "1100000000000000002", "tok"
	raw, _ := json.Marshal(ask)
	if status, body := serveHTTPPost(t, base+"/", priv, raw); status != http.StatusServiceUnavailable {
		t.Errorf("/ask while loading: %d %s", status, body)
	}

	release()
	serveHTTPWaitReady(t, base)
	if status, body := serveHTTPPost(t, base+"/", priv, raw); status != http.StatusOK || !strings.Contains(string(body), "Soviet") {
		t.Errorf("/ask once loaded: %d %s", status, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestServeStopsDuringLoad cancels serve (as SIGTERM does) while a load
// that ignores cancellation is in progress: serve must return at once,
// with 0, in both transports.
func TestServeStopsDuringLoad(t *testing.T) {
	pub, _ := serveHTTPKey(t)
	fake := discordtest.New(t, discordtest.Options{})
	tests := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"http", map[string]string{bot.EnvPublicKey: pub}, []string{"--http", "127.0.0.1:0"}},
		{"gateway", map[string]string{bot.EnvToken: discordtest.DefaultToken, bot.EnvAPIURL: fake.URL}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, started := stuckLoad(t, nil)
			cancel, done, stderr := serveStart(t, tt.vars, tt.args...)
			if tt.args != nil {
				waitAddr(t, stderr, done)
			}
			<-started
			start := time.Now()
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("exit %d: %s", code, stderr)
				}
				if took := time.Since(start); took > 3*time.Second {
					t.Errorf("serve took %v to stop during a load", took)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("serve did not stop during a load: %s", stderr)
			}
			if !strings.Contains(stderr.String(), "stopped while loading") {
				t.Errorf("no log of stopping during the load:\n%s", stderr)
			}
			if fake.Connections() != 0 {
				t.Errorf("the gateway was dialled before the corpus was loaded")
			}
		})
	}
}

// TestServeHTTPLoadFailure: a corpus that fails to load after the listener
// opened stops serve with the load's error.
func TestServeHTTPLoadFailure(t *testing.T) {
	release, _ := stuckLoad(t, errors.New("the corpus disk is gone"))
	pub, _ := serveHTTPKey(t)
	_, done, stderr := serveStart(t, map[string]string{bot.EnvPublicKey: pub}, "--http", "127.0.0.1:0")
	waitAddr(t, stderr, done)
	release()
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(stderr.String(), "the corpus disk is gone") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve went on after its corpus failed to load")
	}
}
