package bot

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/internal/admit"
)

const goodToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.ZmFrZS1kaXNjb3JkLXRlc3QtdG9rZW4"

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	da := AdmissionConfig{UserRate: DefaultUserRate, GuildRate: DefaultGuildRate}
	tests := []struct {
		name    string
		vars    map[string]string
		want    Config
		wantVar string // the variable the error names; "" = no error
	}{
		{name: "empty", vars: nil, want: Config{ShardCount: 1, LogLevel: slog.LevelInfo, Admission: da}},
		{name: "everything", vars: map[string]string{
			EnvToken: goodToken, EnvAppID: "1100000000000000001", EnvGuildID: "1100000000000000100",
			EnvKnowledgeDir: "corpus", EnvLogLevel: "DEBUG", EnvShardID: "1", EnvShardCount: "4",
			EnvAPIURL: "http://127.0.0.1:8080/",
		}, want: Config{Token: goodToken, AppID: "1100000000000000001", GuildID: "1100000000000000100",
			KnowledgeDir: "corpus", LogLevel: slog.LevelDebug, ShardID: 1, ShardCount: 4, APIURL: "http://127.0.0.1:8080", Admission: da}},
		{name: "Bot prefix and spaces trimmed", vars: map[string]string{EnvToken: "  Bot " + goodToken + "\n"},
			want: Config{Token: goodToken, ShardCount: 1, LogLevel: slog.LevelInfo, Admission: da}},
		{name: "proxy with a path prefix", vars: map[string]string{EnvAPIURL: "https://proxy.internal/discord/"},
			want: Config{APIURL: "https://proxy.internal/discord", ShardCount: 1, LogLevel: slog.LevelInfo, Admission: da}},
		{name: "warning level", vars: map[string]string{EnvLogLevel: "warning"}, want: Config{ShardCount: 1, LogLevel: slog.LevelWarn, Admission: da}},
		{name: "admission", vars: map[string]string{EnvAnswerWorkers: "4", EnvAnswerQueue: "16", EnvAnswerQueueWait: "5s", EnvUserRate: "3/30s", EnvGuildRate: "off"},
			want: Config{ShardCount: 1, LogLevel: slog.LevelInfo, Admission: AdmissionConfig{Workers: 4, Queue: 16, QueueWait: 5 * time.Second, UserRate: admit.Rate{N: 3, Per: 30 * time.Second}}}},
		{name: "token without dots", vars: map[string]string{EnvToken: "notatoken"}, wantVar: EnvToken},
		{name: "token with a space", vars: map[string]string{EnvToken: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.ZmFrZS1kaXNj b3JkLXRlc3QtdG9rZW4"}, wantVar: EnvToken},
		{name: "quoted token", vars: map[string]string{EnvToken: `"` + goodToken + `"`}, wantVar: EnvToken},
		{name: "bearer token", vars: map[string]string{EnvToken: "Bearer abcdefghijklmnop"}, wantVar: EnvToken},
		{name: "app id not numeric", vars: map[string]string{EnvAppID: "footnote"}, wantVar: EnvAppID},
		{name: "guild id too short", vars: map[string]string{EnvGuildID: "123"}, wantVar: EnvGuildID},
		{name: "unknown level", vars: map[string]string{EnvLogLevel: "verbose"}, wantVar: EnvLogLevel},
		{name: "shard id alone", vars: map[string]string{EnvShardID: "0"}, wantVar: EnvShardCount},
		{name: "shard count alone", vars: map[string]string{EnvShardCount: "2"}, wantVar: EnvShardID},
		{name: "shard id out of range", vars: map[string]string{EnvShardID: "2", EnvShardCount: "2"}, wantVar: EnvShardID},
		{name: "negative shard id", vars: map[string]string{EnvShardID: "-1", EnvShardCount: "2"}, wantVar: EnvShardID},
		{name: "zero shards", vars: map[string]string{EnvShardID: "0", EnvShardCount: "0"}, wantVar: EnvShardCount},
		{name: "shard count not a number", vars: map[string]string{EnvShardID: "0", EnvShardCount: "two"}, wantVar: EnvShardCount},
		{name: "no workers", vars: map[string]string{EnvAnswerWorkers: "0"}, wantVar: EnvAnswerWorkers},
		{name: "queue not a number", vars: map[string]string{EnvAnswerQueue: "lots"}, wantVar: EnvAnswerQueue},
		{name: "queue wait without unit", vars: map[string]string{EnvAnswerQueueWait: "10"}, wantVar: EnvAnswerQueueWait},
		{name: "user rate malformed", vars: map[string]string{EnvUserRate: "10 per minute"}, wantVar: EnvUserRate},
		{name: "guild rate malformed", vars: map[string]string{EnvGuildRate: "/min"}, wantVar: EnvGuildRate},
		{name: "api url without scheme", vars: map[string]string{EnvAPIURL: "127.0.0.1:8080"}, wantVar: EnvAPIURL},
		{name: "api url websocket", vars: map[string]string{EnvAPIURL: "ws://127.0.0.1:8080"}, wantVar: EnvAPIURL},
		{name: "api url with query", vars: map[string]string{EnvAPIURL: "http://127.0.0.1:8080/?x=1"}, wantVar: EnvAPIURL},
		{name: "api url with credentials", vars: map[string]string{EnvAPIURL: "http://user:hunter2@127.0.0.1:8080"}, wantVar: EnvAPIURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := LoadConfig(env(tt.vars))
			if tt.wantVar == "" {
				if err != nil {
					t.Fatalf("LoadConfig: %v", err)
				}
				if got != tt.want {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
				if got.Token != tt.want.Token {
					t.Error("token differs") // String redacts it
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Var != tt.wantVar {
				t.Fatalf("LoadConfig error = %v, want one naming %s", err, tt.wantVar)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.wantVar+" ") || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line starting with the variable", msg)
			}
			if tok := tt.vars[EnvToken]; tok != "" && strings.Contains(msg, strings.TrimSpace(tok)) {
				t.Errorf("error %q echoes the token", msg)
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q echoes credentials", msg)
			}
		})
	}
}

func TestRequireToken(t *testing.T) {
	t.Parallel()
	err := Config{}.RequireToken()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Var != EnvToken || strings.Contains(err.Error(), "\n") {
		t.Errorf("RequireToken = %v", err)
	}
	if err := (Config{Token: goodToken}).RequireToken(); err != nil {
		t.Errorf("RequireToken with a token = %v", err)
	}
	if _, err := NewSession(Config{ShardCount: 1}); !errors.As(err, &ce) {
		t.Errorf("NewSession without a token = %v", err)
	}
}

func TestConfigNeverShowsTheToken(t *testing.T) {
	t.Parallel()
	c := Config{Token: goodToken, AppID: "1100000000000000001", ShardCount: 1}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "config", c)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "config", c)
	out := logs.String() + fmt.Sprint(c) + fmt.Sprintf("%v %+v %#v %s", c, c, c, c)
	if strings.Contains(out, goodToken) || strings.Contains(out, "ZmFrZQ") {
		t.Errorf("the token shows:\n%s", out)
	}
	if !strings.Contains(out, "1100000000000000001") || !strings.Contains(out, "(redacted)") {
		t.Errorf("the rest of the config does not show:\n%s", out)
	}
	if strings.Contains(Config{}.String(), "(redacted)") {
		t.Error("an unset token shows as redacted")
	}
}

func TestWithDotEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, ".env")
	content := "# comment\nDISCORD_TOKEN=" + goodToken + "\nDISCORD_GUILD_ID=1100000000000000100\nLOG_LEVEL=debug\nexport KNOWLEDGE_DIR='my corpus'\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	real := map[string]string{EnvLogLevel: "error", EnvGuildID: ""}
	getenv, err := WithDotEnv(path, env(real))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token != goodToken || cfg.GuildID != "1100000000000000100" || cfg.KnowledgeDir != "my corpus" {
		t.Errorf(".env values not read: %s", cfg)
	}
	if cfg.LogLevel != slog.LevelError {
		t.Errorf("LogLevel = %s: the real environment should win over .env", cfg.LogLevel)
	}

	// A missing file is fine.
	getenv, err = WithDotEnv(filepath.Join(dir, "missing.env"), env(real))
	if err != nil || getenv(EnvLogLevel) != "error" {
		t.Errorf("missing .env: %v", err)
	}

	// A broken file is an error that quotes none of it.
	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(bad, []byte("DISCORD_TOKEN=\""+goodToken+"\nOTHER=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := WithDotEnv(bad, env(nil)); err == nil || strings.Contains(err.Error(), goodToken) {
		t.Errorf("broken .env: err = %v", err)
	}
	// A directory in the way is reported.
	if _, err := WithDotEnv(dir, env(nil)); err == nil {
		t.Error("reading a directory as .env: no error")
	}
}

