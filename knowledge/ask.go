package knowledge

import (
	"errors"
	"math"
	"math/bits"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionLen is the longest question Ask accepts, in bytes.
const MaxQuestionLen = 1000

// Errors Ask returns for questions it will not answer.
var (
	ErrEmptyQuestion   = errors.New("the question is empty")
	ErrQuestionTooLong = errors.New("the question is too long")
)

// Ranking parameters. They were tuned on the SQuAD development set for
// the kind of question (paraphrased, one sentence holds the answer), not
// for single questions; see docs/ranking.md.
var (
	k1                = 0.6
	bParam            = 0.4
	fuzzyWeight       = 0.8  // a misspelt word's match counts this much of an exact one
	entryWeight       = 0.6  // how much the entry's relevance adds to a sentence
	entryBM25Weight   = 0.5  // within it, the entry's own BM25 score
	titleWeight       = 1.4  // a question word in the entry's title or aliases
	titleDamp         = 0.2  // the same word's weight inside the entry's sentences
	contextWeight     = 0.05 // the previous sentence's relevance
	nextWeight        = 0.05 // the next sentence's relevance
	proximityBonus    = 0.06 // matched words close together
	coordWeight       = 0.3  // share of the question's weight in the sentence
	answerBonus       = 0.1  // a name where the question asks who or where
	figureBonus       = 0.3  // a figure or date where it asks how many or when
	minCoverage       = 0.34 // below this share of the question's weight in the best entry: abstain
	leadBonus         = 1.0  // the opening sentence of an entry the question names ("Who was X?")
	unknownNameWeight = 2.5  // a capitalised question word the corpus lacks
	unknownWordWeight = 0.5  // any other question word the corpus lacks
)

const (
	rerankDepth   = 10
	maxQueryTerms = 32
)

// qkind is the kind of answer a question wants.
type qkind uint8

const (
	kindAny qkind = iota
	kindFigure
	kindDate
	kindName
	kindPlace
)

// qterm is one term of a question, matched exactly or through a
// misspelling.
type qterm struct {
	id     uint32
	weight float64
	idf    float64
	idfE   float64
	bit    uint32
	cover  float64 // how much a match counts towards the question's coverage
	// inTitles: some entry's title or aliases hold the term.
	inTitles bool
}

type query struct {
	terms    []qterm
	kind     qkind
	words    map[string]bool // folded question words
	massE    float64         // entry-level idf of every content word, found or not
	unknownE float64         // entry-level idf of content words not in the corpus
	// named holds, for each content word but the fillers of a request for
	// an entry ("tell me about", "define"), the terms it matched, exactly
	// or misspelt. A question all of whose words stand in one entry's title
	// or aliases ("Who was Lê Văn Đức?", "soviet aid") asks for that entry
	// itself: see names.
	named []uint32
}

// names reports whether a title holding the terms in titleMask holds every
// word of the question: the question names the entry.
func (qu *query) names(titleMask uint32) bool {
	if len(qu.named) == 0 || titleMask == 0 {
		return false
	}
	for _, word := range qu.named {
		if word&titleMask == 0 {
			return false
		}
	}
	return true
}

// entryRequestWords ask for an entry without naming it.
var entryRequestWords = map[string]bool{
	"tell": true, "explain": true, "describe": true, "define": true, "definition": true,
	"meaning": true, "mean": true, "means": true, "know": true, "information": true, "info": true,
	"summary": true, "overview": true, "entry": true, "article": true,
}

// Ask answers a question with quoted facts, best first (at most limit;
// limit <= 0 means 5). Answered is false when nothing is relevant enough;
// Suggestions then names the closest entries.
func (ix *Index) Ask(question string, limit int) (Answer, error) {
	q := strings.TrimSpace(question)
	if q == "" {
		return Answer{Question: question}, ErrEmptyQuestion
	}
	if len(q) > MaxQuestionLen {
		return Answer{Question: question}, ErrQuestionTooLong
	}
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, " ")
	}
	if limit <= 0 {
		limit = 5
	}
	ans := Answer{Question: question, Facts: []Fact{}, Related: []Related{}, Suggestions: []Suggestion{}}
	qu := ix.parseQuery(q)
	ranked, coverage := ix.rank(qu, max(limit, 10))
	if len(ranked) == 0 || coverage < minCoverage {
		ans.Suggestions = ix.suggest(q, qu)
		return ans, nil
	}
	ans.Answered = true
	for _, r := range ranked[:min(limit, len(ranked))] {
		ans.Facts = append(ans.Facts, ix.factText(r.sent, r.score, r.text))
	}
	ans.Related = ix.Related(ix.entries[ix.sents[ranked[0].sent].entry].ID, 8)
	return ans, nil
}

