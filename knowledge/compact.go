package knowledge

// compact moves the index's many small strings (entry ids, titles and
// sources, terms, the words of the text table, title keys) into one
// allocation, the entries' lists of aliases, cross-references and tags into
// another, rebuilds the maps keyed by them, and flattens the trigram lists.
// Built concurrently with a great deal of short-lived garbage, they
// otherwise stay scattered over memory that cannot go back to the
// operating system: at 100k entries that was a fifth of the resident size.
// Strings that entries often share (the file, the source, tags) are kept
// once.
func (ix *Index) compact() {
	words := make([]string, 0, len(ix.words))
	wordInfos := make([]wordInfo, 0, len(ix.words))
	for w, info := range ix.words {
		words = append(words, w)
		wordInfos = append(wordInfos, info)
	}
	lists := 0
	for _, e := range ix.entries {
		lists += len(e.Aliases) + len(e.SeeAlso) + len(e.Tags)
	}
	names := make([]string, 0, lists)
	rehome := func(list []string) []string {
		if len(list) == 0 {
			return nil
		}
		start := len(names)
		names = append(names, list...)
		return names[start:len(names):len(names)]
	}
	var ps []*string
	owner := map[string]*string{} // the first holder of a shared string
	var copies [][2]*string       // a later holder, and the first
	once := func(p *string) {
		if first, ok := owner[*p]; ok {
			copies = append(copies, [2]*string{p, first})
			return
		}
		owner[*p] = p
		ps = append(ps, p)
	}
	for _, e := range ix.entries {
		e.Aliases, e.SeeAlso, e.Tags = rehome(e.Aliases), rehome(e.SeeAlso), rehome(e.Tags)
		ps = append(ps, &e.ID, &e.Title, &e.URL)
		once(&e.File)
		once(&e.Source)
		for i := range e.Tags {
			once(&e.Tags[i])
		}
		for _, list := range [][]string{e.Aliases, e.SeeAlso} {
			for i := range list {
				ps = append(ps, &list[i])
			}
		}
	}
	for _, list := range [][]string{ix.termText, words, ix.texts.words, ix.titles.keys} {
		for i := range list {
			ps = append(ps, &list[i])
		}
	}
	size := 0
	for _, p := range ps {
		size += len(*p)
	}
	buf := make([]byte, 0, size)
	for _, p := range ps {
		buf = append(buf, *p...)
	}
	all := string(buf)
	at := 0
	for _, p := range ps {
		n := len(*p)
		*p = all[at : at+n]
		at += n
	}
	for _, c := range copies {
		*c[0] = *c[1]
	}

	ix.byID = make(map[string]uint32, len(ix.entries))
	for i, e := range ix.entries {
		ix.byID[e.ID] = uint32(i)
	}
	ix.terms = make(map[string]uint32, len(ix.termText))
	for t, w := range ix.termText {
		ix.terms[w] = uint32(t)
	}
	ix.words = make(map[string]wordInfo, len(words))
	for i, w := range words {
		ix.words[w] = wordInfos[i]
	}
	for i, k := range ix.titles.keyEntry {
		ix.titles.names[i] = sameName(ix.titles.names[i], ix.entries[k])
	}
	ix.titles.flattenGrams()
}

// sameName returns the entry's own copy of one of its names.
func sameName(name string, e *Entry) string {
	if name == e.Title {
		return e.Title
	}
	for _, a := range e.Aliases {
		if name == a {
			return a
		}
	}
	return name
}

// flattenGrams moves the trigram lists, grown by appending, into one array.
func (ti *titleIndex) flattenGrams() {
	total := 0
	for _, list := range ti.grams {
		total += len(list)
	}
	flat := make([]uint32, 0, total)
	grams := make(map[uint32][]uint32, len(ti.grams))
	for g, list := range ti.grams {
		start := len(flat)
		flat = append(flat, list...)
		grams[g] = flat[start:len(flat):len(flat)]
	}
	ti.grams = grams
}
