package knowledge

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
)

func mathExp(x float64) float64 { return math.Exp(x) }

// Store holds the current index and swaps in a new one atomically, so a
// reload never blocks or disturbs the questions being answered.
type Store struct{ p atomic.Pointer[Index] }

// NewStore returns a store holding ix.
func NewStore(ix *Index) *Store {
	s := &Store{}
	s.p.Store(ix)
	return s
}

// Index returns the current index.
func (s *Store) Index() *Index { return s.p.Load() }

// Swap replaces the current index and returns the old one.
func (s *Store) Swap(ix *Index) *Index { return s.p.Swap(ix) }

// Entry returns an entry by id, its text included (a copy: the index
// keeps texts encoded, see textcodec.go).
func (ix *Index) Entry(id string) (*Entry, bool) {
	e, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	en := *ix.entries[e]
	en.Text = ix.textOf(e)
	return &en, true
}

// Named returns the entry that name names exactly: its id, or one of its
// titles or aliases in any of the forms title lookup knows (case, accents
// and punctuation aside, a dictionary headword in natural order, a
// parenthetical alias). A misspelt or partial name is not exact: use
// LookupTitle for the closest entries.
func (ix *Index) Named(name string) (*Entry, bool) {
	name = strings.TrimSpace(name)
	if e, ok := ix.Entry(name); ok {
		return e, true
	}
	q := titleKey(name)
	if q == "" {
		return nil, false
	}
	for _, m := range ix.LookupTitle(name, 10) {
		e, ok := ix.byID[m.EntryID]
		if !ok {
			continue
		}
		if slices.Contains(entryKeys(ix.entries[e]), q) {
			return ix.Entry(m.EntryID)
		}
	}
	return nil, false
}

// Entries returns all entries in id order, without their text (Entry has
// it). The slice and the entries are shared: do not modify them.
func (ix *Index) Entries() []*Entry { return ix.entries }

// Sentences returns the quotable sentences of an entry, verbatim, in
// order; its closing See also sentence is not among them.
func (ix *Index) Sentences(id string) []string {
	e, ok := ix.byID[id]
	if !ok {
		return nil
	}
	text := ix.textOf(e)
	var out []string
	for _, s := range ix.sents[ix.entrySents[e]:ix.entrySents[e+1]] {
		out = append(out, text[s.start:s.end])
	}
	return out
}

// Stats describes the index.
func (ix *Index) Stats() Stats {
	return Stats{Entries: len(ix.entries), Sentences: len(ix.sents), Terms: len(ix.termText), TextBytes: ix.textBytes}
}