func (ix *Index) fact(s uint32, score float64) Fact {
	return ix.factText(s, score, ix.sentenceText(s))
}

// factText is fact for a sentence whose text is already decoded.
func (ix *Index) factText(s uint32, score float64, text string) Fact {
	e := ix.entries[ix.sents[s].entry]
	return Fact{Text: text, EntryID: e.ID, EntryTitle: e.Title,
		Citation: e.Source, URL: e.URL, Score: math.Round(score*1000) / 1000}
}

var kindPrefixes = []struct {
	words []string
	kind  qkind
}{
	{[]string{"how", "many"}, kindFigure}, {[]string{"how", "much"}, kindFigure},
	{[]string{"what", "number"}, kindFigure}, {[]string{"what", "percentage"}, kindFigure},
	{[]string{"how", "long"}, kindFigure}, {[]string{"how", "old"}, kindFigure},
	{[]string{"how", "far"}, kindFigure}, {[]string{"how", "large"}, kindFigure},
	{[]string{"how", "big"}, kindFigure}, {[]string{"how", "tall"}, kindFigure},
	{[]string{"how", "often"}, kindFigure}, {[]string{"what", "amount"}, kindFigure},
	{[]string{"what", "year"}, kindDate}, {[]string{"which", "year"}, kindDate},
	{[]string{"what", "date"}, kindDate}, {[]string{"what", "century"}, kindDate},
	{[]string{"what", "decade"}, kindDate}, {[]string{"what", "month"}, kindDate},
	{[]string{"when"}, kindDate}, {[]string{"who"}, kindName}, {[]string{"whom"}, kindName},
	{[]string{"whose"}, kindName}, {[]string{"where"}, kindPlace},
}

// headKinds maps the noun after "what"/"which" to the kind of answer.
var headKinds = func() map[string]qkind {
	m := map[string]qkind{}
	for _, w := range strings.Fields("year years date day month century decade era period time") {
		m[w] = kindDate
	}
	for _, w := range strings.Fields("number amount percentage percent proportion population size age distance length cost price temperature") {
		m[w] = kindFigure
	}
	for _, w := range strings.Fields(`team company person man woman people group organization organisation band
		city country state nation university college party king queen emperor president leader author
		writer scientist player coach network station church dynasty empire family film movie book
		newspaper magazine river mountain region island province county town language religion`) {
		m[w] = kindName
	}
	return m
}()

func questionKind(toks []token) qkind {
	for i := range toks {
		if (toks[i].word == "what" || toks[i].word == "which") && i+1 < len(toks) {
			if k, ok := headKinds[toks[i+1].word]; ok {
				return k
			}
		}
		for _, p := range kindPrefixes {
			if i+len(p.words) > len(toks) {
				continue
			}
			match := true
			for j, w := range p.words {
				if toks[i+j].word != w {
					match = false
					break
				}
			}
			if match {
				return p.kind
			}
		}
	}
	return kindAny
}

