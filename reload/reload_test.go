package reload_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/reload"
	"github.com/prometheus/client_golang/prometheus"
)

// syncBuffer is a log destination safe for the reloader's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	t     *testing.T
	dir   string
	store *knowledge.Store
	r     *reload.Reloader
	logs  *syncBuffer
	reg   *prometheus.Registry
	swaps atomic.Int64
}

const (
	cellMD = "---\ntitle: Cell\nsource: Biology notes\n---\nThe cell is the basic unit of life. Robert Hooke named cells in 1665.\n"
	geneMD = "---\ntitle: Gene\nsource: Biology notes\n---\nA gene is a sequence of DNA that codes for a protein.\n"
	bulk   = `{"id": "ribosome", "title": "Ribosome", "text": "Ribosomes make proteins from amino acids.", "source": "Biology notes"}
{"id": "nucleus", "title": "Nucleus", "text": "The nucleus holds most of the cell's DNA.", "source": "Biology notes"}
`
)

// newFixture loads files into a fresh directory, as serve does at start.
func newFixture(t *testing.T, files map[string]string) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), logs: &syncBuffer{}, reg: prometheus.NewRegistry()}
	for name, content := range files {
		f.write(name, content)
	}
	start := time.Now()
	ix, rep, err := knowledge.Open(f.dir, knowledge.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f.store = knowledge.NewStore(ix)
	f.r = reload.New(f.dir, f.store, reload.Options{
		Logger:  slog.New(slog.NewTextHandler(f.logs, nil)),
		Metrics: f.reg,
		OnSwap:  func(*knowledge.Index) { f.swaps.Add(1) },
	})
	f.r.Loaded(ix, rep, time.Since(start))
	return f
}

func (f *fixture) write(name, content string) {
	f.t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) remove(name string) {
	f.t.Helper()
	if err := os.Remove(filepath.Join(f.dir, name)); err != nil {
		f.t.Fatal(err)
	}
}

// ids lists the entries served now.
func (f *fixture) ids() string {
	var out []string
	for _, e := range f.store.Index().Entries() {
		out = append(out, e.ID)
	}
	return strings.Join(out, ",")
}

func (f *fixture) reload() reload.Result {
	return f.r.Reload(context.Background(), "test")
}

