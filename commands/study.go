package commands

import (
	"context"
	"encoding/base32"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/study"
)

// The study mode, from Discord:
//
//	/quiz [entry] [count] [seconds] [kind]   an item, or a round of them
//	/leaderboard                             the top 10 and the caller's rank
//	/review                                  the caller's missed facts, when due
//
// Its custom ids carry everything a click needs, so any replica checks an
// answer from the corpus and the store:
//
//	/quiz/{entry}/{n}/{b}/{check}/{seed}/{opt}                 an item alone
//	/round/{round}/{k}/{closes}/{entry}/{n}/{b}/{check}/{opt}  item k of a round
//	/review/{entry}/{n}/{b}/{check}/{reps}/{seed}/{opt}        a review card
//	/review/next                                               the next card due
//
// {entry} is the entry id (path-escaped) or its token, {n} the sentence,
// {b} the blank, {check} the sentence's check (an edited sentence is not
// judged), {opt} the option's key (study.OptionKey: it says which option
// was clicked, not which is right), {closes} when the round's item closes
// (Unix seconds, base 36), {reps} the reviews the card had when shown.

// StudyStore is what the study mode keeps: answers, scores, review cards
// and the questions asked. store.Store is one.
type StudyStore interface {
	store.Study
	store.Questions
}

// Webhook posts and edits the messages of an interaction's webhook after
// its answer: what a round needs to close its items and post the next.
// The transports provide it (bot.RESTClient, bot.SessionSender).
type Webhook interface {
	EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error
	// FollowupMessage posts a message and returns its id.
	FollowupMessage(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) (string, error)
	EditFollowup(ctx context.Context, i *discordgo.Interaction, id string, e *discordgo.WebhookEdit) error
}

// Limits of the study mode.
const (
	maxRoundItems      = 10
	defaultRoundTime   = 20 * time.Second
	minRoundTime       = 10 * time.Second
	maxRoundTime       = 60 * time.Second
	maxRounds          = 64 // rounds one replica runs at once
	storeTimeout       = 5 * time.Second
	colorQuiz          = 0x6b46c1
	colorRight         = 0x2f855a
	colorWrong         = 0xc05621
	blankMark          = "`_____`"
	maxEntrySegment    = 24 // an entry id longer than this goes by its token
	questionRecordTime = 2 * time.Second
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newSeed draws a short random seed (8 base32 letters, 40 bits).
func (r *Router) newSeed() string {
	r.randMu.Lock()
	b := make([]byte, 5)
	for k := range b {
		b[k] = byte(r.rand.IntN(256))
	}
	r.randMu.Unlock()
	return strings.ToLower(idEncoding.EncodeToString(b))
}

func (r *Router) now() time.Time {
	if r.clock != nil {
		return r.clock()
	}
	return time.Now()
}

// entrySegment names an entry in a custom id: its id when short, else
// its token.
func entrySegment(id string) string {
	if e := url.PathEscape(id); len(e) <= maxEntrySegment && !strings.HasPrefix(id, tokenPrefix) {
		return e
	}
	return idToken(id)
}

// refOf reads the entry, sentence and blank segments of a custom id.
func refOf(ix *knowledge.Index, entry, n, b string) (study.Ref, bool, bool) {
	sn, err1 := strconv.Atoi(n)
	bn, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || sn < 0 || bn < 0 || sn > 1e6 || bn > 1000 {
		return study.Ref{}, false, false
	}
	e, ok := resolveEntry(ix, entry)
	if !ok {
		return study.Ref{}, true, false // well formed; the entry is gone
	}
	return study.Ref{Entry: e.ID, Sentence: sn, Blank: bn}, true, true
}

// validKey reports whether s has the shape of a check or option key.
func validKey(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

func validSeed(s string) bool {
	if len(s) == 0 || len(s) > 24 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/') {
			return false
		}
	}
	return true
}

// studyNotice answers a study command that cannot run here; ok is false
// when it can.
func (r *Router) studyNotice(q *request) (*discordgo.InteractionResponse, bool) {
	switch {
	case q.i.GuildID == "":
		return notice("Quizzes keep scores per server: use the study commands in a server."), true
	case r.study == nil:
		return notice("This Footnote runs without its store, so it keeps no scores: the study mode is off."), true
	case userID(q.i) == "":
		return notice("Discord did not say who you are, so this cannot be recorded."), true
	}
	return nil, false
}

func (r *Router) storeCtx(q *request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(q.ctx, storeTimeout)
}

var kindNames = map[study.Kind]string{study.Figure: "a figure", study.Date: "a date", study.Name: "a name", study.Term: "a term"}

