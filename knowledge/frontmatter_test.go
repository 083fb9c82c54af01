package knowledge

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestAuthoringReport loads testdata/authoring, one file for each mistake
// an author makes in front matter, and compares what footnote check would
// list with testdata/authoring.golden: every problem at the line of the
// file that holds it, in words an author can act on.
func TestAuthoringReport(t *testing.T) {
	_, rep, err := Open("testdata/authoring", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "error: %v\n", e)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(&b, "warning: %v\n", w)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(&b, "skipped: %v\n", s)
	}
	fmt.Fprintf(&b, "files %d, failed %d, entries %d\n", rep.Files, rep.FailedFiles, rep.Entries)
	got := b.String()
	golden := filepath.Join("testdata", "authoring.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./knowledge -run TestAuthoringReport -update)", err)
	}
	if got != string(want) {
		t.Errorf("report differs from %s:\n%s", golden, got)
	}
}

// Every front-matter mistake is reported at its line of the file (the
// front matter starts on line 2), whatever line yaml.v3 would name.
func TestFrontMatterErrorLines(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		says      string
	}{
		{"unclosed list", "---\ntitle: CELL\naliases: [plasma membrane\nsource: x\n---\nBody.\n", 3, `"[" is not closed`},
		{"unclosed list on the first line", "---\naliases: [a, b\n---\nBody.\n", 2, `"[" is not closed`},
		{"unclosed list, then more fields", "---\naliases: [a, b\ntags: [c]\n---\nBody.\n", 2, `"[" is not closed`},
		{"multi-line list then an error", "---\naliases: [a,\n  b]\ntitle: A: B\n---\nBody.\n", 4, `holds ": "`},
		{"unclosed group", "---\ntitle: CELL\nextra: {a: 1\n---\nBody.\n", 3, `"{" is not closed`},
		{"colon in a value", "---\nsource: Notes\ntitle: Cells: the basics\n---\nBody.\n", 3, `holds ": "`},
		{"unclosed quote", "---\ntitle: CELL\nsource: \"Course notes\n---\nBody.\n", 3, "never closed"},
		{"tab indentation", "---\ntitle: TABS\naliases:\n\t- tab\n---\nBody.\n", 4, "indented with a tab"},
		{"tab after a field", "---\ntitle:\tTABS\nsource:\n\t\tx\n---\nBody.\n", 4, "indented with a tab"},
		{"reserved character", "---\ntitle: @home\n---\nBody.\n", 2, "reserves"},
		{"bad indentation", "---\ntitle: CELL\n  source: x\n---\nBody.\n", 3, `holds ": "`},
		{"text instead of a title", "---\ntitle: [A, B]\n---\nBody.\n", 2, `"title" must be one text, not a list`},
		{"mapping instead of aliases", "---\naliases:\n  name: x\n---\nBody.\n", 2, `"aliases" must be a list (or one text)`},
		{"nested list item", "---\nsee_also:\n  - [A]\n---\nBody.\n", 2, `"see_also" must be a list of texts`},
		{"field given twice", "---\ntitle: A\nsource: s\ntitle: B\n---\nBody.\n", 4, `"title" is given twice (lines 2 and 4)`},
		{"a list, not fields", "---\n- a\n- b\n---\nBody.\n", 2, `want "field: value" lines`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseMarkdown("x.md", []byte(tt.src))
			le, ok := err.(*LoadError)
			if !ok {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if le.Line != tt.line || !strings.Contains(le.Err.Error(), tt.says) {
				t.Errorf("got line %d %q, want line %d and %q", le.Line, le.Err, tt.line, tt.says)
			}
			if strings.Contains(le.Err.Error(), "yaml: line") {
				t.Errorf("the message repeats yaml's own line: %q", le.Err)
			}
		})
	}
}

// A list field takes one text as a list of one; an unknown field is a
// warning that names it, the field meant and the fields there are.
func TestFrontMatterLenientLists(t *testing.T) {
	src := "---\ntitle: MEMBRANE\naliases: cell membrane\nsee_also: \"CELL\"\ntags: ~\ncolour: red\nsea_also: [X]\nTitle: y\nurl:\n---\nBody.\n"
	e, warnings, err := parseMarkdown("membrane.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(e.Aliases, "|") != "cell membrane" || strings.Join(e.SeeAlso, "|") != "CELL" || e.Tags != nil || e.URL != "" {
		t.Errorf("entry %+v", e)
	}
	want := []struct {
		line int
		says string
	}{
		{6, `unknown front-matter field "colour", ignored (the fields are id, title, aliases, source, url, see_also, tags)`},
		{7, `"sea_also", ignored: did you mean "see_also"?`},
		{8, `"Title", ignored: did you mean "title"?`},
	}
	if len(warnings) != len(want) {
		t.Fatalf("warnings %v, want %d", warnings, len(want))
	}
	for i, w := range want {
		if warnings[i].Line != w.line || !strings.Contains(warnings[i].Err.Error(), w.says) {
			t.Errorf("warning %d: line %d %q, want line %d and %q", i, warnings[i].Line, warnings[i].Err, w.line, w.says)
		}
	}
}

// A cross-reference the corpus lacks is reported at the line that names
// it: its see_also item, or the body's closing See also sentence.
func TestSeeAlsoWarningsPointAtTheirLines(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cell.md", "---\ntitle: CELL\nsource: s\nsee_also:\n  - MEMBRANE\n  - ORGANELLE\n---\nThe cell.\n\nSee also NUCLEUS.\n")
	write("membrane.md", "---\ntitle: MEMBRANE\nsource: s\nsee_also: [CELL, GHOST]\n---\nA membrane.\n")
	write("notes.txt", "NOTES\n\nSome text.\nMore text. See also PHANTOM.\n")
	write("flat.md", "---\ntitle: FLAT\nsource: s\nsee_also: LOST\n---\nFlat.\n")
	_, rep, err := Open(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range rep.Warnings {
		if title, ok := missingRef(w.Err); ok {
			got[title] = fmt.Sprintf("%s:%d", filepath.Base(w.File), w.Line)
		}
	}
	want := map[string]string{"ORGANELLE": "cell.md:6", "NUCLEUS": "cell.md:10", "GHOST": "membrane.md:4", "PHANTOM": "notes.txt:4", "LOST": "flat.md:4"}
	for title, at := range want {
		if got[title] != at {
			t.Errorf("see also %q reported at %q, want %s (all: %v)", title, got[title], at, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("missing references %v, want %v", got, want)
	}
	ix, _, _ := Open(dir, LoadOptions{})
	for _, e := range ix.Entries() {
		if e.refs != nil {
			t.Errorf("entry %q keeps its reference lines after loading", e.ID)
		}
	}
}
