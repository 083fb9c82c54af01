package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/footnote-bot/footnote/knowledge"
)

// openKnowledge loads the corpus in dir ("" for the embedded seeds),
// showing a progress bar when stderr is a terminal, and reports files that
// failed on stderr. A corpus that loads nothing at all is an error.
func openKnowledge(env *environment, dir string) (*knowledge.Index, error) {
	return loadKnowledge(context.Background(), env, dir)
}

// openCorpus is knowledge.OpenContext; tests replace it to control how a
// load goes.
var openCorpus = knowledge.OpenContext

// loadKnowledge is openKnowledge under ctx: reading the files stops when
// ctx ends (indexing, once they are read, does not; see loadUntil).
func loadKnowledge(ctx context.Context, env *environment, dir string) (*knowledge.Index, error) {
	opts := knowledge.LoadOptions{}
	var bar *progressbar.ProgressBar
	if f, ok := env.stderr.(*os.File); ok && dir != "" && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("loading"),
			progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
		opts.Progress = func(done, total int64) {
			if bar.GetMax64() != total {
				bar.ChangeMax64(total)
			}
			_ = bar.Set64(done)
		}
	}
	ix, rep, err := openCorpus(ctx, dir, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return nil, fmt.Errorf("loading knowledge: %w", err)
	}
	reportLoadErrors(env.stderr, rep)
	if ix.Stats().Entries == 0 {
		return nil, fmt.Errorf("loading knowledge from %s: no entries loaded", dirName(dir))
	}
	return ix, nil
}

// loadUntil runs load in its own goroutine and returns what it returns,
// or ctx's error as soon as ctx ends, without waiting for a load that
// cannot stop at once (indexing runs to its end): a SIGTERM during a long
// load then ends serve in moments, and the process exit ends the rest.
func loadUntil(ctx context.Context, load func(context.Context) (*knowledge.Index, error)) (*knowledge.Index, error) {
	type result struct {
		ix  *knowledge.Index
		err error
	}
	done := make(chan result, 1)
	go func() {
		ix, err := load(ctx)
		done <- result{ix, err}
	}()
	select {
	case r := <-done:
		return r.ix, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("loading knowledge: %w", ctx.Err())
	}
}

// releaseLoadMemory hands the garbage of a load back to the operating
// system at once: loading allocates several times what the index keeps,
// and without this the process would stay that large until the runtime's
// scavenger got round to it, far past what the index needs.
func releaseLoadMemory() {
	debug.FreeOSMemory()
}

func reportLoadErrors(w io.Writer, rep knowledge.LoadReport) {
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "footnote: %v\n", e)
	}
	if rep.FailedFiles > 0 {
		fmt.Fprintf(w, "footnote: loaded %d entries from %d files; %d files had errors\n", rep.Entries, rep.Files, rep.FailedFiles)
	}
	_ = slog.Default()
}

func dirName(dir string) string {
	if dir == "" {
		return "the embedded seeds"
	}
	return dir
}