// prompt is the sentence with its blank, quoted.
func prompt(it study.Item) string {
	before, after := cut(escape(oneLine(it.Before)), 900), cut(escape(oneLine(it.After)), 900)
	if before != "" && strings.TrimRight(it.Before, " \t\n") != it.Before {
		before += " "
	}
	if after != "" && strings.TrimLeft(it.After, " \t\n") != it.After {
		after = " " + after
	}
	return "> " + before + blankMark + after
}

// itemEmbed shows an item: the sentence with its blank, what kind of
// answer it wants, and the entry when its title does not give the answer
// away.
func itemEmbed(title string, it study.Item, extra string) *discordgo.MessageEmbed {
	var b strings.Builder
	b.WriteString(prompt(it))
	fmt.Fprintf(&b, "\n\nWhich %s fills the blank?", strings.TrimPrefix(strings.TrimPrefix(kindNames[it.Kind], "a "), "an "))
	if it.ShowTitle {
		fmt.Fprintf(&b, " From the entry **%s**.", cut(escape(oneLine(it.EntryTitle)), 150))
	}
	if extra != "" {
		b.WriteString("\n" + extra)
	}
	return &discordgo.MessageEmbed{Title: title, Description: b.String(), Color: colorQuiz,
		Footer: &discordgo.MessageEmbedFooter{Text: "One answer each. Only you see your verdict; the source comes with it."}}
}

// optionRow is the four options as buttons; id makes a button's custom id
// from the option's key. When right is set (a closed item), the buttons
// are disabled and the right one is green.
func optionRow(it study.Item, id func(opt string) string, closed bool) *discordgo.ActionsRow {
	row := &discordgo.ActionsRow{}
	for k, o := range it.Options {
		b := discordgo.Button{Label: cut(o, maxButtonLabel), Style: discordgo.SecondaryButton, CustomID: id(study.OptionKey(it.Seed, o))}
		if closed {
			b.Disabled = true
			if k == it.Right {
				b.Style = discordgo.SuccessButton
			}
		}
		row.Components = append(row.Components, b)
	}
	return row
}

// revealEmbed quotes the whole sentence with its source.
func revealEmbed(it study.Item, color int) *discordgo.MessageEmbed {
	return &discordgo.MessageEmbed{
		Description: "> " + cut(escape(oneLine(it.Sentence)), 1800),
		Color:       color,
		Fields: []*discordgo.MessageEmbedField{{
			Name:  cut("Source: "+escape(oneLine(it.EntryTitle)), maxFieldName),
			Value: sourceText(it.EntryTitle, it.URL, it.Citation, maxFieldValue),
		}},
	}
}

// verdictLine starts with ✅ or ❌ and names the answer.
func verdictLine(right bool, chosen, answer string) string {
	if right {
		return fmt.Sprintf("✅ Right: **%s**.", cut(escape(answer), 200))
	}
	if chosen == "" {
		return fmt.Sprintf("❌ Not this one: the answer is **%s**.", cut(escape(answer), 200))
	}
	return fmt.Sprintf("❌ Not this one: you chose **%s**; the answer is **%s**.", cut(escape(chosen), 200), cut(escape(answer), 200))
}

// clickedLabel is the label of the button clicked, from the message the
// click came from (Discord sends it); "" when it is not there.
func clickedLabel(i *discordgo.Interaction) string {
	d, _ := componentData(i)
	if i.Message == nil {
		return ""
	}
	for _, c := range i.Message.Components {
		row, ok := asRow(c)
		if !ok {
			continue
		}
		for _, item := range row.Components {
			switch b := item.(type) {
			case discordgo.Button:
				if b.CustomID == d.CustomID {
					return b.Label
				}
			case *discordgo.Button:
				if b != nil && b.CustomID == d.CustomID {
					return b.Label
				}
			}
		}
	}
	return ""
}

// scoreLine describes a member's score.
func scoreLine(s store.Score, rank, members int) string {
	line := fmt.Sprintf("%d right of %d · streak %d (best %d)", s.Correct, s.Answered, s.Streak, s.Best)
	if rank > 0 {
		line += fmt.Sprintf(" · #%d of %d here", rank, members)
	}
	return line
}

// staleItem answers a click on an item the corpus no longer has as it was.
func staleItem(err error) *discordgo.InteractionResponse {
	if err == study.ErrChanged {
		return notice("This question's entry changed or left the corpus since it was posted, so it cannot be checked. Nothing was recorded: try a new `/quiz`.")
	}
	return notice("This question can no longer be made from the corpus, so it cannot be checked. Nothing was recorded: try a new `/quiz`.")
}

func badButton() *discordgo.InteractionResponse {
	return notice("That button could not be read: it may be from an older version of Footnote. Nothing was recorded.")
}
