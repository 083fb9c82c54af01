package study

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/footnote-bot/footnote/internal/gen"
	"github.com/footnote-bot/footnote/knowledge"
)

// The corpora items are tested over: the embedded seed, the test corpora
// of the other packages, and a generated dictionary of 150 entries.
var (
	corporaOnce sync.Once
	corpora     map[string]*knowledge.Index
	corporaErr  error
)

func testCorpora(t testing.TB) map[string]*knowledge.Index {
	t.Helper()
	corporaOnce.Do(func() {
		corpora = map[string]*knowledge.Index{}
		dirs := map[string]string{
			"seed":      "",
			"knowledge": "../knowledge/testdata/corpus",
			"commands":  "../commands/testdata/corpus",
			"bot":       "../bot/testdata/corpus",
			"cli":       "../cmd/footnote/testdata/corpus",
		}
		genDir := filepath.Join(t.TempDir(), "gen")
		if _, err := gen.Write(genDir, gen.Options{Entries: 150, Seed: 7}); err != nil {
			corporaErr = err
			return
		}
		dirs["generated"] = genDir
		for name, dir := range dirs {
			ix, _, err := knowledge.Open(dir, knowledge.LoadOptions{})
			if err != nil {
				corporaErr = fmt.Errorf("%s: %w", name, err)
				return
			}
			corpora[name] = ix
		}
	})
	if corporaErr != nil {
		t.Fatal(corporaErr)
	}
	return corpora
}

// Independent checks of an option's kind: what a reader would take for a
// figure, a date, a name.
var (
	figureRe = regexp.MustCompile(`^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?( (thousand|million|billion))?$`)
	dateRes  = map[string]*regexp.Regexp{
		"year":       regexp.MustCompile(`^\d{3,4}$`),
		"era":        regexp.MustCompile(`^\d{1,4} (BC|AD|BCE|CE)$`),
		"month-year": regexp.MustCompile(`^(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$`),
		"day":        regexp.MustCompile(`^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{3,4}$`),
		"day-us":     regexp.MustCompile(`^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{3,4}$`),
		"decade":     regexp.MustCompile(`^\d{3}0s$`),
		"century":    regexp.MustCompile(`^(\d{1,2}(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)$`),
		"month":      regexp.MustCompile(`^(January|February|March|April|May|June|July|August|September|October|November|December)$`),
	}
)

func dateShapeOf(s string) string {
	for shape, re := range dateRes {
		if re.MatchString(s) {
			return shape
		}
	}
	return ""
}

func isNumberWord(s string) bool {
	_, ok := numberWord(s)
	return ok
}

func numericValue(s string) float64 {
	if n, ok := numberWord(s); ok {
		return float64(n)
	}
	f, _ := strconv.ParseFloat(strings.ReplaceAll(strings.Fields(s)[0], ",", ""), 64)
	return f
}

func looksLikeName(s string) bool {
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		if connectors[w] {
			continue
		}
		if !unicode.IsUpper(r[0]) || strings.ContainsAny(w, "0123456789") {
			return false
		}
	}
	return s != ""
}

