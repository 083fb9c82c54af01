package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// testStateDir holds the SQLite files of the serve tests, so that none
// lands in the package directory: footnote serve's default database is
// footnote.db in the working directory.
var (
	testStateDir string
	testStateN   atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv("FOOTNOTE_HELPER_MAIN") == "1" {
		os.Exit(m.Run()) // a real footnote process (TestHelperMain), run in a directory of its own
	}
	dir, err := os.MkdirTemp("", "footnote-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testStateDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testGetenv reads vars as the environment, with DATABASE_URL, when vars
// lacks it, a new SQLite file of its own for each call.
func testGetenv(vars map[string]string) func(string) string {
	db := filepath.Join(testStateDir, fmt.Sprintf("footnote-%d.db", testStateN.Add(1)))
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == "DATABASE_URL" {
			return db
		}
		return ""
	}
}
