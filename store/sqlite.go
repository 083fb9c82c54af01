package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	// modernc.org/sqlite is SQLite translated to Go: no cgo, so the binary
	// stays static and cross-compiles, at some cost in speed that a bot's
	// few writes never notice.
	_ "modernc.org/sqlite"
)

// sqliteParams configure every SQLite connection: write-ahead logging (readers
// never wait for the writer), waits of up to 10 s for another writer
// instead of failing at once (another replica may share the file), and
// write transactions that take the write lock as they begin, so that two
// writers never deadlock upgrading their locks.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"

func sqliteDSN(loc string) (string, error) {
	if strings.HasPrefix(loc, "file:") {
		sep := "?"
		if strings.Contains(loc, "?") {
			sep = "&"
		}
		return loc + sep + sqliteParams, nil
	}
	if strings.ContainsAny(loc, "?#") {
		return "", errors.New("is a path with ? or #: write it as a file: URI, escaped")
	}
	return loc + "?" + sqliteParams, nil
}

func openSQLite(ctx context.Context, loc Location) (Store, error) {
	dsn, err := sqliteDSN(loc.DSN)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL %w", err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the SQLite database %s: %w", loc.Redacted(), err)
	}
	// One writer at a time in any case; a few connections let reads go on
	// while it writes.
	db.SetMaxOpenConns(4)
	s := &sqlStore{db: db, d: dialect{name: "sqlite"}}
	s.beginWrite = func(ctx context.Context) (*sql.Tx, error) { return db.BeginTx(ctx, nil) }
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the SQLite database %s: %w", loc.Redacted(), err)
	}
	if err := s.migrate(ctx, ""); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the SQLite database %s: %w", loc.Redacted(), err)
	}
	return s, nil
}
