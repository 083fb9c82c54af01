package knowledge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/footnote-bot/footnote/seeds"
)

// LoadOptions tune loading.
type LoadOptions struct {
	// Workers parse files concurrently; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called from the loading goroutines as bytes
	// are read: done of total.
	Progress func(done, total int64)
	// MaxFileSize is the largest corpus file read, in bytes; a larger one
	// is reported and not read. 0 means DefaultMaxFileSize. A .md or .txt
	// file is also held to MaxFileBytes.
	MaxFileSize int64
}

// DefaultMaxFileSize is the default LoadOptions.MaxFileSize: room for a
// JSON-lines corpus of over a million entries in one file.
const DefaultMaxFileSize = 4 << 30

func (o LoadOptions) maxFileSize(name string) int64 {
	limit := o.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	if !strings.EqualFold(path.Ext(name), ".jsonl") {
		limit = min(limit, MaxFileBytes)
	}
	return limit
}

// LoadError is a problem with one file, at one line when Line > 0.
type LoadError struct {
	File string
	Line int
	Err  error
}

func (e *LoadError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *LoadError) Unwrap() error { return e.Err }

// LoadReport says what a load did.
type LoadReport struct {
	Files       int // corpus files found (those skipped are not counted)
	FailedFiles int // files with at least one error
	Entries     int // entries indexed
	// Errors are problems that lost data: a file or a line that did not load.
	Errors []*LoadError
	// Warnings lose nothing but deserve a look: duplicate ids and titles,
	// cross-references to titles not in the corpus, entries without source.
	Warnings []*LoadError
	// Skipped are files that are not entries: a README or LICENSE beside
	// the corpus, a questions file for footnote eval.
	Skipped []*LoadError
}

// notEntries are the base names (lower case, without extension) of files
// that document a corpus rather than belong to it.
var notEntries = map[string]bool{"readme": true, "license": true, "licence": true, "changelog": true, "contributing": true}

// corpusExt are the file formats a corpus may hold.
var corpusExt = map[string]bool{".md": true, ".txt": true, ".jsonl": true}

// Open loads dir (the embedded seeds when dir is "") and builds its index.
// The error is for a corpus that cannot be read at all; problems with
// single files are in the report and the rest of the corpus still loads.
func Open(dir string, opts LoadOptions) (*Index, LoadReport, error) {
	return OpenContext(context.Background(), dir, opts)
}

// OpenContext is Open under ctx: when ctx ends while files are read, it
// stops reading and returns ctx's error. Indexing (Build), once the files
// are read, runs to its end.
func OpenContext(ctx context.Context, dir string, opts LoadOptions) (*Index, LoadReport, error) {
	var entries []Entry
	var rep LoadReport
	var err error
	if dir == "" {
		entries, rep, err = LoadFSContext(ctx, seeds.FS, opts)
	} else {
		entries, rep, err = LoadDirContext(ctx, dir, opts)
	}
	if err != nil {
		return nil, rep, err
	}
	ix, problems := Build(entries)
	locateRefWarnings(entries, problems)
	for _, p := range problems {
		if errors.Is(p, ErrDuplicateID) {
			rep.Errors = append(rep.Errors, p) // an entry was lost
		} else {
			rep.Warnings = append(rep.Warnings, p)
		}
	}
	rep.Entries = ix.Stats().Entries
	return ix, rep, nil
}

// LoadDir reads every .md, .txt and .jsonl file under dir, recursively:
// regular files, and links to regular files. Links to directories are not
// followed; named pipes, devices and sockets, and links to them, are
// reported and not read (reading one could wait, or go on, for ever).
func LoadDir(dir string, opts LoadOptions) ([]Entry, LoadReport, error) {
	return LoadDirContext(context.Background(), dir, opts)
}

