// Package gen writes deterministic synthetic corpora for measuring Footnote
// at scale: dictionary-like entries (upper-case headwords in dictionary
// form, aliases, accented Vietnamese names and their folded spellings,
// figures, dates, a Zipf-distributed vocabulary, closing "See also"
// sentences) as entries.jsonl, and a matching question set as
// questions.jsonl in the shape of the SQuAD set's questions.
//
// The same Options always give the same bytes: every random choice comes
// from PCG streams seeded by Options.Seed, and each entry has its own
// stream, so the entries do not depend on how many questions are asked.
package gen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// MaxEntries bounds Options.Entries: the titles are held in memory.
const MaxEntries = 10_000_000

// Options say what to generate.
type Options struct {
	Entries   int   // number of entries, at least 1
	Seed      int64 // the same seed gives the same corpus
	Questions int   // number of questions; about one in ten cannot be answered
}

// Stats describe what was generated.
type Stats struct {
	Entries        int   `json:"entries"`
	Sentences      int64 `json:"sentences"` // without the See also sentences
	Words          int64 `json:"words"`     // without the See also sentences
	SeeAlso        int64 `json:"see_also"`  // cross-references written
	Questions      int   `json:"questions"`
	Unanswerable   int   `json:"unanswerable"`
	EntriesBytes   int64 `json:"entries_bytes"`
	QuestionsBytes int64 `json:"questions_bytes"`
}

// Names of the files Write creates.
const (
	EntriesFile   = "entries.jsonl"
	QuestionsFile = "questions.jsonl"
)

func (o Options) validate() error {
	if o.Entries < 1 || o.Entries > MaxEntries {
		return fmt.Errorf("gen: entries must be between 1 and %d, not %d", MaxEntries, o.Entries)
	}
	if o.Questions < 0 || o.Questions > MaxEntries {
		return fmt.Errorf("gen: questions must be between 0 and %d, not %d", MaxEntries, o.Questions)
	}
	return nil
}

// Write generates a corpus into dir (created if needed) as entries.jsonl and
// questions.jsonl. Each file is written under a temporary name and renamed
// when complete.
func Write(dir string, opts Options) (Stats, error) {
	if err := opts.validate(); err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("gen: %w", err)
	}
	ef, err := os.CreateTemp(dir, ".entries-*.tmp")
	if err != nil {
		return Stats{}, fmt.Errorf("gen: %w", err)
	}
	defer os.Remove(ef.Name())
	defer ef.Close()
	qf, err := os.CreateTemp(dir, ".questions-*.tmp")
	if err != nil {
		return Stats{}, fmt.Errorf("gen: %w", err)
	}
	defer os.Remove(qf.Name())
	defer qf.Close()

	st, err := Generate(ef, qf, opts)
	if err != nil {
		return st, err
	}
	for _, f := range []struct {
		file *os.File
		name string
	}{{ef, EntriesFile}, {qf, QuestionsFile}} {
		if err := f.file.Chmod(0o644); err != nil {
			return st, fmt.Errorf("gen: %w", err)
		}
		if err := f.file.Close(); err != nil {
			return st, fmt.Errorf("gen: writing %s: %w", f.name, err)
		}
		if err := os.Rename(f.file.Name(), filepath.Join(dir, f.name)); err != nil {
			return st, fmt.Errorf("gen: %w", err)
		}
	}
	return st, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Generate writes the entries, one JSON object a line, to entries, and the
// questions to questions.
func Generate(entries, questions io.Writer, opts Options) (Stats, error) {
	if err := opts.validate(); err != nil {
		return Stats{}, err
	}
	if entries == nil || questions == nil {
		return Stats{}, errors.New("gen: nil writer")
	}
	v := newVocab(opts.Seed)
	titles, byKey := makeTitles(opts.Seed, v, opts.Entries)

	// Plan the questions: which entry each answerable one is about.
	var qr rng
	qr.seed(opts.Seed, 1<<63|0x71) // "q"
	nUnans := opts.Questions / 10
	nAns := opts.Questions - nUnans
	qs := make([]question, opts.Questions)
	byEntry := make(map[int][]int, nAns)
	for j := 0; j < nAns; j++ {
		e := qr.intn(opts.Entries)
		byEntry[e] = append(byEntry[e], j)
	}
	for j := nAns; j < opts.Questions; j++ {
		qs[j] = unanswerable(&qr)
	}

	st := Stats{Entries: opts.Entries, Unanswerable: nUnans}
	ec := &countingWriter{w: entries}
	if err := writeEntries(ec, opts.Seed, v, titles, byKey, byEntry, qs, &st); err != nil {
		return st, err
	}
	st.EntriesBytes = ec.n

	shuffle(&qr, qs)
	var line []byte
	qc := &countingWriter{w: questions}
	qw := bufio.NewWriterSize(qc, 1<<16)
	for j := range qs {
		line = appendQuestion(line[:0], j, &qs[j])
		if _, err := qw.Write(line); err != nil {
			return st, fmt.Errorf("gen: writing questions: %w", err)
		}
	}
	if err := qw.Flush(); err != nil {
		return st, fmt.Errorf("gen: writing questions: %w", err)
	}
	st.Questions = len(qs)
	st.QuestionsBytes = qc.n
	return st, nil
}

