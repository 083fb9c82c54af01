package benchrun

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/internal/gen"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(i + 1)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", []time.Duration{ms(7)}, 99, ms(7)},
		{"p50 of 100", hundred, 50, ms(50)},
		{"p95 of 100", hundred, 95, ms(95)},
		{"p99 of 100", hundred, 99, ms(99)},
		{"p100 of 100", hundred, 100, ms(100)},
		{"p50 of 3", []time.Duration{ms(1), ms(2), ms(3)}, 50, ms(2)},
		{"p99 of 3", []time.Duration{ms(1), ms(2), ms(3)}, 99, ms(3)},
		{"tiny p", []time.Duration{ms(1), ms(2)}, 0.001, ms(1)},
	}
	for _, tt := range tests {
		if got := Percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("%s: Percentile(p=%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

func TestSummarise(t *testing.T) {
	l := Summarise([]time.Duration{ms(4), ms(1), ms(3), ms(2)})
	want := Latency{N: 4, P50: ms(2), P95: ms(4), P99: ms(4), Max: ms(4), Mean: 2500 * time.Microsecond}
	if l != want {
		t.Errorf("Summarise = %+v, want %+v", l, want)
	}
	if l := Summarise(nil); l != (Latency{}) {
		t.Errorf("Summarise(nil) = %+v", l)
	}
}

func TestTime(t *testing.T) {
	var calls []string
	boom := errors.New("boom")
	l, errs := Time([]string{"a", "b", "bad"}, 2, func(q string) error {
		calls = append(calls, q)
		if q == "bad" {
			return boom
		}
		return nil
	})
	if want := []string{"a", "b", "a", "b", "bad"}; !slices.Equal(calls, want) {
		t.Errorf("calls %v, want %v (warm-up, then each once)", calls, want)
	}
	if l.N != 3 || errs != 1 {
		t.Errorf("N = %d, errors = %d; want 3 and 1", l.N, errs)
	}
	if l, _ := Time(nil, 5, func(string) error { return nil }); l.N != 0 {
		t.Errorf("no queries: N = %d", l.N)
	}
}

func TestRSS(t *testing.T) {
	old := procStatusFile
	t.Cleanup(func() { procStatusFile = old })
	procStatusFile = filepath.Join("testdata", "status.txt")
	rss, peak := RSS()
	if rss != 512000*1024 || peak != 614400*1024 {
		t.Errorf("RSS() = %d, %d; want %d, %d", rss, peak, 512000*1024, 614400*1024)
	}
	procStatusFile = filepath.Join("testdata", "missing")
	if rss, peak := RSS(); rss != 0 || peak != 0 {
		t.Errorf("without the file: %d, %d", rss, peak)
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		data string
		want int64
	}{
		{"VmRSS:\t  10 kB\n", 10240},
		{"VmRSS: 10\n", 10},
		{"VmRSS:\n", 0},
		{"VmRSS: lots kB\n", 0},
		{"Other: 5 kB\n", 0},
		{"VmRSS: 3 kB", 3072},
	}
	for _, tt := range tests {
		if got := parseStatus([]byte(tt.data), "VmRSS:"); got != tt.want {
			t.Errorf("parseStatus(%q) = %d, want %d", tt.data, got, tt.want)
		}
	}
}

func TestReadQuestions(t *testing.T) {
	good := `{"id":"1","q":"How many films?","entry":"aid-soviet","answers":["308 films"]}

{"id":"2","q":"What is the capital of Peru?","entry":null,"answer":null}
{"id":"3","q":"When?","entry":"x","answers":["1952"]}
`
	tests := []struct {
		name    string
		data    string
		limit   int
		want    int
		wantErr string
	}{
		{"all", good, 0, 3, ""},
		{"limit", good, 2, 2, ""},
		{"bad json", good + "{oops\n", 0, 0, "q.jsonl:5"},
		{"no q", `{"id":"1"}` + "\n", 0, 0, "q.jsonl:1: no question"},
		{"empty", "\n\n", 0, 0, "no questions"},
	}
	for _, tt := range tests {
		qs, err := readQuestions(strings.NewReader(tt.data), "q.jsonl", tt.limit)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want one containing %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(qs) != tt.want {
			t.Errorf("%s: %d questions, %v; want %d", tt.name, len(qs), err, tt.want)
			continue
		}
		if qs[1].Entry != nil || qs[0].Entry == nil || *qs[0].Entry != "aid-soviet" {
			t.Errorf("%s: entries decoded wrong: %+v", tt.name, qs)
		}
	}
	if _, err := ReadQuestions(filepath.Join(t.TempDir(), "none.jsonl"), 0); err == nil {
		t.Error("a missing file gave no error")
	}
	if got := Texts([]Question{{Q: "a"}, {Q: "b"}}); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Texts = %v", got)
	}
}

func TestTitleQueries(t *testing.T) {
	titles := []string{"AID, SOVIET", "TRẦN VĂN SOÁI (NĂM LỬA)", "MELORAN RIVER", "DOLVITH, MAREN"}
	a := TitleQueries(titles, 200, 1)
	b := TitleQueries(titles, 200, 1)
	if len(a) != 200 || !slices.Equal(a, b) {
		t.Fatalf("got %d queries; deterministic: %v", len(a), slices.Equal(a, b))
	}
	if slices.Equal(a, TitleQueries(titles, 200, 2)) {
		t.Error("seeds 1 and 2 drew the same queries")
	}
	seen := map[string]bool{}
	for _, q := range a {
		if strings.TrimSpace(q) == "" {
			t.Fatal("empty query")
		}
		seen[q] = true
	}
	for _, want := range []string{"soviet aid", "tran van soai (nam lua)", "aid, soviet", "maren dolvith"} {
		if !seen[want] {
			t.Errorf("no query %q among %d distinct ones", want, len(seen))
		}
	}
	var misspelt, cut bool
	for q := range seen {
		misspelt = misspelt || q == "aid, sovet" || q == "aid, soviiet" || q == "aid, sovite"
		cut = cut || (strings.HasPrefix("meloran river", q) && len(q) < len("meloran river"))
	}
	if !misspelt || !cut {
		t.Errorf("misspelt: %v, cut short: %v", misspelt, cut)
	}
	if TitleQueries(nil, 5, 1) != nil || TitleQueries(titles, 0, 1) != nil {
		t.Error("no titles or no queries should give nil")
	}
}

func TestReportJSONKeys(t *testing.T) {
	r := Report{Engine: "x", Sentences: 10}
	r.SetMemory(Memory{RSS: 100, Heap: 1000}, Memory{RSS: 300, PeakRSS: 400, Heap: 3000})
	r.SetAsk(Latency{N: 3, P50: ms(1), P95: ms(2), P99: ms(3)})
	r.SetLookup(Latency{N: 2, P50: ms(4), P99: ms(5)})
	if r.HeapBytes != 2000 || r.BytesPerSentence != 200 || r.AskP99 != 3 || r.LookupP50 != 4 {
		t.Errorf("report: %+v", r)
	}
	var sb strings.Builder
	if err := r.WriteJSON(&sb); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(sb.String()), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"entries", "sentences", "load_seconds", "rss_bytes", "heap_bytes", "ask_p50_ms",
		"ask_p95_ms", "ask_p99_ms", "lookup_p50_ms", "lookup_p99_ms", "bytes_per_sentence"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if strings.Count(sb.String(), "\n") != 1 {
		t.Error("JSON is not exactly one line")
	}
	sb.Reset()
	r.LoadSeconds = 1
	r.WriteText(&sb)
	for _, want := range []string{"load+index", "ask", "title lookup", "bytes per sentence"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, sb.String())
		}
	}
	// A shrinking heap does not wrap around.
	r.SetMemory(Memory{Heap: 5000}, Memory{Heap: 10})
	if r.HeapBytes != 0 {
		t.Errorf("heap = %d, want 0", r.HeapBytes)
	}
}

