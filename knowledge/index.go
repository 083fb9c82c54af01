package knowledge

// An Index holds a corpus in memory in a form built for answering.
// It is built once by Build and never changes, so any number of goroutines
// may read it without locks; a reload builds a new Index and swaps it in a
// Store.
//
// Layout (codesearch-style: flat arrays addressed by small integers):
//
//	entries     []*Entry, in id order; an entry is named by its position e.
//	sents       []sentence: the quotable sentences of all entries, entry
//	            after entry; sentence s quotes entries[sents[s].entry].Text
//	            [sents[s].start:sents[s].end], byte for byte.
//	entrySents  sentences of entry e are sents[entrySents[e]:entrySents[e+1]].
//	terms       index term (folded, stemmed word) -> term id t.
//	post        post[postOff[t]:postOff[t+1]] holds term t's postings, one
//	            compressed stream (postings.go): for each entry holding t,
//	            in order, the entry, then the sentences of it holding t and
//	            the term's frequency in each. A question reads the entry
//	            runs of its terms to rank entries, then the sentence records
//	            of its best entries only.
//	sentDF      sentDF[t] counts the sentences holding t, for sentence idf;
//	entryDF     entryDF[t] the entries, for entry-level idf.
//	text        entry e's text, encoded word by word (textcodec.go), at
//	            text[textOff[e]:textOff[e+1]]; sentEnc[s] is where decoding
//	            sentence s alone starts.
//	titleTerms  the sorted term ids of entry e's title and aliases; like
//	            every per-entry list, one flat array (lists.go).
//	words       folded word -> its class and term, for questions and reranking.
//
// Positions are not stored: proximity and answer-type features are computed
// on the few sentences that reach the final ranking, by reading them
// again, which costs less than keeping positions for every word.

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Sentence features, computed at build time.
const (
	hasFigure uint8 = 1 << iota // a number
	hasDate                     // a year, a month name, a century or decade
	hasName                     // a capitalised word that does not start the sentence
)

type sentence struct {
	entry      uint32
	start, end uint32
	length     uint16 // index terms
	features   uint8
	back       uint8 // how far before start its checkpoint word starts
}

// Index is an immutable, searchable corpus. All methods are safe for
// concurrent use.
type Index struct {
	entries     []*Entry
	byID        map[string]uint32
	sents       []sentence
	entrySents  []uint32
	terms       map[string]uint32
	termText    []string
	post        []byte      // the postings, compressed (see postings.go)
	postOff     []uint64    // term t's stream is post[postOff[t]:postOff[t+1]]
	sentDF      []uint32    // sentences holding term t
	texts       *textTables // the words and gaps of the entries' texts
	text        []byte      // entry e's text, encoded: text[textOff[e]:textOff[e+1]]
	textOff     []uint64
	textLen     []uint32 // entry e's text length, decoded
	sentEnc     []uint32 // sentence s's checkpoint in its entry's encoded text (textcodec.go)
	entryDF     []uint32
	titleTerms  lists[uint32]       // entry -> the sorted terms of its title and aliases
	inTitles    []bool              // term -> some title or alias holds it
	titlePost   lists[uint32]       // term -> the entries whose title or aliases hold it
	words       map[string]wordInfo // folded word of the corpus -> its class and term (wordInfo.id)
	distinct    lists[uint32]       // entry -> its rarest shared terms, for similar()
	avgLen      float64
	entryNorm   []float32 // entry e's BM25 length normalisation, k1·(1 - b + b·len/avg)
	avgEntryLen float64
	textBytes   int64

	refs      lists[ref]    // entry -> its See also, resolved where possible
	referrers lists[uint32] // entry -> entries whose See also names it
	titles    *titleIndex
	scratch   sync.Pool // *scratch for Ask
	accPool   sync.Pool // *entryAcc
}

// ref is one cross-reference: a title and the entry it names, if any.
type ref struct {
	title string
	entry int32 // -1: not in this corpus
}

// ErrDuplicateID marks the problem of two entries with one id: the second
// is not loaded.
var ErrDuplicateID = errors.New("duplicate id")

