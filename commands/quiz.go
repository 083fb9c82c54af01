package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/study"
)

// quiz answers /quiz [entry] [count] [seconds] [kind]: one item posted to
// the channel, or with count above 1 a round of items that close on a
// timer (rounds.go).
func (r *Router) quiz(q *request) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	d, _ := commandData(q.i)
	var opts study.PickOptions
	if name, ok := stringOption(d.Options, "entry"); ok && strings.TrimSpace(name) != "" {
		e, found := findEntry(q.ix, name)
		if !found {
			return notFound(name)
		}
		opts.Entry = e.ID
	}
	if k, ok := stringOption(d.Options, "kind"); ok && k != "" && k != "any" {
		opts.Kinds = []study.Kind{study.Kind(k)}
	}
	count := int(intOption(d.Options, "count", 1))
	count = min(max(count, 1), maxRoundItems)
	if count == 1 {
		it, err := study.Pick(q.ix, r.newSeed(), opts)
		if err != nil {
			return noItemNotice(opts)
		}
		return reply(false, []*discordgo.MessageEmbed{itemEmbed("Fill in the blank", it, "")}, rows(optionRow(it, quizButtonID(it), false)))
	}
	seconds := time.Duration(intOption(d.Options, "seconds", int64(defaultRoundTime/time.Second))) * time.Second
	return r.startRound(q, count, min(max(seconds, r.minRound()), maxRoundTime), opts)
}

func noItemNotice(opts study.PickOptions) *discordgo.InteractionResponse {
	switch {
	case opts.Entry != "":
		return notice("That entry has no sentence to make a question of (a figure, a date, a name or a term with enough around it). Try another entry, or leave `entry` out.")
	case len(opts.Kinds) > 0:
		return notice(fmt.Sprintf("The corpus has no question of that kind (%s) to offer just now. Try another kind.", opts.Kinds[0]))
	}
	return notice("The corpus has no sentence to make a question of yet.")
}

// intOption returns an integer option's value, def when absent.
func intOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string, def int64) int64 {
	o := option(opts, name)
	if o == nil {
		return def
	}
	switch v := o.Value.(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return def
}

// quizButtonID makes the custom ids of an item posted alone.
func quizButtonID(it study.Item) func(opt string) string {
	prefix := fmt.Sprintf("/quiz/%s/%d/%d/%s/%s/", entrySegment(it.Ref.Entry), it.Ref.Sentence, it.Ref.Blank, it.Check, it.Seed)
	return func(opt string) string { return prefix + opt }
}

// quizAnswer answers a click on an item posted alone.
func (r *Router) quizAnswer(q *request) *discordgo.InteractionResponse {
	p := q.params
	if !validKey(p["check"]) || !validSeed(p["seed"]) || !validKey(p["opt"]) {
		return badButton()
	}
	return r.judge(q, p["entry"], p["n"], p["b"], p["check"], p["seed"], p["opt"], "q/"+p["seed"], "")
}

// judge checks a click on an item and records it: the verdict goes to the
// member alone, starts with ✅ or ❌, quotes the sentence with its source,
// and gives the member's score. A second click of the same member on the
// same item records nothing and says so.
func (r *Router) judge(q *request, entry, n, b, check, seed, opt, itemKey, round string) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	ref, wellFormed, found := refOf(q.ix, entry, n, b)
	if !wellFormed {
		return badButton()
	}
	if !found {
		return staleItem(study.ErrChanged)
	}
	it, err := study.Resolve(q.ix, ref, seed)
	if err != nil {
		return staleItem(err)
	}
	if it.Check != check {
		return staleItem(study.ErrChanged)
	}
	right := it.IsRight(opt)
	chosen := clickedLabel(q.i)
	if right {
		chosen = it.Answer
	}
	now := r.now()
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	res, err := r.study.RecordAnswer(ctx, store.Answer{
		Guild: q.i.GuildID, Item: itemKey, User: userID(q.i), Name: cut(orDefault(displayName(q.i), "a member"), 80), Round: round,
		Fact: store.FactRef{Entry: ref.Entry, Sentence: ref.Sentence, Blank: ref.Blank}, Correct: right, Choice: cut(chosen, 100), At: now,
	}, study.AfterQuiz(it, right, now))
	if err != nil {
		r.log.Error("recording a quiz answer failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, your answer could not be recorded just now. Try again in a moment.")
	}
	if !res.First {
		mark := "❌"
		if res.Prior.Correct {
			mark = "✅"
		}
		return notice(fmt.Sprintf("You have already answered this question (%s **%s**): one answer each. Your score here: %s.",
			mark, cut(escape(res.Prior.Choice), 100), scoreLine(res.Score, 0, 0)))
	}
	_, rank, members, err := r.study.MemberScore(ctx, q.i.GuildID, userID(q.i))
	if err != nil {
		rank = 0
	}
	color := colorRight
	if !right {
		color = colorWrong
	}
	reveal := revealEmbed(it, color)
	reveal.Fields = append(reveal.Fields, &discordgo.MessageEmbedField{Name: "Your score here", Value: scoreLine(res.Score, rank, members)})
	if c := res.Card; c != nil {
		what := "Your card for this fact"
		if !right {
			what = "Added to your `/review` deck"
		}
		reveal.Fields = append(reveal.Fields, &discordgo.MessageEmbedField{Name: "Review", Value: fmt.Sprintf("%s: due %s.", what, study.Interval(c.Due, now))})
	}
	resp := reply(true, []*discordgo.MessageEmbed{reveal}, nil)
	resp.Data.Content = verdictLine(right, chosen, it.Answer)
	return resp
}
