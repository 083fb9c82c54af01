package gen

import "strings"

// titleKind says what an entry is about.
type titleKind uint8

const (
	kindTopic   titleKind = iota // "AID, SOVIET": a noun and its qualifier, inverted
	kindPlace                    // "MELORAN" or "KORVAN DELTA"
	kindPerson                   // "TRẦN VĂN SOÁI (NĂM LỬA)"
	kindWestern                  // "DOLVITH, MAREN"
)

func (k titleKind) tag() string {
	switch k {
	case kindTopic:
		return "topic"
	case kindPlace:
		return "place"
	default:
		return "person"
	}
}

// placeNouns follow a made-up name in place headwords.
var placeNouns = []string{
	"RIVER", "DELTA", "PROVINCE", "VALLEY", "DISTRICT", "RAILWAY", "FORTRESS",
	"MOUNTAINS", "COMMITTEE", "PARTY", "CONFERENCE", "TREATY", "AGREEMENT",
	"PLATEAU", "ISLAND", "CANAL", "PASS", "LEAGUE", "MOVEMENT",
}

// title is an entry's headword and the ways the text names it.
type title struct {
	head    string   // as written: "AID, SOVIET"
	key     string   // slug of head: the entry id, unique in a corpus
	natural string   // natural order, for the text: "Soviet aid"
	aliases []string // other names
	kind    titleKind
}

// makeTitle draws a headword.
func makeTitle(r *rng, v *vocab) title {
	var t title
	switch n := r.intn(100); {
	case n < 45:
		t = topicTitle(r, v)
	case n < 65:
		t = placeTitle(r, v)
	case n < 90:
		t = personTitle(r)
	default:
		t = westernTitle(r, v)
	}
	t.key = slug(t.head)
	return t
}

func topicTitle(r *rng, v *vocab) title {
	noun, qual := pick(r, v.pseudo), pick(r, v.pseudo)
	natural := capitalize(qual) + " " + noun
	return title{
		head:    strings.ToUpper(noun) + ", " + strings.ToUpper(qual),
		natural: natural,
		aliases: []string{natural},
		kind:    kindTopic,
	}
}

func placeTitle(r *rng, v *vocab) title {
	name := pick(r, v.pseudo)
	t := title{head: strings.ToUpper(name), natural: capitalize(name), kind: kindPlace}
	if r.chance(1, 2) {
		noun := pick(r, placeNouns)
		t.head += " " + noun
		t.natural += " " + strings.ToLower(noun)
	}
	return t
}

// vnName draws a Vietnamese name: family, one or two middle names, given.
func vnName(r *rng) (accented, folded string) {
	parts := []vnSyllable{pick(r, vnFamily), pick(r, vnMiddle)}
	if r.chance(1, 4) {
		parts = append(parts, pick(r, vnMiddle))
	}
	parts = append(parts, pick(r, vnGiven))
	var a, f []string
	for _, p := range parts {
		a = append(a, p.accented)
		f = append(f, p.folded)
	}
	return strings.Join(a, " "), strings.Join(f, " ")
}

func personTitle(r *rng) title {
	name, folded := vnName(r)
	t := title{head: strings.ToUpper(name), natural: name, kind: kindPerson}
	if r.chance(2, 5) {
		nick := pick(r, vnNick).accented + " " + pick(r, vnGiven).accented
		t.head += " (" + strings.ToUpper(nick) + ")"
		t.aliases = append(t.aliases, nick)
	}
	if r.chance(1, 5) {
		t.aliases = append(t.aliases, folded)
	}
	return t
}

func westernTitle(r *rng, v *vocab) title {
	given, family := capitalize(pick(r, v.pseudo)), capitalize(pick(r, v.pseudo))
	natural := given + " " + family
	return title{
		head:    strings.ToUpper(family) + ", " + strings.ToUpper(given),
		natural: natural,
		aliases: []string{natural},
		kind:    kindWestern,
	}
}

// makeTitles draws n distinct headwords (distinct ignoring case and
// accents) and returns them with an index by key.
func makeTitles(seed int64, v *vocab, n int) ([]title, map[string]int32) {
	var r rng
	r.seed(seed, 0x7469746c6573) // "titles"
	titles := make([]title, 0, n)
	byKey := make(map[string]int32, n)
	for len(titles) < n {
		t := makeTitle(&r, v)
		if _, dup := byKey[t.key]; dup {
			continue
		}
		byKey[t.key] = int32(len(titles))
		titles = append(titles, t)
	}
	return titles, byKey
}