// Build indexes entries. Entries with a duplicate id are dropped (the
// first is kept) and reported; so are duplicate titles, cross-references
// to titles the corpus lacks, and entries without a source.
func Build(entries []Entry) (*Index, []*LoadError) {
	ix := &Index{byID: make(map[string]uint32, len(entries))}
	var warnings []*LoadError
	warn := func(e *Entry, format string, args ...any) {
		warnings = append(warnings, &LoadError{File: e.File, Line: e.Line, Err: fmt.Errorf(format, args...)})
	}

	sorted := make([]*Entry, 0, len(entries))
	for i := range entries {
		e := &entries[i]
		e.ID = strings.TrimSpace(e.ID)
		if e.ID == "" {
			e.ID = Slug(e.Title)
		}
		if e.Title == "" {
			e.Title = e.ID
		}
		sorted = append(sorted, e)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	seenTitle := make(map[string]string, len(sorted))
	for _, e := range sorted {
		if _, dup := ix.byID[e.ID]; dup {
			warn(e, "%w %q: this entry is skipped", ErrDuplicateID, e.ID)
			continue
		}
		key := titleKey(e.Title)
		if other, dup := seenTitle[key]; dup {
			warn(e, "duplicate title %q (also entry %q)", e.Title, other)
		} else {
			seenTitle[key] = e.ID
		}
		if strings.TrimSpace(e.Source) == "" {
			warn(e, "entry %q has no source", e.ID)
		}
		ix.byID[e.ID] = uint32(len(ix.entries))
		ix.entries = append(ix.entries, e)
	}

	titles := make(chan *titleIndex, 1)
	go func() { titles <- newTitleIndex(ix.entries) }()
	ix.index()
	ix.titles = <-titles
	ix.compact()
	warnings = append(warnings, ix.resolveRefs()...)
	for _, e := range ix.entries {
		e.Text = "" // kept encoded in ix.text; Entry decodes it
	}
	ix.scratch.New = func() any { return newScratch(len(ix.sents), len(ix.entries)) }
	return ix, warnings
}

// analysed is one entry cut into sentences and terms by a build worker.
type analysed struct {
	spans    []span
	features []uint8
	// terms holds each sentence's local term ids, sentence after sentence;
	// the sentence i's terms are terms[bounds[i]:bounds[i+1]].
	terms   []uint32
	bounds  []uint32
	seeAlso []string
	title   []uint32
	text    []byte // the entry's text, encoded with its worker's tables
	// checkpoints and back: where in text each sentence's decoding starts
	// (see textTables.encode).
	checkpoints []uint32
	back        []uint8
}

// vocab is a build worker's own dictionary, merged into the index's at the end.
type vocab struct {
	text      *textTables // the words (as written) and gaps of the texts it encodes
	known     []surfaceWord
	wordSpans []span
	wordIDs   []uint32            // text-table ids of the words of wordSpans
	termBuf   []uint32            // an entry's terms, while analysing it
	encBuf    []byte              // an entry's encoded text, while analysing it
	ids       map[string]uint32   // term -> local id
	terms     []string            // local id -> term
	words     map[string]wordInfo // folded word -> what it is
	st        *stemmer
	buf       []byte
}

// surfaceWord is what a build worker knows of a word as written (its text
// table entry): one map lookup per word of the corpus finds it.
type surfaceWord struct {
	wordInfo
	capital, number bool
	count           uint32 // occurrences, for the index's word order
}

// wordInfo is what a build worker knows of a folded word: its class and,
// unless it is a stop word, its term's local id.
type wordInfo struct {
	id    uint32
	class wordClass
}

func (v *vocab) id(term string) uint32 {
	if id, ok := v.ids[term]; ok {
		return id
	}
	id := uint32(len(v.terms))
	term = strings.Clone(term)
	v.ids[term] = id
	v.terms = append(v.terms, term)
	return id
}

func (ix *Index) index() {
	n := len(ix.entries)
	out := make([]analysed, n)
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = max(n, 1)
	}
	vocabs := make([]*vocab, workers)
	owner := make([]uint16, n)
	var wg sync.WaitGroup
	chunk := 64
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		v := &vocab{ids: make(map[string]uint32, 1<<14), words: make(map[string]wordInfo, 1<<15), st: newStemmer(), text: newTextTables()}
		vocabs[w] = v
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				for e := lo; e < min(lo+chunk, n); e++ {
					out[e] = v.analyse(ix.entries[e])
					owner[e] = uint16(w)
				}
			}
		}(w)
	}
	wg.Wait()

	// Merge the workers' dictionaries.
	ix.terms = make(map[string]uint32)
	remap := make([][]uint32, workers)
	for w, v := range vocabs {
		remap[w] = make([]uint32, len(v.terms))
		for local, word := range v.terms {
			id, ok := ix.terms[word]
			if !ok {
				id = uint32(len(ix.termText))
				ix.terms[word] = id
				ix.termText = append(ix.termText, word)
			}
			remap[w][local] = id
		}
	}
	nterms := len(ix.termText)
	ix.texts = newTextTables()
	wordMaps := make([][]uint32, workers)
	gapMaps := make([][]uint32, workers)
	// The commonest words get the smallest ids, which encode in one byte.
	wordCounts := map[string]uint32{}
	for _, v := range vocabs {
		for i, word := range v.text.words {
			wordCounts[word] += v.known[i].count
		}
	}
	byCount := make([]string, 0, len(wordCounts))
	for word := range wordCounts {
		byCount = append(byCount, word)
	}
	slices.SortFunc(byCount, func(a, b string) int {
		if ca, cb := wordCounts[a], wordCounts[b]; ca != cb {
			return cmp.Compare(cb, ca)
		}
		return strings.Compare(a, b)
	})
	for _, word := range byCount {
		ix.texts.word(word)
	}
	for w, v := range vocabs {
		wordMaps[w] = make([]uint32, len(v.text.words))
		for i, word := range v.text.words {
			wordMaps[w][i] = ix.texts.wordIDs[word]
		}
		gapMaps[w] = make([]uint32, len(v.text.gaps))
		for i, gap := range v.text.gaps {
			ix.texts.appendGap(nil, gap)
			gapMaps[w][i] = ix.texts.gapIDs[gap]
		}
	}
	ix.texts.wordIDs, ix.texts.gapIDs = nil, nil // only decoding from now on
	ix.words = make(map[string]wordInfo)
	for w, v := range vocabs {
		for word, info := range v.words {
			if info.class&classStop == 0 {
				info.id = remap[w][info.id]
			}
			ix.words[word] = info
		}
		v.words, v.known = nil, nil
	}

	// Count, then fill the postings.
	counts := make([]uint32, nterms+1)
	ix.entryDF = make([]uint32, nterms)
	ix.titleTerms = newLists[uint32](n)
	ix.inTitles = make([]bool, nterms)
	ix.entrySents = make([]uint32, n+1)
	entryLen := make([]uint32, n)
	totalSents := 0
	var totalLen int64
	seen := make([]uint32, nterms)  // last entry+1 that counted the term
	stamp := make([]uint32, nterms) // last sentence (numbered from 1) that counted it
	var sentStamp uint32
	// The exact size of each term's posting stream (postings.go), so that
	// the writers fill one array in place.
	ix.postOff = make([]uint64, nterms+1)
	prevEntry := make([]uint32, nterms)
	prevLocal := make([]uint32, nterms)
	for e := range out {
		a := &out[e]
		m := remap[owner[e]]
		for i, t := range a.terms {
			a.terms[i] = m[t]
		}
		for i, t := range a.title {
			a.title[i] = m[t]
		}
		ix.titleTerms.add(sortedUnique(a.title)...)
		for _, t := range ix.titleTerms.at(uint32(e)) {
			ix.inTitles[t] = true
		}
		for s := 0; s+1 < len(a.bounds); s++ {
			terms := a.terms[a.bounds[s]:a.bounds[s+1]]
			totalLen += int64(len(terms))
			sentStamp++
			for _, t := range terms {
				if stamp[t] == sentStamp {
					continue
				}
				stamp[t] = sentStamp
				counts[t]++
				if seen[t] != uint32(e)+1 {
					seen[t] = uint32(e) + 1
					ix.entryDF[t]++
					ix.postOff[t+1] += uvarintLen(uint64(uint32(e) - prevEntry[t]))
					prevEntry[t], prevLocal[t] = uint32(e), 0
				}
				// A sentence record's low three bits never change its length.
				ix.postOff[t+1] += uvarintLen(uint64(uint32(s)-prevLocal[t])<<3 | 7)
				prevLocal[t] = uint32(s)
			}
		}
		ix.entrySents[e] = uint32(totalSents)
		totalSents += len(a.spans)
		entryLen[e] = uint32(len(a.terms))
	}
	ix.entrySents[n] = uint32(totalSents)
	ix.sentDF = counts[:nterms]

	if totalSents > 0 {
		ix.avgLen = float64(totalLen) / float64(totalSents)
		ix.avgEntryLen = float64(totalLen) / float64(n)
	}
	ix.entryNorm = make([]float32, n)
	for e, l := range entryLen {
		ix.entryNorm[e] = float32(k1 * (1 - bParam + bParam*float64(l)/max(ix.avgEntryLen, 1)))
	}

	ix.indexTitles(nterms)
	ix.sents = make([]sentence, 0, totalSents)
	// The rarest terms of each entry (for similar) need only entryDF, now
	// complete: pick them while the postings are filled.
	ix.distinct = newLists[uint32](n)
	distinctDone := make(chan struct{})
	go func() {
		defer close(distinctDone)
		for e := range out {
			ix.distinct.add(ix.rarestTerms(out[e].terms, out[e].title)...)
		}
		ix.distinct.clip()
		// The texts, with the index's word and gap tables.
		ix.textOff = make([]uint64, n+1)
		size := 0
		for e := range out {
			size += len(out[e].text)
		}
		ix.text = make([]byte, 0, size+size/64) // recoding by frequency shortens most texts
		ix.sentEnc = make([]uint32, totalSents)
		ix.textLen = make([]uint32, n)
		for e := range out {
			ix.textLen[e] = uint32(len(ix.entries[e].Text))
			ix.textOff[e] = uint64(len(ix.text))
			ix.text = recode(ix.text, out[e].text, wordMaps[owner[e]], gapMaps[owner[e]], out[e].checkpoints)
			copy(ix.sentEnc[ix.entrySents[e]:], out[e].checkpoints)
		}
		ix.textOff[n] = uint64(len(ix.text))
		if cap(ix.text)-len(ix.text) > len(ix.text)/32 {
			ix.text = slices.Clone(ix.text)
		}
	}()
	// Sentences, in order.
	for e := range out {
		a := &out[e]
		ix.textBytes += int64(len(ix.entries[e].Text))
		for s, sp := range a.spans {
			ix.sents = append(ix.sents, sentence{entry: uint32(e), start: uint32(sp.start), end: uint32(sp.end), back: a.back[s],
				length: uint16(min(a.bounds[s+1]-a.bounds[s], 65535)), features: a.features[s]})
		}
		ix.entries[e].SeeAlso = a.seeAlso
	}
	// Postings, by two goroutines each writing the terms of one parity.
	// Every array indexed by term is shared, each goroutine touching only
	// its own terms.
	for t := 1; t <= nterms; t++ {
		ix.postOff[t] += ix.postOff[t-1]
	}
	ix.post = make([]byte, ix.postOff[nterms])
	tfc := make([]uint16, nterms)
	const parts = 2
	writers := [parts]*postingWriter{}
	var fillers sync.WaitGroup
	for part := uint32(0); part < parts; part++ {
		w := newPostingWriter(nterms)
		for t := part; t < uint32(nterms); t += parts {
			w.streams[t] = ix.post[ix.postOff[t]:ix.postOff[t]:ix.postOff[t+1]]
		}
		writers[part] = w
		fillers.Add(1)
		go func() {
			defer fillers.Done()
			var uniq []uint32
			var stampNo uint32
			for e := range out {
				a := &out[e]
				for s := range a.spans {
					terms := a.terms[a.bounds[s]:a.bounds[s+1]]
					stampNo++
					uniq = uniq[:0]
					for _, t := range terms {
						if t%parts != part {
							continue
						}
						if stamp[t] != sentStamp+stampNo {
							stamp[t] = sentStamp + stampNo
							tfc[t] = 0
							uniq = append(uniq, t)
						}
						tfc[t]++
					}
					for _, t := range uniq {
						w.add(t, uint32(e), uint32(s), uint32(tfc[t]))
					}
				}
				w.endEntry()
			}
		}()
	}
	fillers.Wait()
	for t := 0; t < nterms; t++ {
		if got := writers[t%parts].streams[t]; uint64(len(got)) != ix.postOff[t+1]-ix.postOff[t] { // then it left ix.post
			panic(fmt.Sprintf("knowledge: term %d's postings took %d bytes, %d were counted", t, len(got), ix.postOff[t+1]-ix.postOff[t]))
		}
	}
	<-distinctDone
}

