package knowledge

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/sahilm/fuzzy"
)

// titleIndex finds entries by title or alias, however the name is typed:
// partial ("soviet"), misspelt ("sovet aid"), without accents ("tran van
// soai") or in natural order ("Soviet aid" for "AID, SOVIET").
//
// Every name an entry goes by is folded into keys (see entryKeys). A
// trigram index over the keys picks a few hundred candidates for a query;
// sahilm/fuzzy then scores those as a person reads a partial name, and the
// share of trigrams in common catches misspellings that fuzzy's
// subsequence match cannot. A naive fuzzy.Find over 100k titles costs tens
// of milliseconds; this stays well under one.
type titleIndex struct {
	keys     []string // folded
	keyLen   []uint16 // len(keys[k]), read for every candidate: kept dense
	keyEntry []uint32
	names    []string // the title or alias each key came from, as written
	grams    map[uint32][]uint32
	entries  []*Entry
	pool     sync.Pool // *lookupScratch

	// first are the entries that come first in title order, for a lookup
	// with nothing typed yet (FirstTitles): at most maxFirstTitles.
	first []uint32
	// idKeys are the first 8 bytes of each entry's IDKey, ascending, and
	// idKeyEntry the entry each belongs to (EntryByKey).
	idKeys     []uint64
	idKeyEntry []uint32
}

// maxFirstTitles is how many entries FirstTitles can give: as many as an
// autocomplete can show.
const maxFirstTitles = 25

const lookupCandidates = 300

func newTitleIndex(entries []*Entry) *titleIndex {
	ti := &titleIndex{grams: make(map[uint32][]uint32), entries: entries}
	for e, en := range entries {
		seen := map[string]bool{}
		for _, name := range append([]string{en.Title}, en.Aliases...) {
			for _, k := range entryKeys(&Entry{Title: name}) {
				if seen[k] {
					continue
				}
				seen[k] = true
				id := uint32(len(ti.keys))
				ti.keys = append(ti.keys, k)
				ti.keyLen = append(ti.keyLen, uint16(min(len(k), 1<<16-1)))
				ti.keyEntry = append(ti.keyEntry, uint32(e))
				ti.names = append(ti.names, name)
				for _, g := range trigrams(k, nil) {
					list := ti.grams[g]
					if n := len(list); n == 0 || list[n-1] != id {
						ti.grams[g] = append(list, id)
					}
				}
			}
		}
	}
	ti.pool.New = func() any { return &lookupScratch{counts: make([]uint16, len(ti.keys))} }
	ti.first = firstInTitleOrder(entries, maxFirstTitles)
	ti.idKeys, ti.idKeyEntry = idKeyTable(entries)
	return ti
}

// firstInTitleOrder returns the n entries whose folded titles sort first
// (ties by id, which is the entries' order), in that order.
func firstInTitleOrder(entries []*Entry, n int) []uint32 {
	type titled struct {
		key   string
		entry uint32
	}
	before := func(a, b titled) bool {
		if a.key != b.key {
			return a.key < b.key
		}
		return a.entry < b.entry
	}
	h := newTopK(n, func(a, b titled) bool { return before(b, a) })
	for e, en := range entries {
		h.offer(titled{titleKey(en.Title), uint32(e)}, before)
	}
	slices.SortFunc(h.items, func(a, b titled) int {
		if before(a, b) {
			return -1
		}
		return 1
	})
	out := make([]uint32, len(h.items))
	for i, t := range h.items {
		out[i] = t.entry
	}
	return out
}

// FirstTitles returns the first entries in alphabetical order of their
// titles (accents and case folded), at most limit (<= 0 or over 25 means
// 25). They are chosen when the index is built: the call costs the same
// whatever the size of the corpus.
func (ix *Index) FirstTitles(limit int) []TitleMatch {
	if ix.titles == nil {
		return nil
	}
	first := ix.titles.first
	if limit > 0 && limit < len(first) {
		first = first[:limit]
	}
	out := make([]TitleMatch, len(first))
	for i, e := range first {
		en := ix.entries[e]
		out[i] = TitleMatch{EntryID: en.ID, Title: en.Title, Matched: en.Title, Score: 1}
	}
	return out
}

// IDKeySize is the size of an IDKey in bytes.
const IDKeySize = 10

// IDKey is a short stand-in of fixed size for an entry id, for places too
// small for the id itself (Discord's 100-character custom ids): the first
// 10 bytes of the id's SHA-256. It is the same for the same id in any
// corpus and any build. Two ids of one corpus sharing a key is possible in
// principle (one chance in about 10^14 for a million entries); EntryByKey
// then finds the first in id order.
type IDKey [IDKeySize]byte

// KeyOfID returns the key of an entry id.
func KeyOfID(id string) IDKey {
	sum := sha256.Sum256([]byte(id))
	return IDKey(sum[:IDKeySize])
}

