package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("check", subcommand{summary: "check a corpus: broken files (file:line), duplicates, dangling cross-references, missing sources", run: runCheck})
}

func runCheck(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("knowledge", "", "corpus directory (default: the embedded seeds)")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote check [--knowledge DIR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilentIfHelp(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments", errUsage)
	}
	ix, rep, err := knowledge.Open(*dir, knowledge.LoadOptions{})
	if err != nil {
		return fmt.Errorf("loading knowledge: %w", err)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(env.stdout, "error: %v\n", e)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(env.stdout, "warning: %v\n", w)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(env.stdout, "skipped: %v\n", s)
	}
	st := ix.Stats()
	fmt.Fprintf(env.stdout, "%s: %d files, %d entries, %d sentences; %d errors, %d warnings\n",
		dirName(*dir), rep.Files, st.Entries, st.Sentences, len(rep.Errors), len(rep.Warnings))
	if len(rep.Errors) > 0 {
		return errSilent
	}
	return nil
}
