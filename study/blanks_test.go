package study

import (
	"fmt"
	"strings"
	"testing"
)

// TestSpans checks what is found worth blanking in sentences of the kinds
// the corpora hold: "text=kind/shape" for each span, in order.
func TestSpans(t *testing.T) {
	tests := []struct {
		sentence string
		terms    []string
		want     string
	}{
		{"This included the shipment of 308 films, 60 current events films and 3,640 cameras.", nil,
			"308=figure/digits 60=figure/digits 3,640=figure/digits"},
		{"On 5 July 1952, DRV authorities signed an agreement with the Soviet Union.", nil,
			"5 July 1952=date/day Soviet Union=name/group"},
		{"In July 1951, Radio Moscow began a daily broadcast in Vietnamese.", nil,
			"July 1951=date/month-year Radio Moscow=name/group"},
		{"The DRV received seventy-six 37 mm Soviet-made anti-aircraft guns and 12 H6 rocket launchers.", nil,
			"seventy-six=figure/words 37=figure/digits 12=figure/digits"},
		{"The Pharos of Alexandria, finished around 280 BC, stood for well over a thousand years.", nil,
			"Pharos of Alexandria=name/place 280 BC=date/year"},
		{"Coal fires were common along northern European coasts until the eighteenth century.", nil,
			"eighteenth=date/century"},
		{"Steam whistles and sirens followed in the 1850s and 1860s, and the diaphone was patented in 1903.", nil,
			"1850s=date/decade 1860s=date/decade 1903=date/year"},
		{"Rules from 1850 required the lamp to be lit, and 1500 men kept the lights.", nil,
			"1850=date/year 1500=figure/digits"},
		{"Roman engineers built lights at Ostia, Dover and Boulogne for the fleet.", nil,
			"Ostia=name/place Dover=name/place Boulogne=name/place"},
		{"John Smeaton's granite tower of 1759 served until the rock beneath it eroded.", nil,
			"John Smeaton=name/person 1759=date/year"},
		{"He moved his headquarters to the village of Phú Lộc in March 1948.", nil,
			"Phú Lộc=name/place March 1948=date/month-year"},
		{"A buoy is a floating marker anchored to the sea bed to show a channel.", []string{"BUOY"},
			"buoy=term/"},
		{"Lê Văn Đức was a river trader from Cần Thơ who organised the fleet.", []string{"LÊ VĂN ĐỨC"},
			"Lê Văn Đức=name/person Cần Thơ=name/place"},
		// Left alone: acronyms, adjectives, mentions, small figures, May the verb.
		{"The DRV and the Chinese communists may send 2 or 1 officers to Scottish lights <@123456789>.", nil, ""},
		{"One Vietnamese study of the question confuses Soviet aid with Chinese-supplied Soviet weapons.", nil, ""},
		{"In World War II the Stevenson family built 4,000 tons of 3.5 km walls in the 1880s.", nil,
			"World War II=name/group 4,000=figure/digits 3.5=figure/digits 1880s=date/decade"},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range spans(tt.sentence, tt.terms, true) {
			if tt.sentence[sp.start:sp.end] != sp.text {
				t.Errorf("%q: span %d-%d is not %q", tt.sentence, sp.start, sp.end, sp.text)
			}
			got = append(got, fmt.Sprintf("%s=%s/%s", sp.text, sp.value.kind, sp.value.shape))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.sentence, g, tt.want)
		}
	}
}

func TestValuesFormatLikeTheCorpus(t *testing.T) {
	for _, tt := range []struct {
		sentence string
		want     string
	}{
		{"It carried 11,546 tons in all.", "11,546"},
		{"It carried 12 million tons in all.", "12 million"},
		{"The dike was 3.5 km long and old.", "3.5"},
		{"Until 12 October 1951 it was open.", "12 October 1951"},
		{"Until October 12, 1951 it was open.", "October 12, 1951"},
		{"The tower stood from 280 BC on.", "280 BC"},
		{"It was built in the 19th century by many.", "19th"},
		{"They were seventy-six in the hall.", "seventy-six"},
	} {
		sps := spans(tt.sentence, nil, false)
		if len(sps) != 1 {
			t.Errorf("%q: %d spans", tt.sentence, len(sps))
			continue
		}
		if got := sps[0].value.format(); got != tt.want {
			t.Errorf("%q: the value writes as %q, want %q as written", tt.sentence, got, tt.want)
		}
	}
}