// indexTitles inverts titleTerms: for each term, the entries whose title
// or aliases hold it, ascending.
func (ix *Index) indexTitles(nterms int) {
	ix.titleTerms.clip()
	ix.titlePost = invert(nterms, ix.titleTerms.len(), func(e uint32, yield func(uint32)) {
		for _, t := range ix.titleTerms.at(e) {
			yield(t)
		}
	})
}

// distinctTerms is how many of an entry's rarest terms similar() uses.
const distinctTerms = 12

// rarestTerms picks an entry's rarest terms that some other entry shares:
// what makes another entry similar to it. One pass keeps the best few in
// order, (entry count, term id) ascending.
func (ix *Index) rarestTerms(terms, title []uint32) []uint32 {
	var best [distinctTerms]uint32
	n := 0
	less := func(a, b uint32) bool {
		if da, db := ix.entryDF[a], ix.entryDF[b]; da != db {
			return da < db
		}
		return a < b
	}
	consider := func(t uint32) {
		if ix.entryDF[t] <= 1 || (n == distinctTerms && !less(t, best[n-1])) {
			return
		}
		for _, u := range best[:n] {
			if u == t {
				return
			}
		}
		i := n
		if n < distinctTerms {
			n++
		} else {
			i = n - 1
		}
		for i > 0 && less(t, best[i-1]) {
			best[i] = best[i-1]
			i--
		}
		best[i] = t
	}
	for _, t := range title {
		consider(t)
	}
	for _, t := range terms {
		consider(t)
	}
	return append([]uint32(nil), best[:n]...)
}

