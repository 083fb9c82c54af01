package study

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/footnote-bot/footnote/knowledge"
)

// span is a part of a sentence that can be blanked, at bytes [start, end).
type span struct {
	start, end int
	text       string
	value      value
	// unit is the word after the span, as an index term ("films" in
	// "308 films"): figures that count the same thing are the best
	// distractors.
	unit string
}

// Limits on the sentences items are made of: long enough to hold the
// context an answer needs, short enough to read in a round.
const (
	minSentence     = 30
	maxSentence     = 450
	minContextTerms = 4   // index terms left once the blank is out
	maxOptionLen    = 60  // an option's characters, well inside a button's 80
	maxSentencesPer = 400 // sentences of one entry looked at
)

// spans finds every part of sentence s worth blanking, in order, without
// overlaps; title is the entry's title and aliases (for terms), first
// whether s opens its entry.
func spans(s string, terms []string, first bool) []span {
	toks := tokenize(s)
	var out []span
	used := make([]bool, len(toks))
	take := func(from, to int, v value) {
		for k := from; k < to; k++ {
			used[k] = true
		}
		sp := span{start: toks[from].start, end: toks[to-1].end, text: s[toks[from].start:toks[to-1].end], value: v}
		if w := word(toks, to); w != "" {
			if t := knowledge.Terms(w); len(t) == 1 {
				sp.unit = t[0]
			}
		}
		out = append(out, sp)
	}
	if t, ok := termSpan(s, toks, terms, first); ok {
		take(t[0], t[1], value{kind: Term, key: "t:" + knowledge.Fold(s[toks[t[0]].start:toks[t[1]-1].end])})
	}
	for k := 0; k < len(toks); k++ {
		if used[k] {
			continue
		}
		if n, v, ok := dateAt(toks, k); ok && !anyUsed(used, k, k+n) {
			take(k, k+n, v)
			k += n - 1
			continue
		}
	}
	for k := 0; k < len(toks); k++ {
		if used[k] {
			continue
		}
		if n, v, ok := figureAt(toks, k); ok && !anyUsed(used, k, k+n) {
			take(k, k+n, v)
			k += n - 1
		}
	}
	for k := 0; k < len(toks); k++ {
		if used[k] {
			continue
		}
		if n, v, ok := nameAt(toks, k); ok && !anyUsed(used, k, k+n) {
			take(k, k+n, v)
			k += n - 1
		}
	}
	sortSpans(out)
	return out
}

func anyUsed(used []bool, from, to int) bool {
	for k := from; k < to && k < len(used); k++ {
		if used[k] {
			return true
		}
	}
	return false
}

func sortSpans(s []span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].start < s[j-1].start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// word returns toks[k]'s text when it is a word, else "".
func word(toks []token, k int) string {
	if k < 0 || k >= len(toks) || toks[k].kind != tokWord {
		return ""
	}
	return toks[k].text
}

func punct(toks []token, k int, p string) bool {
	return k >= 0 && k < len(toks) && toks[k].kind == tokPunct && toks[k].text == p
}

// yearOf reads a year written in digits (1 to 4 of them).
func yearOf(t token) (int, bool) {
	if t.kind != tokNumber || !t.allDigits() || len(t.text) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(t.text)
	return n, err == nil
}

var eras = map[string]bool{"BC": true, "AD": true, "BCE": true, "CE": true}

// yearCue are the words after which four digits are a year whatever
// follows: "from 1850 required", "tower of 1759 served".
var yearCue = setOf("in", "since", "by", "from", "until", "till", "after", "before", "around", "circa", "c", "of", "between",
	"during", "early", "late", "mid", "year", "autumn", "spring", "summer", "winter")

