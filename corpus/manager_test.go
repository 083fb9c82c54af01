package corpus_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/store/storetest"
	"github.com/footnote-bot/footnote/upload"
	"github.com/prometheus/client_golang/prometheus"
)

const (
	cellMD    = "---\ntitle: Cell\nsource: Biology notes, ch. 1\n---\nThe cell is the basic unit of life. Robert Hooke named cells in 1665.\n"
	mitoTXT   = "MITOCHONDRION\n\nThe mitochondrion makes most of the cell's ATP. Lynn Margulis argued in 1967 that it was once a bacterium.\n"
	organelle = `{"id": "ribosome", "title": "Ribosome", "text": "Ribosomes read messenger RNA and join amino acids into proteins.", "source": "Biology notes, ch. 2"}
{"id": "golgi", "title": "Golgi apparatus", "text": "Camillo Golgi described the apparatus in 1898.", "source": "Biology notes, ch. 2"}
{"id": "lysosome", "title": "Lysosome", "text": "Christian de Duve found lysosomes in 1955.", "source": "Biology notes, ch. 2"}
`
)

type env struct {
	t      *testing.T
	loc    string
	st     store.Store
	shared *knowledge.Store
	m      *corpus.Manager
	reg    *prometheus.Registry
}

func sharedIndex(t *testing.T) *knowledge.Index {
	t.Helper()
	ix, _, err := knowledge.Open("", knowledge.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func newEnv(t *testing.T, opts corpus.Options) *env {
	t.Helper()
	return newEnvAt(t, storetest.SQLite(t), knowledge.NewStore(sharedIndex(t)), opts)
}

func newEnvAt(t *testing.T, loc string, shared *knowledge.Store, opts corpus.Options) *env {
	t.Helper()
	st, err := store.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, loc: loc, st: st, shared: shared, reg: prometheus.NewRegistry()}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Metrics = e.reg
	e.m = corpus.New(shared, st, opts)
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func files(kv ...string) []upload.File {
	var out []upload.File
	for k := 0; k < len(kv); k += 2 {
		out = append(out, upload.File{Name: kv[k], Data: []byte(kv[k+1])})
	}
	return out
}

func (e *env) add(guild string, fs ...upload.File) corpus.AddReport {
	e.t.Helper()
	rep, err := e.m.Add(ctx(e.t), guild, "user-1", fs, nil)
	if err != nil {
		e.t.Fatalf("Add: %v", err)
	}
	return rep
}

func (e *env) scope(guild string) corpus.Scope {
	e.t.Helper()
	sc, err := e.m.Scope(ctx(e.t), guild)
	if err != nil {
		e.t.Fatalf("Scope(%s): %v", guild, err)
	}
	return sc
}

func ids(ix *knowledge.Index) string {
	if ix == nil {
		return "(none)"
	}
	var out []string
	for _, e := range ix.Entries() {
		out = append(out, e.ID)
	}
	return strings.Join(out, ",")
}

func TestScopes(t *testing.T) {
	e := newEnv(t, corpus.Options{})
	rep := e.add("g1", files("cell.md", cellMD, "organelles.jsonl", organelle)...)
	if rep.Added != 4 || rep.Total != 4 || len(rep.Files) != 2 {
		t.Fatalf("report %+v", rep)
	}

	if got := ids(e.scope("g1").Index); got != "aid-soviet,cell,golgi,lysosome,ribosome" {
		t.Errorf("g1 (both) sees %s", got)
	}
	if got := ids(e.scope("g2").Index); got != "aid-soviet" {
		t.Errorf("g2 sees %s: another server's entries leak", got)
	}
	if got := ids(e.scope("").Index); got != "aid-soviet" {
		t.Errorf("a DM sees %s", got)
	}
	ans, err := e.scope("g1").Index.Ask("Who described the Golgi apparatus?", 3)
	if err != nil || !ans.Answered || !strings.Contains(ans.Facts[0].Text, "Camillo Golgi") || ans.Facts[0].Citation != "Biology notes, ch. 2" {
		t.Fatalf("g1's own entry does not answer: %+v, %v", ans, err)
	}
	if ans, _ := e.scope("g2").Index.Ask("Who described the Golgi apparatus?", 3); ans.Answered && strings.Contains(ans.Facts[0].Text, "Golgi") {
		t.Fatal("g2 is answered from g1's entries")
	}

	for _, tt := range []struct {
		sources store.Sources
		want    string
	}{{store.SourcesOwn, "cell,golgi,lysosome,ribosome"}, {store.SourcesShared, "aid-soviet"}, {store.SourcesBoth, "aid-soviet,cell,golgi,lysosome,ribosome"}} {
		if _, err := e.m.UpdateSettings(ctx(t), "g1", func(g *store.GuildSettings) error { g.Sources = tt.sources; return nil }); err != nil {
			t.Fatal(err)
		}
		if got := ids(e.scope("g1").Index); got != tt.want {
			t.Errorf("sources %s: %s, want %s", tt.sources, got, tt.want)
		}
	}
	// A server that answers from its own entries only, and has none.
	if _, err := e.m.UpdateSettings(ctx(t), "g3", func(g *store.GuildSettings) error { g.Sources = store.SourcesOwn; return nil }); err != nil {
		t.Fatal(err)
	}
	if sc := e.scope("g3"); sc.Index != nil {
		t.Errorf("g3 (own, empty) answers from %s", ids(sc.Index))
	}
}

// An entry of a server with the id of a shared entry stands in for it, in
// that server only.
func TestShadowing(t *testing.T) {
	e := newEnv(t, corpus.Options{})
	rep := e.add("g1", files("aid-soviet.md", "---\ntitle: Soviet aid (our notes)\nsource: Study group\n---\nOur summary: the USSR sent films and advisers.\n")...)
	if fmt.Sprint(rep.Shadowed) != "[aid-soviet]" {
		t.Errorf("shadowed %v", rep.Shadowed)
	}
	en, ok := e.scope("g1").Index.Entry("aid-soviet")
	if !ok || !strings.Contains(en.Text, "Our summary") {
		t.Fatalf("g1's aid-soviet = %+v", en)
	}
	if en, _ := e.scope("g2").Index.Entry("aid-soviet"); strings.Contains(en.Text, "Our summary") {
		t.Fatal("g2 sees g1's stand-in")
	}
}

func TestAddRefusals(t *testing.T) {
	lim := corpus.DefaultLimits
	lim.MaxEntryBytes = 200
	lim.MaxEntries = 5
	lim.MaxBytes = 4000
	tests := []struct {
		name  string
		files []upload.File
		want  []string // file:line prefixes and words, in order
	}{
		{"bad front matter", files("ok.md", cellMD, "notes/bad.md", "---\ntitle: [Cell\nsource: x\n---\nText.\n"), []string{"notes/bad.md:2:"}},
		{"a bad JSON line", files("bulk.jsonl", `{"id": "a", "title": "A", "text": "Fine."}`+"\n"+`{"id": "b", "title": "B", text: "broken"}`+"\n"), []string{"bulk.jsonl:2:"}},
		{"invalid UTF-8", files("latin1.txt", "CAF\xc9\n\nUn caf\xe9.\n"), []string{"latin1.txt"}},
		{"an id twice in the upload", files("a.jsonl", `{"id": "x", "title": "X", "text": "One."}`+"\n", "b.jsonl", `{"id": "x", "title": "X2", "text": "Two."}`+"\n"), []string{`b.jsonl:1: the id "x" is also the id of an entry at a.jsonl:1`}},
		{"an id the server already has", files("again.jsonl", `{"id": "cell", "title": "Cell again", "text": "Two."}`+"\n"), []string{`again.jsonl:1: the id "cell" is also the id of an entry at cell.md:5, already in the server's corpus`}},
		{"an oversize entry", files("long.md", "# Long\n\n"+strings.Repeat("Word after word. ", 20)), []string{`long.md:1: the entry "Long" is 339 B, over the limit of 200 B`}},
		{"too many entries", files("many.jsonl", strings.Repeat(`{"title": "T", "text": "x"}`+"\n", 1)+manyLines(5)), []string{"would hold 7 entries, over its limit of 5"}},
		{"too many bytes", files("big.txt", "BIG\n\n"+strings.Repeat("abcdefghij ", 400)), []string{"over its limit of 3.9 KiB"}},
		{"no entry in a file", files("empty.jsonl", "\n\n"), []string{"empty.jsonl: no entry found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, corpus.Options{Limits: lim})
			e.add("g1", files("cell.md", cellMD)...)
			before, _ := e.st.CorpusVersion(ctx(t), "g1")
			_, err := e.m.Add(ctx(t), "g1", "user-1", tt.files, nil)
			var rej *corpus.Rejected
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want *Rejected", err)
			}
			msg := err.Error()
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("refusal %q lacks %q", msg, want)
				}
			}
			after, _ := e.st.CorpusVersion(ctx(t), "g1")
			fs, _ := e.st.CorpusFiles(ctx(t), "g1")
			if after != before || len(fs) != 1 {
				t.Errorf("a refused upload changed the corpus: version %d -> %d, %d files", before, after, len(fs))
			}
			if got := ids(e.scope("g1").Index); got != "aid-soviet,cell" {
				t.Errorf("after a refusal g1 sees %s", got)
			}
		})
	}
}