// LoadDirContext is LoadDir under ctx (see LoadFSContext).
func LoadDirContext(ctx context.Context, dir string, opts LoadOptions) ([]Entry, LoadReport, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, LoadReport{}, fmt.Errorf("knowledge directory: %w", err)
	}
	if !info.IsDir() {
		return nil, LoadReport{}, fmt.Errorf("knowledge directory %s: not a directory", dir)
	}
	entries, rep, err := LoadFSContext(ctx, os.DirFS(dir), opts)
	for _, list := range [][]*LoadError{rep.Errors, rep.Warnings, rep.Skipped} {
		for _, e := range list {
			e.File = joinPath(dir, e.File)
		}
	}
	joined := map[string]string{} // one string per file, not per entry
	for i := range entries {
		f := entries[i].File
		if _, ok := joined[f]; !ok {
			joined[f] = joinPath(dir, f)
		}
		entries[i].File = joined[f]
	}
	return entries, rep, err
}

func joinPath(dir, name string) string {
	if name == "" {
		return dir
	}
	return strings.TrimSuffix(dir, "/") + "/" + name
}

type corpusFile struct {
	name string
	size int64
}

// LoadFS reads every .md, .txt and .jsonl file of fsys, concurrently.
// Entries come back in file name order, then line order. Only regular
// files (and links to them) of at most opts.MaxFileSize bytes are read;
// the others are reported.
func LoadFS(fsys fs.FS, opts LoadOptions) ([]Entry, LoadReport, error) {
	return LoadFSContext(context.Background(), fsys, opts)
}

// LoadFSContext is LoadFS under ctx: when ctx ends, the files being read
// stop at their next read, no other file is opened, and it returns ctx's
// error with what it had reported so far.
func LoadFSContext(ctx context.Context, fsys fs.FS, opts LoadOptions) ([]Entry, LoadReport, error) {
	var files []corpusFile
	var rep LoadReport
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if name == "." {
				return err
			}
			rep.Errors = append(rep.Errors, &LoadError{File: name, Err: err})
			rep.FailedFiles++
			return nil
		}
		if d.IsDir() {
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !corpusExt[strings.ToLower(path.Ext(name))] || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if notEntries[strings.ToLower(strings.TrimSuffix(d.Name(), path.Ext(d.Name())))] {
			rep.Skipped = append(rep.Skipped, &LoadError{File: name, Err: errors.New("documentation, not an entry")})
			return nil
		}
		size, err := regularSize(fsys, name, d)
		if err == nil && size > opts.maxFileSize(name) {
			err = fmt.Errorf("%w: %d bytes, over the limit of %d", errTooLarge, size, opts.maxFileSize(name))
		}
		if err != nil {
			rep.Errors = append(rep.Errors, &LoadError{File: name, Err: err})
			rep.FailedFiles++
			return nil
		}
		files = append(files, corpusFile{name: name, size: size})
		return nil
	})
	if err != nil {
		return nil, rep, fmt.Errorf("reading corpus: %w", err)
	}
	rep.Files = len(files)
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })

	var total, done atomic.Int64
	for _, f := range files {
		total.Add(f.size)
	}
	progress := func(n int64) {
		if opts.Progress != nil {
			opts.Progress(done.Add(n), total.Load())
		}
	}

	type result struct {
		entries            []Entry
		problems, warnings []*LoadError
	}
	results := make([]result, len(files))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers && w < len(files); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				entries, problems, warnings := loadFile(ctx, fsys, files[i], opts.maxFileSize(files[i].name), progress)
				results[i] = result{entries, problems, warnings}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, rep, fmt.Errorf("reading corpus: %w", err)
	}

	var entries []Entry
	for i, r := range results {
		for j := range r.entries {
			r.entries[j].File = files[i].name
		}
		entries = append(entries, r.entries...)
		for _, p := range append(r.problems, r.warnings...) {
			p.File = files[i].name
		}
		rep.Warnings = append(rep.Warnings, r.warnings...)
		if len(r.problems) == 1 && errors.Is(r.problems[0], ErrQuestionsFile) {
			rep.Skipped = append(rep.Skipped, r.problems[0])
			rep.Files-- // not a corpus file after all
			continue
		}
		if len(r.problems) > 0 {
			rep.FailedFiles++
			rep.Errors = append(rep.Errors, r.problems...)
		}
	}
	return entries, rep, nil
}