func sortedUnique(ids []uint32) []uint32 {
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	out := ids[:1]
	for _, id := range ids[1:] {
		if id != out[len(out)-1] {
			out = append(out, id)
		}
	}
	return out
}

// analyse cuts one entry into sentences and terms, and takes its closing
// See also sentence out of the quotable text.
func (v *vocab) analyse(e *Entry) analysed {
	var a analysed
	spans := splitSentences(e.Text)
	if n := len(spans); n > 0 {
		if refs, ok := parseSeeAlso(e.Text[spans[n-1].start:spans[n-1].end]); ok {
			spans = spans[:n-1]
			a.seeAlso = mergeRefs(e.SeeAlso, refs)
		}
	}
	if a.seeAlso == nil {
		a.seeAlso = mergeRefs(e.SeeAlso, nil)
	}
	a.spans = spans
	a.bounds = append(make([]uint32, 0, len(spans)+1), 0)
	a.features = make([]uint8, 0, len(spans))
	// Terms and the encoded text go to the worker's buffers first, then to
	// slices of their exact size: growing them entry by entry was a tenth
	// of the load.
	terms := v.termBuf[:0]
	v.wordSpans, v.wordIDs = v.wordSpans[:0], v.wordIDs[:0]
	for _, sp := range spans {
		var f uint8
		first := true
		text := e.Text[sp.start:sp.end]
		scanRaw(text, func(rw rawWord) {
			raw := text[rw.start:rw.end]
			id, ok := v.text.wordIDs[raw]
			if !ok {
				id = v.learn(raw, rw)
			}
			w := &v.known[id]
			w.count++
			v.wordSpans = append(v.wordSpans, span{sp.start + rw.start, sp.start + rw.end})
			v.wordIDs = append(v.wordIDs, id)
			f |= featuresOf(w.class, token{capital: w.capital, number: w.number}, first)
			first = false
			if w.class&classStop == 0 {
				terms = append(terms, w.id)
			}
		})
		a.features = append(a.features, f)
		a.bounds = append(a.bounds, uint32(len(terms)))
	}
	v.termBuf = terms
	a.terms = slices.Clone(terms)
	a.checkpoints = make([]uint32, len(spans))
	a.back = make([]uint8, len(spans))
	v.encBuf = v.text.encode(v.encBuf[:0], e.Text, v.wordSpans, v.wordIDs, spans, a.checkpoints, a.back)
	a.text = slices.Clone(v.encBuf)
	for _, name := range append([]string{e.Title}, e.Aliases...) {
		for _, tk := range tokenize(name, nil) {
			if !isStopWord(tk.word) {
				a.title = append(a.title, v.id(v.st.term(tk.word)))
			}
		}
	}
	return a
}

