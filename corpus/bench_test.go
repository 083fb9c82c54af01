package corpus_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"testing/fstest"

	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/internal/gen"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/store/storetest"
)

// BenchmarkFirstScope is what a server with notes of its own costs the
// first time it asks, over a shared corpus of n entries: reading its
// files from the store, indexing them, and indexing them with the shared
// entries; and the memory that index holds.
func BenchmarkFirstScope(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var raw, q bytes.Buffer
		if _, err := gen.Generate(&raw, &q, gen.Options{Entries: n, Seed: 2, Questions: 1}); err != nil {
			b.Fatal(err)
		}
		entries, _, err := knowledge.LoadFS(fstest.MapFS{"e.jsonl": {Data: raw.Bytes()}}, knowledge.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		shared, _ := knowledge.Build(entries)
		st, err := store.Open(context.Background(), storetest.SQLite(b))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		m := corpus.New(knowledge.NewStore(shared), st, corpus.Options{Logger: slog.New(slog.DiscardHandler), Budget: 1})
		const guilds = 64
		for g := 0; g < guilds; g++ {
			if _, err := m.Add(context.Background(), fmt.Sprint("g", g), "u", files("cell.md", cellMD, "organelles.jsonl", organelle), nil); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("shared=%d", n), func(b *testing.B) {
			k := 0
			var bytes int64
			for b.Loop() {
				// Budget 1: every server's index is built anew.
				sc, err := m.Scope(context.Background(), fmt.Sprint("g", k%guilds))
				if err != nil {
					b.Fatal(err)
				}
				bytes = sc.Index.MemoryBytes()
				k++
			}
			b.ReportMetric(float64(bytes)/(1<<20), "MiB/index")
			b.ReportMetric(float64(shared.MemoryBytes())/(1<<20), "MiB/shared")
		})
	}
}
