package bot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/footnote-bot/footnote/internal/admit"
	"github.com/footnote-bot/footnote/store"
	"github.com/joho/godotenv"
)

// Environment variables of the bot (the HTTP transport adds its own).
const (
	EnvToken        = "DISCORD_TOKEN"
	EnvAppID        = "DISCORD_APP_ID"
	EnvGuildID      = "DISCORD_GUILD_ID"
	EnvKnowledgeDir = "KNOWLEDGE_DIR"
	EnvLogLevel     = "LOG_LEVEL"
	EnvShardID      = "SHARD_ID"
	EnvShardCount   = "SHARD_COUNT"
	EnvAPIURL       = "DISCORD_API_URL"

	EnvDatabaseURL      = "DATABASE_URL"
	EnvKnowledgeWatch   = "KNOWLEDGE_WATCH"
	EnvGuildIndexMemory = "GUILD_INDEX_MEMORY"
	EnvUploadMax        = "CORPUS_UPLOAD_MAX"
	EnvGuildCorpusMax   = "GUILD_CORPUS_MAX"

	EnvAnswerWorkers   = "ANSWER_WORKERS"
	EnvAnswerQueue     = "ANSWER_QUEUE"
	EnvAnswerQueueWait = "ANSWER_QUEUE_WAIT"
	EnvUserRate        = "USER_RATE"
	EnvGuildRate       = "GUILD_RATE"
)

// Defaults of the admission of costly interactions (AdmissionConfig).
var (
	// DefaultAnswerQueue is the most costly interactions that may wait
	// for a worker. A waiting one holds a few kilobytes (no answer work
	// has started), so the bound is on goroutines, not memory; the wait
	// is bounded by DefaultAnswerQueueWait.
	DefaultAnswerQueue = 256
	// DefaultAnswerQueueWait is the longest expected wait for a worker:
	// an interaction whose turn would come later, at the recent pace of
	// the answers, is told at once to try again.
	DefaultAnswerQueueWait = 10 * time.Second
	// DefaultUserRate and DefaultGuildRate are the token buckets of each
	// user and each server for costly interactions.
	DefaultUserRate  = admit.Rate{N: 10, Per: time.Minute}
	DefaultGuildRate = admit.Rate{N: 120, Per: time.Minute}
)

// AdmissionConfig bounds the costly interactions (/ask, /search, Find
// sources): how many run at once, how many wait, and how often each user
// and each server may ask. See Admission.
type AdmissionConfig struct {
	// Workers run costly interactions; 0 means GOMAXPROCS (one per core
	// the process may use: the work is all computation).
	Workers int
	// Queue is how many more may wait for a worker; 0 means
	// DefaultAnswerQueue. QueueWait is the longest expected wait for a
	// worker (see admit.Pool); 0 means DefaultAnswerQueueWait.
	Queue     int
	QueueWait time.Duration
	// UserRate and GuildRate are the token buckets per user and per
	// server; the zero Rate is no limit.
	UserRate, GuildRate admit.Rate
}

func (c AdmissionConfig) withDefaults() AdmissionConfig {
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Queue <= 0 {
		c.Queue = DefaultAnswerQueue
	}
	if c.QueueWait <= 0 {
		c.QueueWait = DefaultAnswerQueueWait
	}
	return c
}

// Config is the bot's configuration, read from the environment.
//
// Its String and LogValue methods never show the token, so a Config may be
// printed or logged whole.
type Config struct {
	// Token is the bot token, without the "Bot " prefix. It is required
	// to connect (see RequireToken) but not to load or dry-run.
	Token string
	// AppID is the application id; when empty it is taken from READY.
	AppID string
	// GuildID, when set, registers the commands in that guild only
	// (instantly, for development) instead of globally.
	GuildID string
	// KnowledgeDir is the corpus directory; "" means the embedded seeds.
	KnowledgeDir string
	// LogLevel is the minimum level logged.
	LogLevel slog.Level
	// ShardID and ShardCount select this process's shard; the default is
	// shard 0 of 1.
	ShardID    int
	ShardCount int
	// APIURL is a base URL that replaces https://discord.com for every REST
	// call (a rate-limit proxy, or a fake Discord in tests); "" means
	// Discord itself. It has no trailing slash.
	APIURL string
	// Admission bounds the costly interactions of either transport.
	Admission AdmissionConfig
	// State is where Footnote keeps what lasts, and how the corpora change.
	State StateConfig
}

