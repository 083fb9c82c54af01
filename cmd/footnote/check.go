package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("check", subcommand{
		summary: "check a corpus: broken files (file:line), duplicates, dangling cross-references, missing sources",
		usage:   "[--knowledge DIR]",
		setup:   checkSetup,
	})
}

func checkSetup(fs *flag.FlagSet, env *environment) runFunc {
	dir := knowledgeFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return usageErr("unexpected argument %q (the corpus is given with --knowledge DIR)", args[0])
		}
		corpus, err := resolveCorpus(env, *dir)
		if err != nil {
			return err
		}
		ix, rep, err := knowledge.Open(corpus, knowledge.LoadOptions{})
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
		errs := len(rep.Errors)
		if st.Entries == 0 {
			fmt.Fprintf(env.stdout, "error: %v\n", errNoEntries(corpus))
			errs++
		}
		fmt.Fprintf(env.stdout, "%s: %s, %s, %s; %s, %s", dirName(corpus),
			count(rep.Files, "file", "files"), count(st.Entries, "entry", "entries"), count(st.Sentences, "sentence", "sentences"),
			count(errs, "error", "errors"), count(len(rep.Warnings), "warning", "warnings"))
		if len(rep.Skipped) > 0 {
			fmt.Fprintf(env.stdout, "; %s skipped", count(len(rep.Skipped), "file", "files"))
		}
		fmt.Fprintln(env.stdout)
		if errs > 0 {
			return errSilent
		}
		return nil
	}
}