func TestReload(t *testing.T) {
	tests := []struct {
		name    string
		change  func(f *fixture)
		outcome reload.Outcome
		ids     string
		kept    []string
		logged  []string
	}{
		{
			name:    "a new file is added",
			change:  func(f *fixture) { f.write("notes/gene.md", geneMD) },
			outcome: reload.OutcomeOK,
			ids:     "cell,gene,nucleus,ribosome",
		},
		{
			name:    "a deleted file's entries go",
			change:  func(f *fixture) { f.remove("bulk.jsonl") },
			outcome: reload.OutcomeOK,
			ids:     "cell",
		},
		{
			name: "an edited file is read again",
			change: func(f *fixture) {
				f.write("cell.md", strings.Replace(cellMD, "title: Cell", "title: Cell\nid: biology-cell", 1))
			},
			outcome: reload.OutcomeOK,
			ids:     "biology-cell,nucleus,ribosome",
		},
		{
			name: "a markdown file broken at reload keeps its last good entry",
			change: func(f *fixture) {
				f.write("cell.md", "---\ntitle: [Cell\nsource: Biology notes\n---\nThe cell is small.\n")
				f.write("notes/gene.md", geneMD)
			},
			outcome: reload.OutcomePartial,
			ids:     "cell,gene,nucleus,ribosome",
			kept:    []string{"cell.md"},
			logged:  []string{"cell.md", "line=2", "kept_last_good"},
		},
		{
			name: "a JSON-lines file with one bad line keeps all its last good entries",
			change: func(f *fixture) {
				f.write("bulk.jsonl", `{"id": "ribosome", "title": "Ribosome", "text": "Changed."}`+"\n"+`{"id": "nucleus", "title": "Nucleus", "text": oops}`+"\n")
			},
			outcome: reload.OutcomePartial,
			ids:     "cell,nucleus,ribosome",
			kept:    []string{"bulk.jsonl"},
			logged:  []string{"bulk.jsonl", "line=2"},
		},
		{
			name:    "a new broken file loads nothing, and the rest goes on",
			change:  func(f *fixture) { f.write("broken.md", "---\ntitle: \"Broken\n---\nText.\n") },
			outcome: reload.OutcomePartial,
			ids:     "cell,nucleus,ribosome",
			logged:  []string{"broken.md"},
		},
		{
			name:    "a corpus left with no entry is refused",
			change:  func(f *fixture) { f.remove("bulk.jsonl"); f.remove("cell.md") },
			outcome: reload.OutcomeFailed,
			ids:     "cell,nucleus,ribosome",
			logged:  []string{"holds no entry", "previous corpus is still served"},
		},
		{
			name:    "a directory gone is refused",
			change:  func(f *fixture) { os.RemoveAll(f.dir) },
			outcome: reload.OutcomeFailed,
			ids:     "cell,nucleus,ribosome",
			logged:  []string{"corpus reload failed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"cell.md": cellMD, "bulk.jsonl": bulk})
			before := f.store.Index()
			tt.change(f)
			res := f.reload()
			if res.Outcome != tt.outcome {
				t.Errorf("outcome %s, want %s (err %v)", res.Outcome, tt.outcome, res.Err)
			}
			if got := f.ids(); got != tt.ids {
				t.Errorf("entries %s, want %s", got, tt.ids)
			}
			var kept []string
			for _, k := range res.Kept {
				rel, _ := filepath.Rel(f.dir, k)
				kept = append(kept, rel)
			}
			if fmt.Sprint(kept) != fmt.Sprint(tt.kept) && !(len(kept) == 0 && len(tt.kept) == 0) {
				t.Errorf("kept %v, want %v", res.Kept, tt.kept)
			}
			wantVersion, wantSwaps := int64(2), int64(1)
			if tt.outcome == reload.OutcomeFailed {
				wantVersion, wantSwaps = 1, 0
				if f.store.Index() != before {
					t.Error("a failed reload swapped the index")
				}
			}
			if res.Version != wantVersion || f.swaps.Load() != wantSwaps {
				t.Errorf("version %d after %d swaps, want %d and %d", res.Version, f.swaps.Load(), wantVersion, wantSwaps)
			}
			for _, want := range tt.logged {
				if !strings.Contains(f.logs.String(), want) {
					t.Errorf("the log lacks %q:\n%s", want, f.logs)
				}
			}
			if got := metric(t, f.reg, "footnote_corpus_version", ""); got != float64(wantVersion) {
				t.Errorf("footnote_corpus_version %v, want %d", got, wantVersion)
			}
			if got := metric(t, f.reg, "footnote_corpus_last_reload_outcome", string(tt.outcome)); got != 1 {
				t.Errorf("footnote_corpus_last_reload_outcome{outcome=%q} = %v, want 1", tt.outcome, got)
			}
		})
	}
}

// The last good entries of a broken file are the text it had, verbatim,
// at its own file and line; and once fixed, the file loads as written.
func TestBrokenThenFixed(t *testing.T) {
	f := newFixture(t, map[string]string{"cell.md": cellMD})
	f.write("cell.md", "---\ntitle: [Cell\n---\nThe cell is small.\n")
	if res := f.reload(); res.Outcome != reload.OutcomePartial {
		t.Fatalf("outcome %s", res.Outcome)
	}
	e, ok := f.store.Index().Entry("cell")
	if !ok || !strings.Contains(e.Text, "Robert Hooke named cells in 1665.") || !strings.HasSuffix(e.File, "cell.md") {
		t.Fatalf("kept entry = %+v, %v", e, ok)
	}
	ans, err := f.store.Index().Ask("When did Hooke name cells?", 3)
	if err != nil || !ans.Answered || !strings.Contains(ans.Facts[0].Text, "1665") {
		t.Fatalf("the kept entry does not answer: %+v, %v", ans, err)
	}
	f.write("cell.md", strings.Replace(cellMD, "1665", "1665, in Micrographia", 1))
	if res := f.reload(); res.Outcome != reload.OutcomeOK || res.Version != 3 {
		t.Fatalf("after the fix: %s, version %d", res.Outcome, res.Version)
	}
	if e, _ := f.store.Index().Entry("cell"); !strings.Contains(e.Text, "Micrographia") {
		t.Fatalf("the fixed file is not served: %q", e.Text)
	}
}