// StateConfig is the store and the living corpora. Zero values mean the
// defaults.
type StateConfig struct {
	// DatabaseURL is the store: "" for footnote.db in the working
	// directory, a path for another SQLite file, postgres://... for
	// PostgreSQL. It may hold a password: never log it as is.
	DatabaseURL string
	// NoWatch turns off the watch of KnowledgeDir (KNOWLEDGE_WATCH=off):
	// SIGHUP still reloads.
	NoWatch bool
	// GuildIndexMemory is the memory budget of the per-server indexes.
	GuildIndexMemory int64
	// UploadMax is the largest attachment /corpus add takes.
	UploadMax int64
	// GuildCorpusMax is the most one server's own corpus may hold.
	GuildCorpusMax int64
}

// ConfigError is a configuration problem with one environment variable. Its
// message is one line and never contains the variable's value when that
// value is secret.
type ConfigError struct {
	Var     string
	Problem string
}

func (e *ConfigError) Error() string { return e.Var + " " + e.Problem }

// ErrNoToken is what RequireToken returns (wrapped in a *ConfigError) when
// DISCORD_TOKEN is not set.
var ErrNoToken = errors.New("no token")

// RequireToken returns an error naming DISCORD_TOKEN when it is not set.
func (c Config) RequireToken() error {
	if c.Token == "" {
		return &ConfigError{Var: EnvToken, Problem: "is not set: put the bot token from the Discord Developer Portal (Bot page) in the environment or in .env"}
	}
	return nil
}

// API returns the REST base URL in use: APIURL, or https://discord.com.
func (c Config) API() string {
	if c.APIURL != "" {
		return c.APIURL
	}
	return DefaultAPIBase
}

// String describes the configuration with the token redacted.
func (c Config) String() string {
	a := c.Admission.withDefaults()
	return fmt.Sprintf("Config{Token:%s AppID:%q GuildID:%q KnowledgeDir:%q LogLevel:%s Shard:%d/%d APIURL:%q Admission:{Workers:%d Queue:%d QueueWait:%s UserRate:%s GuildRate:%s} Database:%q}",
		redactToken(c.Token), c.AppID, c.GuildID, c.KnowledgeDir, c.LogLevel, c.ShardID, c.ShardCount, c.APIURL,
		a.Workers, a.Queue, a.QueueWait, a.UserRate, a.GuildRate, c.DatabaseName())
}

// GoString is String, so that %#v does not reveal the token either.
func (c Config) GoString() string { return c.String() }

// LogValue implements slog.LogValuer with the token redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token", redactToken(c.Token)),
		slog.String("app_id", c.AppID),
		slog.String("guild_id", c.GuildID),
		slog.String("knowledge_dir", c.KnowledgeDir),
		slog.String("log_level", c.LogLevel.String()),
		slog.Int("shard_id", c.ShardID),
		slog.Int("shard_count", c.ShardCount),
		slog.String("api_url", c.API()),
		slog.Group("admission",
			slog.Int("workers", c.Admission.withDefaults().Workers),
			slog.Int("queue", c.Admission.withDefaults().Queue),
			slog.Duration("queue_wait", c.Admission.withDefaults().QueueWait),
			slog.String("user_rate", c.Admission.UserRate.String()),
			slog.String("guild_rate", c.Admission.GuildRate.String())),
		slog.String("database", c.DatabaseName()),
		slog.Bool("knowledge_watch", !c.State.NoWatch),
	)
}

// String describes the state configuration with the database password
// hidden, so that it may be printed or logged whole.
func (st StateConfig) String() string {
	return fmt.Sprintf("StateConfig{Database:%q Watch:%v GuildIndexMemory:%d UploadMax:%d GuildCorpusMax:%d}",
		Config{State: st}.DatabaseName(), !st.NoWatch, st.GuildIndexMemory, st.UploadMax, st.GuildCorpusMax)
}