func manyLines(n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		fmt.Fprintf(&b, `{"id": "e%d", "title": "E%d", "text": "x"}`+"\n", k, k)
	}
	return b.String()
}

func TestReplaceRemoveExport(t *testing.T) {
	e := newEnv(t, corpus.Options{})
	e.add("g1", files("cell.md", cellMD, "organelles.jsonl", organelle, "mitochondrion.txt", mitoTXT, "README.md", "# About these notes\n")...)
	if got := ids(e.scope("g1").Index); got != "aid-soviet,cell,golgi,lysosome,mitochondrion,ribosome" {
		t.Fatalf("g1 sees %s", got)
	}
	rep := e.add("g1", files("cell.md", strings.Replace(cellMD, "1665", "1665, in Micrographia", 1))...)
	if fmt.Sprint(rep.Replaced) != "[cell.md]" || rep.Total != 5 {
		t.Errorf("replace report %+v", rep)
	}
	if en, _ := e.scope("g1").Index.Entry("cell"); !strings.Contains(en.Text, "Micrographia") {
		t.Errorf("the replaced file is not served: %q", en.Text)
	}

	// A line of a JSON-lines file.
	rr, err := e.m.Remove(ctx(t), "g1", "golgi")
	if err != nil || rr.FileGone || rr.File != "organelles.jsonl" || rr.Title != "Golgi apparatus" || rr.Total != 4 {
		t.Fatalf("Remove(golgi) = %+v, %v", rr, err)
	}
	// A whole file.
	rr, err = e.m.Remove(ctx(t), "g1", "mitochondrion")
	if err != nil || !rr.FileGone || rr.Total != 3 {
		t.Fatalf("Remove(mitochondrion) = %+v, %v", rr, err)
	}
	if _, err := e.m.Remove(ctx(t), "g1", "golgi"); !errors.Is(err, corpus.ErrNoSuchEntry) {
		t.Fatalf("removing twice: %v", err)
	}
	if _, err := e.m.Remove(ctx(t), "g1", "aid-soviet"); !errors.Is(err, corpus.ErrNoSuchEntry) {
		t.Fatalf("removing a shared entry: %v", err)
	}
	if got := ids(e.scope("g1").Index); got != "aid-soviet,cell,lysosome,ribosome" {
		t.Fatalf("after removals g1 sees %s", got)
	}

	zipped, n, err := e.m.Export(ctx(t), "g1")
	if err != nil || n != 3 {
		t.Fatalf("Export: %d files, %v", n, err)
	}
	got := unzipAll(t, zipped)
	wantJSONL := strings.Replace(organelle, `{"id": "golgi", "title": "Golgi apparatus", "text": "Camillo Golgi described the apparatus in 1898.", "source": "Biology notes, ch. 2"}`+"\n", "", 1)
	if got["organelles.jsonl"] != wantJSONL || !strings.Contains(got["cell.md"], "Micrographia") || got["README.md"] != "# About these notes\n" || len(got) != 3 {
		t.Fatalf("export = %q", got)
	}

	// The export uploads again, as it is, into another server.
	var again []upload.File
	for name, data := range got {
		again = append(again, upload.File{Name: name, Data: []byte(data)})
	}
	sort.Slice(again, func(i, j int) bool { return again[i].Name < again[j].Name })
	e.add("g2", again...)
	if ids(e.scope("g2").Index) != ids(e.scope("g1").Index) {
		t.Errorf("re-imported export: %s, want %s", ids(e.scope("g2").Index), ids(e.scope("g1").Index))
	}
}

