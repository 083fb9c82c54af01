package knowledge

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestAskFindsTheSentence(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		name, question, entry, want string
	}{
		{"seed figure", "How many films did the Soviets send?", "aid-soviet", "308 films"},
		{"seed figure tons", "How many tons of weapons did the DRV receive via Plan Z?", "aid-soviet", "11,546 tons"},
		{"seed date", "When did Radio Moscow start broadcasting in Vietnamese?", "aid-soviet", "In July 1951"},
		{"seed date agreement", "When did the DRV sign the loan agreement with the Soviet Union?", "aid-soviet", "5 July 1952"},
		{"seed students", "How many Vietnamese went to study in the Soviet Union?", "aid-soviet", "over 200 Vietnamese"},
		{"seed who", "Who showed that Stalin doubted communism could work in Asia?", "aid-soviet", "Ilya Gaiduk"},
		{"typo katusha", "katusha rocket launchers", "aid-soviet", "(Katyusha)"},
		{"typo quinnine", "Did the Soviets send quinnine?", "aid-soviet", "quinine"},
		{"typo gaiduck", "What did Gaiduck show?", "aid-soviet", "Ilya Gaiduk"},
		{"natural order headword", "Soviet aid", "aid-soviet", "Soviet aid"},
		{"no accents", "How many junks did ba duc run?", "le-van-duc", "41 motor junks"},
		{"accents typed", "Lê Văn Đức arrested", "le-van-duc", "arrested on 12 October 1951"},
		{"initials kept", "Who collected the salt tax?", "salt-tax", "Dr. H. T. Vinh"},
		{"decimal figure", "How long is the dike at Phu Loc?", "salt-tax", "3.5 km"},
		{"jsonl entry", "How much paddy did the rice trade move?", "rice-trade", "12,400 tons"},
		{"txt entry", "When was the river fleet dissolved?", "fleet", "dissolved in 1952"},
		// A question made of an entry's name asks what the entry is: its
		// opening sentence, not another entry's mention of the name.
		{"names the entry", "Who was Le Van Duc?", "le-van-duc", "was a (fictional) river trader"},
		{"names the entry by alias", "Ba Duc", "le-van-duc", "was a (fictional) river trader"},
		{"asks for the entry", "Tell me about the salt tax", "salt-tax", "raised twice"},
		{"what was", "What was the Nam Bo river fleet?", "fleet", "invented flotilla"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := ix.Ask(tt.question, 3)
			if err != nil {
				t.Fatal(err)
			}
			if !ans.Answered || len(ans.Facts) == 0 {
				t.Fatalf("not answered; suggestions %v", ans.Suggestions)
			}
			f := ans.Facts[0]
			if f.EntryID != tt.entry || !strings.Contains(f.Text, tt.want) {
				t.Errorf("first fact %q from %s; want one containing %q from %s", f.Text, f.EntryID, tt.want, tt.entry)
			}
			e, _ := ix.Entry(f.EntryID)
			if !strings.Contains(e.Text, f.Text) {
				t.Errorf("fact is not a verbatim quote of its entry: %q", f.Text)
			}
			if f.EntryTitle != e.Title || f.Citation != e.Source || f.URL != e.URL {
				t.Errorf("fact citation %q/%q/%q does not match its entry", f.EntryTitle, f.Citation, f.URL)
			}
			for i := 1; i < len(ans.Facts); i++ {
				if ans.Facts[i].Score > ans.Facts[i-1].Score {
					t.Errorf("facts not best first: %v", ans.Facts)
				}
			}
		})
	}
}

func TestAskAbstains(t *testing.T) {
	ix := openFixture(t)
	for _, q := range []string{
		"What is the capital of Peru?",
		"Who won the 1998 World Cup?",
		"What is the boiling point of mercury?",
		"When did Napoleon die?",
		"How do I bake sourdough bread?",
	} {
		t.Run(q, func(t *testing.T) {
			ans, err := ix.Ask(q, 5)
			if err != nil {
				t.Fatal(err)
			}
			if ans.Answered || len(ans.Facts) != 0 {
				t.Errorf("answered %q with %+v", q, ans.Facts)
			}
		})
	}
}

func TestAskSuggestsWhenAbstaining(t *testing.T) {
	ix := openFixture(t)
	ans, err := ix.Ask("How high was the salt tax of Peru and Bolivia in 2020?", 5)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Answered {
		t.Fatalf("answered: %+v", ans.Facts)
	}
	found := false
	for _, s := range ans.Suggestions {
		found = found || s.EntryID == "salt-tax"
	}
	if !found {
		t.Errorf("suggestions %v lack the closest entry salt-tax", ans.Suggestions)
	}
}

func TestAskExactAboveFuzzy(t *testing.T) {
	ix := openFixture(t)
	exact, _ := ix.Ask("Gaiduk", 1)
	fuzzy, _ := ix.Ask("Gaiduck", 1)
	if !exact.Answered || !fuzzy.Answered {
		t.Fatal("not answered")
	}
	if exact.Facts[0].Text != fuzzy.Facts[0].Text || exact.Facts[0].Score <= fuzzy.Facts[0].Score {
		t.Errorf("exact %v should outscore fuzzy %v on the same sentence", exact.Facts[0], fuzzy.Facts[0])
	}
}

