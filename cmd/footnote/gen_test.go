package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/footnote-bot/footnote/internal/gen"
)

// genRun runs the footnote binary's main logic in-process.
func genRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestGenCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	// Flags after the directory work too.
	code, out, errs := genRun("gen", dir, "--entries", "12", "--seed", "4", "--questions", "7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "wrote 12 entries") || !strings.Contains(out, "wrote 7 questions") {
		t.Errorf("output: %s", out)
	}
	var wantE, wantQ bytes.Buffer
	if _, err := gen.Generate(&wantE, &wantQ, gen.Options{Entries: 12, Seed: 4, Questions: 7}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{gen.EntriesFile: wantE.Bytes(), gen.QuestionsFile: wantQ.Bytes()} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from gen.Generate's output for the same options", name)
		}
	}
}

func TestGenCommandErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no dir", []string{"gen", "--entries", "3"}, 2, "want one output directory"},
		{"two dirs", []string{"gen", "a", "b"}, 2, "want one output directory"},
		{"zero entries", []string{"gen", "--entries", "0", dir}, 2, "--entries"},
		{"negative questions", []string{"gen", "--questions", "-1", dir}, 2, "--questions"},
		{"bad number", []string{"gen", "--entries", "many", dir}, 2, "invalid value"},
		{"unknown flag", []string{"gen", "--bogus", dir}, 2, "bogus"},
		{"unwritable", []string{"gen", "--entries", "2", filepath.Join(blocker, "sub")}, 1, "gen:"},
		{"unexpected help", []string{"gen", "--entries"}, 2, "usage: footnote gen"},
	}
	for _, tt := range tests {
		code, _, errs := genRun(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, errs, tt.code, tt.want)
		}
	}
}
