package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/footnote-bot/footnote/knowledge"
)

// openKnowledge loads the corpus in dir ("" for the embedded seeds),
// showing a progress bar when stderr is a terminal, and reports files that
// failed on stderr. A corpus that loads nothing at all is an error.
func openKnowledge(env *environment, dir string) (*knowledge.Index, error) {
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
	ix, rep, err := knowledge.Open(dir, opts)
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