func (ix *Index) parseQuery(q string) query {
	toks := tokenize(q, nil)
	qu := query{kind: questionKind(toks), words: make(map[string]bool, len(toks))}
	st := stemmerPool.Get().(*stemmer)
	defer stemmerPool.Put(st)
	nS := float64(len(ix.sents))
	nE := float64(len(ix.entries))
	seen := map[uint32]int{}
	seenWord := map[string]bool{}
	// add adds a term (once) and returns its bit, 0 when there are too many.
	add := func(id uint32, weight float64) uint32 {
		if i, ok := seen[id]; ok {
			qu.terms[i].weight = math.Max(qu.terms[i].weight, weight)
			return 1 << uint(i)
		}
		if len(qu.terms) >= maxQueryTerms {
			return 0
		}
		df := float64(ix.sentDF[id])
		dfE := float64(ix.entryDF[id])
		seen[id] = len(qu.terms)
		cover := 1.0
		if weight == fuzzyWeight {
			cover = 0.9
		}
		qu.terms = append(qu.terms, qterm{id: id, weight: weight, cover: cover, inTitles: ix.inTitles[id],
			idf:  math.Log(1 + (nS-df+0.5)/(df+0.5)),
			idfE: math.Log(1 + (nE-dfE+0.5)/(dfE+0.5)),
		})
		return 1 << uint(len(qu.terms)-1)
	}
	for i, tk := range toks {
		qu.words[tk.word] = true
		if isStopWord(tk.word) || seenWord[tk.word] {
			continue
		}
		seenWord[tk.word] = true
		weight := 1.0
		unknownIDF := math.Log(1 + (nE+0.5)/0.5)
		term := st.term(tk.word)
		if id, ok := ix.terms[term]; ok {
			dfE := float64(ix.entryDF[id])
			qu.massE += weight * math.Log(1+(nE-dfE+0.5)/(dfE+0.5))
			if bit := add(id, weight); !entryRequestWords[tk.word] {
				qu.named = append(qu.named, bit)
			}
			continue
		}
		// Not in the corpus: a misspelling of a word that is?
		found := false
		var bits uint32 // the misspelt word's stand-ins; none: a word no title can hold
		if len(tk.word) >= minFuzzyLen && len(tk.word) <= maxFuzzyLen && !tk.number {
			best := 0.0
			for _, id := range ix.nearTerms(term, tk.word) {
				bits |= add(id, fuzzyWeight)
				found = true
				dfE := float64(ix.entryDF[id])
				best = math.Max(best, math.Log(1+(nE-dfE+0.5)/(dfE+0.5)))
			}
			qu.massE += best
		}
		if !entryRequestWords[tk.word] {
			qu.named = append(qu.named, bits)
		}
		if !found {
			// A word the corpus does not have at all weighs like the
			// rarest word it could have had: it tells what the question
			// is about and nothing here is about it.
			w := unknownIDF
			switch {
			case tk.capital && i > 0 && len(tk.word) >= 4 && !allUpper(q[tk.start:tk.end]):
				w *= unknownNameWeight // a name the corpus has never heard of
			case !tk.number:
				w *= unknownWordWeight // a paraphrase's word more often than not
			}
			qu.massE += w
			qu.unknownE += w
		}
	}
	for i := range qu.terms {
		qu.terms[i].bit = 1 << uint(i)
	}
	return qu
}

// Typo tolerance applies to words of this many bytes: shorter ones have
// too many neighbours, longer ones are not words a person mistypes.
const (
	minFuzzyLen = 5
	maxFuzzyLen = 24
)

