package knowledge

import "unsafe"

// Sizes used by MemoryBytes: a string or slice header, and what a Go map
// costs per element on top of its keys and values (buckets, tophash,
// overflow, at the usual load factor).
const (
	stringHeader = int64(unsafe.Sizeof(""))
	sliceHeader  = int64(unsafe.Sizeof([]byte(nil)))
	mapOverhead  = 24
)

// MemoryBytes estimates the memory the index holds: its arrays, maps and
// strings, entries included. It is an estimate (maps are counted at their
// usual load, strings shared between entries once per use), good for
// budgets that keep many indexes in memory, such as a cache of per-server
// indexes; it costs time in proportion to the entries, not the text.
func (ix *Index) MemoryBytes() int64 {
	n := int64(unsafe.Sizeof(*ix))
	n += int64(cap(ix.entries)) * 8
	for _, e := range ix.entries {
		n += int64(unsafe.Sizeof(*e))
		n += int64(len(e.ID) + len(e.Title) + len(e.Source) + len(e.URL))
		n += stringsSize(e.Aliases) + stringsSize(e.SeeAlso) + stringsSize(e.Tags)
	}
	n += mapSize(len(ix.byID), stringHeader+4) + stringsBytesOfKeys(ix.byID)
	n += int64(cap(ix.sents)) * int64(unsafe.Sizeof(sentence{}))
	n += int64(cap(ix.entrySents)) * 4
	n += mapSize(len(ix.terms), stringHeader+4)
	n += stringsSize(ix.termText) // the terms' keys share these strings
	n += int64(cap(ix.post)) + int64(cap(ix.postOff))*8 + int64(cap(ix.sentDF))*4
	if t := ix.texts; t != nil {
		n += mapSize(len(t.wordIDs), stringHeader+4) + stringsSize(t.words)
		n += mapSize(len(t.gapIDs), stringHeader+4) + stringsSize(t.gaps)
	}
	n += int64(cap(ix.text)) + int64(cap(ix.textOff))*8 + int64(cap(ix.textLen))*4 + int64(cap(ix.sentEnc))*4
	n += int64(cap(ix.entryDF)) * 4
	n += listsSize(ix.titleTerms, 4) + listsSize(ix.titlePost, 4) + listsSize(ix.distinct, 4)
	n += int64(cap(ix.inTitles))
	n += mapSize(len(ix.words), stringHeader+int64(unsafe.Sizeof(wordInfo{})))
	for w := range ix.words {
		n += int64(len(w))
	}
	n += int64(cap(ix.entryNorm)) * 4
	n += int64(cap(ix.refs.items))*int64(unsafe.Sizeof(ref{})) + int64(cap(ix.refs.off))*4
	for _, r := range ix.refs.items {
		n += int64(len(r.title))
	}
	n += listsSize(ix.referrers, 4)
	if ti := ix.titles; ti != nil {
		n += stringsSize(ti.keys) + stringsSize(ti.names)
		n += int64(cap(ti.keyLen))*2 + int64(cap(ti.keyEntry))*4 + int64(cap(ti.entries))*8
		n += mapSize(len(ti.grams), 4+sliceHeader)
		for _, g := range ti.grams {
			n += int64(cap(g)) * 4
		}
		n += int64(cap(ti.first))*4 + int64(cap(ti.idKeys))*8 + int64(cap(ti.idKeyEntry))*4
	}
	return n
}

func stringsSize(ss []string) int64 {
	n := int64(cap(ss)) * stringHeader
	for _, s := range ss {
		n += int64(len(s))
	}
	return n
}

func stringsBytesOfKeys[V any](m map[string]V) int64 {
	var n int64
	for k := range m {
		n += int64(len(k))
	}
	return n
}

func mapSize(n int, elem int64) int64 {
	return int64(n) * (elem + mapOverhead)
}

func listsSize[T any](l lists[T], elem int64) int64 {
	return int64(cap(l.items))*elem + int64(cap(l.off))*4
}
