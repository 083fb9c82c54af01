// Package reload keeps the operator's shared corpus (KNOWLEDGE_DIR) current
// without a restart: on request (SIGHUP) or when its files change (a
// debounced fsnotify watch), it reads the directory again, rebuilds the
// index and swaps it into the knowledge.Store atomically, so that the
// questions being answered finish on the index they started with.
//
// A reload never makes the corpus worse by accident: a file that fails to
// parse keeps the entries it had at the last good load (a typo loses
// nothing) and is logged with its file and line; a deleted file's entries
// go; a directory that cannot be read, or that holds no entry at all,
// leaves the current index in place.
package reload

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/footnote-bot/footnote/knowledge"
	"github.com/prometheus/client_golang/prometheus"
)

// Outcome says how a reload went.
type Outcome string

// The outcomes of a reload.
const (
	// OutcomeOK: every file loaded; the new index is in.
	OutcomeOK Outcome = "ok"
	// OutcomePartial: the new index is in, but some files failed to parse
	// and kept their last good entries (or, new files, what parsed).
	OutcomePartial Outcome = "partial"
	// OutcomeFailed: nothing changed; the previous index is still in.
	OutcomeFailed Outcome = "failed"
)

var outcomes = []Outcome{OutcomeOK, OutcomePartial, OutcomeFailed}

// Result describes one load or reload.
type Result struct {
	Outcome Outcome
	// Version is the corpus version now served: 1 for the first load, one
	// more at every reload that swapped an index in.
	Version int64
	Entries int
	Files   int
	// Kept are the files that failed to parse and kept the entries of the
	// last good load.
	Kept []string
	// Errors are every problem of the load, with file and line.
	Errors []*knowledge.LoadError
	// Err is why a failed reload changed nothing.
	Err  error
	At   time.Time
	Took time.Duration
}

// Options configure a Reloader.
type Options struct {
	// Load tunes the reading of files.
	Load knowledge.LoadOptions
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Metrics, when set, receives the corpus version, the time and
	// outcome of the last reload, and the count of reloads by outcome.
	Metrics prometheus.Registerer
	// OnSwap, when set, is called after each new index is in (the
	// per-server indexes built on the old one are stale).
	OnSwap func(ix *knowledge.Index)
}

// Reloader reloads dir into store. Its methods are safe for concurrent
// use; reloads run one at a time.
type Reloader struct {
	dir   string
	store *knowledge.Store
	opts  Options
	log   *slog.Logger

	mu      sync.Mutex // held during a reload
	version int64
	last    Result

	requests chan string // pending reload requests (at most one waits)

	metrics *reloadMetrics
}

// New returns a Reloader of dir ("" for the embedded seeds, which never
// change) into store.
func New(dir string, store *knowledge.Store, opts Options) *Reloader {
	r := &Reloader{dir: dir, store: store, opts: opts, log: opts.Logger, requests: make(chan string, 1)}
	if r.log == nil {
		r.log = slog.Default()
	}
	if opts.Metrics != nil {
		r.metrics = newReloadMetrics(opts.Metrics)
	}
	return r
}

// Loaded records the first load, made by the caller (with its progress
// display and report): ix is corpus version 1.
func (r *Reloader) Loaded(ix *knowledge.Index, rep knowledge.LoadReport, took time.Duration) Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.version = 1
	out := rep.Errors
	res := Result{Outcome: OutcomeOK, Version: 1, Entries: ix.Stats().Entries, Files: rep.Files, Errors: out, At: time.Now(), Took: took}
	if len(rep.Errors) > 0 {
		res.Outcome = OutcomePartial
	}
	r.record(res)
	return res
}

// Last returns the result of the latest load or reload.
func (r *Reloader) Last() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// Request asks for a reload, for the reason given (logged), and returns at
// once: Run carries it out. Requests made while one waits are folded into
// it.
func (r *Reloader) Request(reason string) {
	select {
	case r.requests <- reason:
	default:
	}
}

// Run carries out the requested reloads until ctx ends.
func (r *Reloader) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case reason := <-r.requests:
			r.Reload(ctx, reason)
		}
	}
}

