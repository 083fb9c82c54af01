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
	register("eval", subcommand{summary: "measure answer quality on a questions file (ans@1, ans@3, MRR, entry@1, abstention)", run: runEval})
}

func runEval(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("knowledge", "", "corpus directory (default: the embedded seeds)")
	misses := fs.Int("misses", 0, "also print up to N questions missed at rank 1")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote eval --knowledge DIR [--misses N] QUESTIONS.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilentIfHelp(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: one questions file expected", errUsage)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("questions: %w", err)
	}
	questions, err := eval.ReadQuestions(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("questions %s: %w", fs.Arg(0), err)
	}
	ix, err := openKnowledge(env, *dir)
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
