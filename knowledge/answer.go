package knowledge

// Answer is what Ask returns: quoted facts, best first, and where to read on.
type Answer struct {
	Question string `json:"question"`
	// Answered is false when nothing in the corpus is relevant enough; then
	// Facts is empty and Suggestions names the closest entries.
	Answered    bool         `json:"answered"`
	Facts       []Fact       `json:"facts"`
	Related     []Related    `json:"related"`
	Suggestions []Suggestion `json:"suggestions"`
}

// Fact is one sentence of an entry, quoted verbatim, with its citation.
type Fact struct {
	Text       string  `json:"text"`
	EntryID    string  `json:"entry_id"`
	EntryTitle string  `json:"entry_title"`
	Citation   string  `json:"citation"`
	URL        string  `json:"url"`
	Score      float64 `json:"score"`
}

// Relation says why an entry is related to another.
type Relation string

// The relations Related reports.
const (
	SeeAlso      Relation = "see_also"      // named in the entry's See also
	ReferencedBy Relation = "referenced_by" // names the entry in its own See also
	Similar      Relation = "similar"       // shares the most distinctive words
)

// Related is an entry worth reading next. A cross-reference to a title the
// corpus does not hold has InCorpus false and an empty EntryID.
type Related struct {
	EntryID  string   `json:"entry_id"`
	Title    string   `json:"title"`
	InCorpus bool     `json:"in_corpus"`
	Relation Relation `json:"-"`
}

// Suggestion names an entry close to a question the corpus cannot answer.
type Suggestion struct {
	EntryID string `json:"entry_id"`
	Title   string `json:"title"`
}

// TitleMatch is one result of a title lookup.
type TitleMatch struct {
	EntryID string
	Title   string
	// Matched is the title or alias that matched, as written.
	Matched string
	Score   float64
}

// SearchHit is one entry found by Search, with the sentence that best
// matches and the spans of it that matched the terms.
type SearchHit struct {
	EntryID string
	Title   string
	Snippet string
	// Spans are byte offsets [start, end) into Snippet of matched words.
	Spans [][2]int
	Score float64
}

// Stats describes a loaded index.
type Stats struct {
	Entries   int `json:"entries"`
	Sentences int `json:"sentences"`
	Terms     int `json:"terms"`
	// TextBytes is the size of the entries' text.
	TextBytes int64 `json:"text_bytes"`
}