// TestEnvExample checks that .env.example documents every variable and
// loads as a valid configuration as it stands.
func TestEnvExample(t *testing.T) {
	t.Parallel()
	const path = "../.env.example"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{EnvToken, EnvAppID, EnvGuildID, EnvKnowledgeDir, EnvLogLevel, EnvShardID, EnvShardCount,
		EnvAPIURL, EnvInteractionsAddr, EnvPublicKey, EnvAdminAddr,
		EnvAnswerWorkers, EnvAnswerQueue, EnvAnswerQueueWait, EnvUserRate, EnvGuildRate,
		EnvDatabaseURL, EnvKnowledgeWatch, EnvGuildIndexMemory, EnvUploadMax, EnvGuildCorpusMax} {
		if !bytes.Contains(raw, []byte("\n"+name+"=")) {
			t.Errorf("%s does not document %s", path, name)
		}
	}
	getenv, err := WithDotEnv(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		t.Fatalf("%s does not load: %v", path, err)
	}
	if cfg.Token != "" {
		t.Error(".env.example holds a token")
	}
}

func TestLoadStateConfig(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(env(map[string]string{EnvDatabaseURL: "postgres://footnote:Sup3rS3cret@db:5432/footnote", EnvKnowledgeWatch: "off",
		EnvGuildIndexMemory: "512MiB", EnvUploadMax: "4MB", EnvGuildCorpusMax: "1GiB"}))
	if err != nil {
		t.Fatal(err)
	}
	want := StateConfig{DatabaseURL: "postgres://footnote:Sup3rS3cret@db:5432/footnote", NoWatch: true, GuildIndexMemory: 512 << 20, UploadMax: 4e6, GuildCorpusMax: 1 << 30}
	if cfg.State != want {
		t.Fatalf("State = %+v, want %+v", cfg.State, want)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "config", cfg)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("state", "state", cfg.State)
	for _, shown := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v %v %+v %#v", cfg, cfg, cfg, cfg.State, cfg.State, cfg.State), logs.String()} {
		if strings.Contains(shown, "Sup3rS3cret") {
			t.Fatalf("the database password shows: %s", shown)
		}
		if !strings.Contains(shown, "db:5432") {
			t.Errorf("the database is not named: %s", shown)
		}
	}
	for name, vars := range map[string]map[string]string{
		EnvDatabaseURL:      {EnvDatabaseURL: "mysql://root:Sup3rS3cret@db/x"},
		EnvKnowledgeWatch:   {EnvKnowledgeWatch: "sometimes"},
		EnvGuildIndexMemory: {EnvGuildIndexMemory: "lots"},
		EnvUploadMax:        {EnvUploadMax: "1GiB"},
	} {
		_, err := LoadConfig(env(vars))
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Var != name || strings.Contains(err.Error(), "Sup3rS3cret") {
			t.Errorf("%v: error %v", vars, err)
		}
	}
}
