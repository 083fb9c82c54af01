// Package storetest holds the contract every store driver must meet, as
// tests that run against a real database (Run), and the helpers that give
// the tests a database: a SQLite file in a temporary directory, or a
// fresh schema of the PostgreSQL server FOOTNOTE_TEST_POSTGRES names.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvPostgres names the PostgreSQL server the tests may use, as a URL
// (postgres://user:password@127.0.0.1:5432/postgres). .ci/run starts one
// and sets it.
const EnvPostgres = "FOOTNOTE_TEST_POSTGRES"

// SQLite returns the location of a new SQLite database in a temporary
// directory of t.
func SQLite(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "footnote.db")
}

// Postgres returns the URL of a new, empty schema on the PostgreSQL server
// of EnvPostgres, dropped when t ends. Without that server the test is
// skipped, except in CI (CI set): there PostgreSQL must be there, and its
// absence fails the test rather than letting it pass unseen.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set, and CI is: .ci/run should have started PostgreSQL and set it", EnvPostgres)
		}
		t.Skipf("%s is not set: no PostgreSQL server to test against (.ci/run starts one)", EnvPostgres)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the PostgreSQL of %s: %v", EnvPostgres, err)
	}
	defer conn.Close(context.Background())
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "footnote_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