// GoString is String, for %#v.
func (st StateConfig) GoString() string { return st.String() }

// LogValue implements slog.LogValuer with the password hidden.
func (st StateConfig) LogValue() slog.Value { return slog.StringValue(st.String()) }

// DatabaseName describes the store for logs: the SQLite file, or the
// PostgreSQL URL with its password hidden.
func (c Config) DatabaseName() string {
	loc, err := store.ParseLocation(c.State.DatabaseURL)
	if err != nil {
		return "(invalid)"
	}
	return loc.Redacted()
}

func redactToken(tok string) string {
	if tok == "" {
		return "(unset)"
	}
	return "(redacted)"
}

// tokenShape is a bot token: three base64url parts separated by dots (user
// id, timestamp, HMAC).
var tokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$`)

// snowflake is a Discord id.
var snowflake = regexp.MustCompile(`^[0-9]{15,21}$`)

// LoadConfig reads the configuration through getenv (os.Getenv, or the
// lookup WithDotEnv returns) and checks every value. A missing token is not
// an error here (a dry run needs none); see RequireToken.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := Config{ShardCount: 1, LogLevel: slog.LevelInfo}

	if tok := get(EnvToken); tok != "" {
		tok = strings.TrimPrefix(tok, "Bot ")
		if !tokenShape.MatchString(tok) {
			// Never echo the value: it may be a real token, slightly off.
			return Config{}, &ConfigError{Var: EnvToken, Problem: "is malformed: want the bot token from the Developer Portal's Bot page (three dot-separated parts, no spaces or quotes)"}
		}
		c.Token = tok
	}
	for _, v := range []struct {
		name string
		dst  *string
	}{{EnvAppID, &c.AppID}, {EnvGuildID, &c.GuildID}} {
		s := get(v.name)
		if s != "" && !snowflake.MatchString(s) {
			return Config{}, &ConfigError{Var: v.name, Problem: fmt.Sprintf("is %q: want a numeric Discord id (Developer Mode > Copy ID)", s)}
		}
		*v.dst = s
	}
	c.KnowledgeDir = get(EnvKnowledgeDir)

	if s := get(EnvLogLevel); s != "" {
		lvl, ok := parseLevel(s)
		if !ok {
			return Config{}, &ConfigError{Var: EnvLogLevel, Problem: fmt.Sprintf("is %q: want debug, info, warn or error", s)}
		}
		c.LogLevel = lvl
	}

	id, count := get(EnvShardID), get(EnvShardCount)
	switch {
	case id == "" && count == "":
	case id == "":
		return Config{}, &ConfigError{Var: EnvShardID, Problem: "is not set but " + EnvShardCount + " is: set both or neither"}
	case count == "":
		return Config{}, &ConfigError{Var: EnvShardCount, Problem: "is not set but " + EnvShardID + " is: set both or neither"}
	default:
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 {
			return Config{}, &ConfigError{Var: EnvShardCount, Problem: fmt.Sprintf("is %q: want a whole number >= 1", count)}
		}
		k, err := strconv.Atoi(id)
		if err != nil || k < 0 || k >= n {
			return Config{}, &ConfigError{Var: EnvShardID, Problem: fmt.Sprintf("is %q: want a whole number from 0 to %s-1 (%d)", id, EnvShardCount, n-1)}
		}
		c.ShardID, c.ShardCount = k, n
	}

	if err := loadAdmission(get, &c.Admission); err != nil {
		return Config{}, err
	}
	if err := loadState(get, &c.State); err != nil {
		return Config{}, err
	}

	if s := get(EnvAPIURL); s != "" {
		base, err := parseAPIBase(s)
		if err != nil {
			return Config{}, &ConfigError{Var: EnvAPIURL, Problem: err.Error()}
		}
		c.APIURL = base
	}
	return c, nil
}

// loadAdmission reads the admission limits; unset variables keep the
// defaults.
func loadAdmission(get func(string) string, a *AdmissionConfig) error {
	a.UserRate, a.GuildRate = DefaultUserRate, DefaultGuildRate
	for _, v := range []struct {
		name string
		dst  *int
	}{{EnvAnswerWorkers, &a.Workers}, {EnvAnswerQueue, &a.Queue}} {
		s := get(v.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100_000 {
			return &ConfigError{Var: v.name, Problem: fmt.Sprintf("is %q: want a whole number from 1 to 100000", s)}
		}
		*v.dst = n
	}
	if s := get(EnvAnswerQueueWait); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d > 10*time.Minute {
			return &ConfigError{Var: EnvAnswerQueueWait, Problem: fmt.Sprintf("is %q: want a duration such as 10s, at most 10m", s)}
		}
		a.QueueWait = d
	}
	for _, v := range []struct {
		name string
		dst  *admit.Rate
	}{{EnvUserRate, &a.UserRate}, {EnvGuildRate, &a.GuildRate}} {
		s := get(v.name)
		if s == "" {
			continue
		}
		r, err := admit.ParseRate(s)
		if err != nil {
			return &ConfigError{Var: v.name, Problem: fmt.Sprintf("is %q: want N/UNIT such as 10/min, 2/s or 5/30s, or off", s)}
		}
		*v.dst = r
	}
	return nil
}

// loadState reads the store and living-corpus settings.
func loadState(get func(string) string, st *StateConfig) error {
	if s := get(EnvDatabaseURL); s != "" {
		if _, err := store.ParseLocation(s); err != nil {
			// The value may hold a password: never repeat it.
			return &ConfigError{Var: EnvDatabaseURL, Problem: strings.TrimPrefix(err.Error(), "DATABASE_URL ")}
		}
		st.DatabaseURL = s
	}
	switch strings.ToLower(get(EnvKnowledgeWatch)) {
	case "", "on", "true", "1", "yes":
	case "off", "false", "0", "no":
		st.NoWatch = true
	default:
		return &ConfigError{Var: EnvKnowledgeWatch, Problem: fmt.Sprintf("is %q: want on or off", get(EnvKnowledgeWatch))}
	}
	for _, v := range []struct {
		name     string
		dst      *int64
		min, max int64
	}{
		{EnvGuildIndexMemory, &st.GuildIndexMemory, 1 << 20, 1 << 40},
		{EnvUploadMax, &st.UploadMax, 1 << 10, 100 << 20},
		{EnvGuildCorpusMax, &st.GuildCorpusMax, 1 << 10, 4 << 30},
	} {
		s := get(v.name)
		if s == "" {
			continue
		}
		n, err := ParseSize(s)
		if err != nil || n < v.min || n > v.max {
			return &ConfigError{Var: v.name, Problem: fmt.Sprintf("is %q: want a size such as 256MiB, from %s to %s", s, sizeText(v.min), sizeText(v.max))}
		}
		*v.dst = n
	}
	return nil
}

// ParseSize reads a size in bytes: a number, or a number with a unit (B,
// KB, MB, GB: powers of 1000; KiB, MiB, GiB: powers of 1024).
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') {
		i--
	}
	num, unit := strings.TrimSpace(s[:i]), strings.ToLower(strings.TrimSpace(s[i:]))
	mult := map[string]int64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if mult == 0 || err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return n * mult, nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return 0, false
}

// parseAPIBase checks a DISCORD_API_URL value and returns it without a
// trailing slash. The error does not repeat the value when it carries
// credentials.
func parseAPIBase(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", errors.New("is not a URL: want a base URL such as http://127.0.0.1:8080")
	}
	if u.User != nil {
		return "", errors.New("contains credentials: put them in the proxy's configuration, not in the URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("is %q: want an http or https base URL such as http://127.0.0.1:8080", s)
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("is %q: want scheme, host and an optional path prefix, without query or fragment", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// WithDotEnv returns a lookup that reads getenv first and falls back to the
// .env file at path. A variable set (non-empty) in the real environment
// wins; a missing file is not an error. The error for a file that cannot be
// parsed names the file but quotes none of it, since it may hold a token.
func WithDotEnv(path string, getenv func(string) string) (func(string) string, error) {
	vals, err := godotenv.Read(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return getenv, nil
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("reading %s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("reading %s: the file is not in KEY=value form (check quotes and line breaks)", path)
	}
	return func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return vals[name]
	}, nil
}

// NewLogger returns the text logger serve uses, at cfg's level.
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
