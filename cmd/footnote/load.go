package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/knowledge"
)

// knowledgeFlag defines the --knowledge flag every corpus-reading command
// takes; resolveCorpus turns its value into the directory to load.
func knowledgeFlag(fs *flag.FlagSet) *string {
	return fs.String("knowledge", "", "corpus directory (default: $"+bot.EnvKnowledgeDir+", else the embedded seeds)")
}

// resolveCorpus is the corpus every command reads: --knowledge, else
// KNOWLEDGE_DIR from the environment or .env (as serve reads it), else ""
// for the embedded seeds.
func resolveCorpus(env *environment, flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	getenv, err := bot.WithDotEnv(".env", env.getenv)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(getenv(bot.EnvKnowledgeDir)), nil
}

// errNoEntries is the error for a corpus that holds no entry at all: every
// command refuses it, check included.
func errNoEntries(dir string) error {
	return fmt.Errorf("%s: no entries found (a corpus is a directory of .md, .txt and .jsonl entry files)", dirName(dir))
}

// openCorpus is knowledge.OpenContext; tests replace it to control how a
// load goes.
var openCorpus = knowledge.OpenContext

// loadKnowledge loads the corpus in dir ("" for the embedded seeds),
// showing its progress when stderr is a terminal, and reports files that
// failed on stderr. A corpus that loads nothing at all is an error.
// Reading the files stops when ctx ends (a Ctrl-C); indexing, once they
// are read, does not (see loadUntil).
func loadKnowledge(ctx context.Context, env *environment, dir string) (*knowledge.Index, error) {
	ix, _, err := loadKnowledgeReport(ctx, env, dir)
	return ix, err
}

// loadKnowledgeReport is loadKnowledge with the load's report.
func loadKnowledgeReport(ctx context.Context, env *environment, dir string) (*knowledge.Index, knowledge.LoadReport, error) {
	opts := knowledge.LoadOptions{}
	var bar *progressLine
	if env.terminal && dir != "" {
		bar = newProgressLine(env.stderr, "loading "+dir)
		opts.Progress = bar.read
	}
	ix, rep, err := openCorpus(ctx, dir, opts)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return nil, rep, fmt.Errorf("loading knowledge: %w", err)
	}
	reportLoadErrors(env.stderr, rep)
	if ix.Stats().Entries == 0 {
		return nil, rep, errNoEntries(dir)
	}
	return ix, rep, nil
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
		fmt.Fprintf(w, "footnote: loaded %s from %s; %s (footnote check lists every problem)\n",
			count(rep.Entries, "entry", "entries"), count(rep.Files, "file", "files"),
			count(rep.FailedFiles, "file had errors", "files had errors"))
	}
}

func dirName(dir string) string {
	if dir == "" {
		return "the embedded seeds"
	}
	return dir
}

// count writes n with its noun in the singular or plural, and thousands
// separators: "1 entry", "2 entries", "100,000 entries".
func count[N int | int64](n N, one, many string) string {
	noun := many
	if n == 1 {
		noun = one
	}
	return thousands(int64(n)) + " " + noun
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// usageErr makes a usage error (exit 2) with a message.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}
