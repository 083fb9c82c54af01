package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/footnote-bot/footnote/internal/gen"
)

func init() {
	register("gen", subcommand{summary: "write a deterministic synthetic corpus and questions for benchmarks", run: runGen})
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("gen DIR --entries 10" as well as "gen --entries 10
// DIR") and returns the positional ones. -h gives flag.ErrHelp.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError turns a flag parsing error into a usage error, and -h into
// success (the flag set has printed the usage).
func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}

func runGen(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	entries := fs.Int("entries", 1000, "number of entries")
	seed := fs.Int64("seed", 1, "random seed: the same seed writes the same bytes")
	questions := fs.Int("questions", 2000, "number of questions (about one in ten unanswerable)")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote gen --entries N --seed S [--questions Q] DIR")
		fmt.Fprintln(env.stderr, "writes DIR/entries.jsonl and DIR/questions.jsonl")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: want one output directory, got %d arguments", errUsage, len(pos))
	}
	if *entries < 1 || *entries > gen.MaxEntries {
		return fmt.Errorf("%w: --entries must be between 1 and %d", errUsage, gen.MaxEntries)
	}
	if *questions < 0 || *questions > gen.MaxEntries {
		return fmt.Errorf("%w: --questions must be between 0 and %d", errUsage, gen.MaxEntries)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := pos[0]
	start := time.Now()
	st, err := gen.Write(dir, gen.Options{Entries: *entries, Seed: *seed, Questions: *questions})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %d entries (%d sentences, %d words, %.1f MB) to %s\n",
		st.Entries, st.Sentences, st.Words, float64(st.EntriesBytes)/1e6, filepath.Join(dir, gen.EntriesFile))
	fmt.Fprintf(env.stdout, "wrote %d questions (%d unanswerable) to %s\n",
		st.Questions, st.Unanswerable, filepath.Join(dir, gen.QuestionsFile))
	fmt.Fprintf(env.stdout, "in %.2fs (seed %d)\n", time.Since(start).Seconds(), *seed)
	return nil
}
