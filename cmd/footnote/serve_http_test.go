package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/internal/discordspec"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

var serveHTTPAddrLine = regexp.MustCompile(`msg="serving (interactions over HTTP|operations)" addr=(\S+)`)

// serveHTTPStart runs `footnote serve` with args until the test ends and
// returns the addresses it logged (interactions, then operations if any).
func serveHTTPStart(t *testing.T, vars map[string]string, wantAddrs int, args ...string) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &registerBuffer{}, &registerBuffer{}
	env := &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: testGetenv(vars)}
	done := make(chan int, 1)
	go func() { done <- run(ctx, env, append([]string{"serve"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d after SIGTERM-like cancellation: %s", code, stderr)
		}
		if !strings.Contains(stderr.String(), "shutting down the HTTP transport") {
			t.Errorf("no graceful shutdown logged:\n%s", stderr)
		}
	})
	for k := 0; ; k++ {
		m := serveHTTPAddrLine.FindAllStringSubmatch(stderr.String(), -1)
		if len(m) >= wantAddrs {
			var addrs []string
			for _, x := range m {
				addrs = append(addrs, x[2])
			}
			return addrs
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, stderr)
		case <-time.After(5 * time.Millisecond):
		}
		if k > 12000 {
			t.Fatalf("serve never listened: %s", stderr)
		}
	}
}

// serveHTTPWaitReady waits until base/readyz answers 200: the corpus is
// loaded after the listener opens.
func serveHTTPWaitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz never answered 200 (last: %v)", base, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func serveHTTPKey(t *testing.T) (string, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(pub), priv
}

func serveHTTPPost(t *testing.T, url string, priv ed25519.PrivateKey, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set(bot.HeaderTimestamp, ts)
	req.Header.Set(bot.HeaderSignature, bot.SignInteraction(priv, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// An answer in the HTTP response is a callback body: Discord's schema
	// of one applies.
	if resp.StatusCode == http.StatusOK {
		if err := discordspec.Validate(http.MethodPost, discordspec.RouteCallback, b); err != nil {
			t.Errorf("Discord would refuse the answer: %v\n%s", err, b)
		}
	}
	return resp.StatusCode, b
}

func serveHTTPGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHTTP(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	pub, priv := serveHTTPKey(t)
	vars := map[string]string{bot.EnvPublicKey: pub, bot.EnvAPIURL: fake.URL}
	addr := serveHTTPStart(t, vars, 1, "--http", "127.0.0.1:0")[0]
	base := "http://" + addr
	serveHTTPWaitReady(t, base)

	status, body := serveHTTPPost(t, base+"/", priv, []byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`))
	if status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Fatalf("PING: %d %s", status, body)
	}
	ask := discordtest.Slash("ask", discordtest.String("question", "What aid did the Soviet Union give?"))
	ask.ID, ask.AppID, ask.Token = "1100000000000000001", fake.AppID, "tok"
	raw, _ := json.Marshal(ask)
	status, body = serveHTTPPost(t, base+"/interactions", priv, raw)
	// Only the type: discordgo cannot decode the components of a response.
	var resp struct {
		Type discordgo.InteractionResponseType
	}
	if status != http.StatusOK || json.Unmarshal(body, &resp) != nil || resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Fatalf("/ask: %d %s", status, body)
	}
	if !strings.Contains(string(body), "Soviet") {
		t.Errorf("/ask answer lacks the fact: %s", body)
	}
	if status, _ := serveHTTPPost(t, base+"/", ed25519.NewKeyFromSeed(make([]byte, 32)), raw); status != http.StatusUnauthorized {
		t.Errorf("forged request: HTTP %d", status)
	}
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "footnote_corpus_entries 1"} {
		if status, body := serveHTTPGet(t, base+path); status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %q in:\n%.400s", path, status, want, body)
		}
	}
	if _, body := serveHTTPGet(t, base+"/metrics"); !strings.Contains(body, `footnote_interactions_total{command="ask",kind="command",outcome="ok"} 1`) {
		t.Errorf("/ask not counted")
	}
}

func TestServeHTTPFromEnvironmentWithAdmin(t *testing.T) {
	pub, priv := serveHTTPKey(t)
	vars := map[string]string{bot.EnvPublicKey: pub, bot.EnvInteractionsAddr: "127.0.0.1:0", bot.EnvAdminAddr: "127.0.0.1:0"}
	addrs := serveHTTPStart(t, vars, 2)
	if addrs[0] == addrs[1] {
		t.Fatalf("one address for both: %v", addrs)
	}
	serveHTTPWaitReady(t, "http://"+addrs[1])
	if status, _ := serveHTTPGet(t, "http://"+addrs[1]+"/readyz"); status != http.StatusOK {
		t.Errorf("admin /readyz: %d", status)
	}
	if status, _ := serveHTTPGet(t, "http://"+addrs[0]+"/readyz"); status != http.StatusMethodNotAllowed {
		t.Errorf("interactions listener serves /readyz: %d", status)
	}
	if status, _ := serveHTTPPost(t, "http://"+addrs[0]+"/", priv, []byte(`{"type":1}`)); status != http.StatusOK {
		t.Errorf("PING: %d", status)
	}
}

func TestServeHTTPConfigErrors(t *testing.T) {
	pub, _ := serveHTTPKey(t)
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"no key", nil, []string{"--http", "127.0.0.1:0"}, "DISCORD_PUBLIC_KEY is required"},
		{"malformed key", map[string]string{bot.EnvPublicKey: "abc"}, []string{"--http", "127.0.0.1:0"}, "DISCORD_PUBLIC_KEY is not valid hex"},
		{"short key", map[string]string{bot.EnvPublicKey: pub[:10]}, []string{"--http", "127.0.0.1:0"}, "must be 64 hex digits"},
		{"bad address", map[string]string{bot.EnvPublicKey: pub}, []string{"--http", "localhost"}, "not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := registerRun(registerCtx(t), tt.vars, append([]string{"serve"}, tt.args...)...)
			msg := strings.TrimSpace(stderr.String())
			if code != 1 || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine") {
				t.Errorf("exit %d, stderr %q; want 1 and one line with %q", code, msg, tt.want)
			}
		})
	}
}
