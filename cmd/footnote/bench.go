package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/footnote-bot/footnote/internal/benchrun"
)

func init() {
	register("bench", subcommand{
		summary: "measure load time, memory and query latency on a corpus",
		usage:   "[--knowledge DIR] [--questions F] [--limit N] [--lookups N]",
		help:    "Prints the measures for people, then one line of JSON.",
		setup:   benchSetup,
	})
}

func benchSetup(flags *flag.FlagSet, env *environment) runFunc {
	dirFlag := knowledgeFlag(flags)
	questions := flags.String("questions", "", "questions file, JSON lines with a \"q\" field (default: DIR/questions.jsonl when it exists)")
	limit := flags.Int("limit", 2000, "ask at most this many questions, the first of the file (0: all)")
	lookups := flags.Int("lookups", 1000, "number of title-lookup queries")
	top := flags.Int("top", benchrun.DefaultTop, "facts asked for per question")
	warmup := flags.Int("warmup", benchrun.DefaultWarmup, "untimed queries before timing")
	cpuProfile := flags.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := flags.String("memprofile", "", "write a heap profile, taken at the end of the run, to this file")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q (the corpus is given with --knowledge DIR)", args[0])
		}
		return runBench(ctx, env, benchFlags{dir: *dirFlag, questions: *questions, limit: *limit, lookups: *lookups,
			top: *top, warmup: *warmup, cpuProfile: *cpuProfile, memProfile: *memProfile})
	}
}

type benchFlags struct {
	dir, questions         string
	limit, lookups         int
	top, warmup            int
	cpuProfile, memProfile string
}

func runBench(ctx context.Context, env *environment, f benchFlags) error {
	switch {
	case f.limit < 0:
		return usageErr("--limit must not be negative")
	case f.lookups < 0:
		return usageErr("--lookups must not be negative")
	case f.top < 1 || f.top > 100:
		return usageErr("--top must be between 1 and 100")
	case f.warmup < 0:
		return usageErr("--warmup must not be negative")
	}
	dir, err := resolveCorpus(env, f.dir)
	if err != nil {
		return err
	}
	qpath := f.questions
	if qpath == "" && dir != "" {
		guess := filepath.Join(dir, "questions.jsonl")
		if _, err := os.Stat(guess); err == nil {
			qpath = guess
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("looking for questions: %w", err)
		}
	}
	var texts []string
	if qpath != "" {
		qs, err := benchrun.ReadQuestions(qpath, f.limit)
		if err != nil {
			return err
		}
		texts = benchrun.Texts(qs)
	} else {
		fmt.Fprintln(env.stderr, "footnote bench: no questions file: Ask is not timed (use --questions)")
	}

	if f.cpuProfile != "" {
		out, err := os.Create(f.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	rep, ix, err := benchrun.RunFootnote(ctx, benchrun.Options{
		Dir: dir, Questions: texts, Lookups: f.lookups, LookupSeed: 1, Top: f.top, Warmup: f.warmup,
	})
	if err != nil {
		return err
	}
	if f.memProfile != "" {
		if err := writeHeapProfile(f.memProfile); err != nil {
			return err
		}
	}
	if rep.Entries == 0 {
		return errNoEntries(dir)
	}
	rep.WriteText(env.stdout)
	if err := rep.WriteJSON(env.stdout); err != nil {
		return err
	}
	// Keep the index reachable until every measure is taken.
	_ = ix.Stats()
	return nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