// words splits folded text into words.
func words(s string) []string {
	return strings.FieldsFunc(knowledge.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TestItemQuality makes every item each corpus offers, with several
// seeds, and checks what a study group would check: one right option
// among four different ones, the blank not given away by the rest of the
// sentence, distractors of the answer's kind (a date for a date, a figure
// for a figure, a name for a name, another entry's term for a term),
// dates near the right one, none standing in the sentence, labels that
// fit a button, and the same item made again from its ref and seed.
func TestItemQuality(t *testing.T) {
	minimum := map[string]int{"seed": 25, "knowledge": 20, "commands": 40, "bot": 5, "generated": 150}
	for name, ix := range testCorpora(t) {
		t.Run(name, func(t *testing.T) {
			kinds := map[Kind]int{}
			items := 0
			seeds := []string{"a", "b", "c"}
			if name == "generated" {
				seeds = seeds[:1] // 150 entries: one seed each is plenty
			}
			for _, e := range ix.Entries() {
				for _, b := range blankables(ix, e, nil) {
					for _, seed := range seeds {
						ref := Ref{Entry: e.ID, Sentence: b.sentence, Blank: b.blank}
						it, err := Make(ix, ref, seed)
						if err != nil {
							continue // too few distractors: such blanks are skipped by Pick
						}
						items++
						kinds[it.Kind]++
						checkItem(t, ix, it)
						again, err := Make(ix, ref, seed)
						if err != nil || !reflect.DeepEqual(it, again) {
							t.Errorf("%v/%s made again differs: %+v vs %+v (%v)", ref, seed, it, again, err)
						}
					}
				}
			}
			t.Logf("%s: %d items (%v)", name, items, kinds)
			if items < minimum[name] {
				t.Errorf("%s: %d items, want at least %d", name, items, minimum[name])
			}
		})
	}
}

func checkItem(t *testing.T, ix *knowledge.Index, it Item) {
	t.Helper()
	where := fmt.Sprintf("%s #%d/%d %q (%s)", it.EntryID, it.Ref.Sentence, it.Ref.Blank, it.Answer, it.Kind)
	if len(it.Options) != 4 {
		t.Fatalf("%s: %d options", where, len(it.Options))
	}
	if it.Before+it.Answer+it.After != it.Sentence || !strings.Contains(strings.Join(ix.Sentences(it.EntryID), "\n"), it.Sentence) {
		t.Errorf("%s: the sentence is not the corpus's, whole", where)
	}
	right, seen := 0, map[string]bool{}
	for _, o := range it.Options {
		if o == it.Answer {
			right++
		}
		if it.IsRight(OptionKey(it.Seed, o)) != (o == it.Answer) {
			t.Errorf("%s: option %q is judged wrongly", where, o)
		}
		key := knowledge.Fold(o)
		if it.Kind == Figure {
			key = fmt.Sprint(numericValue(o))
		}
		if seen[key] {
			t.Errorf("%s: the same value twice among %q", where, it.Options)
		}
		seen[key] = true
		if n := len([]rune(o)); n > 80 || n == 0 {
			t.Errorf("%s: option %q of %d characters", where, o, n)
		}
	}
	if right != 1 || it.Options[it.Right] != it.Answer {
		t.Errorf("%s: %d right options in %q", where, right, it.Options)
	}

	// Not given away: neither the answer nor any of its words (or its
	// digits) stands in the rest of the sentence.
	rest := " " + strings.Join(words(it.Before+" "+it.After), " ") + " "
	for _, w := range words(it.Answer) {
		if (len(w) >= 4 || unicode.IsDigit([]rune(w)[0])) && strings.Contains(rest, " "+w+" ") {
			t.Errorf("%s: %q gives the answer away in %q", where, w, it.Sentence)
		}
	}
	if it.ShowTitle {
		for _, w := range words(it.Answer) {
			if len(w) >= 4 && strings.Contains(" "+strings.Join(words(it.EntryTitle), " ")+" ", " "+w+" ") {
				t.Errorf("%s: the title %q shown gives the answer away", where, it.EntryTitle)
			}
		}
	}

	// Of the answer's kind.
	for _, o := range it.Options {
		if o == it.Answer {
			continue
		}
		if strings.Contains(rest, " "+strings.Join(words(o), " ")+" ") {
			t.Errorf("%s: the distractor %q stands in the sentence", where, o)
		}
		switch it.Kind {
		case Figure:
			if figureRe.MatchString(it.Answer) != figureRe.MatchString(o) || isNumberWord(it.Answer) != isNumberWord(o) {
				t.Errorf("%s: %q is not a figure written like %q", where, o, it.Answer)
			}
			if a, d := numericValue(it.Answer), numericValue(o); d <= 0 || math.Abs(math.Log(d/a)) > math.Log(25) {
				t.Errorf("%s: %q is not plausible for %q", where, o, it.Answer)
			}
		case Date:
			shape := dateShapeOf(it.Answer)
			if shape == "" || dateShapeOf(o) != shape {
				t.Errorf("%s: %q (%s) is not a date like %q (%s)", where, o, dateShapeOf(o), it.Answer, shape)
			}
			if shape == "year" {
				a, _ := strconv.Atoi(it.Answer)
				d, _ := strconv.Atoi(o)
				if abs(a-d) > 40 {
					t.Errorf("%s: %q is not near %q", where, o, it.Answer)
				}
			}
		case Name:
			if !looksLikeName(o) || !looksLikeName(it.Answer) {
				t.Errorf("%s: %q is not a name like %q", where, o, it.Answer)
			}
		case Term:
			if !isTermOfCorpus(ix, o) {
				t.Errorf("%s: %q is no entry's term", where, o)
			}
		}
	}
}

func isTermOfCorpus(ix *knowledge.Index, s string) bool {
	for _, e := range ix.Entries() {
		for _, t := range entryTerms(e) {
			if knowledge.Fold(t) == knowledge.Fold(s) {
				return true
			}
		}
	}
	return false
}

// TestItemsSpreadOverTheCorpus draws many items and rounds: every entry
// with something to ask is drawn, none much more than the others (not
// the longest entry every time), and a round's items come from as many
// entries as it can.
func TestItemsSpreadOverTheCorpus(t *testing.T) {
	for _, name := range []string{"commands", "knowledge", "generated"} {
		ix := testCorpora(t)[name]
		t.Run(name, func(t *testing.T) {
			quizzable := 0
			for _, e := range ix.Entries() {
				if _, ok := pickIn(ix, e, "probe", PickOptions{}, rngFor("probe", e.ID)); ok {
					quizzable++
				}
			}
			perEntry := 20
			if name == "generated" {
				perEntry = 6
			}
			draws := perEntry * quizzable
			count := map[string]int{}
			for k := 0; k < draws; k++ {
				it, err := Pick(ix, fmt.Sprintf("seed-%d", k), PickOptions{})
				if err != nil {
					t.Fatalf("draw %d: %v", k, err)
				}
				count[it.EntryID]++
			}
			most := 0
			for _, n := range count {
				most = max(most, n)
			}
			t.Logf("%d draws over %d entries that can be asked: %d drawn, the most drawn %d times", draws, quizzable, len(count), most)
			if float64(len(count)) < 0.9*float64(quizzable) {
				t.Errorf("%d of %d entries drawn in %d draws", len(count), quizzable, draws)
			}
			if most > 3*perEntry+4 { // perEntry expected: three times that is not chance
				t.Errorf("one entry drawn %d times in %d draws over %d entries", most, draws, quizzable)
			}
			round, err := Round(ix, "rnd1", 5, PickOptions{})
			if err != nil {
				t.Fatal(err)
			}
			entries := map[string]bool{}
			for k, it := range round {
				entries[it.EntryID] = true
				if it.Seed != RoundSeed("rnd1", k) {
					t.Errorf("item %d has seed %q", k, it.Seed)
				}
			}
			if want := min(5, quizzable); len(round) != 5 || len(entries) != want {
				t.Errorf("a round of 5: %d items from %d entries, want 5 from %d", len(round), len(entries), want)
			}
		})
	}
}

func TestPickOptionsAndChanges(t *testing.T) {
	ix := testCorpora(t)["commands"]
	it, err := Pick(ix, "x", PickOptions{Entry: "lighthouse", Kinds: []Kind{Date}})
	if err != nil || it.EntryID != "lighthouse" || it.Kind != Date {
		t.Fatalf("Pick of a date in lighthouse: %+v, %v", it, err)
	}
	for k := 0; k < 30; k++ {
		it, err := Pick(ix, fmt.Sprint(k), PickOptions{Kinds: []Kind{Name}})
		if err != nil || it.Kind != Name {
			t.Fatalf("Pick of names: %+v, %v", it, err)
		}
	}
	if _, err := Pick(ix, "x", PickOptions{Entry: "no-such-entry"}); err != ErrChanged {
		t.Errorf("Pick in a missing entry: %v", err)
	}
	one := testCorpora(t)["cli"]
	if _, err := Pick(one, "x", PickOptions{}); err != ErrNoItem {
		t.Errorf("Pick in a corpus with nothing to ask: %v, want ErrNoItem", err)
	}
	for _, ref := range []Ref{{"gone", 0, 0}, {it.Ref.Entry, 999, 0}, {it.Ref.Entry, it.Ref.Sentence, 99}, {it.Ref.Entry, -1, 0}} {
		if _, err := Make(ix, ref, "x"); err != ErrChanged {
			t.Errorf("Make(%+v) = %v, want ErrChanged", ref, err)
		}
	}
	if o, ok := it.Option(OptionKey(it.Seed, it.Options[0])); !ok || o != it.Options[0] {
		t.Errorf("Option of the first key: %q, %v", o, ok)
	}
	if _, ok := it.Option("zzzz"); ok || it.IsRight("zzzz") {
		t.Error("a made-up key names an option")
	}
	if CheckOf(it.Sentence, it.Answer) != it.Check || CheckOf(it.Sentence+" ", it.Answer) == it.Check {
		t.Error("the check does not tell the sentence")
	}
}
