package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/footnote-bot/footnote/internal/benchrun"
	"github.com/footnote-bot/footnote/internal/gen"
)

// childEnv makes the test binary act as the bench binary: runParent
// re-executes os.Executable(), which here is the test binary.
const childEnv = "FOOTNOTE_BENCH_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestEndToEnd(t *testing.T) {
	t.Setenv(childEnv, "1")
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Options{Entries: 40, Seed: 3, Questions: 20}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--knowledge", dir, "--lookups", "10", "--naive-lookups", "5", "--warmup", "2", "--bleve-batch", "100"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var cmp map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &cmp); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out.String())
	}
	for _, k := range []string{"index_time_ratio", "memory_ratio", "ask_p50_ratio", "ask_p99_ratio", "lookup_p99_ratio"} {
		if _, ok := cmp[k].(float64); !ok {
			t.Errorf("JSON lacks the number %q", k)
		}
	}
	f, _ := cmp["footnote"].(map[string]any)
	b, _ := cmp["bleve"].(map[string]any)
	if f == nil || b == nil {
		t.Fatalf("no per-engine reports: %v", cmp)
	}
	// Both engines indexed the same sentences and got the same questions.
	if f["sentences"] != b["sentences"] || f["questions"] != b["questions"] || b["questions"] != float64(20) {
		t.Errorf("footnote %v sentences / %v questions, bleve %v / %v", f["sentences"], f["questions"], b["sentences"], b["questions"])
	}
	for _, want := range []string{"== footnote", "== bleve", "== naive", "Footnote vs bleve", "title lookup"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	var sink bytes.Buffer
	c, err := parseFlags([]string{"--knowledge", "d", "--engines", "footnote,naive,naive"}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if c.questions != filepath.Join("d", "questions.jsonl") || len(c.engines) != 2 || c.limit != 2000 || c.top != 10 {
		t.Errorf("config %+v", c)
	}
	bad := [][]string{
		{},
		{"--knowledge", "d", "--engines", "lucene"},
		{"--knowledge", "d", "--top", "0"},
		{"--knowledge", "d", "--limit", "-2"},
		{"--knowledge", "d", "--bleve-batch", "0"},
		{"--knowledge", "d", "--role", "elastic", "--export", "x"},
		{"--knowledge", "d", "--role", "bleve"},
		{"--knowledge", "d", "stray"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args, &sink); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	// Peers read the export, not the corpus.
	if _, err := parseFlags([]string{"--role", "naive", "--export", "x"}, &sink); err != nil {
		t.Errorf("naive child without --knowledge: %v", err)
	}
}

func TestLastJSON(t *testing.T) {
	rep, text, err := lastJSON([]byte("engine x\nmore\n{\"engine\":\"x\",\"entries\":3}\n"))
	if err != nil || rep.Engine != "x" || rep.Entries != 3 || string(text) != "engine x\nmore\n" {
		t.Errorf("lastJSON = %+v, %q, %v", rep, text, err)
	}
	if _, _, err := lastJSON([]byte("no json here\n")); err == nil {
		t.Error("text without JSON accepted")
	}
	if _, _, err := lastJSON(nil); err == nil {
		t.Error("empty output accepted")
	}
}

func TestCompare(t *testing.T) {
	f := &benchrun.Report{LoadSeconds: 1, RSSBytes: 150, RSSBaseBytes: 50, AskP50: 1, AskP99: 2, LookupP99: 1}
	b := &benchrun.Report{LoadSeconds: 4, RSSBytes: 450, RSSBaseBytes: 50, AskP50: 4, AskP99: 0}
	n := &benchrun.Report{LookupP99: 10}
	c := compare(map[string]*benchrun.Report{"footnote": f, "bleve": b, "naive": n})
	check := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || *got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("index_time_ratio", c.IndexTimeRatio, 0.25)
	check("memory_ratio", c.MemoryRatio, 0.25)
	check("ask_p50_ratio", c.AskP50Ratio, 0.25)
	check("lookup_p99_ratio", c.LookupP99Ratio, 0.1)
	if c.AskP99Ratio != nil {
		t.Errorf("a peer measuring 0 gave ratio %v", *c.AskP99Ratio)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "ask_p99_ratio") {
		t.Errorf("missing ratio written: %s", data)
	}
	var tbl bytes.Buffer
	c.writeTable(&tbl)
	for _, want := range []string{"load+index (s)", "0.250", "lookup p99 (ms)", "0.100", " -\n"} {
		if !strings.Contains(tbl.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tbl.String())
		}
	}
	// Footnote alone: no ratios.
	if c := compare(map[string]*benchrun.Report{"footnote": f}); c.IndexTimeRatio != nil || c.LookupP99Ratio != nil {
		t.Error("ratios without peers")
	}
}

func TestBleveMappingIsBM25(t *testing.T) {
	m := bleveMapping()
	if m.ScoringModel != "bm25" {
		t.Errorf("scoring model %q", m.ScoringModel)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("mapping invalid: %v", err)
	}
}
