package gen

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// question is one line of questions.jsonl. Entry is "" for a question the
// corpus cannot answer.
type question struct {
	q       string
	entry   string
	answers []string
}

// stripPunct trims the punctuation a token may carry in running text.
func stripPunct(s string) string { return strings.Trim(s, ",.;:()") }

// keywords returns the words of the fact's sentence a question may reuse:
// not the fact's own phrase, no function words, no numbers.
func (b *builder) keywords(f *fact) []string {
	var out []string
	text := b.text[:f.end]
	i := f.start
	first := true
	for i < f.end {
		for i < f.end && text[i] == ' ' {
			i++
		}
		j := i
		for j < f.end && text[j] != ' ' {
			j++
		}
		if j == i {
			break
		}
		tok, s, e := string(text[i:j]), i, j
		i = j
		wasFirst := first
		first = false
		if e > f.phrase[0] && s < f.phrase[1] {
			continue
		}
		w := stripPunct(tok)
		if wasFirst {
			w = strings.ToLower(w)
		}
		if utf8.RuneCountInString(w) < 3 || b.v.isFunction[strings.ToLower(w)] ||
			strings.ContainsAny(w, "0123456789") || slices.Contains(titlesOfOffice, tok) ||
			slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// typo misspells a word: two letters swapped, one dropped or one doubled.
func typo(r *rng, w string) string {
	b := []byte(w)
	i := 1 + r.intn(len(b)-2)
	switch r.intn(3) {
	case 0:
		b[i], b[i+1] = b[i+1], b[i]
	case 1:
		b = append(b[:i], b[i+1:]...)
	default:
		b = append(b[:i+1], b[i:]...)
	}
	return string(b)
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// ask builds a question about one of the facts of the entry in b: a few of
// the sentence's words, sometimes reordered, misspelled or without accents,
// behind a question word that fits the fact.
func (b *builder) ask(r *rng, entry int) (question, bool) {
	if len(b.facts) == 0 {
		return question{}, false
	}
	f := &b.facts[r.intn(len(b.facts))]
	kws := b.keywords(f)
	k := min(len(kws), r.between(3, 5))
	idx := make([]int, len(kws))
	for i := range idx {
		idx[i] = i
	}
	shuffle(r, idx)
	idx = idx[:k]
	if !r.chance(1, 4) {
		slices.Sort(idx)
	}
	words := make([]string, 0, k+8)
	switch f.kind {
	case factFigure:
		words = append(words, "How", "many", f.unit)
		words = append(words, pick(r, []string{"did", "were", "", ""}))
	case factDate:
		if r.chance(1, 3) {
			words = append(words, "In", "what", "year")
		} else {
			words = append(words, "When")
		}
		words = append(words, pick(r, []string{"did", "was", "were", ""}))
	default:
		words = append(words, "Who", pick(r, []string{"was", "did", ""}))
	}
	chosen := make([]string, 0, k)
	for _, i := range idx {
		chosen = append(chosen, kws[i])
	}
	if r.chance(1, 5) {
		var long []int
		for i, w := range chosen {
			if len(w) >= 5 && isASCIILetters(w) {
				long = append(long, i)
			}
		}
		if len(long) > 0 {
			i := pick(r, long)
			chosen[i] = typo(r, chosen[i])
		}
	}
	words = append(words, chosen...)
	if r.chance(1, 3) {
		words = append(words, "in", b.titles[entry].natural)
	}
	q := strings.Join(strings.Fields(strings.Join(words, " ")), " ") + "?"
	if r.chance(1, 4) {
		q = fold(q)
	}
	return question{q: q, entry: b.titles[entry].key, answers: f.answers}, true
}

// unanswerable builds a question about made-up things.
func unanswerable(r *rng) question {
	frame := pick(r, unanswerableFrames)
	n := strings.Count(frame, "%s")
	args := make([]any, n)
	for i := range args {
		w := oovWord(r)
		if r.chance(1, 2) {
			w = capitalize(w)
		}
		args[i] = w
	}
	return question{q: fmt.Sprintf(frame, args...)}
}
