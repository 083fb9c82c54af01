package knowledge

// TEMPORARY CONTRACT FILE: signatures of the public API. Bodies are being
// written; this file is replaced by the real implementation.

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"sync/atomic"
)

// MaxQuestionLen is the longest question Ask accepts, in bytes.
const MaxQuestionLen = 1000

// Errors Ask returns for questions it will not answer.
var (
	ErrEmptyQuestion   = errors.New("knowledge: the question is empty")
	ErrQuestionTooLong = errors.New("knowledge: the question is too long")
)

// LoadOptions tune loading.
type LoadOptions struct {
	// Workers parse files concurrently; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called as bytes are read: done of total.
	Progress func(done, total int64)
}

// LoadError is a problem with one file (and line, when known).
type LoadError struct {
	File string
	Line int
	Err  error
}

func (e *LoadError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// LoadReport says what a load did.
type LoadReport struct {
	Files       int
	FailedFiles int
	Entries     int
	Errors      []*LoadError // file/line errors; the rest still loaded
	Warnings    []*LoadError // duplicates, dangling references, missing sources
}

// Index is an immutable, searchable corpus. All methods are safe for
// concurrent use.
type Index struct{}

// Store holds the current index and swaps in a new one atomically.
type Store struct{ p atomic.Pointer[Index] }

// NewStore returns a store holding ix.
func NewStore(ix *Index) *Store { s := &Store{}; s.p.Store(ix); return s }

// Index returns the current index.
func (s *Store) Index() *Index { return s.p.Load() }

// Swap replaces the current index.
func (s *Store) Swap(ix *Index) { s.p.Store(ix) }

// LoadFS reads every .md, .txt and .jsonl file under fsys.
func LoadFS(fsys fs.FS, opts LoadOptions) ([]Entry, LoadReport, error) {
	return nil, LoadReport{}, nil
}

// LoadDir reads a directory tree.
func LoadDir(dir string, opts LoadOptions) ([]Entry, LoadReport, error) {
	return nil, LoadReport{}, nil
}

// Build indexes entries. Duplicate ids keep the first entry and are
// reported as warnings.
func Build(entries []Entry) (*Index, []*LoadError) { return &Index{}, nil }

// Open loads dir ("" = the embedded seeds) and builds its index.
func Open(dir string, opts LoadOptions) (*Index, LoadReport, error) {
	return &Index{}, LoadReport{}, nil
}

// Ask answers a question with quoted facts (limit <= 0 means 5).
func (ix *Index) Ask(question string, limit int) (Answer, error) { return Answer{}, nil }

// LookupTitle finds entries by title or alias: partial, misspelled,
// accent-less or inverted. limit <= 0 means 25.
func (ix *Index) LookupTitle(query string, limit int) []TitleMatch { return nil }

// Entry returns an entry by id.
func (ix *Index) Entry(id string) (*Entry, bool) { return nil, false }

// Entries returns all entries in id order.
func (ix *Index) Entries() []*Entry { return nil }

// Sentences returns the quotable sentences of an entry, verbatim, in order
// (its closing See also excluded).
func (ix *Index) Sentences(id string) []string { return nil }

// Related returns the entries related to id: its See also (in or out of the
// corpus), the entries that refer to it, then the most similar.
func (ix *Index) Related(id string, limit int) []Related { return nil }

// Search returns the best entries for free terms, each with a snippet.
func (ix *Index) Search(query string, limit int) []SearchHit { return nil }

// RandomFact picks a sentence worth reading: one with a figure, a date or a
// name.
func (ix *Index) RandomFact(r *rand.Rand) (Fact, bool) { return Fact{}, false }

// Stats describes the index.
func (ix *Index) Stats() Stats { return Stats{} }