// Related returns the entries related to id, at most limit (<= 0: 10):
// its See also (in the corpus or not), the entries whose See also names
// it, then the entries most similar to it.
func (ix *Index) Related(id string, limit int) []Related {
	if limit <= 0 {
		limit = 10
	}
	e, ok := ix.byID[id]
	if !ok {
		return nil
	}
	out := []Related{}
	seen := map[string]bool{id: true}
	for _, r := range ix.refs.at(e) {
		if r.entry < 0 {
			out = append(out, Related{Title: r.title, Relation: SeeAlso})
			continue
		}
		en := ix.entries[r.entry]
		if !seen[en.ID] {
			seen[en.ID] = true
			out = append(out, Related{EntryID: en.ID, Title: en.Title, InCorpus: true, Relation: SeeAlso})
		}
	}
	for _, from := range ix.referrers.at(e) {
		en := ix.entries[from]
		if !seen[en.ID] {
			seen[en.ID] = true
			out = append(out, Related{EntryID: en.ID, Title: en.Title, InCorpus: true, Relation: ReferencedBy})
		}
	}
	if len(out) < limit {
		for _, s := range ix.similar(e, limit) {
			en := ix.entries[s]
			if !seen[en.ID] {
				seen[en.ID] = true
				out = append(out, Related{EntryID: en.ID, Title: en.Title, InCorpus: true, Relation: Similar})
			}
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// maxSimilarPostings bounds the work of similar(): terms in more
// entries than this are not distinctive.
const maxSimilarPostings = 512

// What makes another entry similar enough to list: it shares at least
// minSharedTerms of the entry's distinctive terms (one rare word in common
// is often chance), and scores at least minSimilarShare of the best one.
const (
	minSharedTerms  = 2
	minSimilarShare = 0.4
	// sharedUnit counts shared terms inside an accumulated score: the sum
	// of a dozen idfs stays far below it.
	sharedUnit = 1 << 16
)

// similarLimit is how many similar entries an entry of a corpus of n
// lists at most: a quarter of the others, at least one. In a small corpus
// every entry shares some words with every other; listing them all says
// nothing.
func similarLimit(n int) int {
	return max(1, (n-1)/4)
}

// distinctiveDF is the most entries a term may appear in and still tell
// entries apart: a quarter of the corpus, at least 2 (a term no other
// entry has links to none), at most maxSimilarPostings.
func distinctiveDF(n int) int {
	return min(maxSimilarPostings, max(2, n/4))
}

// similar ranks other entries by the distinctive terms they share with
// entry e (its rarest terms, chosen at build time), weighted by rarity,
// and keeps those that share enough to be worth reading next.
func (ix *Index) similar(e uint32, n int) []uint32 {
	acc := ix.accumulator()
	defer ix.release(acc)
	nE := float64(len(ix.entries))
	maxDF := distinctiveDF(len(ix.entries))
	for _, t := range ix.distinct.at(e) {
		df := ix.entryDF[t]
		if int(df) > maxDF {
			continue // too common to tell entries apart, and slow to read
		}
		idf := math.Log(1 + (nE-float64(df)+0.5)/(float64(df)+0.5))
		ix.forEachEntry(t, func(o, _ uint32, _ int) {
			if o != e {
				acc.add(o, sharedUnit+idf)
			}
		})
	}
	// Split each score into terms shared and their weight, and keep the
	// entries that share enough, best weight first.
	cands := acc.cands[:0]
	defer func() { acc.cands = cands[:0] }()
	best := 0.0
	for _, o := range acc.touched {
		shared := math.Floor(acc.score[o] / sharedUnit)
		score := acc.score[o] - shared*sharedUnit
		if shared < minSharedTerms {
			continue
		}
		cands = append(cands, similarCand{o, score})
		best = max(best, score)
	}
	slices.SortFunc(cands, func(a, b similarCand) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.e, b.e)
	})
	n = min(n, similarLimit(len(ix.entries)))
	var out []uint32
	for _, c := range cands {
		if len(out) == n || c.score < minSimilarShare*best {
			break
		}
		out = append(out, c.e)
	}
	return out
}

// entryAcc accumulates scores per entry, densely, remembering which
// entries it touched so that clearing it costs what filling it did.
type entryAcc struct {
	score   []float64
	touched []uint32
	cands   []similarCand // similar()'s working list, kept for reuse
}

// similarCand is an entry similar() considers, with its weight.
type similarCand struct {
	e     uint32
	score float64
}

func (ix *Index) accumulator() *entryAcc {
	if acc, ok := ix.accPool.Get().(*entryAcc); ok {
		return acc
	}
	return &entryAcc{score: make([]float64, len(ix.entries))}
}

func (ix *Index) release(acc *entryAcc) {
	for _, e := range acc.touched {
		acc.score[e] = 0
	}
	acc.touched = acc.touched[:0]
	ix.accPool.Put(acc)
}

func (acc *entryAcc) add(e uint32, v float64) {
	if acc.score[e] == 0 {
		acc.touched = append(acc.touched, e)
	}
	acc.score[e] += v
}

// top returns the n best-scored entries, best first (ties: lower position
// first), without sorting them all.
func (acc *entryAcc) top(n int) []uint32 {
	better := func(a, b uint32) bool {
		if acc.score[a] != acc.score[b] {
			return acc.score[a] > acc.score[b]
		}
		return a < b
	}
	top := make([]uint32, 0, n+1)
	for _, e := range acc.touched {
		if len(top) == n && !better(e, top[n-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return better(e, top[i]) })
		top = append(top, 0)
		copy(top[i+1:], top[i:])
		top[i] = e
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// RandomFact picks a sentence worth reading on its own: one with a figure,
// a date or a name, of a readable length.
func (ix *Index) RandomFact(r *rand.Rand) (Fact, bool) {
	if len(ix.sents) == 0 {
		return Fact{}, false
	}
	for try := 0; try < 64; try++ {
		s := uint32(r.IntN(len(ix.sents)))
		st := ix.sents[s]
		if st.features == 0 || st.end-st.start < 40 || st.end-st.start > 400 {
			continue
		}
		return ix.fact(s, 0), true
	}
	return ix.fact(uint32(r.IntN(len(ix.sents))), 0), true
}

// Search returns the best entries for free terms (at most limit; <= 0:
// 10), each with its best matching sentence and the spans that matched.
func (ix *Index) Search(query string, limit int) []SearchHit {
	if limit <= 0 {
		limit = 10
	}
	q := query
	if len(q) > MaxQuestionLen {
		q = q[:MaxQuestionLen]
	}
	qu := ix.parseQuery(q)
	ranked, _ := ix.rank(qu, max(rerankDepth, 4*limit))
	var out []SearchHit
	seen := map[uint32]bool{}
	st := stemmerPool.Get().(*stemmer)
	defer stemmerPool.Put(st)
	for _, r := range ranked {
		s := ix.sents[r.sent]
		if seen[s.entry] {
			continue
		}
		seen[s.entry] = true
		en := ix.entries[s.entry]
		hit := SearchHit{EntryID: en.ID, Title: en.Title, Snippet: r.text, Score: r.score}
		for _, tk := range tokenize(r.text, nil) {
			if isStopWord(tk.word) {
				continue
			}
			id, ok := ix.terms[st.term(tk.word)]
			if !ok {
				continue
			}
			for _, t := range qu.terms {
				if t.id == id {
					hit.Spans = append(hit.Spans, [2]int{tk.start, tk.end})
					break
				}
			}
		}
		out = append(out, hit)
		if len(out) >= limit {
			break
		}
	}
	return out
}