// allUpper reports whether a word is written in capitals ("TV", "WWI"):
// an abbreviation, not a name.
func allUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// nearTerms finds the terms of words one edit (insertion, deletion,
// substitution or transposition) from a misspelt word, looking the edits up
// among the corpus's words as written and among its stems.
func (ix *Index) nearTerms(stem, word string) []uint32 {
	var out []uint32
	seen := map[uint32]bool{}
	for _, w := range []string{word, stem} {
		if len(w) < minFuzzyLen || len(w) > maxFuzzyLen {
			continue
		}
		forEachEdit(w, func(cand []byte) {
			info, ok := ix.words[string(cand)]
			ok = ok && info.class&classStop == 0 && len(cand) >= minFuzzyLen && len(cand) <= maxFuzzyLen
			id := info.id
			if !ok {
				id, ok = ix.terms[string(cand)]
			}
			if ok && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		})
	}
	// Prefer the commonest neighbours; three is plenty.
	sort.Slice(out, func(i, j int) bool {
		if di, dj := ix.df(out[i]), ix.df(out[j]); di != dj {
			return di > dj
		}
		return out[i] < out[j]
	})
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

func (ix *Index) df(t uint32) uint32 { return ix.sentDF[t] }

const alphabet = "abcdefghijklmnopqrstuvwxyz"

// forEachEdit calls fn with every string one edit away from w. The slice
// is reused between calls.
func forEachEdit(w string, fn func([]byte)) {
	b := []byte(w)
	buf := make([]byte, 0, len(b)+1)
	for i := 0; i < len(b); i++ { // deletions
		fn(append(append(buf[:0], b[:i]...), b[i+1:]...))
	}
	for i := 0; i+1 < len(b); i++ { // transpositions
		buf = append(buf[:0], b...)
		buf[i], buf[i+1] = buf[i+1], buf[i]
		fn(buf)
	}
	for i := 0; i < len(b); i++ { // substitutions
		buf = append(buf[:0], b...)
		for c := 0; c < len(alphabet); c++ {
			if alphabet[c] == b[i] {
				continue
			}
			buf[i] = alphabet[c]
			fn(buf)
		}
	}
	for i := 0; i <= len(b); i++ { // insertions
		buf = append(append(append(buf[:0], b[:i]...), 'a'), b[i:]...)
		for c := 0; c < len(alphabet); c++ {
			buf[i] = alphabet[c]
			fn(buf)
		}
	}
}

// scratch is per-query working memory, pooled: dense accumulators over
// sentences and entries, reset through the lists of what was touched.
type scratch struct {
	sentScore    []float32
	entry        []entryState
	candidate    []bool
	titleMask    []uint32
	entryTouched []uint32
	titleTouched []uint32
	hits         []hit
	held, title  *maskSums // per query: the coverage and title weight of a set of terms
}

// entryState is what a question has found of one entry so far: what every
// posting reads and writes, kept small so that the entries a question
// touches fit in the cache.
type entryState struct {
	mask uint32  // the query terms it holds (bit i: qu.terms[i])
	bm25 float32 // entry-level BM25
}

// maskSums adds up per-term values over a set of query terms, eight terms
// a table: four lookups instead of a loop over the terms.
type maskSums [maxQueryTerms / 8][256]float64

func (ms *maskSums) fill(terms []qterm, value func(*qterm) float64) {
	for i := 0; i*8 < len(terms); i++ { // tables past the last term are only read at [0], which stays 0
		var v [8]float64
		for b := range v {
			if k := i*8 + b; k < len(terms) {
				v[b] = value(&terms[k])
			}
		}
		t := &ms[i]
		for m := 1; m < 256; m++ { // a set is the set without its lowest term, plus that term
			t[m] = t[m&(m-1)] + v[bits.TrailingZeros8(uint8(m))]
		}
	}
}

func (ms *maskSums) sum(mask uint32) float64 {
	return ms[0][mask&255] + ms[1][mask>>8&255] + ms[2][mask>>16&255] + ms[3][mask>>24]
}

// hit is one entry posting a query read: its entry, the query term, and
// where the entry's sentence postings for the term begin.
type hit struct {
	entry uint32
	term  uint8
	off   uint32
}

// candidateEntries is how many of the best entries have their sentences
// scored.
const candidateEntries = 64

// commonEntries is the entry count above which a term counts as common.
func commonEntries(entries int) int { return max(2000, entries/8) }

func newScratch(nsents, nentries int) *scratch {
	return &scratch{sentScore: make([]float32, nsents), entry: make([]entryState, nentries),
		candidate: make([]bool, nentries), titleMask: make([]uint32, nentries),
		held: new(maskSums), title: new(maskSums)}
}

func (sc *scratch) reset(ix *Index) {
	for _, e := range sc.entryTouched {
		if sc.candidate[e] {
			clear(sc.sentScore[ix.entrySents[e]:ix.entrySents[e+1]])
			sc.candidate[e] = false
		}
		sc.entry[e] = entryState{}
	}
	for _, e := range sc.titleTouched {
		sc.titleMask[e] = 0
	}
	sc.entryTouched = sc.entryTouched[:0]
	sc.titleTouched = sc.titleTouched[:0]
	sc.hits = sc.hits[:0]
}

type ranked struct {
	sent  uint32
	score float64
	text  string // the sentence, once the rerank has decoded it
}

// rank scores sentences for the query and returns the best n, with the
// share of the question's weight that the best sentence's entry holds.
func (ix *Index) rank(qu query, n int) ([]ranked, float64) {
	if len(qu.terms) == 0 || len(ix.sents) == 0 {
		return nil, 0
	}
	sc := ix.scratch.Get().(*scratch)
	defer func() { sc.reset(ix); ix.scratch.Put(sc) }()
	// Which entries have which query words in their titles or aliases.
	for _, t := range qu.terms {
		if !t.inTitles {
			continue
		}
		for _, e := range ix.titlePost.at(t.id) {
			if sc.titleMask[e] == 0 {
				sc.titleTouched = append(sc.titleTouched, e)
			}
			sc.titleMask[e] |= t.bit
		}
	}

	// Stage 1, entries: entry-level BM25 and which query terms each entry
	// holds, from the entry postings (one per entry and term: far fewer
	// than sentence postings, and read in order). A term in a large share
	// of the entries only adds to the entries rarer terms found.
	order := make([]int, len(qu.terms))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		return ix.entryDF[qu.terms[order[a]].id] < ix.entryDF[qu.terms[order[b]].id]
	})
	var maxBM25, maxEntry float64
	for _, t := range qu.terms {
		maxBM25 += t.weight * t.idf
		maxEntry += t.weight * t.idfE
	}
	maxBM25 *= (k1 + 1) / (1 + k1*(1-bParam))
	maxEntry *= (k1 + 1) / (1 + k1*(1-bParam))
	if maxBM25 == 0 {
		return nil, 0
	}

	// Entry relevance: its BM25, the share of the question's weight it
	// holds, and the question's words in its title and aliases.
	held, title := sc.held, sc.title
	held.fill(qu.terms, func(t *qterm) float64 { return t.cover * t.idfE })
	title.fill(qu.terms, func(t *qterm) float64 { return t.weight * t.idfE })
	entryScore := func(e uint32) (score, coverage float64) {
		st := sc.entry[e]
		coverage = held.sum(st.mask) / qu.massE
		score = entryBM25Weight*float64(st.bm25)/maxEntry + coverage
		if tm := sc.titleMask[e]; tm != 0 {
			score += titleWeight * title.sum(tm) / qu.massE
		}
		return score, coverage
	}
	for _, ti := range order {
		t := &qu.terms[ti]
		wE := t.weight * t.idfE
		onlyTouched := len(sc.entryTouched) > 0 && int(ix.entryDF[t.id]) > commonEntries(len(ix.entries))
		b := ix.stream(t.id)
		var e uint32
		for p := 0; p < len(b); {
			// One entry run (postings.go), decoded inline: this loop is
			// where a question spends its time.
			var d uint64
			if c := b[p]; c < 0x80 { // uvarint, its common case inlined by hand
				d, p = uint64(c), p+1
			} else {
				d, p = uvarintLong(b, p)
			}
			e += uint32(d)
			off := p
			tf := 0.0
			for {
				var r uint64
				if c := b[p]; c < 0x80 { // uvarint, its common case inlined by hand
					r, p = uint64(c), p+1
				} else {
					r, p = uvarintLong(b, p)
				}
				tf += float64((r >> 1) & tfMax)
				if r&1 == 0 {
					break
				}
			}
			st := &sc.entry[e]
			if st.mask == 0 {
				if onlyTouched {
					continue
				}
				sc.entryTouched = append(sc.entryTouched, e)
			}
			st.mask |= t.bit
			st.bm25 += float32(wE * tf * (k1 + 1) / (tf + float64(ix.entryNorm[e])))
			sc.hits = append(sc.hits, hit{entry: e, term: uint8(ti), off: uint32(off)})
		}
	}
	if len(sc.entryTouched) == 0 {
		return nil, 0
	}

	// Stage 2: the best entries by that score.
	eh := newTopK(candidateEntries, lowerScore)
	for _, e := range sc.entryTouched {
		es, _ := entryScore(e)
		eh.offer(ranked{sent: e, score: es}, func(x, worst ranked) bool {
			return x.score > worst.score || (x.score == worst.score && x.sent < worst.sent)
		})
	}
	for _, c := range eh.items {
		sc.candidate[c.sent] = true
	}

	// Stage 3: sentence BM25 within the candidate entries, from the
	// sentence postings each entry posting points at.
	for _, h := range sc.hits {
		if !sc.candidate[h.entry] {
			continue
		}
		t := &qu.terms[h.term]
		w := t.weight * t.idf
		damp := 1.0
		if sc.titleMask[h.entry]&t.bit != 0 {
			// The entry's own name chose the entry; within it, sentences
			// are told apart by the question's other words.
			damp = titleDamp
		}
		ix.forEachSentence(t.id, h.entry, int(h.off), func(s, tfi uint32) {
			tf := float64(tfi)
			norm := k1 * (1 - bParam + bParam*float64(ix.sents[s].length)/ix.avgLen)
			sc.sentScore[s] += float32(damp * w * tf * (k1 + 1) / (tf + norm))
		})
	}

	// Stage 4: every sentence of the candidate entries, scored with its
	// entry's relevance and its neighbours'; keep the best.
	depth := max(rerankDepth, n)
	h := newTopK(depth, lowerScore)
	for _, c := range eh.items {
		e := c.sent
		first, end := ix.entrySents[e], ix.entrySents[e+1]
		es := c.score
		named := qu.names(sc.titleMask[e])
		for s := first; s < end; s++ {
			lead := named && s == first
			if sc.sentScore[s] == 0 && !lead {
				continue
			}
			score := float64(sc.sentScore[s])/maxBM25 + entryWeight*es
			if s > first {
				score += contextWeight * float64(sc.sentScore[s-1]) / maxBM25
			}
			if s+1 < end {
				score += nextWeight * float64(sc.sentScore[s+1]) / maxBM25
			}
			if qu.kind != kindAny && ix.sents[s].features&kindFeature(qu.kind) != 0 {
				score += answerBonus / 2
			}
			if lead {
				score += leadBonus // the question names the entry: its opening says what it is
			}
			h.offer(ranked{sent: s, score: score}, higherScore)
		}
	}
	if len(h.items) == 0 {
		return nil, 0 // the words are only in titles
	}
	out := h.items

	// Second pass on the few best: proximity of the matched words, and
	// whether the sentence holds the kind of answer wanted beyond the
	// question's own words.
	st := stemmerPool.Get().(*stemmer)
	defer stemmerPool.Put(st)
	var buf []byte
	bonus := answerBonus
	if qu.kind == kindFigure || qu.kind == kindDate {
		bonus = figureBonus
	}
	for i := range out {
		text := ix.sentenceText(out[i].sent)
		out[i].text = text
		prox, coord, fit := ix.sentenceFeatures(qu, text, ix.titleTerms.at(ix.sents[out[i].sent].entry), st, &buf)
		out[i].score += proximityBonus*prox + bonus*fit + coordWeight*coord
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].sent < out[j].sent
	})
	if len(out) > n {
		out = out[:n]
	}
	best := ix.sents[out[0].sent].entry
	_, coverage := entryScore(best)
	if qu.names(sc.titleMask[best]) {
		coverage = 1 // every word of the question is in the entry's name
	}
	return out, coverage
}

