package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/store/storetest"
)

func TestSQLiteContract(t *testing.T) {
	storetest.Run(t, storetest.SQLite)
}

func TestPostgresContract(t *testing.T) {
	storetest.Postgres(t) // skips, or fails in CI, before the subtests
	storetest.Run(t, storetest.Postgres)
}

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in, driver, dsn, err string
	}{
		{"", "sqlite", "footnote.db", ""},
		{"  /var/lib/footnote/state.db ", "sqlite", "/var/lib/footnote/state.db", ""},
		{"data/footnote.db", "sqlite", "data/footnote.db", ""},
		{"file:footnote.db?mode=rwc", "sqlite", "file:footnote.db?mode=rwc", ""},
		{"postgres://u:p@127.0.0.1:5432/db", "postgres", "postgres://u:p@127.0.0.1:5432/db", ""},
		{"postgresql://127.0.0.1/db?sslmode=disable", "postgres", "postgresql://127.0.0.1/db?sslmode=disable", ""},
		{"postgres://", "", "", "is not a PostgreSQL URL"},
		{"mysql://u:p@host/db", "", "", `the scheme "mysql"`},
	}
	for _, tt := range tests {
		loc, err := store.ParseLocation(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), ":p@") {
				t.Errorf("%q: the error shows the password: %v", tt.in, err)
			}
			continue
		}
		if err != nil || loc.Driver != tt.driver || loc.DSN != tt.dsn {
			t.Errorf("%q = %+v, %v; want %s %s", tt.in, loc, err, tt.driver, tt.dsn)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://footnote:s3cret@db:5432/footnote":            "postgres://footnote:xxxxx@db:5432/footnote",
		"postgres://db/footnote?password=s3cret&sslmode=require": "postgres://db/footnote?password=xxxxx&sslmode=require",
		"postgres://db/footnote":                                 "postgres://db/footnote",
	} {
		if got := store.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A PostgreSQL that cannot be reached is reported with the address, and
// never the password.
func TestPostgresErrorsHideThePassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Port 9 (discard) on loopback: nothing listens there.
	_, err := store.Open(ctx, "postgres://footnote:Sup3rS3cret@127.0.0.1:9/footnote?connect_timeout=2")
	if err == nil {
		t.Fatal("opened a database that is not there")
	}
	if strings.Contains(err.Error(), "Sup3rS3cret") {
		t.Fatalf("the error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:9") {
		t.Errorf("the error does not say where: %v", err)
	}
}

func TestSQLiteRefusesANewerSchema(t *testing.T) {
	loc := storetest.SQLite(t)
	ctx := context.Background()
	s, err := store.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ExecForTest(ctx, s, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := store.Open(ctx, loc); err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Fatalf("a database from a newer build: %v", err)
	}
}
