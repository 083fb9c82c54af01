package gen

import "strings"

// vocabSize is how many made-up word stems the vocabulary holds (some also
// get a plural form, so the vocabulary is a little larger).
const vocabSize = 4000

// vocab is a Zipf-distributed vocabulary: function words at the top ranks,
// then real content words mixed with made-up words.
type vocab struct {
	words []string // by rank
	cum   []uint64 // cum[i] = sum of the weights of ranks 0..i
	// start[k] is the first rank whose cum exceeds k*total/len(start):
	// where the search for a draw in bucket k begins.
	start []int32
	// pseudo are made-up stems, the material of headwords and names.
	pseudo []string
	// isFunction marks function words (not used as question keywords).
	isFunction map[string]bool
}

// newVocab builds the vocabulary of a seed.
func newVocab(seed int64) *vocab {
	var r rng
	r.seed(seed, 0x766f636162) // "vocab"
	taken := make(map[string]bool, 2*vocabSize)
	v := &vocab{isFunction: make(map[string]bool, len(functionWords))}
	for _, w := range functionWords {
		taken[w] = true
		v.isFunction[w] = true
	}
	for _, w := range contentWords {
		taken[w] = true
	}
	for _, u := range append(append(append([]string{}, countUnits...), massUnits...), gunUnits...) {
		for _, w := range strings.Fields(u) {
			taken[w] = true
		}
	}
	var rest []string
	for len(v.pseudo) < vocabSize {
		w := pseudoWord(&r)
		if taken[w] {
			continue
		}
		taken[w] = true
		v.pseudo = append(v.pseudo, w)
		rest = append(rest, w)
		if r.chance(1, 4) && !taken[w+"s"] {
			taken[w+"s"] = true
			rest = append(rest, w+"s")
		}
	}
	shuffle(&r, rest)
	// Real content words take random places among the first 1,500 ranks
	// after the function words.
	for _, w := range contentWords {
		at := r.intn(min(1500, len(rest)))
		rest = append(rest, "")
		copy(rest[at+1:], rest[at:])
		rest[at] = w
	}
	v.words = append(append(v.words, functionWords...), rest...)
	// Zipf-Mandelbrot weights with s = 1 and q = 3, in integers so that the
	// distribution is the same on every platform.
	v.cum = make([]uint64, len(v.words))
	var total uint64
	for i := range v.words {
		total += 1_000_000_000_000 / uint64(i+3)
		v.cum[i] = total
	}
	v.start = make([]int32, 1<<12)
	rank := 0
	for k := range v.start {
		lo := total / uint64(len(v.start)) * uint64(k)
		for v.cum[rank] <= lo {
			rank++
		}
		v.start[k] = int32(rank)
	}
	return v
}

// pseudoWord makes a pronounceable made-up word of two or three syllables.
func pseudoWord(r *rng) string {
	var b strings.Builder
	n := 2
	if r.chance(3, 10) {
		n = 3
	}
	for i := 0; i < n; i++ {
		if i == 0 || r.chance(17, 20) {
			b.WriteString(pick(r, onsets))
		}
		b.WriteString(pick(r, nuclei))
		if (i == n-1 && r.chance(1, 2)) || r.chance(1, 5) {
			b.WriteString(pick(r, codas))
		}
	}
	return b.String()
}

// oovWord makes a word that never occurs in a corpus: every syllable holds
// an 'x' or a 'z', which corpus words never contain.
func oovWord(r *rng) string {
	var b strings.Builder
	for i := 0; i < 2; i++ {
		b.WriteString(pick(r, oovOnsets))
		b.WriteString(pick(r, nuclei))
		b.WriteString(pick(r, oovCodas))
	}
	return b.String()
}

// word draws a word by its Zipf rank.
func (v *vocab) word(r *rng) string {
	total := v.cum[len(v.cum)-1]
	x := uint64(r.intn(int(total)))
	k := min(int(x/(total/uint64(len(v.start)))), len(v.start)-1)
	i := int(v.start[k])
	for v.cum[i] <= x {
		i++
	}
	return v.words[i]
}