// containsTermShort is containsTerm for the few terms of a title.
func containsTermShort(terms []uint32, t uint32) bool {
	if len(terms) > 16 {
		return containsTerm(terms, t)
	}
	for _, u := range terms {
		if u == t {
			return true
		}
	}
	return false
}

func containsTerm(sorted []uint32, t uint32) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= t })
	return i < len(sorted) && sorted[i] == t
}

func kindFeature(k qkind) uint8 {
	switch k {
	case kindFigure:
		return hasFigure
	case kindDate:
		return hasDate
	case kindName, kindPlace:
		return hasName
	}
	return 0
}

// sentenceFeatures reads a sentence once for what postings do not keep.
// Leaving out the words of its entry's own title (the entry was chosen for
// them; a sentence is told apart by the others), proximity is 1 when the
// matched question words stand together, falling as they spread out, and
// coord is the share of the question's weight the sentence matches. fit is
// 1 when the sentence holds the kind of answer the question asks for in
// words the question does not already use.
func (ix *Index) sentenceFeatures(qu query, text string, title []uint32, st *stemmer, buf *[]byte) (proximity, coord, fit float64) {
	first, last, found, pos, n := -1, -1, 0, 0, 0
	var seen uint32
	var held, total float64
	for _, t := range qu.terms {
		if !containsTermShort(title, t.id) {
			total += t.weight * t.idf
		}
	}
	want := kindFeature(qu.kind)
	scanWords(text, buf, func(w []byte, tk token) {
		info, known := ix.words[string(w)]
		if !known { // not from this corpus's sentences: cannot happen, but costs nothing to get right
			info.class = classify(string(w))
			if info.class&classStop == 0 {
				info.id, known = ix.terms[st.term(string(w))]
			}
		}
		if want != 0 && fit == 0 && !qu.words[string(w)] && featuresOf(info.class, tk, n == 0)&want != 0 {
			fit = 1
		}
		n++
		if info.class&classStop != 0 {
			return
		}
		pos++
		if !known {
			return
		}
		for _, t := range qu.terms {
			if t.id != info.id || containsTermShort(title, info.id) {
				continue
			}
			if first < 0 {
				first = pos
			}
			last = pos
			if seen&t.bit == 0 {
				seen |= t.bit
				found++
				held += t.weight * t.idf
			}
			break
		}
	})
	if total > 0 {
		coord = held / total
	}
	if found >= 2 {
		proximity = float64(found) / float64(last-first+1)
	}
	return proximity, coord, fit
}