// learn adds a word as written to the worker's text table, with what its
// folded form is: its class and the local id of its term.
func (v *vocab) learn(raw string, rw rawWord) uint32 {
	v.buf = rw.fold(v.buf[:0], raw)
	info, ok := v.words[string(v.buf)]
	if !ok {
		folded := string(v.buf)
		info = wordInfo{class: classify(folded)}
		if info.class&classStop == 0 {
			info.id = v.id(v.st.term(folded))
		}
		v.words[folded] = info
	}
	id := v.text.word(raw)
	v.known = append(v.known, surfaceWord{wordInfo: info, capital: rw.capital, number: rw.number})
	return id
}

var monthNames = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"century": true, "centuries": true, "decade": true, "bc": true, "ad": true, "bce": true, "ce": true,
}

var numberWords = map[string]bool{
	"two": true, "three": true, "four": true, "five": true, "six": true, "seven": true, "eight": true,
	"nine": true, "ten": true, "eleven": true, "twelve": true, "twenty": true, "thirty": true, "forty": true,
	"fifty": true, "sixty": true, "seventy": true, "eighty": true, "ninety": true, "hundred": true,
	"thousand": true, "million": true, "billion": true, "dozen": true, "half": true, "several": true,
	"fifteen": true, "thirteen": true, "fourteen": true, "sixteen": true, "seventeen": true, "eighteen": true, "nineteen": true,
}

