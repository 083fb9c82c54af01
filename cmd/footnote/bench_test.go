package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/footnote-bot/footnote/internal/gen"
)

func benchCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Options{Entries: 15, Seed: 2, Questions: 12}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBenchCommand(t *testing.T) {
	dir := benchCorpus(t)
	code, out, errs := genRun("bench", "--knowledge", dir, "--limit", "5", "--lookups", "8", "--warmup", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var rep map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"entries", "sentences", "load_seconds", "rss_bytes", "heap_bytes", "ask_p50_ms",
		"ask_p95_ms", "ask_p99_ms", "lookup_p50_ms", "lookup_p99_ms", "bytes_per_sentence"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	// DIR/questions.jsonl is the default question set; --limit takes its first.
	if rep["questions"] != float64(5) || rep["lookups"] != float64(8) {
		t.Errorf("questions %v, lookups %v; want 5 and 8", rep["questions"], rep["lookups"])
	}
	if !strings.Contains(out, "load+index") || !strings.Contains(out, "title lookup") {
		t.Errorf("no human-readable lines:\n%s", out)
	}

	// Profiles are written when asked for.
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	heap := filepath.Join(t.TempDir(), "heap.prof")
	if code, _, errs := genRun("bench", "--knowledge", dir, "--limit", "2", "--lookups", "2", "--cpuprofile", prof, "--memprofile", heap); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, p := range []string{prof, heap} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("profile %s: %v", p, err)
		}
	}
}

func TestBenchCommandWithoutQuestions(t *testing.T) {
	dir := benchCorpus(t)
	if err := os.Remove(filepath.Join(dir, gen.QuestionsFile)); err != nil {
		t.Fatal(err)
	}
	code, out, errs := genRun("bench", "--knowledge", dir, "--lookups", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "Ask is not timed") || !strings.Contains(out, `"questions":0`) {
		t.Errorf("stdout %s\nstderr %s", out, errs)
	}
}

func TestBenchCommandErrors(t *testing.T) {
	dir := benchCorpus(t)
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"top", []string{"bench", "--knowledge", dir, "--top", "0"}, 2, "--top"},
		{"limit", []string{"bench", "--knowledge", dir, "--limit", "-1"}, 2, "--limit"},
		{"lookups", []string{"bench", "--knowledge", dir, "--lookups", "-1"}, 2, "--lookups"},
		{"warmup", []string{"bench", "--knowledge", dir, "--warmup", "-1"}, 2, "--warmup"},
		{"argument", []string{"bench", "--knowledge", dir, "extra"}, 2, "unexpected argument"},
		{"missing questions", []string{"bench", "--knowledge", dir, "--questions", filepath.Join(dir, "none.jsonl")}, 1, "none.jsonl"},
		{"bad questions", []string{"bench", "--knowledge", dir, "--questions", bad}, 1, "bad.jsonl:1"},
		{"missing corpus", []string{"bench", "--knowledge", filepath.Join(dir, "nowhere")}, 1, "nowhere"},
		{"unwritable profile", []string{"bench", "--knowledge", dir, "--cpuprofile", filepath.Join(dir, "no", "cpu.prof")}, 1, "cpu profile"},
	}
	for _, tt := range tests {
		code, _, errs := genRun(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, errs, tt.code, tt.want)
		}
	}
}
