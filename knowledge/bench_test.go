package knowledge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/footnote-bot/footnote/internal/gen"
)

// Benchmarks run on the embedded seed (1 entry) and on generated
// dictionary-like corpora (internal/gen) of 2,000 and 20,000 entries; the
// 100,000-entry figures come from "footnote bench" (see docs/performance.md).

type genCorpus struct {
	fs        fstest.MapFS
	questions []string
	titles    []string
}

var (
	genMu    sync.Mutex
	genCache = map[int]*genCorpus{}
)

func generated(b *testing.B, n int) *genCorpus {
	genMu.Lock()
	defer genMu.Unlock()
	if c, ok := genCache[n]; ok {
		return c
	}
	var entries, questions bytes.Buffer
	if _, err := gen.Generate(&entries, &questions, gen.Options{Entries: n, Seed: 1, Questions: 1000}); err != nil {
		b.Fatal(err)
	}
	c := &genCorpus{fs: fstest.MapFS{"entries.jsonl": {Data: entries.Bytes()}}}
	for _, line := range bytes.Split(questions.Bytes(), []byte("\n")) {
		var q struct {
			Q string `json:"q"`
		}
		if json.Unmarshal(line, &q) == nil && q.Q != "" {
			c.questions = append(c.questions, q.Q)
		}
	}
	genCache[n] = c
	return c
}

func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		c := generated(b, n)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(c.fs["entries.jsonl"].Data)))
			b.ReportAllocs()
			for b.Loop() {
				entries, _, err := LoadFS(c.fs, LoadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				Build(entries)
			}
		})
	}
}

func BenchmarkAsk(b *testing.B) {
	seed, _, err := Open("", LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("seed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := seed.Ask("How many films did the Soviets send?", 5); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, n := range []int{2000, 20000} {
		c := generated(b, n)
		entries, _, err := LoadFS(c.fs, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ix, _ := Build(entries)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Ask(c.questions[i%len(c.questions)], 5); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkLookupTitle(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		c := generated(b, n)
		entries, _, err := LoadFS(c.fs, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ix, _ := Build(entries)
		var queries []string
		for i, e := range ix.Entries() {
			if i%97 == 0 {
				t := Fold(e.Title)
				queries = append(queries, t[:min(len(t), 3+i%9)])
			}
		}
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.LookupTitle(queries[i%len(queries)], 25)
				i++
			}
		})
	}
}