// chunkEntries is how many entries a worker writes at a time.
const chunkEntries = 128

// chunk is a run of entries written by one worker.
type chunk struct {
	lo, hi               int
	buf                  []byte
	words, sents, seeAls int64
	done                 chan struct{}
}

// writeEntries writes the entries, and fills in the questions planned in
// byEntry, with a few workers. Each entry (and question) has its own random
// stream, so the bytes do not depend on how many workers there are; chunks
// are written in order.
func writeEntries(w io.Writer, seed int64, v *vocab, titles []title, byKey map[string]int32,
	byEntry map[int][]int, qs []question, st *Stats) error {
	workers := min(runtime.GOMAXPROCS(0), 8)
	work := make(chan *chunk, workers)
	ordered := make(chan *chunk, 2*workers)
	stop := make(chan struct{})
	go func() {
		defer close(work)
		defer close(ordered)
		for lo := 0; lo < len(titles); lo += chunkEntries {
			select {
			case <-stop:
				return
			default:
			}
			c := &chunk{lo: lo, hi: min(lo+chunkEntries, len(titles)), done: make(chan struct{})}
			select {
			case ordered <- c:
			case <-stop:
				return
			}
			work <- c
		}
	}()
	for range workers {
		go func() {
			b := &builder{v: v, titles: titles, byKey: byKey}
			var r rng
			for c := range work {
				for i := c.lo; i < c.hi; i++ {
					b.entry(seed, i)
					c.words += int64(b.words)
					c.sents += int64(b.sents)
					c.seeAls += int64(len(b.seeAlo))
					for _, j := range byEntry[i] {
						r.seed(seed, 1<<62|uint64(j))
						q, ok := b.ask(&r, i)
						if !ok {
							q = unanswerable(&r)
						}
						qs[j] = q
					}
					c.buf = appendEntry(c.buf, seed, &titles[i], b)
				}
				close(c.done)
			}
		}()
	}
	// Drain on every return, so that the producer and workers finish.
	var werr error
	for c := range ordered {
		<-c.done
		if werr != nil {
			continue
		}
		st.Words += c.words
		st.Sentences += c.sents
		st.SeeAlso += c.seeAls
		if _, err := w.Write(c.buf); err != nil {
			werr = fmt.Errorf("gen: writing entries: %w", err)
			close(stop)
		}
	}
	return werr
}

// appendEntry writes one line of entries.jsonl.
func appendEntry(dst []byte, seed int64, t *title, b *builder) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, t.key)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, t.head)
	dst = append(dst, `,"text":`...)
	dst = appendString(dst, string(b.text))
	dst = append(dst, `,"aliases":`...)
	dst = appendStrings(dst, t.aliases)
	dst = append(dst, `,"source":`...)
	dst = appendString(dst, "Footnote synthetic dictionary (seed "+strconv.FormatInt(seed, 10)+"), entry “"+t.head+"”.")
	dst = append(dst, `,"url":`...)
	dst = appendString(dst, "https://dictionary.example/seed-"+strconv.FormatInt(seed, 10)+"/"+t.key)
	dst = append(dst, `,"see_also":`...)
	dst = appendStrings(dst, b.seeAlo)
	dst = append(dst, `,"tags":["generated",`...)
	dst = appendString(dst, t.kind.tag())
	return append(dst, "]}\n"...)
}

// appendQuestion writes one line of questions.jsonl.
func appendQuestion(dst []byte, j int, q *question) []byte {
	dst = append(dst, `{"id":"gen-q`...)
	dst = strconv.AppendInt(dst, int64(j+1), 10)
	dst = append(dst, `","q":`...)
	dst = appendString(dst, q.q)
	if q.entry == "" {
		return append(dst, `,"entry":null,"answer":null}`+"\n"...)
	}
	dst = append(dst, `,"entry":`...)
	dst = appendString(dst, q.entry)
	dst = append(dst, `,"answers":`...)
	dst = appendStrings(dst, q.answers)
	return append(dst, "}\n"...)
}

// appendStrings writes a JSON array of strings.
func appendStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// appendString writes s as a JSON string. s is valid UTF-8 (the generator
// writes nothing else); only quotes, backslashes and control characters need
// escaping.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
