package commands

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/study"
)

// A round is /quiz with count above 1: its items are posted one after the
// other, each closing after its time, when its message is edited to show
// the answer and who found it; a summary follows the last. The replica
// that received /quiz runs the round through the interaction's webhook
// (valid 15 minutes: 10 items of 60 s at most fit); the answers go to the
// store, so a click on any replica counts, and each button carries the
// time its item closes, so any replica refuses a late one.

// roundGrace lets the clicks in flight at an item's close land before the
// replica reads who answered.
const roundGrace = time.Second

// webhookTimeout bounds one webhook call of a round.
const webhookTimeout = 10 * time.Second

type round struct {
	id, guild, channel string
	i                  *discordgo.Interaction
	items              []study.Item
	per                time.Duration
	short              bool // fewer items than asked: the corpus had no more
	stop               chan struct{}
}

// roundSet holds the rounds a replica runs: one per channel at most.
type roundSet struct {
	mu        sync.Mutex
	byChannel map[string]*round
	closed    bool
	wg        sync.WaitGroup
}

func (s *roundSet) add(rd *round) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "Footnote is restarting: start the round again in a moment."
	case s.byChannel[rd.channel] != nil:
		return "A round is already running in this channel: wait for its summary, or start one in another channel."
	case len(s.byChannel) >= maxRounds:
		return "Too many rounds are running just now: try again in a few minutes, or ask for one question."
	}
	if s.byChannel == nil {
		s.byChannel = map[string]*round{}
	}
	s.byChannel[rd.channel] = rd
	s.wg.Add(1)
	return ""
}

func (s *roundSet) done(rd *round) {
	s.mu.Lock()
	delete(s.byChannel, rd.channel)
	s.mu.Unlock()
	s.wg.Done()
}

// Close ends the rounds in progress at once, each closing its current
// item and posting its summary, and waits for them until ctx ends. New
// rounds are refused from then on.
func (r *Router) Close(ctx context.Context) error {
	r.rounds.mu.Lock()
	r.rounds.closed = true
	for _, rd := range r.rounds.byChannel {
		close(rd.stop)
	}
	r.rounds.mu.Unlock()
	finished := make(chan struct{})
	go func() { r.rounds.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("closing the quiz rounds: %w", ctx.Err())
	}
}

func (r *Router) minRound() time.Duration {
	if r.minRoundTime > 0 {
		return r.minRoundTime
	}
	return minRoundTime
}

func (r *Router) after(d time.Duration) <-chan time.Time {
	if r.timer != nil {
		return r.timer(d)
	}
	return time.After(d)
}

// roundButtonID makes the custom ids of a round's item k.
func roundButtonID(id string, k int, closes time.Time, it study.Item) func(opt string) string {
	prefix := fmt.Sprintf("/round/%s/%d/%s/%s/%d/%d/%s/", id, k, strconv.FormatInt(closes.Unix(), 36),
		entrySegment(it.Ref.Entry), it.Ref.Sentence, it.Ref.Blank, it.Check)
	return func(opt string) string { return prefix + opt }
}

func roundItemKey(id string, k int) string { return "r/" + id + "/" + strconv.Itoa(k) }

// startRound posts a round's first item and runs the rest.
func (r *Router) startRound(q *request, count int, per time.Duration, opts study.PickOptions) *discordgo.InteractionResponse {
	if r.webhook == nil {
		return notice("This Footnote cannot post the questions of a round one after the other here: ask for one at a time (`count: 1`).")
	}
	id := r.newSeed()
	items, err := study.Round(q.ix, id, count, opts)
	if err != nil {
		return noItemNotice(opts)
	}
	rd := &round{id: id, guild: q.i.GuildID, channel: q.i.ChannelID, i: q.i, items: items, per: per, short: len(items) < count, stop: make(chan struct{})}
	if msg := r.rounds.add(rd); msg != "" {
		return notice(msg)
	}
	closes := r.now().Add(per)
	go r.runRound(rd, closes)
	r.log.Info("quiz round started", "round", rd.id, "guild_id", logclip.String(rd.guild), "items", len(items), "seconds", int(per/time.Second))
	embed := r.roundItemEmbed(rd, 0, closes)
	return reply(false, []*discordgo.MessageEmbed{embed}, rows(optionRow(items[0], roundButtonID(id, 0, closes, items[0]), false)))
}

