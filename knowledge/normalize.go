package knowledge

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and removes its accents: "Trần Văn Soái" -> "tran van soai".
// Decomposition and mark removal come from golang.org/x/text; the few
// letters Unicode does not decompose (đ, ø, ł, ß, æ, œ, ı) are mapped here.
func Fold(s string) string {
	if isLowerASCII(s) {
		return s
	}
	return string(foldAppend(make([]byte, 0, len(s)), s))
}

// foldAppend appends the folded form of s to buf.
func foldAppend(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		buf = append(buf, foldRune(r)...)
		i += size
	}
	return buf
}

// foldTable caches the folded form of the runes below foldTableSize
// (Latin, Greek, Cyrillic and Vietnamese letters among them), so that
// folding a word does not run the Unicode transformer for each letter.
const foldTableSize = 0x2000

var foldTable = func() []string {
	t := make([]string, foldTableSize)
	for r := rune(utf8.RuneSelf); r < foldTableSize; r++ {
		t[r] = foldRuneSlow(r)
	}
	return t
}()

func foldRune(r rune) string {
	if r >= 0 && r < foldTableSize {
		return foldTable[r]
	}
	return foldRuneSlow(r)
}

func foldRuneSlow(r rune) string {
	if rep, ok := undecomposed[unicode.ToLower(r)]; ok {
		return rep
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, string(r))
	if err != nil {
		out = string(r)
	}
	var b strings.Builder
	for _, c := range out {
		if rep, ok := undecomposed[unicode.ToLower(c)]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

var undecomposed = map[rune]string{
	'đ': "d", 'ð': "d", 'ø': "o", 'ł': "l", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'þ': "th",
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// token is one word of a text: its folded, unstemmed form and where it is.
type token struct {
	word       string // folded; number separators removed ("11,546" -> "11546")
	start, end int    // byte offsets in the source text
	capital    bool   // the source word starts with an upper-case letter
	number     bool   // the word is a figure
}

// tokenize splits s into words: runs of letters and digits. Apostrophes
// inside words join them and a possessive "'s" is dropped; commas and
// periods between digits stay inside figures ("11,546", "3.5").
func tokenize(s string, out []token) []token {
	var buf []byte
	scanWords(s, &buf, func(word []byte, tk token) {
		tk.word = string(word)
		out = append(out, tk)
	})
	return out
}

// scanWords finds the words of s as tokenize does and calls fn with each
// one's folded form (in buf, valid until the next call) and its token
// (without word). Building the index uses it to look words up without
// allocating a string for each.
func scanWords(s string, buf *[]byte, fn func(word []byte, tk token)) {
	scanRaw(s, func(rw rawWord) {
		*buf = rw.fold((*buf)[:0], s[rw.start:rw.end])
		fn(*buf, rw.token)
	})
}

// rawWord is a word as scanRaw finds it, before folding.
type rawWord struct {
	token      // start and end in the scanned text; word is unset
	apos  bool // it holds an apostrophe ("Stalin's", "don't")
	sep   bool // it is a figure with separators ("11,546")
}

// fold appends the folded form of the word, raw as written, to buf: lower
// case, accents removed, a possessive dropped, figures without separators.
// It depends on the word as written only.
func (rw rawWord) fold(buf []byte, raw string) []byte {
	w := foldAppend(buf, raw)
	if rw.apos {
		w = stripApostropheBytes(w)
	}
	if rw.sep {
		w = removeByte(w, ',')
	}
	return w
}

// scanRaw finds the words of s: runs of letters and digits, apostrophes
// inside words, commas and periods between digits.
func scanRaw(s string, fn func(rawWord)) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf && !isASCIIWordByte(c) {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		digits, letters := 0, 0
		hasSep, hasApos := false, false
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				switch {
				case '0' <= c && c <= '9':
					digits++
					i++
					continue
				case isASCIIWordByte(c):
					letters++
					i++
					continue
				case (c == ',' || c == '.') && digits > 0 && letters == 0 && i+1 < len(s) && isDigitByte(s[i+1]) && i > start && isDigitByte(s[i-1]):
					hasSep = true
					i++
					continue
				case c == '\'' && letters > 0 && i+1 < len(s):
					if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(next) {
						hasApos = true
						i++
						continue
					}
				}
				break
			}
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case unicode.IsDigit(r):
				digits++
				i += size
				continue
			case isWordRune(r):
				letters++
				i += size
				continue
			case r == '’' && letters > 0 && i+size < len(s):
				if next, _ := utf8.DecodeRuneInString(s[i+size:]); unicode.IsLetter(next) {
					hasApos = true
					i += size
					continue
				}
			}
			break
		}
		first := rune(s[start])
		if first >= utf8.RuneSelf {
			first, _ = utf8.DecodeRuneInString(s[start:])
		}
		fn(rawWord{token: token{start: start, end: i, capital: unicode.IsUpper(first), number: digits > 0 && letters == 0},
			apos: hasApos, sep: hasSep})
	}
}

func isASCIIWordByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// stripApostropheBytes drops a possessive 's and the apostrophes of a
// folded word, in place.
func stripApostropheBytes(w []byte) []byte {
	for _, suffix := range []string{"'s", "’s"} {
		if len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix {
			w = w[:len(w)-len(suffix)]
			break
		}
	}
	out := w[:0]
	for i := 0; i < len(w); {
		if w[i] == '\'' {
			i++
			continue
		}
		if i+3 <= len(w) && string(w[i:i+3]) == "’" {
			i += 3
			continue
		}
		out = append(out, w[i])
		i++
	}
	return out
}

func removeByte(w []byte, c byte) []byte {
	out := w[:0]
	for _, b := range w {
		if b != c {
			out = append(out, b)
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// stemmer maps folded words to index terms: Snowball English stems, cached
// because the same few thousand words make up most of any text.
type stemmer struct {
	cache map[string]string
}

func newStemmer() *stemmer { return &stemmer{cache: make(map[string]string, 4096)} }

// term returns the index term for a folded word.
func (s *stemmer) term(word string) string {
	if t, ok := s.cache[word]; ok {
		return t
	}
	t := stemWord(word)
	if len(s.cache) < 1<<20 {
		s.cache[strings.Clone(word)] = t
	}
	return t
}

func stemWord(word string) string {
	if len(word) <= 2 || !isLowerASCII(word) || hasDigit(word) {
		return word
	}
	return english.Stem(word, true)
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

var stemmerPool = sync.Pool{New: func() any { return newStemmer() }}

// Terms returns the index terms of s, stop words removed: the normal form
// used for matching. Exposed for tests and tools.
func Terms(s string) []string {
	st := stemmerPool.Get().(*stemmer)
	defer stemmerPool.Put(st)
	var out []string
	for _, t := range tokenize(s, nil) {
		if isStopWord(t.word) {
			continue
		}
		out = append(out, st.term(t.word))
	}
	return out
}