// Reload reads the corpus again and swaps the new index in, unless the
// directory cannot be read or the result would hold no entry. See the
// package comment for what happens to files that fail.
func (r *Reloader) Reload(ctx context.Context, reason string) Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := time.Now()
	res := r.reload(ctx)
	res.At, res.Took = time.Now(), time.Since(start)
	if res.Outcome == OutcomeFailed {
		res.Version = r.version
		r.log.Error("corpus reload failed; the previous corpus is still served",
			"reason", reason, "dir", r.dir, "err", res.Err, "version", r.version, "took", res.Took.Round(time.Millisecond))
	} else {
		r.version++
		res.Version = r.version
		attrs := []any{"reason", reason, "dir", r.dir, "version", res.Version, "entries", res.Entries,
			"files", res.Files, "took", res.Took.Round(time.Millisecond)}
		if len(res.Kept) > 0 {
			attrs = append(attrs, "kept_last_good", res.Kept)
		}
		r.log.Info("corpus reloaded", attrs...)
	}
	for _, e := range res.Errors {
		r.log.Warn("corpus file problem", "file", e.File, "line", e.Line, "err", e.Err)
	}
	r.record(res)
	return res
}

func (r *Reloader) reload(ctx context.Context) Result {
	if r.dir == "" {
		return Result{Outcome: OutcomeFailed, Err: errors.New("the corpus is the embedded seeds, which do not change: set KNOWLEDGE_DIR to reload a directory")}
	}
	entries, rep, err := knowledge.LoadDirContext(ctx, r.dir, r.opts.Load)
	if err != nil {
		return Result{Outcome: OutcomeFailed, Errors: rep.Errors, Err: fmt.Errorf("reading %s: %w", r.dir, err)}
	}
	old := r.store.Index()
	entries, kept := keepLastGood(old, entries, rep.Errors)
	if len(entries) == 0 {
		return Result{Outcome: OutcomeFailed, Errors: rep.Errors, Err: fmt.Errorf("%s holds no entry: the previous corpus is kept", r.dir)}
	}
	ix, problems := knowledge.Build(entries)
	errs := rep.Errors
	for _, p := range problems {
		if errors.Is(p, knowledge.ErrDuplicateID) {
			errs = append(errs, p)
		}
	}
	if ctx.Err() != nil {
		return Result{Outcome: OutcomeFailed, Errors: errs, Err: ctx.Err()}
	}
	r.store.Swap(ix)
	// The old index goes once the questions on it finish; the garbage of
	// loading goes now.
	debug.FreeOSMemory()
	if r.opts.OnSwap != nil {
		r.opts.OnSwap(ix)
	}
	res := Result{Outcome: OutcomeOK, Entries: ix.Stats().Entries, Files: rep.Files, Kept: kept, Errors: errs}
	if len(rep.Errors) > 0 {
		res.Outcome = OutcomePartial
	}
	return res
}

// keepLastGood replaces, for every file with a load error, the entries
// just read from it (none, or the lines that parsed) with the entries it
// had in old, when it had any. It returns the entries and the files kept.
func keepLastGood(old *knowledge.Index, entries []knowledge.Entry, errs []*knowledge.LoadError) ([]knowledge.Entry, []string) {
	if old == nil || len(errs) == 0 {
		return entries, nil
	}
	failed := map[string]bool{}
	for _, e := range errs {
		if e.File != "" {
			failed[e.File] = true
		}
	}
	previous := map[string][]knowledge.Entry{}
	for _, e := range old.Entries() {
		if !failed[e.File] {
			continue
		}
		if full, ok := old.Entry(e.ID); ok {
			previous[e.File] = append(previous[e.File], *full)
		}
	}
	if len(previous) == 0 {
		return entries, nil
	}
	out := make([]knowledge.Entry, 0, len(entries))
	for _, e := range entries {
		if _, replaced := previous[e.File]; !replaced {
			out = append(out, e)
		}
	}
	var kept []string
	for file, es := range previous {
		out = append(out, es...)
		kept = append(kept, file)
	}
	sortStrings(kept)
	return out, kept
}

func (r *Reloader) record(res Result) {
	r.last = res
	if r.metrics != nil {
		r.metrics.observe(res)
	}
}
