package knowledge

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Limits on what one file or line may hold.
const (
	MaxFileBytes = 64 << 20 // a .md or .txt file
	MaxLineBytes = 16 << 20 // one .jsonl line
)

// parseMarkdown reads one .md entry: optional front matter, then a body
// whose Markdown formatting is removed (the words stay exactly as written).
// Warnings are about the front matter: fields it does not know.
func parseMarkdown(name string, data []byte) (Entry, []*LoadError, error) {
	if !utf8.Valid(data) {
		return Entry{}, nil, invalidUTF8(data)
	}
	fm, body, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		return Entry{}, nil, err
	}
	var meta frontMatter
	var warnings []*LoadError
	refs := &refLines{}
	if fm != nil {
		if meta, refs, warnings, err = decodeFrontMatter(fm, 2); err != nil {
			return Entry{}, nil, err
		}
		if refs == nil {
			refs = &refLines{}
		}
	}
	refs.body = bodySeeAlsoLine(body, bodyLine)
	plain, heading := markdownText(body)
	e := Entry{
		ID: meta.ID, Title: meta.Title, Aliases: meta.Aliases, Text: plain,
		Source: meta.Source, URL: meta.URL, SeeAlso: meta.SeeAlso, Tags: meta.Tags, Line: bodyLine,
	}
	if len(refs.titles) > 0 || refs.body > 0 {
		e.refs = refs
	}
	if e.Title == "" {
		e.Title = heading
	}
	if e.Title == "" {
		e.Title = baseName(name)
	}
	if e.ID == "" {
		e.ID = baseName(name)
	}
	return e, warnings, nil
}

// splitFrontMatter separates a leading "---" YAML block from the body.
func splitFrontMatter(data []byte) (fm, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return nil, data, 1, nil
	}
	rest := data[bytes.IndexByte(data, '\n')+1:]
	line := 2
	for off := 0; off <= len(rest); {
		nl := bytes.IndexByte(rest[off:], '\n')
		end := len(rest)
		if nl >= 0 {
			end = off + nl
		}
		if string(bytes.TrimRight(rest[off:end], "\r \t")) == "---" {
			next := end
			if nl >= 0 {
				next++
			}
			return rest[:off], rest[next:], line + 1, nil
		}
		if nl < 0 {
			break
		}
		off = end + 1
		line++
	}
	return nil, nil, 0, &LoadError{Line: 1, Err: errors.New("front matter opened with --- is never closed")}
}

var markdown = goldmark.New()

// markdownText returns the words of a Markdown body without its markup,
// paragraphs separated by blank lines, and the text of its first heading.
func markdownText(src []byte) (plain, heading string) {
	doc := markdown.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	var firstHeading string
	var block func(n ast.Node)
	inline := func(n ast.Node, w *strings.Builder) {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch t := c.(type) {
			case *ast.Text:
				w.Write(t.Segment.Value(src))
				if t.SoftLineBreak() || t.HardLineBreak() {
					w.WriteByte(' ')
				}
			case *ast.String:
				w.Write(t.Value)
			case *ast.RawHTML:
				return ast.WalkSkipChildren, nil
			case *ast.AutoLink:
				w.Write(t.URL(src))
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	paragraph := func(n ast.Node) {
		var w strings.Builder
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 && (n.Kind() == ast.KindCodeBlock || n.Kind() == ast.KindFencedCodeBlock) {
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				w.Write(seg.Value(src))
			}
		} else {
			inline(n, &w)
		}
		s := strings.TrimSpace(w.String())
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	block = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.Kind() {
			case ast.KindParagraph, ast.KindTextBlock, ast.KindCodeBlock, ast.KindFencedCodeBlock:
				paragraph(c)
			case ast.KindHeading:
				if firstHeading == "" {
					var w strings.Builder
					inline(c, &w)
					firstHeading = strings.TrimSpace(w.String())
					if b.Len() == 0 {
						continue // the title, not a sentence of the body
					}
				}
				paragraph(c)
			case ast.KindHTMLBlock, ast.KindThematicBreak:
			default:
				block(c)
			}
		}
	}
	block(doc)
	return b.String(), firstHeading
}

// parseText reads one .txt entry. Its title is a first line that is a
// headword (short, no final period, followed by a blank line), else the
// file name; the body is kept byte for byte.
func parseText(name string, data []byte) (Entry, error) {
	if !utf8.Valid(data) {
		return Entry{}, invalidUTF8(data)
	}
	s := strings.TrimPrefix(string(data), "\ufeff")
	e := Entry{ID: baseName(name), Title: baseName(name), Text: s, Line: 1}
	if title, rest, line, ok := headwordLine(s); ok {
		e.Title, e.Text, e.Line = title, rest, line
	}
	if line := bodySeeAlsoLine([]byte(e.Text), e.Line); line > 0 {
		e.refs = &refLines{body: line}
	}
	return e, nil
}

func headwordLine(s string) (title, rest string, bodyLine int, ok bool) {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return "", "", 0, false
	}
	first := strings.TrimSpace(s[:nl])
	after := s[nl+1:]
	blank := strings.IndexByte(after, '\n')
	if blank < 0 || strings.TrimSpace(after[:blank]) != "" {
		return "", "", 0, false
	}
	if first == "" || len(first) > 120 || len(strings.Fields(first)) > 14 || strings.HasSuffix(first, ".") {
		return "", "", 0, false
	}
	body := after[blank+1:]
	skipped := 3
	for strings.HasPrefix(body, "\n") || strings.HasPrefix(body, "\r\n") {
		body = body[strings.IndexByte(body, '\n')+1:]
		skipped++
	}
	return first, body, skipped, true
}

