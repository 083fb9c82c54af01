// Package store keeps what Footnote must remember across restarts and share
// between replicas: each server's own corpus (its files, as uploaded), each
// server's settings, a change log that tells every replica which server
// changed so that it can rebuild what it caches, and the study mode's
// answers, scores, review cards and the questions members ask.
//
// One small interface, Store, has two drivers behind it: SQLite (the
// default: a file, through the pure-Go modernc.org/sqlite, so the binary
// stays cgo-free) and PostgreSQL (through pgx), which any number of HTTP
// replicas share. Open picks the driver from DATABASE_URL and applies the
// versioned migrations of that driver before it returns.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Store is everything Footnote remembers. All methods are safe for
// concurrent use; each change is one transaction, recorded in the change
// log in the same transaction.
type Store interface {
	Corpora
	Settings
	Changes
	Study
	Questions
	// Driver names the driver: "sqlite" or "postgres".
	Driver() string
	// Close releases the connections.
	Close() error
}

// Corpora are the servers' own corpora: files of entries (.md, .txt,
// .jsonl) kept byte for byte as uploaded, so that loading them is loading
// a corpus on disk, and exporting them gives back what was added.
type Corpora interface {
	// CorpusFiles returns guild's files, contents included, by name.
	CorpusFiles(ctx context.Context, guild string) ([]File, error)
	// CorpusVersion returns the version of guild's corpus: 0 for a
	// server that never had one, then one more at every change.
	CorpusVersion(ctx context.Context, guild string) (int64, error)
	// ChangeCorpus applies ch to guild's corpus in one transaction, if
	// the corpus is still at version ch.Base (else ErrConflict: another
	// change came first; read again and retry). It returns the new
	// version.
	ChangeCorpus(ctx context.Context, guild string, ch CorpusChange) (int64, error)
}

// File is one file of a server's corpus.
type File struct {
	// Name is the file's path in the server's corpus ("notes/cell.md"):
	// a clean, relative, slash-separated path (fs.ValidPath).
	Name    string
	Content []byte
	// Entries is how many entries the file held when it was added.
	Entries int
	// AddedBy is the id of the member who added it; AddedAt when.
	AddedBy string
	AddedAt time.Time
}

// CorpusChange adds, replaces and deletes files of a server's corpus.
type CorpusChange struct {
	// Base is the version the change was checked against.
	Base int64
	// Put adds these files, replacing those of the same name.
	Put []File
	// Delete removes the files of these names (a missing one is no error).
	Delete []string
}

// Sources says which entries a server answers from.
type Sources string

// The values of Sources.
const (
	SourcesBoth   Sources = "both"   // its own entries and the shared corpus (the default)
	SourcesOwn    Sources = "own"    // its own entries only
	SourcesShared Sources = "shared" // the operator's shared corpus only
)

// Valid reports whether s is one of the three values.
func (s Sources) Valid() bool {
	return s == SourcesBoth || s == SourcesOwn || s == SourcesShared
}

// GuildSettings are a server's settings. The zero value is the default:
// answers in the channel, in every channel, from both corpora, at the
// default confidence threshold.
type GuildSettings struct {
	// Private makes answers private (ephemeral) by default; a member's
	// own private option still wins.
	Private bool
	// Channels are the channels Footnote answers in, sorted; empty means
	// every channel.
	Channels []string
	// Sources says which entries the server answers from; "" is
	// SourcesBoth.
	Sources Sources
	// MinConfidence is the answer confidence threshold in [0, 1]; nil
	// means the answering model's default.
	MinConfidence *float64
	// Version is one more at every change (0: never set).
	Version int64
}

// EffectiveSources is Sources with its default filled in.
func (g GuildSettings) EffectiveSources() Sources {
	if g.Sources == "" {
		return SourcesBoth
	}
	return g.Sources
}

// Settings are the servers' settings.
type Settings interface {
	// GuildSettings returns guild's settings (the defaults for a server
	// that never changed them).
	GuildSettings(ctx context.Context, guild string) (GuildSettings, error)
	// UpdateGuildSettings reads guild's settings, lets update change them,
	// and writes them back, in one transaction; it returns what was
	// written. An error from update aborts the change.
	UpdateGuildSettings(ctx context.Context, guild string, update func(*GuildSettings) error) (GuildSettings, error)
}

// ChangeKind says what changed.
type ChangeKind string

// The kinds of change the log records.
const (
	ChangedCorpus   ChangeKind = "corpus"
	ChangedSettings ChangeKind = "settings"
)

// Change is one entry of the change log.
type Change struct {
	// Seq orders the log: every change has a larger Seq than the ones
	// committed before it.
	Seq   int64
	Guild string
	Kind  ChangeKind
	// Version is the corpus or settings version the change made.
	Version int64
	At      time.Time
}

// Changes is the change log, which replicas follow to learn what another
// replica changed.
type Changes interface {
	// ChangesSince returns the changes after seq, oldest first, at most
	// limit of them.
	ChangesSince(ctx context.Context, seq int64, limit int) ([]Change, error)
	// LastChange returns the Seq of the latest change (0 for none).
	LastChange(ctx context.Context) (int64, error)
	// PruneChanges deletes the changes recorded before t.
	PruneChanges(ctx context.Context, before time.Time) error
}

// Notifier is implemented by drivers that can wake followers as soon as
// another process records a change (PostgreSQL's LISTEN/NOTIFY): each
// value on the channel means "read the log now". Without it, followers
// poll.
type Notifier interface {
	Notifications(ctx context.Context) <-chan struct{}
}

// Errors of the store.
var (
	// ErrConflict: the corpus changed since the version a change was
	// checked against.
	ErrConflict = errors.New("the corpus changed meanwhile")
)

// DefaultSQLitePath is the database used when DATABASE_URL is unset.
const DefaultSQLitePath = "footnote.db"

// Location is where a DATABASE_URL points, parsed.
type Location struct {
	// Driver is "sqlite" or "postgres".
	Driver string
	// DSN is what the driver opens: a file path or file: URI for
	// SQLite, the URL for PostgreSQL.
	DSN string
}

// Redacted describes the location for logs and errors, the password
// hidden.
func (l Location) Redacted() string {
	if l.Driver != "postgres" {
		return l.DSN
	}
	return RedactURL(l.DSN)
}

// RedactURL hides the password of a database URL (and of a password=
// parameter), so that it can be logged.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// ParseLocation reads a DATABASE_URL: "" means DefaultSQLitePath;
// postgres:// and postgresql:// URLs are PostgreSQL; anything else is a
// SQLite file (a path, or a file: URI).
func ParseLocation(s string) (Location, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Location{Driver: "sqlite", DSN: DefaultSQLitePath}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return Location{}, errors.New("is not a PostgreSQL URL: want postgres://USER:PASSWORD@HOST:PORT/DATABASE")
		}
		return Location{Driver: "postgres", DSN: s}, nil
	case strings.Contains(s, "://"):
		scheme, _, _ := strings.Cut(s, "://")
		return Location{}, fmt.Errorf("has the scheme %q: want postgres://... for PostgreSQL, or a file path for SQLite", scheme)
	}
	return Location{Driver: "sqlite", DSN: s}, nil
}

// Open opens the store DATABASE_URL names (see ParseLocation) and applies
// its migrations. Errors name the database with its password hidden.
func Open(ctx context.Context, databaseURL string) (Store, error) {
	loc, err := ParseLocation(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL %w", err)
	}
	switch loc.Driver {
	case "postgres":
		return openPostgres(ctx, loc)
	default:
		return openSQLite(ctx, loc)
	}
}
