package knowledge

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/footnote-bot/footnote/seeds"
)

func openFixture(t testing.TB) *Index {
	t.Helper()
	ix, rep, err := Open("testdata/corpus", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("fixture corpus has errors: %v", rep.Errors)
	}
	return ix
}

func TestLoadFixtureCorpus(t *testing.T) {
	ix, rep, err := Open("testdata/corpus", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 4 || rep.FailedFiles != 0 || rep.Entries != 6 {
		t.Errorf("report = %d files, %d failed, %d entries; want 4, 0, 6", rep.Files, rep.FailedFiles, rep.Entries)
	}
	tests := []struct {
		id, title, source string
		seeAlso           []string
	}{
		{"aid-soviet", "AID, SOVIET", "Christopher E. Goscha", []string{"AID, AMERICAN", "AID, CHINESE COMMUNIST", "AID, MALAYSIA"}},
		{"le-van-duc", "LÊ VĂN ĐỨC (BA ĐỨC) (1901–1962)", "Footnote test fixtures", []string{"NAM BỘ RIVER FLEET", "RICE TRADE"}},
		{"fleet", "NAM BỘ RIVER FLEET", "", []string{"LÊ VĂN ĐỨC", "RICE TRADE"}},
		{"rice-trade", "RICE TRADE", "Footnote test fixtures", []string{"NAM BỘ RIVER FLEET", "SALT TAX"}},
		{"salt-tax", "SALT TAX", "Footnote test fixtures", nil},
		{"monsoon-calendar", "Monsoon calendar", "", nil},
	}
	for _, tt := range tests {
		e, ok := ix.Entry(tt.id)
		if !ok {
			t.Errorf("entry %q not loaded", tt.id)
			continue
		}
		if e.Title != tt.title || !strings.Contains(e.Source, tt.source) || strings.Join(e.SeeAlso, "|") != strings.Join(tt.seeAlso, "|") {
			t.Errorf("entry %q: title %q source %q see also %q; want %q, %q, %q", tt.id, e.Title, e.Source, e.SeeAlso, tt.title, tt.source, tt.seeAlso)
		}
	}
	// Markdown formatting is stripped, the words are kept.
	e, _ := ix.Entry("le-van-duc")
	if strings.Contains(e.Text, "**") || !strings.Contains(e.Text, "organised the Nam Bộ river fleet in 1946.") {
		t.Errorf("markdown not stripped as expected: %q", e.Text)
	}
	// Dangling references and missing sources are warnings.
	var warnings []string
	for _, w := range rep.Warnings {
		warnings = append(warnings, w.Error())
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{`see also "AID, AMERICAN" is not in this corpus`, `entry "fleet" has no source`, "fleet.txt:3:"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, `"RICE TRADE" is not in`) || strings.Contains(all, `"LÊ VĂN ĐỨC" is not in`) {
		t.Errorf("resolvable references reported as dangling:\n%s", all)
	}
}

// The seed must be embedded byte for byte: quotes must match the source.
func TestSeedEmbeddedVerbatim(t *testing.T) {
	data, err := seeds.FS.ReadFile("aid-soviet.md")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _, err := splitFrontMatter(data)
	if err != nil {
		t.Fatal(err)
	}
	ix, rep, err := Open("", LoadOptions{})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("open seeds: %v %v", err, rep.Errors)
	}
	e, ok := ix.Entry("aid-soviet")
	if !ok {
		t.Fatal("seed entry missing")
	}
	if e.Text != string(body) {
		t.Errorf("seed text differs from the file body")
	}
	for _, s := range ix.Sentences("aid-soviet") {
		if !bytes.Contains(body, []byte(s)) {
			t.Errorf("sentence is not verbatim: %q", s)
		}
		if strings.HasPrefix(s, "See also") {
			t.Errorf("See also sentence is quotable: %q", s)
		}
	}
}

func TestLoadBrokenFiles(t *testing.T) {
	entries, rep, err := LoadDir("testdata/broken", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if got := strings.Join(ids, ","); got != "good,ok-1,ok-2" {
		t.Errorf("loaded %q, want the good entries good,ok-1,ok-2", got)
	}
	if rep.Files != 5 || rep.FailedFiles != 4 {
		t.Errorf("files %d failed %d, want 5 and 4", rep.Files, rep.FailedFiles)
	}
	var msgs []string
	for _, e := range rep.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"testdata/broken/bad-front-matter.md:2: front matter",
		"testdata/broken/unclosed.md:1: front matter opened with --- is never closed",
		"testdata/broken/invalid-utf8.txt:2: invalid UTF-8",
		"testdata/broken/lines.jsonl:2: bad JSON",
		"testdata/broken/lines.jsonl:4: bad JSON",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
}

func TestLoadHugeLine(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	b.WriteString(`{"id": "before", "title": "BEFORE", "text": "Loaded before the long line."}` + "\n")
	b.WriteString(`{"id": "huge", "title": "HUGE", "text": "`)
	b.Write(bytes.Repeat([]byte("a"), 50<<20))
	b.WriteString("\"}\n")
	b.WriteString(`{"id": "after", "title": "AFTER", "text": "Loaded after the long line."}` + "\n")
	if err := os.WriteFile(filepath.Join(dir, "big.jsonl"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rep, err := Open(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "big.jsonl:2: line is longer than") {
		t.Errorf("errors = %v, want one naming big.jsonl:2", rep.Errors)
	}
	for _, id := range []string{"before", "after"} {
		if _, ok := ix.Entry(id); !ok {
			t.Errorf("entry %q lost next to the huge line", id)
		}
	}
}

func TestDuplicatesReported(t *testing.T) {
	fsys := fstest.MapFS{
		"a.jsonl": {Data: []byte(`{"id": "x", "title": "SAME", "text": "First.", "source": "s"}
{"id": "x", "title": "OTHER", "text": "Second.", "source": "s"}
{"id": "y", "title": "same", "text": "Third.", "source": "s"}
`)},
	}
	entries, rep, err := LoadFS(fsys, LoadOptions{})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	ix, problems := Build(entries)
	if ix.Stats().Entries != 2 {
		t.Errorf("entries = %d, want 2 (the duplicate id skipped)", ix.Stats().Entries)
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, `duplicate id "x"`) || !strings.Contains(all, `duplicate title "same"`) {
		t.Errorf("problems = %s", all)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	if _, _, err := Open(filepath.Join(t.TempDir(), "nope"), LoadOptions{}); err == nil {
		t.Error("no error for a missing directory")
	}
}

func TestTextTitleDetection(t *testing.T) {
	tests := []struct {
		name, data, title string
	}{
		{"notes.txt", "HEADWORD\n\nBody text.", "HEADWORD"},
		{"notes.txt", "This is a sentence.\n\nBody.", "notes"},
		{"notes.txt", "No blank line after\nthe first line.", "notes"},
		{"notes.txt", "Just one line of text.", "notes"},
	}
	for _, tt := range tests {
		e, err := parseText(tt.name, []byte(tt.data))
		if err != nil {
			t.Fatal(err)
		}
		if e.Title != tt.title {
			t.Errorf("title of %q = %q, want %q", tt.data, e.Title, tt.title)
		}
	}
}

func TestProgressReported(t *testing.T) {
	var last, total int64
	_, _, err := Open("testdata/corpus", LoadOptions{Workers: 1, Progress: func(done, all int64) { last, total = done, all }})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || last < total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
}

// A corpus directory may hold its README and the questions used to
// evaluate it (as the SQuAD set does): neither becomes an entry.
func TestSkipsDocumentationAndQuestions(t *testing.T) {
	fsys := fstest.MapFS{
		"entries.jsonl":   {Data: []byte(`{"id": "a", "title": "A", "text": "An entry.", "source": "s"}` + "\n")},
		"questions.jsonl": {Data: []byte(`{"id": "q1", "q": "What?", "entry": "a", "answers": ["x"]}` + "\n" + `{"id": "q2", "q": "Who?", "entry": null, "answer": null}` + "\n")},
		"README.md":       {Data: []byte("# About this corpus\n\nIt is a test.\n")},
		"sub/LICENSE.txt": {Data: []byte("Licence text.\n")},
		"mixed.jsonl":     {Data: []byte(`{"id": "b", "title": "B", "text": "Another."}` + "\n" + `{"id": "q3", "q": "Why?"}` + "\n")},
	}
	entries, rep, err := LoadFS(fsys, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if got := strings.Join(ids, ","); got != "a,b" {
		t.Errorf("entries %q, want a,b", got)
	}
	if len(rep.Skipped) != 3 {
		t.Errorf("skipped %v, want README.md, LICENSE.txt and questions.jsonl", rep.Skipped)
	}
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "mixed.jsonl:2: a question") {
		t.Errorf("errors %v, want the question line of mixed.jsonl", rep.Errors)
	}
}

// Texts are kept encoded: every entry must come back byte for byte.
func TestTextRoundTrip(t *testing.T) {
	for _, dir := range []string{"testdata/corpus", "testdata/broken"} {
		entries, _, err := LoadDir(dir, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		fields := map[string]string{} // what compaction must keep, per entry
		describe := func(e *Entry) string {
			return fmt.Sprintf("%s|%s|%s|%s|%q|%q", e.Title, e.Source, e.URL, e.File, e.Aliases, e.Tags)
		}
		for i := range entries {
			want[entries[i].ID] = entries[i].Text
			fields[entries[i].ID] = describe(&entries[i])
		}
		entries = append(entries, Entry{ID: "odd", Title: "ODD", Text: "  leading space,\n\nthen  two spaces;   a\ttab (and a very long gap ......................... here) and a trailing gap!?  "},
			Entry{ID: "empty", Title: "EMPTY", Text: ""}, Entry{ID: "gaponly", Title: "GAP", Text: " ... "})
		quoted := "“A quoted opening.” (Then a parenthesis.) " + strings.Repeat("— ", 150) + "A sentence far from the last word. Ends here."
		entries = append(entries, Entry{ID: "quoted", Title: "QUOTED", Text: quoted})
		want["odd"], want["empty"], want["gaponly"], want["quoted"] = entries[len(entries)-4].Text, "", " ... ", quoted
		ix, _ := Build(entries)
		for id, text := range want {
			e, ok := ix.Entry(id)
			if !ok || e.Text != text {
				t.Errorf("%s: entry %q text %q, want %q", dir, id, e.Text, text)
			}
			if f, ok := fields[id]; ok && describe(e) != f {
				t.Errorf("%s: entry %q kept as %s, loaded as %s", dir, id, describe(e), f)
			}
		}
		checkSentenceTexts(t, ix)
	}
}

// checkSentenceTexts compares every sentence decoded on its own (from its
// checkpoint) with the same bytes of its entry's whole text.
func checkSentenceTexts(t testing.TB, ix *Index) {
	t.Helper()
	for s, st := range ix.sents {
		full := ix.textOf(st.entry)
		if got, want := ix.sentenceText(uint32(s)), full[st.start:st.end]; got != want {
			t.Fatalf("entry %q sentence %d decoded alone: %q, want %q", ix.entries[st.entry].ID, s, got, want)
		}
	}
}