// idKeyTable lists the entries by the first 8 bytes of their keys.
func idKeyTable(entries []*Entry) ([]uint64, []uint32) {
	order := make([]uint32, len(entries))
	prefixes := make([]uint64, len(entries))
	for e, en := range entries {
		k := KeyOfID(en.ID)
		prefixes[e] = binary.BigEndian.Uint64(k[:8])
		order[e] = uint32(e)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		if c := cmp.Compare(prefixes[a], prefixes[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	keys := make([]uint64, len(order))
	for i, e := range order {
		keys[i] = prefixes[e]
	}
	return keys, order
}

// EntryByKey returns the entry whose id has key k, its text included (as
// Entry does). It finds it by binary search in a table built with the
// index, then checks the whole key: it never walks the corpus.
func (ix *Index) EntryByKey(k IDKey) (*Entry, bool) {
	if ix.titles == nil {
		return nil, false
	}
	ti := ix.titles
	prefix := binary.BigEndian.Uint64(k[:8])
	i, _ := slices.BinarySearch(ti.idKeys, prefix)
	for ; i < len(ti.idKeys) && ti.idKeys[i] == prefix; i++ {
		id := ix.entries[ti.idKeyEntry[i]].ID
		if KeyOfID(id) == k {
			return ix.Entry(id)
		}
	}
	return nil, false
}

// trigrams of " key " (padded, so that word starts count), packed in a
// uint32 each; the key is folded ASCII in practice, other bytes still work.
func trigrams(key string, out []uint32) []uint32 {
	padded := " " + key + " "
	for i := 0; i+3 <= len(padded); i++ {
		out = append(out, uint32(padded[i])<<16|uint32(padded[i+1])<<8|uint32(padded[i+2]))
	}
	return out
}

// LookupTitle finds entries by title or alias: partial, misspelt,
// accent-less or inverted. At most limit (<= 0 means 25), best first, one
// match per entry.
func (ix *Index) LookupTitle(query string, limit int) []TitleMatch {
	if limit <= 0 {
		limit = 25
	}
	q := titleKey(query)
	if q == "" || ix.titles == nil || len(ix.titles.keys) == 0 {
		return nil
	}
	if len(q) > 200 {
		q = q[:200]
	}
	return ix.titles.lookup(q, limit)
}

type keyScore struct {
	key   uint32
	score float64
}

func (a keyScore) better(b keyScore) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.key < b.key
}

// lookupScratch is a lookup's working memory: trigram counts per key.
type lookupScratch struct {
	counts  []uint16
	touched []uint32
}

func (ti *titleIndex) lookup(q string, limit int) []TitleMatch {
	qgrams := uniqueGrams(trigrams(q, nil))
	sc := ti.pool.Get().(*lookupScratch)
	defer func() {
		for _, k := range sc.touched {
			sc.counts[k] = 0
		}
		sc.touched = sc.touched[:0]
		ti.pool.Put(sc)
	}()
	// Rare trigrams first. A trigram found in a large share of the keys
	// (" ng", "an ") only adds to the keys the rarer ones found: it says
	// little, and reading its whole list is what makes a naive scan slow.
	sort.Slice(qgrams, func(i, j int) bool { return len(ti.grams[qgrams[i]]) < len(ti.grams[qgrams[j]]) })
	common := max(512, len(ti.keys)/16)
	for i, g := range qgrams {
		list := ti.grams[g]
		onlyTouched := i > 0 && len(list) > common && len(sc.touched) > 0
		for _, k := range list {
			if sc.counts[k] == 0 {
				if onlyTouched {
					continue
				}
				sc.touched = append(sc.touched, k)
			}
			sc.counts[k]++
		}
	}
	h := newTopK(lookupCandidates, func(a, b keyScore) bool { return b.better(a) })
	nq := float64(len(qgrams))
	for _, k := range sc.touched {
		c := float64(sc.counts[k])
		dice := 2 * c / (nq + float64(ti.keyLen[k]))
		contain := c / nq // the query is a part of the name
		h.offer(keyScore{k, 0.5*dice + 0.5*contain}, keyScore.better)
	}
	cands := h.items
	slices.SortFunc(cands, func(a, b keyScore) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	names := make([]string, len(cands))
	for i, c := range cands {
		names[i] = ti.keys[c.key]
	}
	fz := make([]float64, len(cands))
	for i := range fz {
		fz[i] = -1
	}
	for _, m := range fuzzy.Find(q, names) {
		// fuzzy's score grows with adjacent and word-start matches and
		// shrinks with unmatched characters; map it into [0, 1].
		fz[m.Index] = 1 / (1 + mathExp(-float64(m.Score)/20))
	}
	// The best key of each entry; entries are in id order, so ties go to
	// the lower position.
	type match struct {
		entry, key uint32
		score      float64
	}
	var best []match
	at := make(map[uint32]int, len(cands))
	for i, c := range cands {
		score := c.score
		if f := fz[i]; f >= 0 {
			score = 0.6*score + 0.4*f + 0.1
		} else {
			score *= 0.9
		}
		key := ti.keys[c.key]
		if key == q {
			score += 1
		} else if strings.HasPrefix(key, q) {
			score += 0.3
		}
		e := ti.keyEntry[c.key]
		if j, ok := at[e]; ok {
			if best[j].score < score {
				best[j] = match{e, c.key, score}
			}
			continue
		}
		at[e] = len(best)
		best = append(best, match{e, c.key, score})
	}
	slices.SortFunc(best, func(a, b match) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.entry, b.entry)
	})
	best = best[:min(limit, len(best))]
	out := make([]TitleMatch, len(best))
	for i, m := range best {
		en := ti.entries[m.entry]
		out[i] = TitleMatch{EntryID: en.ID, Title: en.Title, Matched: ti.names[m.key], Score: m.score}
	}
	return out
}
func uniqueGrams(gs []uint32) []uint32 {
	sort.Slice(gs, func(i, j int) bool { return gs[i] < gs[j] })
	out := gs[:0]
	for i, g := range gs {
		if i == 0 || g != gs[i-1] {
			out = append(out, g)
		}
	}
	return out
}