// wordClass holds what a folded word is, whatever its context.
type wordClass uint8

const (
	classStop        wordClass = 1 << iota // a stop word
	classNumberWord                        // "seventy", "thousand"
	classMonth                             // "july", "century": a date when capitalised
	classAnyCaseDate                       // "century", "decade": a date in any case
	classYear                              // "1952"
	classDecade                            // "1950s"
)

func classify(word string) wordClass {
	var c wordClass
	if isStopWord(word) {
		c |= classStop
	}
	if numberWords[word] {
		c |= classNumberWord
	}
	if monthNames[word] {
		c |= classMonth
	}
	if word == "century" || word == "centuries" || word == "decade" {
		c |= classAnyCaseDate
	}
	if isYear(word) {
		c |= classYear
	}
	if isDecade(word) {
		c |= classDecade
	}
	return c
}

// featuresOf says what kind of answer a token can be: a figure, a date or
// a name (a capitalised word that does not start the sentence).
func featuresOf(c wordClass, tk token, first bool) uint8 {
	var f uint8
	switch {
	case tk.number:
		f |= hasFigure
		if c&classYear != 0 {
			f |= hasDate
		}
	case c&classNumberWord != 0:
		f |= hasFigure
	case c&classMonth != 0 && (tk.capital || c&classAnyCaseDate != 0):
		f |= hasDate
	case tk.capital && !first && c&classStop == 0:
		f |= hasName
	}
	if c&classDecade != 0 {
		f |= hasDate
	}
	return f
}

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	return (w[0] == '1' && (w[1] >= '0')) || (w[0] == '2' && w[1] == '0')
}

func isDecade(w string) bool {
	return len(w) == 5 && w[4] == 's' && isYear(w[:4])
}

// parseSeeAlso recognises the dictionary's closing cross-reference
// sentence, "See also AID, AMERICAN; AID, CHINESE COMMUNIST.", and returns
// the titles it names. Only upper-case headwords count: "See also the
// chapter above." is an ordinary sentence.
func parseSeeAlso(s string) ([]string, bool) {
	rest, ok := strings.CutPrefix(s, "See also")
	if !ok {
		return nil, false
	}
	rest = strings.TrimLeft(rest, ": ")
	rest = strings.TrimSpace(strings.TrimRight(rest, ". "))
	if rest == "" {
		return nil, false
	}
	upper, letters := 0, 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters == 0 || upper*10 < letters*8 {
		return nil, false
	}
	var titles []string
	for _, part := range strings.Split(rest, ";") {
		if t := strings.TrimSpace(part); t != "" {
			titles = append(titles, t)
		}
	}
	return titles, len(titles) > 0
}

