package knowledge

import (
	"bytes"
	"runtime"
	"testing"
	"testing/fstest"

	"github.com/footnote-bot/footnote/internal/gen"
)

// MemoryBytes is within a factor of two of what the index keeps on the
// heap, at a few corpus sizes.
func TestMemoryBytes(t *testing.T) {
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// build makes an index whose garbage (the generated text, the
	// entries as read) is all gone once it returns.
	build := func(n int) *Index {
		var raw, questions bytes.Buffer
		if _, err := gen.Generate(&raw, &questions, gen.Options{Entries: n, Seed: 3, Questions: 1}); err != nil {
			t.Fatal(err)
		}
		entries, _, err := LoadFS(fstest.MapFS{"entries.jsonl": {Data: raw.Bytes()}}, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ix, _ := Build(entries)
		return ix
	}
	for _, n := range []int{50, 2000} {
		before := heap()
		ix := build(n)
		kept := int64(heap()) - int64(before)
		est := ix.MemoryBytes()
		runtime.KeepAlive(ix)
		t.Logf("%d entries: estimate %d B, heap kept %d B", n, est, kept)
		if kept <= 0 {
			t.Fatalf("no heap growth measured (%d)", kept)
		}
		if est < kept/2 || est > kept*2 {
			t.Errorf("%d entries: estimate %d B is not within a factor of 2 of the %d B kept", n, est, kept)
		}
	}
}
