package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between the SQL of the two drivers.
type dialect struct {
	name string
	// numbered placeholders ($1, $2, ...) instead of ?.
	numbered bool
	// lockChanges, when set, runs at the start of every transaction that
	// records a change, so that changes commit in the order of their Seq
	// (PostgreSQL hands out sequence numbers before commit; SQLite has
	// one writer at a time anyway).
	lockChanges string
	// notify, when set, is run after a change is recorded, with its Seq.
	notify string
}

// sqlStore implements Store on database/sql, for both drivers.
type sqlStore struct {
	db *sql.DB
	d  dialect
	// beginWrite starts a transaction that will write.
	beginWrite func(ctx context.Context) (*sql.Tx, error)
	closeExtra func() error
}

func (s *sqlStore) Driver() string { return s.d.name }

func (s *sqlStore) Close() error {
	var errs []error
	if s.closeExtra != nil {
		errs = append(errs, s.closeExtra())
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// q rewrites ? placeholders for the dialect.
func (s *sqlStore) q(query string) string {
	if !s.d.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// inTx runs f in a write transaction, committing when it returns nil.
func (s *sqlStore) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("starting a transaction: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// recordChange appends to the change log, within tx.
func (s *sqlStore) recordChange(ctx context.Context, tx *sql.Tx, guild string, kind ChangeKind, version int64, at time.Time) error {
	var seq int64
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO changes (guild_id, kind, version, at) VALUES (?, ?, ?, ?) RETURNING seq`),
		guild, string(kind), version, millis(at)).Scan(&seq)
	if err != nil {
		return fmt.Errorf("recording the change: %w", err)
	}
	if s.d.notify != "" {
		if _, err := tx.ExecContext(ctx, s.q(s.d.notify), strconv.FormatInt(seq, 10)); err != nil {
			return fmt.Errorf("notifying the change: %w", err)
		}
	}
	return nil
}

func (s *sqlStore) lockChangeLog(ctx context.Context, tx *sql.Tx) error {
	if s.d.lockChanges == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.d.lockChanges); err != nil {
		return fmt.Errorf("locking the change log: %w", err)
	}
	return nil
}

// --- corpora ---------------------------------------------------------------

func (s *sqlStore) CorpusFiles(ctx context.Context, guild string) ([]File, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT name, content, entries, added_by, added_at FROM guild_files WHERE guild_id = ? ORDER BY name`), guild)
	if err != nil {
		return nil, fmt.Errorf("reading the corpus of server %s: %w", guild, err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		var at int64
		if err := rows.Scan(&f.Name, &f.Content, &f.Entries, &f.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("reading the corpus of server %s: %w", guild, err)
		}
		f.AddedAt = fromMillis(at)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the corpus of server %s: %w", guild, err)
	}
	return out, nil
}

func (s *sqlStore) CorpusVersion(ctx context.Context, guild string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT version FROM guild_corpora WHERE guild_id = ?`), guild).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the corpus version of server %s: %w", guild, err)
	}
	return v, nil
}

func (s *sqlStore) ChangeCorpus(ctx context.Context, guild string, ch CorpusChange) (int64, error) {
	for _, f := range ch.Put {
		if f.Name == "" {
			return 0, errors.New("changing a corpus: a file without a name")
		}
	}
	now := time.Now()
	var version int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockChangeLog(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO guild_corpora (guild_id, version, updated_at) VALUES (?, 0, ?) ON CONFLICT (guild_id) DO NOTHING`), guild, millis(now)); err != nil {
			return fmt.Errorf("changing the corpus of server %s: %w", guild, err)
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE guild_corpora SET version = version + 1, updated_at = ? WHERE guild_id = ? AND version = ?`), millis(now), guild, ch.Base)
		if err != nil {
			return fmt.Errorf("changing the corpus of server %s: %w", guild, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("changing the corpus of server %s: %w", guild, err)
		} else if n == 0 {
			return ErrConflict
		}
		version = ch.Base + 1
		for _, name := range ch.Delete {
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM guild_files WHERE guild_id = ? AND name = ?`), guild, name); err != nil {
				return fmt.Errorf("deleting %s from the corpus of server %s: %w", name, guild, err)
			}
		}
		for _, f := range ch.Put {
			at := f.AddedAt
			if at.IsZero() {
				at = now
			}
			content := f.Content
			if content == nil {
				content = []byte{}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO guild_files (guild_id, name, content, size, entries, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (guild_id, name) DO UPDATE SET content = excluded.content, size = excluded.size, entries = excluded.entries, added_by = excluded.added_by, added_at = excluded.added_at`),
				guild, f.Name, content, len(content), f.Entries, f.AddedBy, millis(at))
			if err != nil {
				return fmt.Errorf("adding %s to the corpus of server %s: %w", f.Name, guild, err)
			}
		}
		return s.recordChange(ctx, tx, guild, ChangedCorpus, version, now)
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// --- settings --------------------------------------------------------------

func (s *sqlStore) GuildSettings(ctx context.Context, guild string) (GuildSettings, error) {
	return s.readSettings(ctx, s.db, guild)
}

// querier is what reading needs: the database or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *sqlStore) readSettings(ctx context.Context, db querier, guild string) (GuildSettings, error) {
	var g GuildSettings
	var private int64
	var sources string
	var conf sql.NullFloat64
	err := db.QueryRowContext(ctx, s.q(`SELECT private_answers, sources, min_confidence, version FROM guild_settings WHERE guild_id = ?`), guild).
		Scan(&private, &sources, &conf, &g.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return GuildSettings{}, nil
	}
	if err != nil {
		return GuildSettings{}, fmt.Errorf("reading the settings of server %s: %w", guild, err)
	}
	g.Private = private != 0
	g.Sources = Sources(sources)
	if conf.Valid {
		v := conf.Float64
		g.MinConfidence = &v
	}
	rows, err := db.QueryContext(ctx, s.q(`SELECT channel_id FROM guild_channels WHERE guild_id = ? ORDER BY channel_id`), guild)
	if err != nil {
		return GuildSettings{}, fmt.Errorf("reading the channels of server %s: %w", guild, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return GuildSettings{}, fmt.Errorf("reading the channels of server %s: %w", guild, err)
		}
		g.Channels = append(g.Channels, c)
	}
	if err := rows.Err(); err != nil {
		return GuildSettings{}, fmt.Errorf("reading the channels of server %s: %w", guild, err)
	}
	return g, nil
}

func (s *sqlStore) UpdateGuildSettings(ctx context.Context, guild string, update func(*GuildSettings) error) (GuildSettings, error) {
	var out GuildSettings
	now := time.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockChangeLog(ctx, tx); err != nil {
			return err
		}
		cur, err := s.readSettings(ctx, tx, guild)
		if err != nil {
			return err
		}
		next := cur
		next.Channels = slices.Clone(cur.Channels)
		if err := update(&next); err != nil {
			return err
		}
		if err := checkSettings(&next); err != nil {
			return err
		}
		next.Version = cur.Version + 1
		private := 0
		if next.Private {
			private = 1
		}
		var conf any
		if next.MinConfidence != nil {
			conf = *next.MinConfidence
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO guild_settings (guild_id, private_answers, sources, min_confidence, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (guild_id) DO UPDATE SET private_answers = excluded.private_answers, sources = excluded.sources, min_confidence = excluded.min_confidence, version = excluded.version, updated_at = excluded.updated_at`),
			guild, private, string(next.EffectiveSources()), conf, next.Version, millis(now))
		if err != nil {
			return fmt.Errorf("writing the settings of server %s: %w", guild, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM guild_channels WHERE guild_id = ?`), guild); err != nil {
			return fmt.Errorf("writing the channels of server %s: %w", guild, err)
		}
		for _, c := range next.Channels {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO guild_channels (guild_id, channel_id) VALUES (?, ?)`), guild, c); err != nil {
				return fmt.Errorf("writing the channels of server %s: %w", guild, err)
			}
		}
		next.Sources = next.EffectiveSources()
		out = next
		return s.recordChange(ctx, tx, guild, ChangedSettings, next.Version, now)
	})
	if err != nil {
		return GuildSettings{}, err
	}
	return out, nil
}

