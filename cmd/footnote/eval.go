package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/footnote-bot/footnote/internal/eval"
)

func init() {
	register("eval", subcommand{
		summary: "measure answer quality on a questions file (ans@1, ans@3, MRR, entry@1, abstention; see docs/eval.md)",
		usage:   "[--knowledge DIR] [--misses N] QUESTIONS.jsonl",
		help:    "The questions format and the metrics are described in docs/eval.md.",
		setup:   evalSetup,
	})
}

func evalSetup(fs *flag.FlagSet, env *environment) runFunc {
	dir := knowledgeFlag(fs)
	misses := fs.Int("misses", 0, "also print up to N questions missed at rank 1")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageErr("want one questions file, got %d arguments", len(args))
		}
		if *misses < 0 {
			return usageErr("--misses must not be negative")
		}
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("questions: %w", err)
		}
		questions, err := eval.ReadQuestions(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("questions %s: %w", args[0], err)
		}
		corpus, err := resolveCorpus(env, *dir)
		if err != nil {
			return err
		}
		ix, err := loadKnowledge(ctx, env, corpus)
		if err != nil {
			return err
		}
		r := eval.Run(ix, questions)
		fmt.Fprintf(env.stdout, "questions   %d (%d answerable, %d not)\n", r.Questions, r.Answerable, r.Unanswerable)
		if r.Answerable > 0 {
			fmt.Fprintf(env.stdout, "ans@1       %.3f\nans@3       %.3f\nMRR         %.3f\nentry@1     %.3f\nfalse abst. %.3f\n",
				r.Ans1, r.Ans3, r.MRR, r.Entry1, r.FalseAbstention)
		}
		if r.Unanswerable > 0 {
			fmt.Fprintf(env.stdout, "abstention  %.3f\n", r.Abstention)
		}
		for i, m := range r.Misses() {
			if i >= *misses {
				break
			}
			fmt.Fprintf(env.stdout, "MISS %q want %q got %q (%s)\n", m.Question.Q, m.Question.Answers, m.First.Text, m.First.EntryID)
		}
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encoding result: %w", err)
		}
		fmt.Fprintf(env.stdout, "%s\n", b)
		return nil
	}
}