// errNotRegular and errTooLarge are why a corpus file is not read.
var (
	errNotRegular = errors.New("not a regular file: not read")
	errTooLarge   = errors.New("file too large: not read")
)

// regularSize returns the size of the file name, which the walk found as
// d, when it is a regular file or a link to one.
func regularSize(fsys fs.FS, name string, d fs.DirEntry) (int64, error) {
	var info fs.FileInfo
	var err error
	if d.Type()&fs.ModeSymlink != 0 {
		info, err = fs.Stat(fsys, name) // follows the link
		if err != nil {
			return 0, fmt.Errorf("following the link: %w", err)
		}
		if !info.Mode().IsRegular() {
			return 0, fmt.Errorf("%w (a link to %s)", errNotRegular, describeMode(info.Mode()))
		}
		return info.Size(), nil
	}
	if !d.Type().IsRegular() {
		return 0, fmt.Errorf("%w (%s)", errNotRegular, describeMode(d.Type()))
	}
	if info, err = d.Info(); err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// describeMode names the kind of file a mode is, for reports.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a link"
	}
	return "not a regular file"
}

// ctxReader stops reading once its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// loadFile parses one file of at most limit bytes; it never panics,
// whatever the file holds, and stops when ctx ends. Problems lost data;
// warnings did not.
func loadFile(ctx context.Context, fsys fs.FS, f corpusFile, limit int64, progress func(int64)) (entries []Entry, problems, warnings []*LoadError) {
	defer func() {
		if r := recover(); r != nil {
			entries, warnings = nil, nil
			problems = []*LoadError{{Err: fmt.Errorf("internal error while parsing: %v", r)}}
		}
	}()
	file, err := fsys.Open(f.name)
	if err != nil {
		return nil, []*LoadError{{Err: err}}, nil
	}
	defer file.Close()
	// The walk saw a regular file; check again what was opened, in case
	// the name was replaced since.
	if info, err := file.Stat(); err != nil {
		return nil, []*LoadError{{Err: err}}, nil
	} else if !info.Mode().IsRegular() {
		return nil, []*LoadError{{Err: fmt.Errorf("%w (%s)", errNotRegular, describeMode(info.Mode()))}}, nil
	}
	// A file that grows while it is read stops at limit+1 bytes, which
	// is then reported.
	capped := &io.LimitedReader{R: ctxReader{ctx, file}, N: limit + 1}
	tooLarge := func() *LoadError {
		return &LoadError{Err: fmt.Errorf("%w: it grew past the limit of %d bytes while read", errTooLarge, limit)}
	}
	if strings.EqualFold(path.Ext(f.name), ".jsonl") {
		entries, problems, err := parseJSONL(capped, progress)
		if err != nil {
			problems = append(problems, &LoadError{Err: err})
		}
		if capped.N == 0 {
			return nil, append(problems, tooLarge()), nil
		}
		return entries, problems, nil
	}
	data, err := io.ReadAll(capped)
	if err != nil {
		return nil, []*LoadError{{Err: fmt.Errorf("reading: %w", err)}}, nil
	}
	progress(int64(len(data)))
	if int64(len(data)) > limit {
		return nil, []*LoadError{tooLarge()}, nil
	}
	var e Entry
	if strings.EqualFold(path.Ext(f.name), ".md") {
		e, warnings, err = parseMarkdown(f.name, data)
	} else {
		e, err = parseText(f.name, data)
	}
	if err != nil {
		var le *LoadError
		if errors.As(err, &le) {
			return nil, []*LoadError{le}, nil
		}
		return nil, []*LoadError{{Err: err}}, nil
	}
	return []Entry{e}, nil, warnings
}