// dateAt reads a date starting at toks[k]: "5 July 1952", "July 5, 1952",
// "July 1951", "1949", "280 BC", "1850s", "eighteenth century" (the
// ordinal only), "May" (a month alone, not at the start). n is how many
// tokens it takes.
func dateAt(toks []token, k int) (n int, v value, ok bool) {
	t := toks[k]
	// 5 July 1952
	if d, isNum := yearOf(t); isNum && d >= 1 && d <= 31 && len(t.text) <= 2 {
		if m := monthNumber(word(toks, k+1)); m > 0 && k+2 < len(toks) {
			if y, ok := yearOf(toks[k+2]); ok && y >= 100 && validDay(y, m, d) {
				return 3, value{kind: Date, shape: "day", num: dayNumber(y, m, d)}.withKey(), true
			}
		}
	}
	if m := monthNumber(word(toks, k)); m > 0 {
		// July 5, 1952
		if k+3 < len(toks) && punct(toks, k+2, ",") {
			if d, ok := yearOf(toks[k+1]); ok && len(toks[k+1].text) <= 2 {
				if y, ok := yearOf(toks[k+3]); ok && y >= 100 && validDay(y, m, d) {
					return 4, value{kind: Date, shape: "day-us", num: dayNumber(y, m, d)}.withKey(), true
				}
			}
		}
		// July 1951
		if k+1 < len(toks) {
			if y, ok := yearOf(toks[k+1]); ok && len(toks[k+1].text) == 4 {
				return 2, value{kind: Date, shape: "month-year", num: float64(y*12 + m - 1)}.withKey(), true
			}
		}
		// A month alone, where it cannot be the verb "may" or a name's start.
		if k > 0 && !(m == 5 && !toks[k].space) && !capitalizedWord(toks, k+1) {
			return 1, value{kind: Date, shape: "month", num: float64(m)}.withKey(), true
		}
		return 0, value{}, false
	}
	// 280 BC, 1949
	if y, ok := yearOf(t); ok {
		if era := word(toks, k+1); eras[era] {
			num := y
			if era == "BC" || era == "BCE" {
				num = -y
			}
			return 2, value{kind: Date, shape: "year", num: float64(num), era: era}.withKey(), true
		}
		if len(t.text) == 4 && y >= 1000 && y <= 2099 && (yearCue[strings.ToLower(word(toks, k-1))] || !countNoun(toks, k+1)) {
			return 1, value{kind: Date, shape: "year", num: float64(y)}.withKey(), true
		}
		return 0, value{}, false
	}
	// 1850s
	if w := word(toks, k); len(w) == 5 && w[4] == 's' && allDigitBytes(w[:4]) && w[3] == '0' {
		y, _ := strconv.Atoi(w[:4])
		return 1, value{kind: Date, shape: "decade", num: float64(y)}.withKey(), true
	}
	// the eighteenth century, the 19th century
	if next := strings.ToLower(word(toks, k+1)); next == "century" || next == "centuries" {
		if n, ok := ordinalWord(t.text); ok && t.kind == tokWord {
			return 1, value{kind: Date, shape: "century", num: float64(n), ordinalWords: true}.withKey(), true
		}
		if n, ok := ordinalDigits(t.text); ok {
			return 1, value{kind: Date, shape: "century", num: float64(n)}.withKey(), true
		}
	}
	return 0, value{}, false
}

// countNoun reports whether toks[k] is a lower-case word that is not a
// small word: after a number it makes the number a count ("1500 men"),
// not a year ("1952 the fleet", "in 1952, after").
func countNoun(toks []token, k int) bool {
	w := word(toks, k)
	return w != "" && !toks[k].capital() && !stopWords[strings.ToLower(w)]
}

func capitalizedWord(toks []token, k int) bool {
	w := word(toks, k)
	return w != "" && toks[k].capital() && !stopWords[strings.ToLower(w)]
}

// figureAt reads a figure starting at toks[k]: digits ("308", "11,546",
// "3.5", with "million" and the like after), or one number word of 3 or
// more ("seventy-six"). Figures of 0 to 2, parts of words ("K50") and
// ordinals are left alone: they make poor questions.
func figureAt(toks []token, k int) (int, value, bool) {
	t := toks[k]
	switch t.kind {
	case tokNumber:
		// A number glued to letters or another number before it ("H-6",
		// "1-2") is part of something else.
		if k > 0 && !t.space && (toks[k-1].kind == tokWord || toks[k-1].kind == tokNumber || strings.Contains("-/@#<&", toks[k-1].text)) {
			return 0, value{}, false
		}
		if len(t.text) > 12 {
			return 0, value{}, false
		}
		if k+1 < len(toks) && !toks[k+1].space && (toks[k+1].text == "-" || toks[k+1].text == "/") {
			return 0, value{}, false
		}
		v, ok := parseFigure(t.text)
		if !ok || v.num < 3 {
			return 0, value{}, false
		}
		if sc := strings.ToLower(word(toks, k+1)); scales[sc] != 0 {
			v.scale = sc
			return 2, v.withKey(), true
		}
		return 1, v, true
	case tokWord:
		n, ok := numberWord(t.text)
		if !ok || n < 3 {
			return 0, value{}, false
		}
		// "seventy-six", and never "hundred"/"thousand" after it: that
		// figure is not one word.
		if next := strings.ToLower(word(toks, k+1)); next == "hundred" || scales[next] != 0 {
			return 0, value{}, false
		}
		return 1, value{kind: Figure, shape: "words", num: float64(n)}.withKey(), true
	}
	return 0, value{}, false
}

