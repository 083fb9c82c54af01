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
	register("bench", subcommand{summary: "measure load time, memory and query latency on a corpus", run: runBench})
}

func runBench(ctx context.Context, env *environment, args []string) error {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.SetOutput(env.stderr)
	dir := flags.String("knowledge", "", "corpus directory (default: the embedded seeds)")
	questions := flags.String("questions", "", "questions file, JSON lines with a \"q\" field (default: DIR/questions.jsonl when it exists)")
	limit := flags.Int("limit", 2000, "ask at most this many questions, the first of the file (0: all)")
	lookups := flags.Int("lookups", 1000, "number of title-lookup queries")
	top := flags.Int("top", benchrun.DefaultTop, "facts asked for per question")
	warmup := flags.Int("warmup", benchrun.DefaultWarmup, "untimed queries before timing")
	cpuProfile := flags.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := flags.String("memprofile", "", "write a heap profile, taken at the end of the run, to this file")
	flags.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote bench --knowledge DIR [--questions F] [--limit N]")
		fmt.Fprintln(env.stderr, "prints measures for people, then one line of JSON")
		flags.PrintDefaults()
	}
	pos, err := parseInterspersed(flags, args)
	if err != nil {
		return usageError(err)
	}
	if len(pos) > 0 {
		flags.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, pos[0])
	}
	switch {
	case *limit < 0:
		return fmt.Errorf("%w: --limit must not be negative", errUsage)
	case *lookups < 0:
		return fmt.Errorf("%w: --lookups must not be negative", errUsage)
	case *top < 1 || *top > 100:
		return fmt.Errorf("%w: --top must be between 1 and 100", errUsage)
	case *warmup < 0:
		return fmt.Errorf("%w: --warmup must not be negative", errUsage)
	}

	qpath := *questions
	if qpath == "" && *dir != "" {
		guess := filepath.Join(*dir, "questions.jsonl")
		if _, err := os.Stat(guess); err == nil {
			qpath = guess
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("looking for questions: %w", err)
		}
	}
	var texts []string
	if qpath != "" {
		qs, err := benchrun.ReadQuestions(qpath, *limit)
		if err != nil {
			return err
		}
		texts = benchrun.Texts(qs)
	} else {
		fmt.Fprintln(env.stderr, "footnote bench: no questions file: Ask is not timed (use --questions)")
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	rep, ix, err := benchrun.RunFootnote(ctx, benchrun.Options{
		Dir: *dir, Questions: texts, Lookups: *lookups, LookupSeed: 1, Top: *top, Warmup: *warmup,
	})
	if err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	if rep.Entries == 0 {
		return fmt.Errorf("loading knowledge from %s: no entries loaded", dirName(*dir))
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