func TestSeedsDoNotReload(t *testing.T) {
	ix, rep, err := knowledge.Open("", knowledge.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	store := knowledge.NewStore(ix)
	r := reload.New("", store, reload.Options{Logger: slog.New(slog.DiscardHandler)})
	r.Loaded(ix, rep, 0)
	res := r.Reload(context.Background(), "SIGHUP")
	if res.Outcome != reload.OutcomeFailed || !strings.Contains(res.Err.Error(), "embedded seeds") || store.Index() != ix {
		t.Fatalf("reloading the seeds: %+v", res)
	}
	if err := r.Watch(context.Background(), 0, 0); err == nil {
		t.Fatal("watching the seeds")
	}
}

// Questions asked while reloads swap the index all get an answer from one
// whole index, old or new: never a mix, never a failure. An index taken
// before a swap still answers after it. Run with -race.
func TestQuestionsInFlightDuringSwaps(t *testing.T) {
	f := newFixture(t, map[string]string{"cell.md": cellMD, "bulk.jsonl": bulk})
	held := f.store.Index()

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var asked atomic.Int64
	errs := make(chan error, 8)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ix := f.store.Index()
				ans, err := ix.Ask("Who named cells?", 3)
				if err != nil || !ans.Answered || !strings.Contains(ans.Facts[0].Text, "Hooke") {
					errs <- fmt.Errorf("answer during a swap: %+v, %v", ans, err)
					return
				}
				// The entry is read from the same index the answer
				// came from: it is there.
				if _, ok := ix.Entry(ans.Facts[0].EntryID); !ok {
					errs <- fmt.Errorf("entry %s missing from its own index", ans.Facts[0].EntryID)
					return
				}
				asked.Add(1)
			}
		}()
	}
	for k := 0; k < 10; k++ {
		if k%2 == 0 {
			f.write(fmt.Sprintf("extra%d.md", k), geneMD)
		} else {
			f.remove(fmt.Sprintf("extra%d.md", k-1))
		}
		if res := f.reload(); res.Outcome != reload.OutcomeOK {
			t.Fatalf("reload %d: %s %v", k, res.Outcome, res.Err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if asked.Load() == 0 {
		t.Fatal("no question was asked during the reloads")
	}
	if ans, err := held.Ask("Who named cells?", 3); err != nil || !ans.Answered {
		t.Fatalf("the index held since before the swaps: %+v, %v", ans, err)
	}
	t.Logf("%d questions answered during 10 reloads", asked.Load())
}

// Requests made while a reload runs fold into one more reload.
func TestRequestsFold(t *testing.T) {
	f := newFixture(t, map[string]string{"cell.md": cellMD})
	for k := 0; k < 5; k++ {
		f.r.Request("burst")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.r.Run(ctx); close(done) }()
	waitFor(t, func() bool { return f.r.Last().Version == 2 })
	time.Sleep(200 * time.Millisecond)
	cancel()
	<-done
	if v := f.r.Last().Version; v != 2 {
		t.Fatalf("5 requests at once made version %d, want one reload (2)", v)
	}
}

func TestWatch(t *testing.T) {
	f := newFixture(t, map[string]string{"cell.md": cellMD})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.r.Run(ctx)
	if err := f.r.Watch(ctx, 100*time.Millisecond, time.Second); err != nil {
		t.Fatal(err)
	}

	// A burst of writes (an editor, a git pull) is one reload.
	for k := 0; k < 20; k++ {
		f.write("gene.md", strings.Replace(geneMD, "protein", fmt.Sprintf("protein (%d)", k), 1))
	}
	waitFor(t, func() bool { return strings.Contains(f.ids(), "gene") })
	time.Sleep(400 * time.Millisecond)
	if v := f.r.Last().Version; v < 2 || v > 3 {
		t.Errorf("20 writes made %d reloads, want 1 (or 2 if the burst straddled a pause)", v-1)
	}
	v := f.r.Last().Version

	// A file in a directory created after the watch started.
	f.write("more/deeper/ribosome.jsonl", bulk)
	waitFor(t, func() bool { return strings.Contains(f.ids(), "ribosome") })

	// A deletion.
	f.remove("gene.md")
	waitFor(t, func() bool { return !strings.Contains(f.ids(), "gene") })

	// An editor's swap file and a mode change do not reload.
	v = f.r.Last().Version
	f.write(".cell.md.swp", "x")
	f.write("notes.docx", "x")
	os.Chmod(filepath.Join(f.dir, "cell.md"), 0o600)
	time.Sleep(500 * time.Millisecond)
	if got := f.r.Last().Version; got != v {
		t.Errorf("irrelevant changes reloaded the corpus (%d -> %d)", v, got)
	}

	// A file broken while watched keeps its entry, and says where.
	f.write("cell.md", "---\ntitle: [Cell\n---\nbroken\n")
	waitFor(t, func() bool { return f.r.Last().Outcome == reload.OutcomePartial })
	if !strings.Contains(f.ids(), "cell") || !strings.Contains(f.logs.String(), "cell.md") {
		t.Errorf("after a broken save: entries %s; log:\n%s", f.ids(), f.logs)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// metric reads one series of a gathered gauge.
func metric(t *testing.T, reg *prometheus.Registry, name, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := outcome == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					match = true
				}
			}
			if match {
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s{outcome=%q}", name, outcome)
	return 0
}
