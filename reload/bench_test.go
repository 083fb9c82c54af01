package reload_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/internal/gen"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/reload"
)

// BenchmarkReload reloads a generated corpus of 10,000 entries: what an
// operator's edit costs, from the read to the swap.
func BenchmarkReload(b *testing.B) {
	for _, n := range []int{10000} {
		dir := b.TempDir()
		if _, err := gen.Write(dir, gen.Options{Entries: n, Seed: 1, Questions: 1}); err != nil {
			b.Fatal(err)
		}
		ix, rep, err := knowledge.Open(dir, knowledge.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		r := reload.New(dir, knowledge.NewStore(ix), reload.Options{Logger: slog.New(slog.DiscardHandler)})
		r.Loaded(ix, rep, 0)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			for b.Loop() {
				if res := r.Reload(context.Background(), "bench"); res.Outcome == reload.OutcomeFailed {
					b.Fatal(res.Err)
				}
			}
			b.ReportMetric(float64(r.Last().Took)/float64(time.Millisecond), "ms/reload")
		})
	}
}
