package commands

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/study"
)

// review answers /review: the caller's next missed fact that is due
// (spaced repetition, FSRS), asked again as a question with new
// distractors, only to the caller.
func (r *Router) review(q *request) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	return r.reviewView(q, false)
}

// reviewNext answers the "Next card" button of a verdict.
func (r *Router) reviewNext(q *request) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	return r.reviewView(q, mayUpdate(q.i))
}

func reviewButtonID(it study.Item, reps int64) func(opt string) string {
	prefix := fmt.Sprintf("/review/%s/%d/%d/%s/%d/%s/", entrySegment(it.Ref.Entry), it.Ref.Sentence, it.Ref.Blank, it.Check, reps, it.Seed)
	return func(opt string) string { return prefix + opt }
}

// reviewView shows the next card due (or one still in its learning steps
// within study.LearnAhead); a card whose fact left the corpus is dropped
// on the way, and said so.
func (r *Router) reviewView(q *request, edit bool) *discordgo.InteractionResponse {
	now := r.now()
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	guild, user := q.i.GuildID, userID(q.i)
	cards, err := r.study.DueCards(ctx, guild, user, now.Add(study.LearnAhead), 5)
	if err != nil {
		r.log.Error("reading review cards failed", "err", err, "guild_id", logclip.String(guild))
		return notice("Sorry, your review deck could not be read just now.")
	}
	dropped := 0
	for _, c := range cards {
		it, err := study.Make(q.ix, study.Ref{Entry: c.Fact.Entry, Sentence: c.Fact.Sentence, Blank: c.Fact.Blank}, r.newSeed())
		if err == nil && it.Check == c.Check {
			deck, _ := r.study.Deck(ctx, guild, user, now.Add(study.LearnAhead))
			extra := fmt.Sprintf("%s due · reviewed %s, missed %s.", plural(max(deck.Due, 1), "card", "cards"),
				plural(int(c.Reps), "time", "times"), plural(int(c.Lapses)+1, "time", "times"))
			if dropped > 0 {
				extra += fmt.Sprintf(" (%s left your deck: the corpus no longer has %s.)", plural(dropped, "card", "cards"), pick(dropped == 1, "its fact", "their facts"))
			}
			embed := itemEmbed("Review: a fact you missed", it, extra)
			embed.Footer = &discordgo.MessageEmbedFooter{Text: "Spaced repetition (FSRS): right answers space a fact out, misses bring it back soon."}
			comps := rows(optionRow(it, reviewButtonID(it, c.Reps), false))
			if edit {
				return update([]*discordgo.MessageEmbed{embed}, comps)
			}
			return reply(true, []*discordgo.MessageEmbed{embed}, comps)
		}
		// The entry, the sentence or its distractors are gone: the card
		// cannot be asked again as it was.
		if err := r.study.DropCard(ctx, c.CardKey); err != nil {
			r.log.Warn("dropping a review card failed", "err", err, "guild_id", logclip.String(guild))
		}
		dropped++
	}
	deck, err := r.study.Deck(ctx, guild, user, now)
	if err != nil {
		r.log.Error("reading a review deck failed", "err", err, "guild_id", logclip.String(guild))
		return notice("Sorry, your review deck could not be read just now.")
	}
	msg := "Your review deck is empty: the facts you miss in `/quiz` come back here, when they are due."
	if deck.Cards > 0 {
		msg = fmt.Sprintf("Nothing to review now. Your deck holds %s; the next is due %s.", plural(deck.Cards, "card", "cards"), study.Interval(deck.Next, now))
	}
	if dropped > 0 {
		msg += fmt.Sprintf(" (%s left your deck: the corpus no longer has %s.)", plural(dropped, "card", "cards"), pick(dropped == 1, "its fact", "their facts"))
	}
	if edit {
		resp := update(nil, nil)
		resp.Data.Content = msg
		return resp
	}
	return notice(msg)
}

// reviewAnswer judges a click on a review card, schedules the card, and
// shows the verdict in place of the question, with a button to the next
// card when another is due.
func (r *Router) reviewAnswer(q *request) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	p := q.params
	reps, err := strconv.ParseInt(p["reps"], 10, 64)
	if err != nil || reps < 0 || !validKey(p["check"]) || !validSeed(p["seed"]) || !validKey(p["opt"]) {
		return badButton()
	}
	ref, wellFormed, found := refOf(q.ix, p["entry"], p["n"], p["b"])
	if !wellFormed {
		return badButton()
	}
	if !found {
		return notice("This card's entry left the corpus: the card will leave your deck at your next `/review`.")
	}
	it, err := study.Resolve(q.ix, ref, p["seed"])
	if err != nil || it.Check != p["check"] {
		return notice("This card's sentence changed in the corpus: the card will leave your deck at your next `/review`.")
	}
	right := it.IsRight(p["opt"])
	chosen := clickedLabel(q.i)
	now := r.now()
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	key := store.CardKey{Guild: q.i.GuildID, User: userID(q.i), Fact: store.FactRef{Entry: ref.Entry, Sentence: ref.Sentence, Blank: ref.Blank}}
	card, err := r.study.ReviewCard(ctx, key, reps, func(c *store.Card) error {
		next, err := study.Review(*c, right, now)
		*c = next
		return err
	})
	switch {
	case errors.Is(err, store.ErrStale):
		return notice("You have already answered this card: `/review` shows the next one.")
	case errors.Is(err, store.ErrNoCard):
		return notice("This card is no longer in your deck.")
	case err != nil:
		r.log.Error("recording a review failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, your answer could not be recorded just now. Try again in a moment.")
	}
	color := colorRight
	if !right {
		color = colorWrong
	}
	reveal := revealEmbed(it, color)
	reveal.Fields = append(reveal.Fields, &discordgo.MessageEmbedField{Name: "Next review", Value: "This fact is due again " + study.Interval(card.Due, now) + "."})
	var comps []discordgo.MessageComponent
	if deck, err := r.study.Deck(ctx, key.Guild, key.User, now.Add(study.LearnAhead)); err == nil && deck.Due > 0 {
		comps = rows(&discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: fmt.Sprintf("Next card (%d due)", deck.Due), Style: discordgo.PrimaryButton, CustomID: "/review/next"},
		}})
	}
	var resp *discordgo.InteractionResponse
	if mayUpdate(q.i) {
		resp = update([]*discordgo.MessageEmbed{reveal}, comps)
	} else {
		resp = reply(true, []*discordgo.MessageEmbed{reveal}, comps)
	}
	resp.Data.Content = verdictLine(right, chosen, it.Answer)
	return resp
}
