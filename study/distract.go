package study

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/footnote-bot/footnote/knowledge"
)

// Where distractors come from, nearest first: the entry itself, the
// entries related to it, then a few entries drawn at random. The work is
// bounded whatever the size of the corpus.
const (
	relatedEntries = 8
	randomEntries  = 24
	scanBudget     = 128 << 10 // bytes of sentences read for one item
	poolSize       = 6         // the best candidates the three are drawn from
)

// candidate is a possible distractor.
type candidate struct {
	text  string
	v     value
	tier  int // 0 the same entry, 1 a related one, 2 another, 3 made up
	unit  string
	score float64
}

// distractorsFor returns distractors for span sp of sentence s (number
// sentence of entry e), best first, of sp's kind and shape, none equal to
// the answer, to one another, or to a value the sentence holds.
func distractorsFor(ix *knowledge.Index, e *knowledge.Entry, sentence int, s string, sp span, others []span, rng *rand.Rand) []string {
	ans := sp.value
	exclude := map[string]bool{ans.key: true}
	for _, o := range others {
		exclude[o.value.key] = true
	}
	rest := knowledge.Fold(s[:sp.start] + " " + s[sp.end:])
	answerWords := setOf(strings.Fields(knowledge.Fold(sp.text))...)

	var cands []candidate
	consider := func(c candidate) {
		if exclude[c.v.key] || c.text == "" || utf8.RuneCountInString(c.text) > maxOptionLen {
			return
		}
		score, ok := plausibility(ans, sp, c, answerWords, rest)
		if !ok {
			return
		}
		c.score = score
		exclude[c.v.key] = true
		cands = append(cands, c)
	}

	budget := scanBudget
	scan := func(src *knowledge.Entry, tier int) {
		if ans.kind == Term {
			if t, ok := termOf(ix, src); ok {
				consider(candidate{text: casedLike(t.text, sp.text, t.start == 0), v: t.value, tier: tier})
			}
			return
		}
		if budget <= 0 {
			return
		}
		sents, all := entrySpans(ix, src)
		for k, text := range sents {
			budget -= len(text)
			if src.ID == e.ID && k == sentence {
				continue
			}
			for _, o := range all[k] {
				if o.value.kind != ans.kind {
					continue
				}
				if ans.shape == "surname" && o.value.shape == "person" {
					// Another person's surname: "Smeaton" for "Stevenson".
					f := strings.Fields(o.text)
					last := f[len(f)-1]
					consider(candidate{text: last, v: value{kind: Name, shape: "surname", key: "p:" + knowledge.Fold(last)}, tier: tier})
					continue
				}
				consider(candidate{text: o.text, v: o.value, tier: tier, unit: o.unit})
			}
		}
	}
	if ans.kind != Term {
		scan(e, 0)
	}
	seen := map[string]bool{e.ID: true}
	for _, r := range ix.Related(e.ID, relatedEntries) {
		if !r.InCorpus || seen[r.EntryID] {
			continue
		}
		seen[r.EntryID] = true
		if re, ok := ix.Entry(r.EntryID); ok {
			scan(re, 1)
		}
	}
	// Entries drawn at random only when the entry and its neighbours
	// have too few: a figure is best matched by its own entry's figures.
	if all := ix.Entries(); len(all) > 1 && len(cands) < 2*poolSize {
		for k := 0; k < randomEntries && k < 2*len(all); k++ {
			re := all[rng.IntN(len(all))]
			if seen[re.ID] {
				continue
			}
			seen[re.ID] = true
			scan(re, 2)
		}
	}
	if len(cands) < 3 {
		for _, c := range madeUp(ans, sp.text, rng) {
			consider(c)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score < cands[j].score })
	pool := cands[:min(len(cands), poolSize)]
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	// Three of the best few, drawn: the nearest values would otherwise
	// always be the same three, and the answer the one in the middle.
	out := make([]string, 0, 3)
	for _, c := range pool {
		if len(out) == 3 {
			break
		}
		text := c.text
		if ans.kind == Figure && ans.shape == "words" {
			text = casedLike(text, sp.text, true)
		}
		out = append(out, text)
	}
	return out
}

