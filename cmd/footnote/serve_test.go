package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// serveBuffer is a goroutine-safe output stream.
type serveBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveRun runs footnote with args and the given environment variables
// (nothing else from the real environment).
func serveRun(ctx context.Context, vars map[string]string, args ...string) (code int, stdout, stderr *serveBuffer) {
	stdout, stderr = &serveBuffer{}, &serveBuffer{}
	env := &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: testGetenv(vars)}
	return run(ctx, env, args), stdout, stderr
}

func TestServeDryRun(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := serveRun(context.Background(), nil, "serve", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal([]byte(stdout.String()), &cmds); err != nil {
		t.Fatalf("stdout is not a JSON command list: %v\n%s", err, stdout)
	}
	if !strings.HasPrefix(stdout.String(), "[\n  {") {
		t.Errorf("not indented:\n%.80s", stdout)
	}
	names := map[string]discordgo.ApplicationCommandType{}
	for _, c := range cmds {
		names[c.Name] = c.Type
	}
	for _, want := range []string{"ask", "entry", "related", "search", "random", "about"} {
		if names[want] != discordgo.ChatApplicationCommand {
			t.Errorf("no slash command %q in %v", want, names)
		}
	}
	if names["Find sources"] != discordgo.MessageApplicationCommand {
		t.Errorf("no message command \"Find sources\" in %v", names)
	}
}

func TestServeErrors(t *testing.T) {
	t.Parallel()
	const token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.c2VjcmV0IHNlY3JldCBzZWNyZXQ" // malformed below by a space
	tests := []struct {
		name     string
		vars     map[string]string
		args     []string
		code     int
		contains string
	}{
		{name: "no token", args: []string{"serve"}, code: 1, contains: "DISCORD_TOKEN is not set"},
		{name: "malformed token", vars: map[string]string{"DISCORD_TOKEN": token + " x"}, args: []string{"serve"}, code: 1, contains: "DISCORD_TOKEN is malformed"},
		{name: "malformed token in a dry run", vars: map[string]string{"DISCORD_TOKEN": "oops"}, args: []string{"serve", "--dry-run"}, code: 1, contains: "DISCORD_TOKEN is malformed"},
		{name: "bad log level", vars: map[string]string{"LOG_LEVEL": "loud"}, args: []string{"serve", "--dry-run"}, code: 1, contains: "LOG_LEVEL"},
		{name: "bad shard", vars: map[string]string{"SHARD_ID": "3", "SHARD_COUNT": "2"}, args: []string{"serve", "--dry-run"}, code: 1, contains: "SHARD_ID"},
		{name: "missing knowledge dir", args: []string{"serve", "--dry-run", "--knowledge", "testdata/no-such-dir"}, code: 1, contains: "no-such-dir"},
		{name: "extra argument", args: []string{"serve", "now"}, code: 2, contains: "unexpected argument"},
		{name: "unknown flag", args: []string{"serve", "--shiny"}, code: 2, contains: "shiny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := serveRun(context.Background(), tt.vars, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.contains) {
				t.Errorf("stderr %q lacks %q", stderr, tt.contains)
			}
			if strings.Contains(stderr.String(), "ZmFrZQ") || strings.Contains(stdout.String(), "ZmFrZQ") {
				t.Errorf("the token was printed: %s", stderr)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Errorf("want a one-line error, got:\n%s", stderr)
			}
		})
	}
}

// TestServeAgainstFakeDiscord runs `footnote serve` itself against a fake
// Discord: it registers the command set, answers /ask and exits 0 on
// cancellation (what SIGINT does through main's NotifyContext).
func TestServeAgainstFakeDiscord(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.Options{})
	vars := map[string]string{
		"DISCORD_TOKEN":    fake.Token,
		"DISCORD_API_URL":  fake.URL,
		"DISCORD_GUILD_ID": discordtest.GuildID,
		"LOG_LEVEL":        "debug",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		code           int
		stdout, stderr *serveBuffer
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := serveRun(ctx, vars, "serve")
		done <- result{code, stdout, stderr}
	}()
	guard, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()

	put, err := fake.WaitRequest(guard, discordtest.Match(http.MethodPut, "/api/v9/applications/"+fake.AppID+"/guilds/"+discordtest.GuildID+"/commands"))
	if err != nil {
		t.Fatal(err)
	}
	if put.Status != http.StatusOK || !bytes.Contains(put.Body, []byte(`"name":"ask"`)) {
		t.Errorf("registration: %d %s", put.Status, put.Body)
	}
	if err := fake.WaitHeartbeat(guard, 1); err != nil {
		t.Fatal(err)
	}
	i, err := fake.SendInteraction(discordtest.Slash("ask", discordtest.String("question", "How many films did the Soviets send?")))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := fake.WaitCallback(guard, i)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Message == nil || len(cb.Message.Embeds) == 0 || !strings.Contains(cb.Message.Embeds[0].Description, "308 films") {
		t.Errorf("/ask answered %s", cb.Body)
	}

	cancel()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Errorf("exit %d after cancel; stderr:\n%s", r.code, r.stderr)
		}
		logs := r.stderr.String()
		if strings.Contains(logs, fake.Token) || strings.Contains(logs, "ZmFrZQ") {
			t.Errorf("the token reached the log:\n%s", logs)
		}
		if !strings.Contains(logs, "commands registered") || !strings.Contains(logs, "shutting down") {
			t.Errorf("logs lack the lifecycle:\n%s", logs)
		}
	case <-guard.Done():
		t.Fatal("serve did not exit after cancel")
	}
}