// jsonLenient accepts what encoding/json (v1) accepted: keys in any case,
// a key given twice (the last wins).
var jsonLenient = []json.Options{json.MatchCaseInsensitiveNames(true), jsontext.AllowDuplicateNames(true)}

// jsonEntry is one line of a .jsonl corpus.
type jsonEntry struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Text    string   `json:"text"`
	Aliases []string `json:"aliases"`
	Source  string   `json:"source"`
	URL     string   `json:"url"`
	SeeAlso []string `json:"see_also"`
	Tags    []string `json:"tags"`
	Q       *string  `json:"q"` // a question set's line, not an entry
}

// Errors for JSON lines that are not entries.
var (
	errQuestionLine = errors.New("a question (with \"q\"), not an entry")
	// ErrQuestionsFile marks a .jsonl file of questions (footnote eval's
	// format) found in a corpus: it is skipped, not loaded as entries.
	ErrQuestionsFile = errors.New("a questions file (footnote eval's format), not entries")
)

// parseJSONL reads one entry a line. A bad line is reported (by number)
// and skipped; the others load. Lines are read in batches and decoded by
// several goroutines: JSON decoding, not reading, is what a big corpus
// file waits on.
func parseJSONL(r io.Reader, progress func(int64)) ([]Entry, []*LoadError, error) {
	type batch struct {
		index, firstLine int
		lines            [][]byte // nil for a line that was too long
	}
	type decoded struct {
		entries   []Entry
		problems  []*LoadError
		questions int
	}
	workers := runtime.GOMAXPROCS(0)
	batches := make(chan batch, 2*workers)
	var mu sync.Mutex
	var results []decoded
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				var d decoded
				for i, line := range b.lines {
					n := b.firstLine + i
					switch {
					case line == nil:
						d.problems = append(d.problems, &LoadError{Line: n, Err: fmt.Errorf("line is longer than %d MiB", MaxLineBytes>>20)})
					case len(bytes.TrimSpace(line)) == 0:
					default:
						e, err := decodeJSONLine(line)
						if errors.Is(err, errQuestionLine) {
							d.questions++
						}
						if err != nil {
							d.problems = append(d.problems, &LoadError{Line: n, Err: err})
							continue
						}
						e.Line = n
						d.entries = append(d.entries, e)
					}
				}
				mu.Lock()
				for len(results) <= b.index {
					results = append(results, decoded{})
				}
				results[b.index] = d
				mu.Unlock()
			}
		}()
	}

	const batchBytes = 4 << 20
	br := bufio.NewReaderSize(r, 1<<20)
	var readErr error
	cur := batch{firstLine: 1}
	size := 0
	var buf []byte
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, buf[:0])
		buf = line
		if progress != nil {
			progress(int64(len(line)) + 1)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			readErr = fmt.Errorf("line %d: %w", n, err)
			break
		}
		if tooLong {
			cur.lines = append(cur.lines, nil)
		} else {
			cur.lines = append(cur.lines, bytes.Clone(line))
			size += len(line)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if size >= batchBytes {
			batches <- cur
			cur = batch{index: cur.index + 1, firstLine: n + 1}
			size = 0
		}
	}
	batches <- cur
	close(batches)
	wg.Wait()

	var entries []Entry
	var problems []*LoadError
	questions := 0
	for _, d := range results {
		entries = append(entries, d.entries...)
		problems = append(problems, d.problems...)
		questions += d.questions
	}
	if questions > 0 && len(entries) == 0 && questions == len(problems) && readErr == nil {
		return nil, nil, ErrQuestionsFile
	}
	return entries, problems, readErr
}

func decodeJSONLine(line []byte) (Entry, error) {
	if !utf8.Valid(line) {
		return Entry{}, errors.New("invalid UTF-8")
	}
	if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '{' {
		return Entry{}, errors.New("bad JSON: a line must hold one JSON object")
	}
	var je jsonEntry
	if err := json.Unmarshal(line, &je, jsonLenient...); err != nil {
		return Entry{}, fmt.Errorf("bad JSON: %w", err)
	}
	if je.Q != nil && je.Text == "" {
		return Entry{}, errQuestionLine
	}
	if strings.TrimSpace(je.Title) == "" && strings.TrimSpace(je.ID) == "" {
		return Entry{}, errors.New("entry has neither id nor title")
	}
	e := Entry{ID: je.ID, Title: strings.TrimSpace(je.Title), Text: je.Text, Aliases: je.Aliases,
		Source: je.Source, URL: je.URL, SeeAlso: je.SeeAlso, Tags: je.Tags}
	if e.Title == "" {
		e.Title = e.ID
	}
	if e.ID == "" {
		e.ID = Slug(e.Title)
	}
	return e, nil
}

// readLine reads up to and without the next '\n'. A line over MaxLineBytes
// is consumed but not kept: tooLong reports it.
func readLine(br *bufio.Reader, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes {
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, tooLong, err
	}
}

func invalidUTF8(data []byte) error {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return &LoadError{Line: line, Err: errors.New("invalid UTF-8")}
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return &LoadError{Line: line, Err: errors.New("invalid UTF-8")}
}

func baseName(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}

// Slug makes an id from a title: folded, lower-case words joined by '-'.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
