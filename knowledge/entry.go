package knowledge

// Entry is one reference entry: a headword, its body and where it comes from.
//
// Text is the body exactly as the author wrote it (front matter removed):
// facts quote it verbatim.
type Entry struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Aliases []string `json:"aliases,omitempty"`
	Text    string   `json:"text"`
	Source  string   `json:"source,omitempty"` // full citation
	URL     string   `json:"url,omitempty"`
	SeeAlso []string `json:"see_also,omitempty"` // titles, as written
	Tags    []string `json:"tags,omitempty"`

	// File and Line locate the entry in the corpus (Line is 1-based; 0 for
	// whole-file entries).
	File string `json:"-"`
	Line int    `json:"-"`

	// refs says where the cross-references are written, while loading;
	// Open forgets it.
	refs *refLines
}
