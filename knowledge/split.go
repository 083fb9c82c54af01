package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a half-open byte range [start, end) of an entry's text.
type span struct{ start, end int }

// abbreviations end with a period that does not end a sentence (compared
// folded, without the period).
var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`mr mrs ms dr prof st gen col lt capt cpt sgt maj adm cmdr gov pres
		rev fr sr jr messrs mme mlle mgr vs etc e.g i.e cf al ca c approx no nos vol vols pp p ed eds
		jan feb mar apr jun jul aug sep sept oct nov dec fig figs mt ft inc ltd co corp dept univ est
		op ch sec art para n.b a.m p.m u.s u.k u.n u.s.s.r d.c viz ibid resp`) {
		m[w] = true
	}
	return m
}()

// splitSentences cuts text into sentences. A sentence ends at '.', '!' or
// '?' (with any closing quotes or brackets after it) followed by white
// space and a likely sentence start, or at a blank line. It does not end
// after an abbreviation ("Gen."), an initial ("Christopher E. Goscha"),
// inside parentheses, or inside a figure ("3.5", "11,546").
func splitSentences(text string) []span {
	var out []span
	start := 0
	depth := 0 // open brackets
	emit := func(end int) {
		s, e := trimSpan(text, start, end)
		if e > s {
			out = append(out, span{s, e})
		}
		start = end
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && !splitBytes[c] {
			i++ // most of the text: nothing to decide
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '\n':
			if j := skipSpaces(text, i+size); j < len(text) && (blankLineBetween(text, i, j) || listMarkerAt(text, j)) {
				emit(i)
				depth = 0
				i = j
				start = j
				continue
			}
		case '.', '!', '?', '…':
			end := i + size
			for end < len(text) {
				c, n := utf8.DecodeRuneInString(text[end:])
				if !isCloser(c) {
					break
				}
				if (c == ')' || c == ']') && depth > 0 {
					depth--
				}
				end += n
			}
			if depth > 0 && end-start < 400 {
				i = end
				continue
			}
			next := skipSpaces(text, end)
			if next == end || next >= len(text) {
				i = end
				continue
			}
			if r == '.' && !endsSentence(text, start, i, next) {
				i = end
				continue
			}
			emit(end)
			depth = 0
			i = next
			start = next
			continue
		}
		i += size
	}
	emit(len(text))
	return out
}

// splitBytes are the ASCII bytes splitSentences looks at.
var splitBytes = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "()[]\n.!?" {
		t[c] = true
	}
	return t
}()

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '*', '_':
		return true
	}
	return false
}

func skipSpaces(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func blankLineBetween(s string, from, to int) bool {
	return strings.Count(s[from:to], "\n") >= 2
}

func listMarkerAt(s string, i int) bool {
	rest := s[i:]
	if strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "* ") || strings.HasPrefix(rest, "• ") {
		return true
	}
	j := 0
	for j < len(rest) && isDigitByte(rest[j]) {
		j++
	}
	return j > 0 && j < 4 && strings.HasPrefix(rest[j:], ". ")
}

// endsSentence decides whether the period at dot (the sentence began at
// start; the next word begins at next) ends the sentence.
func endsSentence(text string, start, dot, next int) bool {
	nr, _ := utf8.DecodeRuneInString(text[next:])
	if unicode.IsLower(nr) {
		return false // "e.g. the", "approx. five"
	}
	// The word before the period.
	w := dot
	for w > start {
		r, size := utf8.DecodeLastRuneInString(text[:w])
		if unicode.IsSpace(r) || r == '(' || r == '"' || r == '“' {
			break
		}
		w -= size
	}
	word := text[w:dot]
	if word == "" {
		return true
	}
	first, firstSize := utf8.DecodeRuneInString(word)
	if unicode.IsUpper(first) && firstSize == len(word) {
		return false // an initial: "E. Goscha", "J. Stalin"
	}
	if abbreviations[Fold(strings.TrimSuffix(word, "."))] {
		return false
	}
	// Dotted initialisms: "U.S.", "D.R.V." (but a sentence can end with one
	// too; only keep going when a capitalised word follows directly).
	if strings.Count(word, ".") >= 1 && len(word) <= 8 && allLettersAndDots(word) {
		return false
	}
	return true
}

func allLettersAndDots(w string) bool {
	for _, r := range w {
		if r != '.' && !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func trimSpan(s string, start, end int) (int, int) {
	for start < end {
		r, size := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return start, end
}
