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
	register("entry", subcommand{
		summary: "show one entry, found by its title, with its citation and cross-references",
		usage:   "[--knowledge DIR] [--json] TITLE",
		setup:   entrySetup,
	})
}

// How "footnote entry" found the entry it shows.
const (
	matchExact   = "exact"   // the id, a title or an alias, as typed (case and accents aside)
	matchClosest = "closest" // no entry has that name; this one is the closest
)

// minCloseScore is the title-lookup score below which no entry is close
// enough to show in place of the one asked for.
const minCloseScore = 0.35

// jsonEntry is the --json shape of "footnote entry".
type jsonEntry struct {
	ID        string              `json:"id"`
	Title     string              `json:"title"`
	Match     string              `json:"match"`
	Aliases   []string            `json:"aliases"`
	Text      string              `json:"text"`
	Citation  string              `json:"citation"`
	URL       string              `json:"url"`
	Tags      []string            `json:"tags"`
	Sentences []string            `json:"sentences"`
	Related   []knowledge.Related `json:"related"`
}

func entrySetup(fs *flag.FlagSet, env *environment) runFunc {
	dir := knowledgeFlag(fs)
	asJSON := fs.Bool("json", false, "print the entry as one JSON object")
	return func(ctx context.Context, args []string) error {
		title := strings.TrimSpace(strings.Join(args, " "))
		if title == "" {
			return usageErr("no title given")
		}
		corpus, err := resolveCorpus(env, *dir)
		if err != nil {
			return err
		}
		ix, err := loadKnowledge(ctx, env, corpus)
		if err != nil {
			return err
		}
		match := matchExact
		e, ok := ix.Named(title)
		var others []knowledge.TitleMatch
		if !ok {
			matches := ix.LookupTitle(title, 5)
			if len(matches) == 0 || matches[0].Score < minCloseScore {
				fmt.Fprintf(env.stderr, "footnote entry: no entry is titled like %q in %s\n", oneLine(title), dirName(corpus))
				return errSilent
			}
			match = matchClosest
			if e, ok = ix.Entry(matches[0].EntryID); !ok {
				return fmt.Errorf("entry %q vanished from the index", matches[0].EntryID)
			}
			for _, m := range matches[1:] {
				if m.Score >= minCloseScore {
					others = append(others, m)
				}
			}
		}
		related := ix.Related(e.ID, 10)
		if *asJSON {
			out := jsonEntry{ID: e.ID, Title: e.Title, Match: match, Aliases: nonNil(e.Aliases), Text: e.Text, Citation: e.Source,
				URL: e.URL, Tags: nonNil(e.Tags), Sentences: nonNil(ix.Sentences(e.ID)), Related: nonNil(related)}
			b, err := json.Marshal(out)
			if err != nil {
				return fmt.Errorf("encoding entry: %w", err)
			}
			_, err = fmt.Fprintf(env.stdout, "%s\n", b)
			return err
		}
		printEntry(env, e, related, title, match, others)
		return nil
	}
}

// printEntry writes an entry for a person: blocks separated by one blank
// line, those with nothing to say left out.
func printEntry(env *environment, e *knowledge.Entry, related []knowledge.Related, asked, match string, others []knowledge.TitleMatch) {
	var blocks []string
	if match == matchClosest {
		blocks = append(blocks, fmt.Sprintf("No entry is titled %q; the closest is:", oneLine(asked)))
	}
	head := e.Title
	if len(e.Aliases) > 0 {
		head += "\nAlso: " + strings.Join(e.Aliases, "; ")
	}
	blocks = append(blocks, head, strings.TrimSpace(e.Text))
	var cite []string
	if e.Source != "" {
		cite = append(cite, "Source: "+e.Source)
	}
	if e.URL != "" {
		cite = append(cite, "URL: "+e.URL)
	}
	if len(cite) > 0 {
		blocks = append(blocks, strings.Join(cite, "\n"))
	}
	var b strings.Builder
	printRelated(&b, related, map[string]int{e.ID: 0})
	if s := strings.TrimSpace(b.String()); s != "" {
		blocks = append(blocks, s)
	}
	if len(others) > 0 {
		lines := []string{"Other titles like this:"}
		for _, m := range others {
			lines = append(lines, fmt.Sprintf("  - %s  (footnote entry %q)", m.Title, m.EntryID))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	fmt.Fprintf(env.stdout, "%s\n", strings.Join(blocks, "\n\n"))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
