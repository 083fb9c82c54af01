package main

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// registerBuffer is a goroutine-safe output stream.
type registerBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *registerBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *registerBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// registerRun runs footnote in-process with only vars as its environment.
func registerRun(ctx context.Context, vars map[string]string, args ...string) (int, *registerBuffer, *registerBuffer) {
	stdout, stderr := &registerBuffer{}, &registerBuffer{}
	env := &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: testGetenv(vars)}
	return run(ctx, env, args), stdout, stderr
}

func registerCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestRegisterSubcommand(t *testing.T) {
	want := []string{}
	for _, c := range commands.New(nil, commands.Options{}).Commands() {
		want = append(want, c.Name)
	}
	tests := []struct {
		name      string
		args      []string
		envGuild  string
		wantGuild string
		wantWhere string
	}{
		{"global", nil, "", "", "globally"},
		{"guild flag", []string{"--guild", discordtest.GuildID}, "", discordtest.GuildID, "in guild " + discordtest.GuildID},
		{"guild from the environment", nil, discordtest.GuildID, discordtest.GuildID, "in guild"},
		{"global wins over the environment", []string{"--global"}, discordtest.GuildID, "", "globally"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			vars := map[string]string{bot.EnvToken: fake.Token, bot.EnvAppID: fake.AppID, bot.EnvAPIURL: fake.URL, bot.EnvGuildID: tt.envGuild}
			code, stdout, stderr := registerRun(registerCtx(t), vars, append([]string{"register"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got []string
			for _, c := range fake.Commands(tt.wantGuild) {
				got = append(got, c.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("registered %v, want %v", got, want)
			}
			if !strings.Contains(stdout.String(), tt.wantWhere) || !strings.Contains(stdout.String(), "registered ") {
				t.Errorf("stdout %q, want it to say %q", stdout, tt.wantWhere)
			}
			if strings.Contains(stdout.String()+stderr.String(), fake.Token) {
				t.Error("the token was printed")
			}
			for _, r := range fake.Requests() {
				if r.Method == http.MethodGet && strings.Contains(r.Path, "gateway") {
					t.Errorf("register touched the gateway: %s", r.Path)
				}
			}
		})
	}
}

func TestRegisterSubcommandErrors(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	tests := []struct {
		name string
		vars map[string]string
		args []string
		code int
		want string
	}{
		{"no token", map[string]string{bot.EnvAppID: fake.AppID, bot.EnvAPIURL: fake.URL}, nil, 1, "DISCORD_TOKEN"},
		{"malformed token", map[string]string{bot.EnvToken: "not a token", bot.EnvAPIURL: fake.URL}, nil, 1, "DISCORD_TOKEN is malformed"},
		{"refused token", map[string]string{bot.EnvToken: "MTEwMDAwMDAwMDAwMDAwMDAwMg.d3Jvbmc.d3JvbmctdG9rZW4td3JvbmctdG9rZW4",
			bot.EnvAppID: fake.AppID, bot.EnvAPIURL: fake.URL}, nil, 1, "HTTP 401"},
		{"no app id and no lookup", map[string]string{bot.EnvToken: fake.Token, bot.EnvAPIURL: fake.URL}, nil, 1, "DISCORD_APP_ID"},
		{"both scopes", map[string]string{bot.EnvToken: fake.Token}, []string{"--guild", "1", "--global"}, 2, "exclude"},
		{"stray argument", map[string]string{bot.EnvToken: fake.Token}, []string{"now"}, 2, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := registerRun(registerCtx(t), tt.vars, append([]string{"register"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
			if strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 && tt.code == 1 {
				t.Errorf("error spans lines:\n%s", stderr)
			}
		})
	}
	if len(fake.Commands("")) != 0 {
		t.Error("a failed run registered commands")
	}
}
