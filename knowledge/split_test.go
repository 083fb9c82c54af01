package knowledge

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func sentencesOf(text string) []string {
	var out []string
	for _, sp := range splitSentences(text) {
		out = append(out, text[sp.start:sp.end])
	}
	return out
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "One fact. Another fact! A third? Yes.",
			[]string{"One fact.", "Another fact!", "A third?", "Yes."}},
		{"initial", "The author is Christopher E. Goscha. He wrote it.",
			[]string{"The author is Christopher E. Goscha.", "He wrote it."}},
		{"abbreviations", "Gen. Giáp met Dr. H. T. Vinh in Hà Nội. They talked, e.g. about rice.",
			[]string{"Gen. Giáp met Dr. H. T. Vinh in Hà Nội.", "They talked, e.g. about rice."}},
		{"figures", "It carried 11,546 tons and 3.5 km of cable. Then it stopped.",
			[]string{"It carried 11,546 tons and 3.5 km of cable.", "Then it stopped."}},
		{"dates", "On 5 July 1952, they signed. In July 1951, radio began.",
			[]string{"On 5 July 1952, they signed.", "In July 1951, radio began."}},
		{"parentheses", "Some guns (made in the U.S.S.R. Later moved.) arrived. Then more.",
			[]string{"Some guns (made in the U.S.S.R. Later moved.) arrived.", "Then more."}},
		{"quotes", "He said “We will win.” Nobody believed him.",
			[]string{"He said “We will win.”", "Nobody believed him."}},
		{"paragraphs", "First paragraph without a stop\n\nSecond paragraph.",
			[]string{"First paragraph without a stop", "Second paragraph."}},
		{"lowercase after period", "Approx. five guns. More came.",
			[]string{"Approx. five guns.", "More came."}},
		{"empty", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentencesOf(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The seed entry must split into exactly its sentences: each quote must be
// one whole sentence of the source, no more, no less.
func TestSplitSeed(t *testing.T) {
	data, err := os.ReadFile("testdata/corpus/aid-soviet.md")
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := parseMarkdown("aid-soviet.md", data)
	if err != nil {
		t.Fatal(err)
	}
	got := sentencesOf(e.Text)
	if len(got) != 26 {
		t.Errorf("seed splits into %d sentences, want 26:\n%s", len(got), strings.Join(got, "\n"))
	}
	mustHave := []string{
		"This included the shipment of 308 films, 60 current events films (bop phim thoi su), several thousand records, 3,640 cameras, and 24 film projectors.",
		"On 5 July 1952, DRV authorities signed an agreement with the Soviet Union by which the latter provided an undisclosed loan to the Vietnamese to purchase Soviet goods.",
		"The Soviets did provide important though undetermined amounts of antibiotics and quinine (apparently several tons).",
		"See also AID, AMERICAN; AID, CHINESE COMMUNIST; AID, MALAYSIA.",
	}
	for _, s := range mustHave {
		found := false
		for _, g := range got {
			found = found || g == s
		}
		if !found {
			t.Errorf("missing sentence %q", s)
		}
	}
}

func TestParseSeeAlso(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"See also AID, AMERICAN; AID, CHINESE COMMUNIST; AID, MALAYSIA.", []string{"AID, AMERICAN", "AID, CHINESE COMMUNIST", "AID, MALAYSIA"}, true},
		{"See also: TRẦN VĂN SOÁI (NĂM LỬA).", []string{"TRẦN VĂN SOÁI (NĂM LỬA)"}, true},
		{"See also the chapter above.", nil, false},
		{"He did not see also.", nil, false},
		{"See also", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseSeeAlso(tt.in)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseSeeAlso(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParentheticalAliases(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"TRẦN VĂN SOÁI (NĂM LỬA, BẢY VIỄN) (1889–1961)", []string{"NĂM LỬA", "BẢY VIỄN"}},
		{"AID, SOVIET", nil},
		{"X (1950)", nil},
		{"UNCLOSED (NAME", nil},
	}
	for _, tt := range tests {
		if got := parentheticalAliases(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parentheticalAliases(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