// mergeRefs joins two See also lists, dropping repeats (compared folded).
func mergeRefs(a, b []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range [][]string{a, b} {
		for _, t := range list {
			t = strings.TrimSpace(t)
			k := titleKey(t)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// titleKey is the form titles are compared in: folded words, single spaces.
func titleKey(s string) string {
	key := make([]byte, 0, len(s))
	var buf []byte
	scanWords(s, &buf, func(w []byte, _ token) {
		if len(key) > 0 {
			key = append(key, ' ')
		}
		key = append(key, w...)
	})
	return string(key)
}

// resolveRefs links every See also title to the entry it names, by title
// or alias (case and accents ignored), and records who refers to whom.
func (ix *Index) resolveRefs() []*LoadError {
	byKey := make(map[string]int32, len(ix.titles.keys))
	for i, k := range ix.titles.keys { // every name of every entry, folded
		if _, taken := byKey[k]; !taken {
			byKey[k] = int32(ix.titles.keyEntry[i])
		}
	}
	var warnings []*LoadError
	ix.refs = newLists[ref](len(ix.entries))
	var refs []ref
	for e, en := range ix.entries {
		refs = refs[:0]
		for _, title := range en.SeeAlso {
			target, ok := byKey[titleKey(title)]
			if !ok {
				target, ok = byKey[titleKey(stripParenthetical(title))]
			}
			if !ok {
				target = -1
				warnings = append(warnings, &LoadError{File: en.File, Line: en.Line,
					Err: fmt.Errorf("entry %q: see also %q is not in this corpus", en.ID, title)})
			}
			if target != int32(e) {
				refs = append(refs, ref{title: title, entry: target})
			}
		}
		ix.refs.add(refs...)
	}
	ix.refs.clip()
	ix.referrers = invert(len(ix.entries), len(ix.entries), func(e uint32, yield func(uint32)) {
		for _, r := range ix.refs.at(e) {
			if r.entry >= 0 {
				yield(uint32(r.entry))
			}
		}
	})
	return warnings
}

// entryKeys are the folded forms an entry can be named by: its title, its
// title without parenthetical additions, its aliases, and the natural order
// of a dictionary-form headword ("AID, SOVIET" -> "soviet aid").
func entryKeys(e *Entry) []string {
	var keys []string
	add := func(s string) {
		if k := titleKey(s); k != "" {
			keys = append(keys, k)
		}
	}
	for _, name := range append([]string{e.Title}, e.Aliases...) {
		add(name)
		bare := stripParenthetical(name)
		add(bare)
		if natural, ok := naturalOrder(bare); ok {
			add(natural)
		}
		for _, alias := range parentheticalAliases(name) {
			add(alias)
		}
	}
	return keys
}

// parentheticalAliases returns the other names a headword gives in
// parentheses: "TRẦN VĂN SOÁI (NĂM LỬA, BẢY VIỄN) (1889–1961)" gives
// "NĂM LỬA" and "BẢY VIỄN"; dates and figures are not names.
func parentheticalAliases(title string) []string {
	var out []string
	for rest := title; ; {
		open := strings.IndexByte(rest, '(')
		if open < 0 {
			return out
		}
		closing := strings.IndexByte(rest[open:], ')')
		if closing < 0 {
			return out
		}
		for _, part := range strings.FieldsFunc(rest[open+1:open+closing], func(r rune) bool { return r == ',' || r == ';' }) {
			part = strings.TrimSpace(part)
			if part != "" && strings.IndexFunc(part, unicode.IsLetter) >= 0 && strings.IndexFunc(part, unicode.IsDigit) < 0 {
				out = append(out, part)
			}
		}
		rest = rest[open+closing:]
	}
}

// naturalOrder turns a dictionary headword "AID, SOVIET" into "SOVIET AID".
func naturalOrder(title string) (string, bool) {
	head, tail, ok := strings.Cut(title, ",")
	if !ok || strings.Contains(tail, ",") {
		return "", false
	}
	head, tail = strings.TrimSpace(head), strings.TrimSpace(tail)
	if head == "" || tail == "" {
		return "", false
	}
	return tail + " " + head, true
}

func stripParenthetical(s string) string {
	if i := strings.IndexAny(s, "(["); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
