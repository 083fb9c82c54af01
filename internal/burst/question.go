package burst

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/footnote-bot/footnote/knowledge"
)

// HeavyQuestion builds the costliest question of about chars characters
// for a corpus of JSON lines: its commonest words that Ask does not drop
// as stop words, commonest first, so that every term has one of the
// longest posting lists. It reads at most limit bytes of r.
func HeavyQuestion(r io.Reader, chars int, limit int64) (string, error) {
	counts := map[string]int{}
	sc := bufio.NewScanner(io.LimitReader(r, limit))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		for _, w := range strings.FieldsFunc(e.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 3 {
				counts[strings.ToLower(w)]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	type wc struct {
		w string
		n int
	}
	var words []wc
	for w, n := range counts {
		if len(knowledge.Terms(w)) == 1 { // not a stop word
			words = append(words, wc{w, n})
		}
	}
	slices.SortFunc(words, func(a, b wc) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return strings.Compare(a.w, b.w)
	})
	var q []string
	n := -1 // no space before the first word
	for _, w := range words {
		if l := utf8.RuneCountInString(w.w); n+1+l <= chars {
			q, n = append(q, w.w), n+1+l
		}
		if n >= chars-3 {
			break
		}
	}
	if len(q) == 0 {
		return "", errors.New("burst: no words in the corpus sample")
	}
	return strings.Join(q, " "), nil
}
