package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/store"
)

func init() {
	register("gaps", subcommand{
		summary: "list the questions the corpus could not answer or answered badly (👎), most asked first",
		usage:   "[--database URL] [--guild ID] [--limit N] [--json]",
		help: "Reads the store serve writes (DATABASE_URL, or footnote.db in the working directory). " +
			"Without --guild, every server's questions, those asked in direct messages as the server \"\".",
		setup: gapsSetup,
	})
}

// jsonGap is the --json shape of one question: keep its fields stable.
type jsonGap struct {
	Guild        string    `json:"guild"`
	Question     string    `json:"question"`
	Asked        int64     `json:"asked"`
	Abstained    int64     `json:"abstained"`
	Helpful      int64     `json:"helpful"`
	Unhelpful    int64     `json:"unhelpful"`
	LastAnswered bool      `json:"last_answered"`
	FirstAsked   time.Time `json:"first_asked"`
	LastAsked    time.Time `json:"last_asked"`
}

func gapsSetup(flags *flag.FlagSet, env *environment) runFunc {
	database := flags.String("database", "", "the store to read (default: DATABASE_URL, else footnote.db)")
	guild := flags.String("guild", "", "one server's questions (its id); default: every server's")
	limit := flags.Int("limit", 50, "the most questions listed")
	asJSON := flags.Bool("json", false, "one JSON object per question")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		if *limit < 1 || *limit > 10000 {
			return usageErr("--limit must be between 1 and 10000")
		}
		getenv, err := bot.WithDotEnv(".env", env.getenv)
		if err != nil {
			return err
		}
		url := *database
		if url == "" {
			url = getenv(bot.EnvDatabaseURL)
		}
		loc, err := store.ParseLocation(url)
		if err != nil {
			return fmt.Errorf("the database %w", err)
		}
		if loc.Driver == "sqlite" && !strings.HasPrefix(loc.DSN, "file:") {
			// Reading must not create an empty database where there was none.
			if _, err := os.Stat(loc.DSN); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("no database at %s: run gaps where serve runs, or give --database (or DATABASE_URL)", loc.DSN)
			}
		}
		octx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		st, err := store.Open(octx, url)
		if err != nil {
			return err
		}
		defer st.Close()
		which := store.AllGuilds
		if *guild != "" {
			which = *guild
		}
		gaps, err := st.Gaps(octx, which, *limit)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.stdout)
			enc.SetEscapeHTML(false)
			for _, g := range gaps {
				if err := enc.Encode(jsonGap{Guild: g.Guild, Question: g.Text, Asked: g.Asked, Abstained: g.Abstained, Helpful: g.Helpful,
					Unhelpful: g.Unhelpful, LastAnswered: g.LastAnswered, FirstAsked: g.FirstAsked, LastAsked: g.LastAsked}); err != nil {
					return err
				}
			}
			return nil
		}
		if len(gaps) == 0 {
			_, err := fmt.Fprintln(env.stdout, "No question has gone unanswered or been voted down yet.")
			return err
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ASKED\tNO ANSWER\t👎\t👍\tSERVER\tQUESTION")
		for _, g := range gaps {
			server := g.Guild
			if server == "" {
				server = "(DM)"
			}
			q := strings.Join(strings.Fields(g.Text), " ")
			if g.LastAnswered && g.Unhelpful == 0 {
				q += "  (answered since)"
			}
			fmt.Fprintf(w, "%d\t%d\t%d\t%d\t%s\t%s\n", g.Asked, g.Abstained, g.Unhelpful, g.Helpful, server, q)
		}
		return w.Flush()
	}
}
