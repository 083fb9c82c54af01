package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("ask", subcommand{summary: "answer a question with cited facts (\"-\" reads questions from stdin)", run: runAsk})
}

func runAsk(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("knowledge", "", "corpus directory (default: the embedded seeds)")
	asJSON := fs.Bool("json", false, "print one JSON object per question, one line each")
	limit := fs.Int("limit", 5, "facts per answer")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote ask [--knowledge DIR] [--json] [--limit N] QUESTION... (or - for one question per line on stdin)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilentIfHelp(err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no question given", errUsage)
	}
	if *limit < 1 || *limit > 100 {
		return fmt.Errorf("%w: --limit must be between 1 and 100", errUsage)
	}
	ix, err := openKnowledge(env, *dir)
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
	if fs.NArg() == 1 && fs.Arg(0) == "-" {
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
	return answer(strings.Join(fs.Args(), " "))
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
	if len(ans.Related) > 0 {
		fmt.Fprintln(w, "\nRelated:")
		for _, r := range ans.Related {
			if r.InCorpus {
				fmt.Fprintf(w, "  - %s\n", r.Title)
			} else {
				fmt.Fprintf(w, "  - %s (not in this corpus)\n", r.Title)
			}
		}
	}
	fmt.Fprintln(w)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// errSilentIfHelp turns -h into a clean exit and other flag errors into
// usage errors (the flag package has already printed them).
func errSilentIfHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}