func lowerScore(a, b ranked) bool      { return a.score < b.score }
func higherScore(x, worst ranked) bool { return x.score > worst.score }

// suggest names the entries closest to a question the corpus cannot
// answer: by title first, then by the words they share.
func (ix *Index) suggest(q string, qu query) []Suggestion {
	out := []Suggestion{}
	seen := map[string]bool{}
	for _, m := range ix.LookupTitle(q, 3) {
		if m.Score < 0.5 || seen[m.EntryID] {
			continue
		}
		seen[m.EntryID] = true
		out = append(out, Suggestion{EntryID: m.EntryID, Title: m.Title})
	}
	for _, e := range ix.entriesByTerms(qu, 5) {
		en := ix.entries[e]
		if len(out) >= 5 || seen[en.ID] {
			continue
		}
		seen[en.ID] = true
		out = append(out, Suggestion{EntryID: en.ID, Title: en.Title})
	}
	return out
}

// entriesByTerms ranks entries by the idf of the query terms they hold.
func (ix *Index) entriesByTerms(qu query, n int) []uint32 {
	acc := ix.accumulator()
	defer ix.release(acc)
	for _, t := range qu.terms {
		if int(ix.entryDF[t.id]) > commonEntries(len(ix.entries)) && len(acc.touched) > 0 {
			continue // says little, and would touch most of the corpus
		}
		ix.forEachEntry(t.id, func(e, _ uint32, _ int) { acc.add(e, t.weight*t.idfE) })
	}
	return acc.top(n)
}
