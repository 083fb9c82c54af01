package knowledge

import (
	"fmt"
	"slices"
	"testing"
)

func TestEntryByKey(t *testing.T) {
	var entries []Entry
	for k := range 500 {
		entries = append(entries, Entry{ID: fmt.Sprintf("entry-%03d", k), Title: fmt.Sprintf("Entry %d", k), Text: fmt.Sprintf("Text of entry %d.", k)})
	}
	ix, _ := Build(entries)
	for _, e := range ix.Entries() {
		got, ok := ix.EntryByKey(KeyOfID(e.ID))
		if !ok || got.ID != e.ID {
			t.Fatalf("EntryByKey(key of %q) = %v, %v", e.ID, got, ok)
		}
		if got.Text == "" {
			t.Errorf("EntryByKey(%q) left the text out", e.ID)
		}
	}
	for _, k := range []IDKey{KeyOfID("not-an-entry"), {}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		if e, ok := ix.EntryByKey(k); ok {
			t.Errorf("EntryByKey(%x) found %q", k, e.ID)
		}
	}
	// A key that shares its first 8 bytes with an entry's but not the
	// last 2 is not that entry.
	k := KeyOfID("entry-007")
	k[9] ^= 1
	if e, ok := ix.EntryByKey(k); ok {
		t.Errorf("a key differing in its last byte found %q", e.ID)
	}
	empty, _ := Build(nil)
	if _, ok := empty.EntryByKey(KeyOfID("x")); ok {
		t.Error("an empty index found an entry")
	}
}

func TestFirstTitles(t *testing.T) {
	titles := []string{"zebra", "Émile", "apple", "Banana", "avocado", "cherry"}
	var entries []Entry
	for k, title := range titles {
		entries = append(entries, Entry{ID: fmt.Sprintf("id-%d", len(titles)-k), Title: title, Text: "Some text."})
	}
	for k := range 40 {
		entries = append(entries, Entry{ID: fmt.Sprintf("zz-%02d", k), Title: fmt.Sprintf("zz %02d", k), Text: "More text."})
	}
	ix, _ := Build(entries)
	var got []string
	for _, m := range ix.FirstTitles(6) {
		got = append(got, m.Title)
	}
	if want := []string{"apple", "avocado", "Banana", "cherry", "Émile", "zebra"}; !slices.Equal(got, want) {
		t.Errorf("FirstTitles(6) = %q, want %q", got, want)
	}
	if n := len(ix.FirstTitles(0)); n != maxFirstTitles {
		t.Errorf("FirstTitles(0) gave %d, want %d", n, maxFirstTitles)
	}
	if n := len(ix.FirstTitles(1000)); n != maxFirstTitles {
		t.Errorf("FirstTitles(1000) gave %d, want %d", n, maxFirstTitles)
	}
	few, _ := Build(entries[:2])
	if n := len(few.FirstTitles(25)); n != 2 {
		t.Errorf("FirstTitles of 2 entries gave %d", n)
	}
}
