package study

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of answer an item asks for.
type Kind string

// The kinds of blank.
const (
	Figure Kind = "figure" // a number: "308", "11,546", "seventy-six", "3.5"
	Date   Kind = "date"   // a year, a month and year, a day, a decade, a century, a month
	Name   Kind = "name"   // a person, a place, an organisation
	Term   Kind = "term"   // the term a glossary entry defines
)

// Kinds lists the kinds in the order they are offered.
var Kinds = []Kind{Date, Figure, Name, Term}

// value is what a blank holds, parsed, so that distractors can be of its
// shape (a month and year for a month and year) and never equal to it.
type value struct {
	kind Kind
	// shape refines the kind: for a figure "digits" or "words"; for a date
	// "year", "month-year", "day", "day-us", "decade", "century", "month";
	// for a name "person", "place", "group" or "single".
	shape string
	// num orders values of one shape: a figure's value, a date's day, month
	// or year count.
	num float64
	// Formatting of a figure: decimals shown, thousands grouped, a scale
	// word ("million"); of a year, its era ("BC").
	decimals int
	grouped  bool
	scale    string
	era      string
	// ordinalWords: a century written "eighteenth" rather than "18th".
	ordinalWords bool
	// key is the value's identity: two options with one key are the same
	// answer, however written.
	key string
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func monthNumber(w string) int {
	for k, m := range months {
		if w == m {
			return k + 1
		}
	}
	return 0
}

var units = map[string]int{"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19}

var tens = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

var unitNames = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
	"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}

var tensNames = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// numberWord reads a number written as one word: "twelve", "seventy-six".
func numberWord(w string) (int, bool) {
	w = strings.ToLower(w)
	if n, ok := units[w]; ok {
		return n, true
	}
	if n, ok := tens[w]; ok {
		return n, true
	}
	t, u, ok := strings.Cut(w, "-")
	if !ok {
		return 0, false
	}
	nt, ok1 := tens[t]
	nu, ok2 := units[u]
	if !ok1 || !ok2 || nu == 0 || nu > 9 {
		return 0, false
	}
	return nt + nu, true
}

// wordsOf writes 0..99 in words, hyphenated: "seventy-six".
func wordsOf(n int) (string, bool) {
	switch {
	case n < 0 || n > 99:
		return "", false
	case n < 20:
		return unitNames[n], true
	case n%10 == 0:
		return tensNames[n/10], true
	}
	return tensNames[n/10] + "-" + unitNames[n%10], true
}

var ordinalWordList = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
	"twentieth", "twenty-first"}

func ordinalWord(w string) (int, bool) {
	w = strings.ToLower(w)
	for k, o := range ordinalWordList {
		if k > 0 && o == w {
			return k, true
		}
	}
	return 0, false
}

// ordinalDigits reads "18th", "21st".
func ordinalDigits(w string) (int, bool) {
	w = strings.ToLower(w)
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if d, ok := strings.CutSuffix(w, suf); ok && d != "" && allDigitBytes(d) {
			n, err := strconv.Atoi(d)
			return n, err == nil
		}
	}
	return 0, false
}

func ordinalSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// parseFigure reads a number as written in digits: "11,546", "3.5".
func parseFigure(s string) (value, bool) {
	v := value{kind: Figure, shape: "digits", grouped: strings.Contains(s, ",")}
	clean := strings.ReplaceAll(s, ",", "")
	if _, dec, ok := strings.Cut(clean, "."); ok {
		v.decimals = len(dec)
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return value{}, false
	}
	v.num = f
	return v.withKey(), true
}

var scales = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9}

// withKey fills in the value's identity.
func (v value) withKey() value {
	switch v.kind {
	case Figure:
		v.key = "n:" + strconv.FormatFloat(v.num*scaleOf(v.scale), 'g', 12, 64)
	case Date:
		v.key = fmt.Sprintf("d:%s:%g", shapeFamily(v.shape), v.num)
	}
	return v
}

func scaleOf(s string) float64 {
	if f, ok := scales[s]; ok {
		return f
	}
	return 1
}

// shapeFamily makes the two ways of writing a day one shape for identity.
func shapeFamily(shape string) string {
	if shape == "day-us" {
		return "day"
	}
	return shape
}

// format writes v as its shape writes it.
func (v value) format() string {
	switch v.kind {
	case Figure:
		var s string
		if v.shape == "words" {
			s, _ = wordsOf(int(v.num))
		} else {
			s = strconv.FormatFloat(v.num, 'f', v.decimals, 64)
			if v.grouped && v.decimals == 0 && v.num >= 1000 {
				s = group(s)
			}
		}
		if v.scale != "" {
			s += " " + v.scale
		}
		return s
	case Date:
		switch v.shape {
		case "year":
			y := int(v.num)
			if v.era != "" {
				return fmt.Sprintf("%d %s", abs(y), v.era)
			}
			return strconv.Itoa(y)
		case "decade":
			return fmt.Sprintf("%ds", int(v.num))
		case "century":
			n := int(v.num)
			if v.ordinalWords && n < len(ordinalWordList) {
				return ordinalWordList[n]
			}
			return strconv.Itoa(n) + ordinalSuffix(n)
		case "month":
			return months[(int(v.num)-1+1200)%12]
		case "month-year":
			n := int(v.num)
			return fmt.Sprintf("%s %d", months[n%12], n/12)
		case "day", "day-us":
			t := dayTime(v.num)
			if v.shape == "day-us" {
				return fmt.Sprintf("%s %d, %d", months[t.Month()-1], t.Day(), t.Year())
			}
			return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
		}
	}
	return ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// group writes thousands separators into a run of digits.
func group(s string) string {
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// A day is counted in days since 1 January 1970 (negative before), so
// that days near each other are numbers near each other.
func dayNumber(y, m, d int) float64 {
	return float64(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(n float64) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// validDay reports whether d is a day of month m of year y.
func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}