// Name connectors may stand inside a name: "Pharos of Alexandria",
// "Christian de Duve".
var connectors = setOf("of", "de", "du", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "bin", "ibn", "al", "y")

// Words that say what kind of name a name is.
var (
	groupWords = setOf("union", "republic", "kingdom", "empire", "states", "party", "army", "navy", "front", "radio", "accords",
		"agreement", "treaty", "plan", "war", "conference", "company", "society", "university", "institute", "college",
		"museum", "church", "bank", "council", "committee", "ministry", "office", "corps", "division", "regiment", "league",
		"alliance", "association", "movement", "organisation", "organization", "academy", "school", "hospital", "press",
		"act", "law", "revolution", "campaign", "operation", "battle", "dynasty", "government", "assembly", "congress",
		"forces", "force", "group", "commission", "federation", "liberation", "national", "people's", "communist", "socialist", "code")
	placeWords = setOf("sea", "ocean", "river", "lake", "bay", "island", "islands", "rock", "rocks", "mountain", "mount",
		"mountains", "cape", "coast", "valley", "delta", "province", "city", "street", "lighthouse", "station", "estuary",
		"sound", "strait", "channel", "harbour", "harbor", "port", "fort", "bridge", "canal", "road", "gulf", "peninsula",
		"desert", "forest", "park", "district", "region", "county", "north", "south", "east", "west", "plateau", "highlands",
		"village", "town", "hamlet", "capital", "shores", "mouth")
	locative = setOf("in", "at", "from", "to", "near", "off", "via", "into", "towards", "toward", "across", "on", "between", "through")
	// Capitalised words that are not names in the middle of a sentence.
	notNames = setOf("i", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "see", "mr", "mrs", "dr", "st")
)

// demonym reports whether w looks like a people's or country's adjective
// ("Vietnamese", "British", "Chinese", "Americans"): not a name to blank.
func demonym(w string) bool {
	l := strings.ToLower(w)
	for _, suf := range []string{"ese", "ish", "ian", "ians", "ean", "eans", "can", "cans", "ans"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+2 {
			return true
		}
	}
	return l == "french" || l == "dutch" || l == "swiss" || l == "greek" || l == "thai" || l == "soviet" || l == "soviets"
}

// nameAt reads a name starting at toks[k]: capitalised words, with
// connectors and numerals inside ("Pharos of Alexandria", "World War
// II"), no digits, no acronyms, not in parentheses, not starting the
// sentence unless it has two words or more. A name of one word is kept
// when it is a place (after "in", "at", "from"... or in a list after
// one) or a surname (the last word of a person's name elsewhere in the
// sentence's entry is not known here: see surnames); a name used as an
// adjective ("the Nam Bộ river fleet", "Chinese communists") is not.
func nameAt(toks []token, k int) (int, value, bool) {
	if !isNameWord(toks, k) || (k > 0 && punct(toks, k-1, "(")) {
		return 0, value{}, false
	}
	end := k + 1
	for end < len(toks) {
		if (isNameWord(toks, end) || roman(word(toks, end))) && toks[end].space {
			end++
			continue
		}
		if connectors[word(toks, end)] && isNameWord(toks, end+1) {
			end += 2
			continue
		}
		break
	}
	n := end - k
	words := 0
	for j := k; j < end; j++ {
		w := word(toks, j)
		if !connectors[w] {
			words++
		}
		if _, isNum := numberWord(w); isNum || (strings.Contains(w, "-") && !allPartsCapital(w)) {
			return 0, value{}, false
		}
	}
	if n > 6 || (k == 0 && words < 2) || demonym(word(toks, end-1)) {
		return 0, value{}, false
	}
	prev := strings.ToLower(word(toks, k-1))
	// "in Moscow", "at Phú Lộc", "Ostia, Dover and Boulogne", "the
	// village of Phú Lộc", "the coast of Scotland".
	place := locative[prev] || listedAfterPlace(toks, k) || (prev == "of" && placeWords[strings.ToLower(word(toks, k-2))])
	if countNoun(toks, end) && (words == 1 || prev == "the") {
		return 0, value{}, false // an adjective: "Scottish lights", "the Gironde estuary"
	}
	shape := "person"
	switch {
	case words == 1:
		w := toks[k].text
		if demonym(w) || len(w) < 3 || groupWords[strings.ToLower(w)] || placeWords[strings.ToLower(w)] {
			return 0, value{}, false
		}
		shape = "single"
		if place {
			shape = "place"
		}
	default:
		for j := k; j < end; j++ {
			w := strings.ToLower(word(toks, j))
			switch {
			case groupWords[w]:
				shape = "group"
			case placeWords[w] && shape != "group":
				shape = "place"
			case w == "of" && shape == "person":
				shape = "place" // "Pharos of Alexandria": a person's name has no "of"
			}
		}
		if shape == "person" && place {
			shape = "place"
		}
	}
	return n, value{kind: Name, shape: shape, key: "p:" + knowledge.Fold(joinTokens(toks, k, end))}, true
}