func unzipAll(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(data)
	}
	return out
}

// Per-server indexes stay within their memory budget, least recently used
// out first, and come back when needed.
func TestCacheBudget(t *testing.T) {
	e := newEnv(t, corpus.Options{})
	for k := 0; k < 6; k++ {
		e.add(fmt.Sprintf("g%d", k), files("organelles.jsonl", organelle)...)
	}
	// What one server's two indexes cost.
	probe := newEnv(t, corpus.Options{})
	probe.add("p", files("organelles.jsonl", organelle)...)
	probe.scope("p")
	perServer := probe.m.CacheStats().Bytes

	e2 := newEnvAt(t, e.loc, e.shared, corpus.Options{Budget: perServer * 3})
	for k := 0; k < 6; k++ {
		if got := ids(e2.scope(fmt.Sprintf("g%d", k)).Index); got != "aid-soviet,golgi,lysosome,ribosome" {
			t.Fatalf("g%d sees %s", k, got)
		}
	}
	st := e2.m.CacheStats()
	t.Logf("one server's indexes: %d B; budget %d B; cache after 6 servers: %d indexes, %d B", perServer, st.Budget, st.Indexes, st.Bytes)
	if st.Bytes > st.Budget || st.Indexes > 6 || st.Indexes < 2 {
		t.Errorf("cache %+v over its budget", st)
	}
	if v := counter(t, e2.reg, "footnote_guild_index_evictions_total"); v < 6 {
		t.Errorf("%v evictions, want at least 6", v)
	}
	// The most recent server is still in memory: no build.
	builds := counter(t, e2.reg, "footnote_guild_index_builds_total")
	e2.scope("g5")
	if counter(t, e2.reg, "footnote_guild_index_builds_total") != builds {
		t.Error("the most recently used server's index was rebuilt")
	}
	// An evicted one is built again, and answers.
	if got := ids(e2.scope("g0").Index); got != "aid-soviet,golgi,lysosome,ribosome" {
		t.Fatalf("g0 after eviction sees %s", got)
	}
}

