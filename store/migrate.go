package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The migrations of each driver, applied in order at Open: files named
// NNNN_what.sql under migrations/DRIVER/. A migration is never edited once
// released; a change of schema is a new file, in both drivers' folders.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the driver's migrations in order.
func migrations(driver string) ([]migration, error) {
	dir := "migrations/" + driver
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: want NNNN_what.sql", name)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for k := range out {
		if out[k].version != k+1 {
			return nil, fmt.Errorf("migrations of %s: version %d where %d was expected", driver, out[k].version, k+1)
		}
	}
	return out, nil
}

// statements splits a migration into its statements: they end with a
// semicolon at the end of a line. Comment lines are dropped.
func statements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line + "\n")
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// migrate applies the migrations not applied yet, each in its own
// transaction, under lock (a statement that keeps two processes starting
// at once from applying the same migration twice; "" when the write
// transaction itself excludes other writers, as in SQLite).
func (s *sqlStore) migrate(ctx context.Context, lock string) error {
	all, err := migrations(s.d.name)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, m := range all {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if lock != "" {
				if _, err := tx.ExecContext(ctx, lock); err != nil {
					return fmt.Errorf("locking the migrations: %w", err)
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, st := range statements(m.sql) {
				if _, err := tx.ExecContext(ctx, st); err != nil {
					return fmt.Errorf("%w\n%s", err, st)
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return s.checkSchemaVersion(ctx, len(all))
}

// checkSchemaVersion refuses a database that a newer Footnote migrated
// further than this build knows: its schema may not be what this build
// reads and writes.
func (s *sqlStore) checkSchemaVersion(ctx context.Context, known int) error {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("reading schema_migrations: %w", err)
	}
	if int(v.Int64) > known {
		return fmt.Errorf("the database is at schema version %d, and this build knows %d: run the newer Footnote, or a database of its own", v.Int64, known)
	}
	return nil
}

// SchemaVersion returns the latest migration applied to s.
func SchemaVersion(ctx context.Context, s Store) (int, error) {
	v, ok := s.(interface {
		schemaVersion(context.Context) (int, error)
	})
	if !ok {
		return 0, fmt.Errorf("not a SQL store")
	}
	return v.schemaVersion(ctx)
}

func (s *sqlStore) schemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading schema_migrations: %w", err)
	}
	return int(v.Int64), nil
}
