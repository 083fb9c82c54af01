package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("entry", subcommand{summary: "show one entry, found by a fuzzy title, with its citation and cross-references", run: runEntry})
}

// jsonEntry is the --json shape of "footnote entry".
type jsonEntry struct {
	ID        string              `json:"id"`
	Title     string              `json:"title"`
	Aliases   []string            `json:"aliases"`
	Text      string              `json:"text"`
	Citation  string              `json:"citation"`
	URL       string              `json:"url"`
	Tags      []string            `json:"tags"`
	Sentences []string            `json:"sentences"`
	Related   []knowledge.Related `json:"related"`
}

func runEntry(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("entry", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("knowledge", "", "corpus directory (default: the embedded seeds)")
	asJSON := fs.Bool("json", false, "print the entry as one JSON object")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote entry [--knowledge DIR] [--json] TITLE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilentIfHelp(err)
	}
	title := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if title == "" {
		fs.Usage()
		return fmt.Errorf("%w: no title given", errUsage)
	}
	ix, err := openKnowledge(env, *dir)
	if err != nil {
		return err
	}
	e, ok := ix.Entry(title)
	matches := ix.LookupTitle(title, 5)
	if !ok {
		if len(matches) == 0 || matches[0].Score < 0.35 {
			fmt.Fprintf(env.stderr, "footnote entry: no entry is titled like %q\n", oneLine(title))
			return errSilent
		}
		e, _ = ix.Entry(matches[0].EntryID)
	}
	related := ix.Related(e.ID, 10)
	if *asJSON {
		out := jsonEntry{ID: e.ID, Title: e.Title, Aliases: nonNil(e.Aliases), Text: e.Text, Citation: e.Source,
			URL: e.URL, Tags: nonNil(e.Tags), Sentences: nonNil(ix.Sentences(e.ID)), Related: related}
		b, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("encoding entry: %w", err)
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", b)
		return err
	}
	fmt.Fprintf(env.stdout, "%s\n", e.Title)
	if len(e.Aliases) > 0 {
		fmt.Fprintf(env.stdout, "Also: %s\n", strings.Join(e.Aliases, "; "))
	}
	fmt.Fprintf(env.stdout, "\n%s\n\n", strings.TrimSpace(e.Text))
	if e.Source != "" {
		fmt.Fprintf(env.stdout, "Source: %s\n", e.Source)
	}
	if e.URL != "" {
		fmt.Fprintf(env.stdout, "URL: %s\n", e.URL)
	}
	if len(related) > 0 {
		fmt.Fprintln(env.stdout, "\nRelated:")
		for _, r := range related {
			note := ""
			switch {
			case !r.InCorpus:
				note = " (not in this corpus)"
			case r.Relation == knowledge.ReferencedBy:
				note = " (refers to this entry)"
			case r.Relation == knowledge.Similar:
				note = " (similar)"
			}
			fmt.Fprintf(env.stdout, "  - %s%s\n", r.Title, note)
		}
	}
	if !ok && len(matches) > 1 {
		fmt.Fprintln(env.stdout, "\nOther titles like this:")
		for _, m := range matches[1:] {
			fmt.Fprintf(env.stdout, "  - %s\n", m.Title)
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
