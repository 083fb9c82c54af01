package study

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token is.
type tokKind uint8

const (
	tokWord   tokKind = iota // letters (digits and inner hyphens or apostrophes allowed)
	tokNumber                // digits, with thousands separators or a decimal part
	tokPunct                 // anything else but space
)

// token is a piece of a sentence, at bytes [start, end).
type token struct {
	kind       tokKind
	start, end int
	text       string
	// space is whether space comes before the token.
	space bool
}

func (t token) capital() bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r)
}

func (t token) lower() string { return strings.ToLower(t.text) }

func (t token) hasDigit() bool { return strings.ContainsAny(t.text, "0123456789") }

func (t token) allDigits() bool {
	for _, c := range []byte(t.text) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return t.text != ""
}

// tokenize splits s into words, numbers and punctuation.
func tokenize(s string) []token {
	var out []token
	space := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
			i += size
			continue
		case isDigit(r):
			j := scanNumber(s, i)
			// A number running into letters is a word: "1850s", "18th", "K50".
			if k := scanWord(s, j); k > j {
				j = k
				out = append(out, token{kind: tokWord, start: i, end: j, text: s[i:j], space: space})
			} else {
				out = append(out, token{kind: tokNumber, start: i, end: j, text: s[i:j], space: space})
			}
			i = j
		case unicode.IsLetter(r):
			j := scanWord(s, i)
			out = append(out, token{kind: tokWord, start: i, end: j, text: s[i:j], space: space})
			i = j
		default:
			out = append(out, token{kind: tokPunct, start: i, end: i + size, text: s[i : i+size], space: space})
			i += size
		}
		space = false
	}
	return out
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// scanNumber reads digits with "," before groups of three and "." before
// decimals.
func scanNumber(s string, i int) int {
	j := i
	for j < len(s) && isDigit(rune(s[j])) {
		j++
	}
	for j+1 < len(s) {
		switch {
		case s[j] == ',' && j+4 <= len(s) && allDigitBytes(s[j+1:j+4]) && (j+4 == len(s) || !isDigit(rune(s[j+4]))):
			j += 4
		case s[j] == '.' && isDigit(rune(s[j+1])):
			j++
			for j < len(s) && isDigit(rune(s[j])) {
				j++
			}
			return j
		default:
			return j
		}
	}
	return j
}

func allDigitBytes(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// scanWord reads letters, digits and marks, with single hyphens and
// apostrophes between them.
func scanWord(s string, i int) int {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) || unicode.IsMark(r) || isDigit(r) {
			j += size
			continue
		}
		if (r == '-' || r == '\'' || r == '’') && j > i {
			n, nsize := utf8.DecodeRuneInString(s[j+size:])
			// A possessive "'s" ends the word: "Smeaton's" is Smeaton.
			if r != '-' && (n == 's' || n == 'S') {
				if after, _ := utf8.DecodeRuneInString(s[j+size+nsize:]); !unicode.IsLetter(after) {
					break
				}
			}
			if nsize > 0 && (unicode.IsLetter(n) || isDigit(n)) {
				j += size + nsize
				continue
			}
		}
		break
	}
	return j
}

// stopWords are the small words a name or a figure's context is told apart
// by; not knowledge's list, which is tuned for ranking.
var stopWords = setOf("a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "from", "by", "for", "with",
	"as", "into", "onto", "over", "under", "after", "before", "since", "until", "till", "during", "between", "among",
	"about", "around", "against", "through", "via", "than", "then", "that", "this", "these", "those", "which", "who",
	"whom", "whose", "what", "when", "where", "while", "why", "how", "is", "are", "was", "were", "be", "been", "being",
	"has", "had", "have", "do", "does", "did", "not", "no", "it", "its", "he", "she", "his", "her", "they", "their",
	"them", "we", "our", "you", "your", "i", "so", "if", "also", "only", "even", "still", "yet", "both", "each",
	"all", "any", "some", "most", "many", "more", "much", "such", "there", "here", "would", "could", "should", "will",
	"can", "may", "might", "must", "shall", "however", "although", "though", "because", "per", "up", "down", "out",
	"off", "near", "towards", "toward", "within", "without", "across", "along", "upon", "again", "later", "earlier")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