func (r *Router) roundItemEmbed(rd *round, k int, closes time.Time) *discordgo.MessageEmbed {
	extra := fmt.Sprintf("Closes <t:%d:R>.", closes.Unix())
	if k == 0 && rd.short {
		extra += fmt.Sprintf(" (The corpus had %d questions to offer.)", len(rd.items))
	}
	return itemEmbed(fmt.Sprintf("Question %d of %d", k+1, len(rd.items)), rd.items[k], extra)
}

// roundAnswer answers a click on a round's item: refused once the item
// has closed, else judged as an item alone is.
func (r *Router) roundAnswer(q *request) *discordgo.InteractionResponse {
	p := q.params
	k, err := strconv.Atoi(p["k"])
	closesAt, err2 := strconv.ParseInt(p["closes"], 36, 64)
	if err != nil || err2 != nil || k < 0 || k >= maxRoundItems || !validSeed(p["round"]) || strings.Contains(p["round"], "/") ||
		!validKey(p["check"]) || !validKey(p["opt"]) {
		return badButton()
	}
	if r.now().After(time.Unix(closesAt, 0)) {
		return notice("This question has closed: its message shows the answer and who found it.")
	}
	return r.judge(q, p["entry"], p["n"], p["b"], p["check"], study.RoundSeed(p["round"], k), p["opt"], roundItemKey(p["round"], k), p["round"])
}

// runRound closes each item at its time and posts the next, then the
// summary. A stop (the replica shutting down) closes the current item at
// once and ends the round there.
func (r *Router) runRound(rd *round, closes time.Time) {
	defer r.rounds.done(rd)
	ids := make([]string, len(rd.items)) // "" is the original response
	stopped := false
	last := 0
	for k := range rd.items {
		last = k
		select {
		case <-r.after(closes.Sub(r.now()) + roundGrace):
		case <-rd.stop:
			stopped = true
		}
		answers := r.roundAnswers(rd)
		embeds, comps := closedItemView(rd, k, answers)
		if err := r.editRoundMessage(rd, ids[k], embeds, comps); err != nil {
			r.log.Warn("closing a quiz item failed", "round", rd.id, "item", k, "err", err)
		}
		if stopped || k == len(rd.items)-1 {
			break
		}
		closes = r.now().Add(rd.per)
		id, err := r.postRoundMessage(rd, []*discordgo.MessageEmbed{r.roundItemEmbed(rd, k+1, closes)},
			rows(optionRow(rd.items[k+1], roundButtonID(rd.id, k+1, closes, rd.items[k+1]), false)))
		if err != nil {
			r.log.Warn("posting a quiz item failed; the round ends", "round", rd.id, "item", k+1, "err", err)
			break
		}
		ids[k+1] = id
	}
	summary := roundSummary(rd, last+1, stopped, r.roundAnswers(rd))
	if _, err := r.postRoundMessage(rd, []*discordgo.MessageEmbed{summary}, nil); err != nil {
		r.log.Warn("posting a quiz round's summary failed", "round", rd.id, "err", err)
	}
	r.log.Info("quiz round over", "round", rd.id, "guild_id", logclip.String(rd.guild), "items", last+1, "stopped", stopped)
}

func (r *Router) roundAnswers(rd *round) []store.Answer {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	answers, err := r.study.RoundAnswers(ctx, rd.guild, rd.id)
	if err != nil {
		r.log.Warn("reading a quiz round's answers failed", "round", rd.id, "err", err)
	}
	return answers
}

