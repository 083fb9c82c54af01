package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/footnote-bot/footnote/internal/gen"
)

func init() {
	register("gen", subcommand{
		summary: "write a deterministic synthetic corpus and questions for benchmarks",
		usage:   "[--entries N] [--seed S] [--questions Q] DIR",
		help:    "Writes DIR/entries.jsonl and DIR/questions.jsonl; the same seed writes the same bytes.",
		setup:   genSetup,
	})
}

func genSetup(fs *flag.FlagSet, env *environment) runFunc {
	entries := fs.Int("entries", 1000, "number of entries")
	seed := fs.Int64("seed", 1, "random seed: the same seed writes the same bytes")
	questions := fs.Int("questions", 2000, "number of questions (about one in ten unanswerable)")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageErr("want one output directory, got %d arguments", len(args))
		}
		if *entries < 1 || *entries > gen.MaxEntries {
			return usageErr("--entries must be between 1 and %d", gen.MaxEntries)
		}
		if *questions < 0 || *questions > gen.MaxEntries {
			return usageErr("--questions must be between 0 and %d", gen.MaxEntries)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		dir := args[0]
		start := time.Now()
		st, err := gen.Write(dir, gen.Options{Entries: *entries, Seed: *seed, Questions: *questions})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "wrote %s (%s, %s, %s) to %s\n",
			count(st.Entries, "entry", "entries"), count(st.Sentences, "sentence", "sentences"), count(st.Words, "word", "words"),
			size(st.EntriesBytes), filepath.Join(dir, gen.EntriesFile))
		fmt.Fprintf(env.stdout, "wrote %s (%d unanswerable) to %s\n",
			count(st.Questions, "question", "questions"), st.Unanswerable, filepath.Join(dir, gen.QuestionsFile))
		fmt.Fprintf(env.stdout, "in %.2fs (seed %d)\n", time.Since(start).Seconds(), *seed)
		return nil
	}
}
