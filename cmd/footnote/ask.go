package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("ask", subcommand{
		summary: "answer a question with cited facts (\"-\" reads questions from stdin)",
		usage:   "[--knowledge DIR] [--json] [--limit N] QUESTION... | -",
		help:    "With - alone, the questions are read from stdin, one a line, and the corpus is loaded once.",
		setup:   askSetup,
	})
}

func askSetup(fs *flag.FlagSet, env *environment) runFunc {
	dir := knowledgeFlag(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per question, one line each")
	limit := fs.Int("limit", 5, "facts per answer (1 to 100)")
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return usageErr("no question given")
		}
		stdin := len(args) == 1 && args[0] == "-"
		if !stdin && slices.Contains(args, "-") {
			return usageErr("\"-\" reads the questions from stdin: give it alone, without a question")
		}
		if *limit < 1 || *limit > 100 {
			return usageErr("--limit must be between 1 and 100")
		}
		corpus, err := resolveCorpus(env, *dir)
		if err != nil {
			return err
		}
		ix, err := loadKnowledge(ctx, env, corpus)
		if err != nil {
			return err
		}
		answer := func(q string) error {
			ans, err := ix.Ask(q, *limit)
			if *asJSON {
				return writeAnswerJSON(env.stdout, ans, err)
			}
			if err != nil {
				fmt.Fprintf(env.stdout, "Q: %s\n  (not asked: %v)\n\n", oneLine(q), err)
				return nil
			}
			printAnswer(env.stdout, ans)
			return nil
		}
		if !stdin {
			return answer(strings.Join(args, " "))
		}
		sc := bufio.NewScanner(env.stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			q := strings.TrimSpace(sc.Text())
			if q == "" {
				continue
			}
			if err := answer(q); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("reading questions: %w", err)
		}
		return nil
	}
}

// jsonAnswer is the --json shape other tools read: keep its fields stable.
type jsonAnswer struct {
	Question    string                 `json:"question"`
	Answered    bool                   `json:"answered"`
	Facts       []knowledge.Fact       `json:"facts"`
	Related     []knowledge.Related    `json:"related"`
	Suggestions []knowledge.Suggestion `json:"suggestions"`
	Error       string                 `json:"error,omitempty"`
}

func writeAnswerJSON(w io.Writer, ans knowledge.Answer, askErr error) error {
	out := jsonAnswer{Question: ans.Question, Answered: ans.Answered, Facts: ans.Facts,
		Related: ans.Related, Suggestions: ans.Suggestions}
	if out.Facts == nil {
		out.Facts = []knowledge.Fact{}
	}
	if out.Related == nil {
		out.Related = []knowledge.Related{}
	}
	if out.Suggestions == nil {
		out.Suggestions = []knowledge.Suggestion{}
	}
	if askErr != nil {
		out.Error = askErr.Error()
	}
	b, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encoding answer: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func printAnswer(w io.Writer, ans knowledge.Answer) {
	fmt.Fprintf(w, "Q: %s\n\n", oneLine(ans.Question))
	if !ans.Answered {
		fmt.Fprintln(w, "The corpus has no answer to this question.")
		if len(ans.Suggestions) > 0 {
			fmt.Fprintln(w, "\nEntries that may help:")
			for _, s := range ans.Suggestions {
				fmt.Fprintf(w, "  - %s  (footnote entry %q)\n", s.Title, s.EntryID)
			}
		}
		fmt.Fprintln(w)
		return
	}
	var sources []knowledge.Fact
	sourceNum := map[string]int{}
	for _, f := range ans.Facts {
		if _, ok := sourceNum[f.EntryID]; !ok {
			sources = append(sources, f)
			sourceNum[f.EntryID] = len(sources)
		}
	}
	for i, f := range ans.Facts {
		fmt.Fprintf(w, "%d. “%s” [%d]\n", i+1, f.Text, sourceNum[f.EntryID])
	}
	fmt.Fprintln(w, "\nSources:")
	for i, f := range sources {
		fmt.Fprintf(w, "  [%d] %s", i+1, f.EntryTitle)
		if f.Citation != "" {
			fmt.Fprintf(w, ". %s", f.Citation)
		}
		if f.URL != "" {
			fmt.Fprintf(w, " <%s>", f.URL)
		}
		fmt.Fprintln(w)
	}
	printRelated(w, ans.Related, sourceNum)
	fmt.Fprintln(w)
}

// printRelated lists the entries worth reading next, leaving out those
// listed already (skip), and names the cross-references the corpus lacks
// on one line: they say where to look in the printed work, no more.
func printRelated(w io.Writer, related []knowledge.Related, skip map[string]int) {
	var outside []string
	first := true
	for _, r := range related {
		if !r.InCorpus || r.EntryID == "" {
			if r.Title != "" {
				outside = append(outside, r.Title)
			}
			continue
		}
		if _, dup := skip[r.EntryID]; dup {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nRelated:")
			first = false
		}
		fmt.Fprintf(w, "  - %s%s  (footnote entry %q)\n", r.Title, relationNote(r.Relation), r.EntryID)
	}
	if len(outside) > 0 {
		fmt.Fprintf(w, "\nSee also, not in this corpus: %s\n", strings.Join(outside, "; "))
	}
}

// relationNote says why an entry is listed, when it is not named in the
// entry's own See also.
func relationNote(r knowledge.Relation) string {
	switch r {
	case knowledge.ReferencedBy:
		return " (refers to it)"
	case knowledge.Similar:
		return " (similar)"
	}
	return ""
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 300 {
		return s
	}
	cut := 300
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