func (r *Router) editRoundMessage(rd *round, id string, embeds []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) error {
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	resp := clampResponse(update(embeds, comps))
	content := ""
	e := &discordgo.WebhookEdit{Content: &content, Embeds: &resp.Data.Embeds, Components: &resp.Data.Components, AllowedMentions: noMentions()}
	if id == "" {
		return r.webhook.EditOriginal(ctx, rd.i, e)
	}
	return r.webhook.EditFollowup(ctx, rd.i, id, e)
}

func (r *Router) postRoundMessage(rd *round, embeds []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	resp := clampResponse(reply(false, embeds, comps))
	return r.webhook.FollowupMessage(ctx, rd.i, &discordgo.WebhookParams{Embeds: resp.Data.Embeds, Components: resp.Data.Components, AllowedMentions: noMentions()})
}

// closedItemView is item k once closed: the whole sentence, the answer,
// who found it, the source; the buttons disabled, the right one green.
func closedItemView(rd *round, k int, answers []store.Answer) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	it := rd.items[k]
	key := roundItemKey(rd.id, k)
	var right []string
	n := 0
	for _, a := range answers {
		if a.Item != key {
			continue
		}
		n++
		if a.Correct {
			right = append(right, "**"+cut(escape(oneLine(a.Name)), 60)+"**")
		}
	}
	var who string
	switch {
	case n == 0:
		who = "No one answered."
	case len(right) == 0:
		who = fmt.Sprintf("No one found it (%s).", plural(n, "answer", "answers"))
	default:
		if len(right) > 20 {
			right = append(right[:20], fmt.Sprintf("and %d more", len(right)-20))
		}
		who = fmt.Sprintf("Found by %s (%d of %d).", strings.Join(right, ", "), min(len(right), n), n)
	}
	e := revealEmbed(it, colorQuiz)
	e.Title = fmt.Sprintf("Question %d of %d: closed", k+1, len(rd.items))
	e.Description += fmt.Sprintf("\n\nThe answer: **%s**. %s", cut(escape(it.Answer), 200), who)
	return []*discordgo.MessageEmbed{e}, rows(optionRow(it, roundButtonID(rd.id, k, time.Unix(0, 0), it), true))
}

// roundSummary ranks the round's members by right answers.
func roundSummary(rd *round, asked int, stopped bool, answers []store.Answer) *discordgo.MessageEmbed {
	type tally struct {
		name         string
		right, given int
		last         time.Time
	}
	by := map[string]*tally{}
	for _, a := range answers {
		t := by[a.User]
		if t == nil {
			t = &tally{}
			by[a.User] = t
		}
		t.name = a.Name
		t.given++
		if a.Correct {
			t.right++
		}
		if a.At.After(t.last) {
			t.last = a.At
		}
	}
	list := make([]*tally, 0, len(by))
	for _, t := range by {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].right != list[j].right {
			return list[i].right > list[j].right
		}
		if !list[i].last.Equal(list[j].last) {
			return list[i].last.Before(list[j].last)
		}
		return list[i].name < list[j].name
	})
	var b strings.Builder
	if len(list) == 0 {
		b.WriteString("No one answered.")
	}
	for k, t := range list {
		if k == 15 {
			fmt.Fprintf(&b, "…and %d more.", len(list)-k)
			break
		}
		fmt.Fprintf(&b, "%d. **%s**: %d right of %d\n", k+1, cut(escape(oneLine(t.name)), 60), t.right, asked)
	}
	title := fmt.Sprintf("Round over: %s", plural(asked, "question", "questions"))
	if stopped {
		title = fmt.Sprintf("Round stopped after %s (Footnote is restarting)", plural(asked, "question", "questions"))
	}
	return &discordgo.MessageEmbed{Title: title, Description: strings.TrimSpace(b.String()), Color: colorQuiz,
		Footer: &discordgo.MessageEmbedFooter{Text: "Right answers count in /leaderboard; missed facts come back in each member's /review."}}
}