// plausibility scores candidate c as a distractor for the answer (lower
// is better), or refuses it: another shape, too far, sharing the answer's
// words, or standing elsewhere in the sentence.
func plausibility(ans value, sp span, c candidate, answerWords map[string]bool, rest string) (float64, bool) {
	v := c.v
	tier := float64(c.tier)
	switch ans.kind {
	case Figure:
		if v.shape != ans.shape || (v.decimals > 0) != (ans.decimals > 0) {
			return 0, false
		}
		a, b := ans.num*scaleOf(ans.scale), v.num*scaleOf(v.scale)
		if a <= 0 || b <= 0 {
			return 0, false
		}
		r := math.Abs(math.Log(b / a))
		if r > math.Log(25) {
			return 0, false
		}
		score := tier + r
		if c.unit != "" && c.unit == sp.unit {
			score -= 0.75
		}
		return score, true
	case Date:
		if shapeFamily(v.shape) != shapeFamily(ans.shape) || (v.num < 0) != (ans.num < 0) {
			return 0, false
		}
		d := math.Abs(v.num - ans.num)
		var scale, limit float64
		switch shapeFamily(ans.shape) {
		case "year":
			scale, limit = 4, 40
		case "decade":
			scale, limit = 20, 60
		case "century":
			scale, limit = 1, 3
		case "month-year":
			scale, limit = 18, 72
		case "day":
			scale, limit = 365, 3650
		case "month":
			scale, limit = 3, 11
		}
		if d == 0 || d > limit {
			return 0, false
		}
		return d/scale + tier/2, true
	case Name:
		if v.shape != ans.shape {
			return 0, false
		}
		folded := knowledge.Fold(c.text)
		for _, w := range strings.Fields(folded) {
			if answerWords[w] && !connectors[w] {
				return 0, false
			}
		}
		if strings.Contains(rest, folded) {
			return 0, false
		}
		score := tier
		if len(strings.Fields(c.text)) != len(strings.Fields(sp.text)) {
			score += 0.5
		}
		return score, true
	case Term:
		folded := knowledge.Fold(c.text)
		if strings.Contains(rest, folded) || answerWords[folded] {
			return 0, false
		}
		return tier, true
	}
	return 0, false
}

// termOf returns the term an entry defines, if its opening sentences
// define one.
func termOf(ix *knowledge.Index, e *knowledge.Entry) (span, bool) {
	sents := ix.Sentences(e.ID)
	terms := entryTerms(e)
	for k := 0; k < 2 && k < len(sents); k++ {
		for _, sp := range spans(sents[k], terms, true) {
			if sp.value.kind == Term {
				return sp, true
			}
		}
	}
	return span{}, false
}

// casedLike writes a distractor the way the answer is written: with a
// capital first letter when the answer has one (it opens the sentence),
// else as the corpus writes it, less the capital of a sentence's start
// (atStart).
func casedLike(text, answer string, atStart bool) string {
	r, _ := utf8.DecodeRuneInString(answer)
	c, size := utf8.DecodeRuneInString(text)
	switch {
	case unicode.IsUpper(r):
		return string(unicode.ToUpper(c)) + text[size:]
	case atStart:
		return string(unicode.ToLower(c)) + text[size:]
	}
	return text
}

// madeUp makes distractors near the answer when the corpus has too few of
// its shape: figures and dates only (a made-up name would be a guess).
func madeUp(ans value, text string, rng *rand.Rand) []candidate {
	var out []candidate
	add := func(v value) {
		v = v.withKey()
		out = append(out, candidate{text: v.format(), v: v, tier: 3})
	}
	switch ans.kind {
	case Figure:
		factors := []float64{0.5, 0.6, 0.75, 0.8, 1.25, 1.4, 1.5, 2, 2.5, 3}
		rng.Shuffle(len(factors), func(i, j int) { factors[i], factors[j] = factors[j], factors[i] })
		for _, f := range factors {
			v := ans
			v.num = roundLike(ans.num*f, ans)
			if v.shape == "words" && (v.num < 3 || v.num > 99) {
				continue
			}
			add(v)
		}
	case Date:
		var steps []float64
		switch shapeFamily(ans.shape) {
		case "year":
			steps = []float64{1, 2, 3, 4, 5, 6}
		case "decade":
			steps = []float64{10, 20, 30}
		case "century":
			steps = []float64{1, 2}
		case "month-year":
			steps = []float64{1, 2, 3, 5, 7, 12}
		case "day":
			steps = []float64{3, 8, 17, 31, 45, 61}
		case "month":
			steps = []float64{1, 2, 3, 4}
		}
		for _, st := range steps {
			for _, sign := range []float64{-1, 1} {
				if rng.IntN(3) == 0 {
					continue // not always both sides: the answer is not the middle one
				}
				v := ans
				v.num = ans.num + sign*st
				switch {
				case ans.shape == "month":
					v.num = float64((int(v.num)+11)%12 + 1)
				case ans.shape == "century" && v.num < 1:
					continue
				case ans.shape == "year" && ans.era != "" && (v.num < 0) != (ans.num < 0):
					continue
				}
				add(v)
			}
		}
	}
	return out
}

// roundLike rounds x to as many significant digits as ans has, and to
// its decimals.
func roundLike(x float64, ans value) float64 {
	if ans.decimals > 0 {
		p := math.Pow(10, float64(ans.decimals))
		return math.Round(x*p) / p
	}
	digits := len(strings.TrimRight(strconv.FormatFloat(ans.num, 'f', 0, 64), "0"))
	digits = max(1, min(digits, 3))
	if x < 1 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x))-float64(digits)+1)
	if mag < 1 {
		mag = 1
	}
	return math.Round(x/mag) * mag
}
