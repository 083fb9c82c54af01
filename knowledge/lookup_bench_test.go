package knowledge

import (
	"fmt"
	"testing"
)

// BenchmarkEntryLookups compares the ways a member names an entry: by id,
// by the key an id token decodes to (a real one and a made-up one), and
// the list shown before anything is typed. None of them may cost in
// proportion to the corpus.
func BenchmarkEntryLookups(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		c := generated(b, n)
		entries, _, err := LoadFS(c.fs, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ix, _ := Build(entries)
		id := ix.Entries()[n/2].ID
		real, madeUp := KeyOfID(id), KeyOfID("no such entry")
		b.Run(fmt.Sprintf("entries=%d/id", n), func(b *testing.B) {
			for b.Loop() {
				ix.Entry(id)
			}
		})
		b.Run(fmt.Sprintf("entries=%d/key", n), func(b *testing.B) {
			for b.Loop() {
				ix.EntryByKey(real)
			}
		})
		b.Run(fmt.Sprintf("entries=%d/made-up-key", n), func(b *testing.B) {
			for b.Loop() {
				ix.EntryByKey(madeUp)
			}
		})
		b.Run(fmt.Sprintf("entries=%d/first-titles", n), func(b *testing.B) {
			for b.Loop() {
				ix.FirstTitles(25)
			}
		})
	}
}
