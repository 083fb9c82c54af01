package benchrun

import (
	"context"
	"fmt"
	"time"

	"github.com/footnote-bot/footnote/knowledge"
)

// Options say what to measure.
type Options struct {
	// Dir is the corpus ("" for the embedded seeds).
	Dir string
	// Questions are asked in order, each once, after a warm-up.
	Questions []string
	// Lookups is the number of title-lookup queries (drawn by TitleQueries
	// with LookupSeed from the corpus's titles).
	Lookups    int
	LookupSeed uint64
	// Top is how many results a query asks for.
	Top int
	// Warmup is the number of untimed queries run before timing.
	Warmup int
}

// Defaults for Options fields left zero.
const (
	DefaultTop    = 10
	DefaultWarmup = 50
)

func (o *Options) fill() {
	if o.Top <= 0 {
		o.Top = DefaultTop
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	}
}

// RunFootnote loads the corpus with knowledge.Open, then times Ask on the
// questions and LookupTitle on title queries. It returns the index so that
// a caller can export what it loaded (the bench module hands the same
// sentences to bleve).
func RunFootnote(ctx context.Context, o Options) (Report, *knowledge.Index, error) {
	o.fill()
	rep := Report{Engine: "footnote", Corpus: o.Dir}
	if o.Dir == "" {
		rep.Corpus = "the embedded seeds"
	}
	base := Snapshot()
	start := time.Now()
	ix, lrep, err := knowledge.Open(o.Dir, knowledge.LoadOptions{})
	if err != nil {
		return rep, nil, fmt.Errorf("loading %s: %w", rep.Corpus, err)
	}
	rep.LoadSeconds = time.Since(start).Seconds()
	after := Snapshot()
	st := ix.Stats()
	rep.Entries, rep.Sentences, rep.LoadErrors = st.Entries, st.Sentences, len(lrep.Errors)
	rep.SetMemory(base, after)
	if err := ctx.Err(); err != nil {
		return rep, ix, err
	}

	if len(o.Questions) > 0 {
		lat, errs := Time(o.Questions, o.Warmup, func(q string) error {
			_, err := ix.Ask(q, o.Top)
			return err
		})
		rep.SetAsk(lat)
		rep.AskErrors = errs
	}
	if err := ctx.Err(); err != nil {
		return rep, ix, err
	}
	if queries := TitleQueries(Titles(ix), o.Lookups, o.LookupSeed); len(queries) > 0 {
		lat, _ := Time(queries, o.Warmup, func(q string) error {
			ix.LookupTitle(q, 25)
			return nil
		})
		rep.SetLookup(lat)
	}
	return rep, ix, ctx.Err()
}

// Titles returns the titles of an index's entries, in its order.
func Titles(ix *knowledge.Index) []string {
	entries := ix.Entries()
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Title
	}
	return out
}
