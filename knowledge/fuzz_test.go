package knowledge

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoad feeds arbitrary bytes to every parser, then indexes and
// questions what loaded: nothing may panic, and every quote must stay a
// verbatim part of its entry.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("---\ntitle: T\naliases: [a, b]\n---\nBody. See also X; Y."), "x.md")
	f.Add([]byte("HEADWORD\n\nBody with 11,546 tons. Gen. A. B. Smith came."), "x.txt")
	f.Add([]byte(`{"id":"a","title":"A","text":"One. Two."}`+"\n{bad\n"), "x.jsonl")
	f.Add([]byte("---\n: : :\n---\n"), "x.md")
	f.Add([]byte("\xff\xfe"), "x.txt")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		var entries []Entry
		switch {
		case strings.HasSuffix(name, ".md"):
			if e, _, err := parseMarkdown(name, data); err == nil {
				entries = append(entries, e)
			}
		case strings.HasSuffix(name, ".jsonl"):
			es, _, _ := parseJSONL(bytes.NewReader(data), nil)
			entries = append(entries, es...)
		default:
			if e, err := parseText(name, data); err == nil {
				entries = append(entries, e)
			}
		}
		original := map[string]string{}
		for _, e := range entries {
			if _, dup := original[e.ID]; !dup {
				original[e.ID] = e.Text
			}
		}
		ix, _ := Build(entries)
		checkSentenceTexts(t, ix)
		for _, stored := range ix.Entries() {
			e, _ := ix.Entry(stored.ID)
			if want, ok := original[e.ID]; ok && e.Text != want {
				t.Fatalf("entry %q text %q, want %q", e.ID, e.Text, want)
			}
			for _, s := range ix.Sentences(e.ID) {
				if !strings.Contains(e.Text, s) {
					t.Fatalf("sentence %q not in text %q", s, e.Text)
				}
			}
			ix.Related(e.ID, 5)
			ix.LookupTitle(e.Title, 5)
		}
		q := string(data)
		if len(q) > 200 {
			q = q[:200]
		}
		if ans, err := ix.Ask(q, 3); err == nil {
			checkFacts(t, ix, ans)
		}
	})
}

// FuzzAsk questions the fixture corpus with arbitrary text.
func FuzzAsk(f *testing.F) {
	ix := openFixture(f)
	for _, q := range []string{"How many films did the Soviets send?", "katusha", "ba duc", "", "\x00", "what is the"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ans, err := ix.Ask(q, 5)
		if err != nil {
			if ans.Answered {
				t.Fatalf("answered despite error %v", err)
			}
			return
		}
		checkFacts(t, ix, ans)
		if !ans.Answered && len(ans.Facts) > 0 {
			t.Fatalf("facts without an answer: %+v", ans)
		}
		for _, m := range ix.LookupTitle(q, 25) {
			if _, ok := ix.Entry(m.EntryID); !ok {
				t.Fatalf("lookup returned unknown entry %q", m.EntryID)
			}
		}
		for _, h := range ix.Search(q, 5) {
			for _, sp := range h.Spans {
				if sp[0] < 0 || sp[1] > len(h.Snippet) || sp[0] >= sp[1] {
					t.Fatalf("bad span %v in %q", sp, h.Snippet)
				}
			}
		}
	})
}

func checkFacts(t *testing.T, ix *Index, ans Answer) {
	t.Helper()
	if len(ans.Facts) > 5 {
		t.Fatalf("%d facts", len(ans.Facts))
	}
	for _, f := range ans.Facts {
		e, ok := ix.Entry(f.EntryID)
		if !ok || !strings.Contains(e.Text, f.Text) || !utf8.ValidString(f.Text) {
			t.Fatalf("fact %q is not a quote of entry %q", f.Text, f.EntryID)
		}
	}
}