// Two replicas on one store: a change made through one reaches the other
// within seconds, settings included.
func TestReplicasFollow(t *testing.T) {
	loc := storetest.SQLite(t)
	shared := knowledge.NewStore(sharedIndex(t))
	a := newEnvAt(t, loc, shared, corpus.Options{})
	b := newEnvAt(t, loc, shared, corpus.Options{Poll: 50 * time.Millisecond})
	fctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := b.m.Follow(fctx); err != nil {
		t.Fatal(err)
	}
	// b has g1 in memory, empty, before a adds to it.
	if got := ids(b.scope("g1").Index); got != "aid-soviet" {
		t.Fatalf("b sees %s", got)
	}
	a.add("g1", files("cell.md", cellMD)...)
	waitFor(t, func() bool { return ids(b.scope("g1").Index) == "aid-soviet,cell" })
	if _, err := a.m.UpdateSettings(ctx(t), "g1", func(g *store.GuildSettings) error { g.Private = true; g.Sources = store.SourcesOwn; return nil }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { sc := b.scope("g1"); return sc.Settings.Private && ids(sc.Index) == "cell" })
	if _, err := a.m.Remove(ctx(t), "g1", "cell"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return b.scope("g1").Index == nil })
}

// A reload of the shared corpus reaches the servers' combined indexes: the
// old one answers until the new one is built.
func TestSharedReload(t *testing.T) {
	e := newEnv(t, corpus.Options{})
	e.add("g1", files("cell.md", cellMD)...)
	if got := ids(e.scope("g1").Index); got != "aid-soviet,cell" {
		t.Fatalf("g1 sees %s", got)
	}
	next, _ := knowledge.Build([]knowledge.Entry{{ID: "quinine", Title: "Quinine", Text: "Quinine treats malaria.", Source: "Shared"}})
	e.shared.Swap(next)
	waitFor(t, func() bool { return ids(e.scope("g1").Index) == "cell,quinine" })
}

// Many servers asked at once, while their corpora change: every scope is
// whole, never another server's. Run with -race.
func TestConcurrentScopes(t *testing.T) {
	e := newEnv(t, corpus.Options{Budget: 1})
	for k := 0; k < 4; k++ {
		e.add(fmt.Sprintf("g%d", k), files(fmt.Sprintf("n%d.jsonl", k), fmt.Sprintf(`{"id": "only-g%d", "title": "Only g%d", "text": "Private to g%d."}`+"\n", k, k, k))...)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 40; n++ {
				g := (w + n) % 4
				sc, err := e.m.Scope(ctx(t), fmt.Sprintf("g%d", g))
				if err != nil {
					errs <- err
					return
				}
				for _, en := range sc.Index.Entries() {
					if strings.HasPrefix(en.ID, "only-") && en.ID != fmt.Sprintf("only-g%d", g) {
						errs <- fmt.Errorf("g%d sees %s", g, en.ID)
						return
					}
				}
			}
		}()
	}
	for k := 0; k < 4; k++ {
		e.add(fmt.Sprintf("g%d", k), files(fmt.Sprintf("m%d.md", k), fmt.Sprintf("# More g%d\n\nMore for g%d.\n", k, k))...)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}