func TestAskRelated(t *testing.T) {
	ix := openFixture(t)
	ans, err := ix.Ask("How many junks did the Nam Bo river fleet count?", 3)
	if err != nil || !ans.Answered {
		t.Fatal(err, ans)
	}
	if ans.Facts[0].EntryID != "fleet" {
		t.Fatalf("first fact from %s", ans.Facts[0].EntryID)
	}
	got := map[string]Related{}
	for _, r := range ans.Related {
		got[r.Title] = r
	}
	if r := got["LÊ VĂN ĐỨC (BA ĐỨC) (1901–1962)"]; !r.InCorpus || r.EntryID != "le-van-duc" {
		t.Errorf("See also LÊ VĂN ĐỨC not resolved: %+v", ans.Related)
	}
	if r := got["RICE TRADE"]; !r.InCorpus || r.Relation != SeeAlso {
		t.Errorf("See also RICE TRADE missing: %+v", ans.Related)
	}
	seed := ix.Related("aid-soviet", 10)
	if len(seed) < 3 || seed[0].InCorpus || seed[0].Title != "AID, AMERICAN" || seed[0].EntryID != "" {
		t.Errorf("dangling references of the seed: %+v", seed)
	}
	rice := ix.Related("rice-trade", 10)
	refBy := false
	for _, r := range rice {
		refBy = refBy || (r.EntryID == "le-van-duc" && r.Relation == ReferencedBy)
	}
	if !refBy {
		t.Errorf("rice-trade should list le-van-duc as referring to it: %+v", rice)
	}
}

func TestAskBadQuestions(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		q    string
		want error
	}{
		{"", ErrEmptyQuestion},
		{"   \n\t", ErrEmptyQuestion},
		{strings.Repeat("soviet aid ", 600), ErrQuestionTooLong},
	}
	for _, tt := range tests {
		_, err := ix.Ask(tt.q, 5)
		if !errors.Is(err, tt.want) {
			t.Errorf("Ask(%.20q) error = %v, want %v", tt.q, err, tt.want)
		}
	}
	// Only stop words, or only punctuation: no error, no answer.
	for _, q := range []string{"what is the", "???", "\xff\xfe"} {
		ans, err := ix.Ask(q, 5)
		if err != nil || ans.Answered {
			t.Errorf("Ask(%q) = %v, %v; want an abstention", q, ans.Answered, err)
		}
	}
}

func TestLookupTitle(t *testing.T) {
	ix := openFixture(t)
	tests := []struct{ query, want string }{
		{"AID, SOVIET", "aid-soviet"},
		{"soviet aid", "aid-soviet"},
		{"aid sovet", "aid-soviet"},
		{"sov", "aid-soviet"},
		{"le van duc", "le-van-duc"},
		{"Lê Văn Đức", "le-van-duc"},
		{"ba duc", "le-van-duc"},
		{"BA ĐỨC", "le-van-duc"},
		{"rice", "rice-trade"},
		{"trade in rice", "rice-trade"},
		{"monsoon calender", "monsoon-calendar"},
		{"salt", "salt-tax"},
	}
	for _, tt := range tests {
		got := ix.LookupTitle(tt.query, 25)
		if len(got) == 0 || got[0].EntryID != tt.want {
			t.Errorf("LookupTitle(%q) = %+v, want %s first", tt.query, got, tt.want)
		}
	}
	if got := ix.LookupTitle("zzzzqqq", 25); len(got) != 0 {
		t.Errorf("nonsense matched %+v", got)
	}
	if got := ix.LookupTitle("a", 2); len(got) > 2 {
		t.Errorf("limit ignored: %d results", len(got))
	}
}

func TestSearchSpans(t *testing.T) {
	ix := openFixture(t)
	hits := ix.Search("salt tax piastres", 5)
	if len(hits) == 0 || hits[0].EntryID != "salt-tax" {
		t.Fatalf("hits = %+v", hits)
	}
	for _, sp := range hits[0].Spans {
		w := strings.ToLower(hits[0].Snippet[sp[0]:sp[1]])
		if !strings.HasPrefix(w, "salt") && !strings.HasPrefix(w, "tax") && !strings.HasPrefix(w, "piastre") {
			t.Errorf("span %q is not a matched word", w)
		}
	}
}

// maskSums must give, for any set of up to 32 query terms, the sum of
// their values, also when reused (as pooled scratch is) after a question
// with more terms.
func TestMaskSums(t *testing.T) {
	var ms maskSums
	for _, n := range []int{32, 9, 0, 1, 20, 7, 8} {
		terms := make([]qterm, n)
		for i := range terms {
			terms[i].idfE = float64(i*i%13) + 0.25
		}
		ms.fill(terms, func(t *qterm) float64 { return t.idfE })
		for _, mask := range []uint32{0, 1, 0b1010_0101, 0xff00, 0x1_0000_01, 0xffff_ffff, 0x8000_0000} {
			if n < 32 {
				mask &= 1<<n - 1
			}
			want := 0.0
			for i := range n {
				if mask&(1<<i) != 0 {
					want += terms[i].idfE
				}
			}
			if got := ms.sum(mask); math.Abs(got-want) > 1e-9 {
				t.Errorf("%d terms, mask %#x: sum %v, want %v", n, mask, got, want)
			}
		}
	}
}