// listedAfterPlace reports whether toks[k] follows "in X, Y and" or the
// like: a place in a list of places.
func listedAfterPlace(toks []token, k int) bool {
	if !(punct(toks, k-1, ",") || word(toks, k-1) == "and" || word(toks, k-1) == "or") {
		return false
	}
	for j := k - 2; j >= 0 && j >= k-12; j-- {
		switch {
		case isNameWord(toks, j) || punct(toks, j, ",") || word(toks, j) == "and" || word(toks, j) == "or" || connectors[word(toks, j)]:
			continue
		case locative[strings.ToLower(word(toks, j))]:
			return true
		}
		return false
	}
	return false
}

func roman(w string) bool {
	switch w {
	case "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI":
		return true
	}
	return false
}

func allPartsCapital(w string) bool {
	for _, p := range strings.Split(w, "-") {
		if p == "" || !unicode.IsUpper([]rune(p)[0]) {
			return false
		}
	}
	return true
}

func isNameWord(toks []token, k int) bool {
	w := word(toks, k)
	if w == "" || !toks[k].capital() || toks[k].hasDigit() {
		return false
	}
	l := strings.ToLower(w)
	if stopWords[l] || notNames[l] || monthNumber(w) > 0 || eras[w] {
		return false
	}
	// An acronym ("DRV", "USA") is not blanked: its expansion is often
	// in the sentence.
	if len(w) >= 2 && strings.ToUpper(w) == w {
		return false
	}
	return true
}

func joinTokens(toks []token, from, to int) string {
	var b strings.Builder
	for k := from; k < to; k++ {
		if k > from && toks[k].space {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].text)
	}
	return b.String()
}

// termSpan finds the term a glossary-style entry defines: its title (or
// an alias) opening its first sentence, after an article at most, written
// as a common noun ("A buoy is", "A Fresnel lens replaces", "The cell
// is"), followed by more of the sentence. A title written as a proper
// name ("Lê Văn Đức was") is a name, not a term.
func termSpan(s string, toks []token, terms []string, first bool) ([2]int, bool) {
	if !first || len(terms) == 0 || len(toks) < 3 {
		return [2]int{}, false
	}
	from := 0
	if f := strings.ToLower(word(toks, 0)); f == "a" || f == "an" || f == "the" {
		from = 1
	}
	for _, term := range terms {
		tt := tokenize(term)
		if len(tt) == 0 || len(tt) > 6 || from+len(tt) >= len(toks) {
			continue
		}
		match := true
		for j, w := range tt {
			got, want := knowledge.Fold(toks[from+j].text), knowledge.Fold(w.text)
			if toks[from+j].kind != tokWord || (got != want && got != want+"s" && got != want+"es") {
				match = false
				break
			}
		}
		last := toks[from+len(tt)-1]
		if match && (!last.capital() || from+len(tt)-1 == 0) && toks[from+len(tt)].kind == tokWord {
			return [2]int{from, from + len(tt)}, true
		}
	}
	return [2]int{}, false
}

// entryTerms are the forms an entry's term takes: its title in natural
// order, without parentheses, and its aliases.
func entryTerms(e *knowledge.Entry) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if i := strings.IndexAny(s, "(["); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
		if head, tail, ok := strings.Cut(s, ","); ok && !strings.Contains(tail, ",") && strings.TrimSpace(tail) != "" {
			s = strings.TrimSpace(tail) + " " + strings.TrimSpace(head)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	add(e.Title)
	for _, a := range e.Aliases {
		add(a)
	}
	return out
}