// MaxChannels bounds the channels a server may list.
const MaxChannels = 100

// checkSettings refuses values no setting may take, and sorts the
// channels.
func checkSettings(g *GuildSettings) error {
	if g.Sources != "" && !g.Sources.Valid() {
		return fmt.Errorf("sources %q: want both, own or shared", g.Sources)
	}
	if c := g.MinConfidence; c != nil && (*c < 0 || *c > 1 || *c != *c) {
		return fmt.Errorf("confidence threshold %v: want a number from 0 to 1", *c)
	}
	slices.Sort(g.Channels)
	g.Channels = slices.Compact(g.Channels)
	if len(g.Channels) > MaxChannels {
		return fmt.Errorf("%d channels: at most %d", len(g.Channels), MaxChannels)
	}
	for _, c := range g.Channels {
		if c == "" || len(c) > 32 {
			return fmt.Errorf("channel id %q: want a Discord id", c)
		}
	}
	return nil
}

// --- changes ---------------------------------------------------------------

func (s *sqlStore) ChangesSince(ctx context.Context, seq int64, limit int) ([]Change, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, guild_id, kind, version, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`), seq, limit)
	if err != nil {
		return nil, fmt.Errorf("reading the change log: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var kind string
		var at int64
		if err := rows.Scan(&c.Seq, &c.Guild, &kind, &c.Version, &at); err != nil {
			return nil, fmt.Errorf("reading the change log: %w", err)
		}
		c.Kind, c.At = ChangeKind(kind), fromMillis(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the change log: %w", err)
	}
	return out, nil
}

func (s *sqlStore) LastChange(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(seq) FROM changes`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("reading the change log: %w", err)
	}
	return seq.Int64, nil
}

func (s *sqlStore) PruneChanges(ctx context.Context, before time.Time) error {
	// The latest change stays, whatever its age: LastChange must not go
	// back, or a follower would read changes twice.
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM changes WHERE at < ? AND seq < (SELECT MAX(seq) FROM changes)`), millis(before))
	if err != nil {
		return fmt.Errorf("pruning the change log: %w", err)
	}
	return nil
}
