package gen

import (
	"strconv"
	"strings"
)

// factKind is what a sentence's answerable span is.
type factKind uint8

const (
	factNone   factKind = iota
	factFigure          // "11,546 tons", "seventy-six 37 mm guns"
	factDate            // "5 July 1952"
	factName            // "Trần Văn Soái", "Maren K. Dolvith"
)

// fact is a sentence of an entry that a question can be asked about.
type fact struct {
	start, end int      // the sentence, byte offsets into the text
	phrase     [2]int   // the fact's phrase (answer and its unit), offsets into the text
	answers    []string // spans of the sentence, best first
	kind       factKind
	// frame words for the question ("tons of rice" for "How many tons of rice").
	unit string
}

// builder writes the text of one entry at a time.
type builder struct {
	v      *vocab
	titles []title
	byKey  map[string]int32
	r      rng

	text   []byte
	toks   []string
	cuts   []int
	facts  []fact
	words  int
	sents  int
	seeAlo []string
}

// phrase is a run of tokens inserted into a sentence: ans is the token range
// [ans[0], ans[1]) that answers a question.
type phrase struct {
	toks    []string
	ans     [2]int
	answers []string // extra answers besides the joined ans tokens
	kind    factKind
	unit    string
}

// spell writes 1 <= n <= 99 in words.
func spell(n int) string {
	switch {
	case n < 20:
		return ones[n]
	case n%10 == 0:
		return tens[n/10]
	default:
		return tens[n/10] + "-" + ones[n%10]
	}
}