func TestRunFootnote(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Options{Entries: 20, Seed: 1, Questions: 10}); err != nil {
		t.Fatal(err)
	}
	qs, err := ReadQuestions(filepath.Join(dir, gen.QuestionsFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	rep, ix, err := RunFootnote(context.Background(), Options{Dir: dir, Questions: Texts(qs), Lookups: 15, LookupSeed: 1, Warmup: 2})
	if err != nil {
		t.Fatal(err)
	}
	if ix == nil || rep.Engine != "footnote" || rep.Corpus != dir {
		t.Fatalf("report %+v", rep)
	}
	if rep.Entries < 20 || rep.Sentences < rep.Entries || rep.Questions != 10 || rep.Lookups != 15 {
		t.Errorf("entries %d, sentences %d, questions %d, lookups %d", rep.Entries, rep.Sentences, rep.Questions, rep.Lookups)
	}
	if rep.LoadSeconds <= 0 || rep.AskP99 < rep.AskP50 || rep.LookupP99 < rep.LookupP50 {
		t.Errorf("odd timings: %+v", rep)
	}
	if len(Titles(ix)) != rep.Entries {
		t.Errorf("%d titles for %d entries", len(Titles(ix)), rep.Entries)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := RunFootnote(ctx, Options{Dir: dir, Questions: Texts(qs)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v", err)
	}
	if _, _, err := RunFootnote(context.Background(), Options{Dir: filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing corpus gave no error")
	}
}

func TestRunFootnoteSeeds(t *testing.T) {
	rep, _, err := RunFootnote(context.Background(), Options{Questions: []string{"How many films did the Soviets send?"}, Lookups: 3, LookupSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Corpus != "the embedded seeds" || rep.Entries < 1 || rep.Questions != 1 || rep.Lookups != 3 {
		t.Errorf("report %+v", rep)
	}
}