// number draws a count and writes it with thousands separators.
func number(r *rng) string {
	var n int
	switch x := r.intn(10); {
	case x < 2:
		n = r.between(2, 99)
	case x < 7:
		n = r.between(100, 999)
	default:
		n = r.between(1000, 99999)
	}
	s := strconv.Itoa(n)
	if n >= 1000 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

func (b *builder) figure() phrase {
	r := &b.r
	switch x := r.intn(10); {
	case x < 5:
		num, unit := number(r), pick(r, countUnits)
		toks := append([]string{num}, strings.Fields(unit)...)
		return phrase{toks: toks, ans: [2]int{0, len(toks)}, answers: []string{num}, kind: factFigure, unit: unit}
	case x < 8:
		num, unit, what := number(r), pick(r, massUnits), pick(r, b.v.pseudo)
		return phrase{toks: []string{num, unit, "of", what}, ans: [2]int{0, 2}, answers: []string{num}, kind: factFigure, unit: unit + " of " + what}
	default:
		n, cal, unit := spell(r.between(2, 99)), pick(r, calibres), pick(r, gunUnits)
		toks := append([]string{n, cal, "mm"}, strings.Fields(unit)...)
		return phrase{toks: toks, ans: [2]int{0, len(toks)}, answers: []string{n}, kind: factFigure, unit: cal + " mm " + unit}
	}
}

func (b *builder) date() phrase {
	r := &b.r
	year := strconv.Itoa(r.between(1850, 1999))
	month := pick(r, months)
	switch x := r.intn(10); {
	case x < 5:
		day := strconv.Itoa(r.between(1, 28))
		return phrase{toks: []string{"on", day, month, year}, ans: [2]int{1, 4}, kind: factDate}
	case x < 8:
		return phrase{toks: []string{"in", month, year}, ans: [2]int{1, 3}, kind: factDate}
	default:
		return phrase{toks: []string{"in", year}, ans: [2]int{1, 2}, kind: factDate}
	}
}

func (b *builder) name() phrase {
	r := &b.r
	if r.chance(2, 3) {
		accented, folded := vnName(r)
		if r.chance(1, 5) {
			accented = folded
		}
		toks := strings.Fields(accented)
		return phrase{toks: toks, ans: [2]int{0, len(toks)}, kind: factName}
	}
	var toks []string
	if r.chance(1, 3) {
		toks = append(toks, pick(r, titlesOfOffice))
	}
	first := len(toks)
	toks = append(toks, capitalize(pick(r, b.v.pseudo)))
	if r.chance(1, 2) {
		toks = append(toks, string(initials[r.intn(len(initials))])+".")
	}
	toks = append(toks, capitalize(pick(r, b.v.pseudo)))
	return phrase{toks: toks, ans: [2]int{first, len(toks)}, kind: factName}
}

// gloss is a Vietnamese phrase in parentheses, accents folded as many
// authors write them: "(khong hoan lai)".
func (b *builder) gloss() []string {
	r := &b.r
	n := r.between(2, 4)
	toks := make([]string, n)
	for i := range toks {
		var s vnSyllable
		switch r.intn(3) {
		case 0:
			s = pick(r, vnGiven)
		case 1:
			s = pick(r, vnMiddle)
		default:
			s = pick(r, vnNick)
		}
		toks[i] = strings.ToLower(s.folded)
	}
	toks[0] = "(" + toks[0]
	toks[n-1] += ")"
	return toks
}

// sentence writes one sentence of n words. opening, when set, starts it;
// ph, when its toks are set, is placed inside it, after the first word and
// between the units of filler (never inside a name or a gloss).
func (b *builder) sentence(n int, opening []string, ph phrase) {
	r := &b.r
	toks := append(b.toks[:0], opening...)
	fill := n - len(ph.toks)
	cuts := b.cuts[:0]
	for len(toks) < fill {
		if len(toks) > 0 {
			cuts = append(cuts, len(toks))
		}
		switch x := r.intn(40); {
		case x == 0 && fill-len(toks) > 5:
			other := b.titles[r.intn(len(b.titles))].natural
			toks = append(toks, strings.Fields(other)...)
		case x == 1 && fill-len(toks) > 5:
			toks = append(toks, b.gloss()...)
		default:
			w := b.v.word(r)
			if len(toks) > 0 && len(toks) < fill-1 && r.chance(1, 14) {
				w += ","
			}
			toks = append(toks, w)
		}
	}
	cuts = append(cuts, len(toks))
	b.cuts = cuts
	at := -1
	if len(ph.toks) > 0 {
		at = cuts[r.intn(len(cuts))]
		k := len(ph.toks)
		toks = append(toks, ph.toks...)
		copy(toks[at+k:], toks[at:len(toks)-k])
		copy(toks[at:], ph.toks)
	}
	toks[0] = capitalize(toks[0])
	if len(b.text) > 0 {
		b.text = append(b.text, ' ')
	}
	start := len(b.text)
	var phStart, phEnd, ansStart, ansEnd int
	for i, t := range toks {
		if i > 0 {
			b.text = append(b.text, ' ')
		}
		if at >= 0 && i == at {
			phStart = len(b.text)
		}
		if at >= 0 && i == at+ph.ans[0] {
			ansStart = len(b.text)
		}
		b.text = append(b.text, t...)
		if at >= 0 && i == at+ph.ans[1]-1 {
			ansEnd = len(b.text)
		}
		if at >= 0 && i == at+len(ph.toks)-1 {
			phEnd = len(b.text)
		}
	}
	b.text = append(b.text, '.')
	b.toks = toks
	b.words += len(toks)
	b.sents++
	if at >= 0 && ph.kind != factNone {
		answers := []string{string(b.text[ansStart:ansEnd])}
		answers = append(answers, ph.answers...)
		b.facts = append(b.facts, fact{
			start: start, end: len(b.text),
			phrase:  [2]int{phStart, phEnd},
			answers: answers,
			kind:    ph.kind,
			unit:    ph.unit,
		})
	}
}

// entry writes the text of entry i into b.text and its See also titles into
// b.seeAlo.
func (b *builder) entry(seed int64, i int) {
	r := &b.r
	r.seed(seed, uint64(i))
	b.text, b.facts, b.seeAlo, b.words, b.sents = b.text[:0], b.facts[:0], b.seeAlo[:0], 0, 0
	t := &b.titles[i]
	target := r.between(150, 600)
	for k := 0; b.words < target; k++ {
		n := r.between(5, 30) + r.between(5, 30)
		if rest := target - b.words - n; rest < 8 {
			n = target - b.words
		}
		var opening []string
		if k == 0 {
			opening = append(strings.Fields(t.natural), pick(r, []string{"was", "is", "were", "became"}))
		}
		var ph phrase
		kind := r.intn(20)
		switch {
		case k == 1 || (k > 2 && kind < 4):
			ph = b.figure()
		case k == 2 || (k > 2 && kind < 8):
			ph = b.date()
		case k > 2 && kind < 11:
			ph = b.name()
		}
		if len(ph.toks)+len(opening)+1 > n {
			ph = phrase{}
		}
		b.sentence(n, opening, ph)
	}
	if !r.chance(1, 12) {
		b.seeAlso(i)
	}
}

// seeAlso closes the text with "See also A; B; C." naming other entries and,
// now and then, a headword the corpus does not hold.
func (b *builder) seeAlso(self int) {
	r := &b.r
	n := 1 + r.intn(3)
	for k := 0; k < n; k++ {
		var h string
		if len(b.titles) < 2 || r.chance(1, 15) {
			for {
				t := makeTitle(r, b.v)
				if _, in := b.byKey[t.key]; !in {
					h = t.head
					break
				}
			}
		} else {
			j := r.intn(len(b.titles) - 1)
			if j >= self {
				j++
			}
			h = b.titles[j].head
		}
		dup := false
		for _, s := range b.seeAlo {
			dup = dup || s == h
		}
		if !dup {
			b.seeAlo = append(b.seeAlo, h)
		}
	}
	b.text = append(b.text, " See also "...)
	for k, h := range b.seeAlo {
		if k > 0 {
			b.text = append(b.text, "; "...)
		}
		b.text = append(b.text, h...)
	}
	b.text = append(b.text, '.')
}
