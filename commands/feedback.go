package commands

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
)

// Feedback on answers: every /ask question is counted in the store by
// server and wording (never with who asked), with whether the corpus
// abstained; an answer carries 👍 and 👎 buttons, /fb/{key}/up and
// /fb/{key}/down, that record each member's vote once. The questions
// abstained from and voted down are the corpus's gaps: /corpus gaps and
// `footnote gaps` list them, most asked first.

// questionKey names a question whatever its case, accents, spacing and
// punctuation: 16 base32 letters of a hash of its folded words.
func questionKey(question string) string {
	words := strings.FieldsFunc(knowledge.Fold(question), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return strings.ToLower(idEncoding.EncodeToString(sum[:10]))
}

// answerFeedback records question and how ans went, for /corpus gaps,
// and returns the 👍/👎 row to put under the answer (nil when the corpus
// abstained, which is a gap already, or without a store). /ask calls it.
func (r *Router) answerFeedback(q *request, question string, ans knowledge.Answer) *discordgo.ActionsRow {
	question = oneLine(question)
	if r.study == nil || question == "" {
		return nil
	}
	key := questionKey(question)
	ctx, cancel := context.WithTimeout(q.ctx, questionRecordTime)
	defer cancel()
	// The answer does not wait on a failure: the question goes uncounted.
	if err := r.study.RecordQuestion(ctx, store.Question{Guild: q.i.GuildID, Key: key, Text: question, Answered: ans.Answered, At: r.now()}); err != nil {
		r.log.Warn("recording a question for the gaps failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
	}
	if !ans.Answered || len(ans.Facts) == 0 {
		return nil
	}
	return &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Helpful", Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton, CustomID: "/fb/" + key + "/up"},
		discordgo.Button{Label: "Not helpful", Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton, CustomID: "/fb/" + key + "/down"},
	}}
}

// feedback answers a 👍 or 👎 click: the member's vote on that question,
// counted once (a second click changes nothing, the other button changes
// the vote).
func (r *Router) feedback(q *request) *discordgo.InteractionResponse {
	if r.study == nil {
		return notice("This Footnote runs without its store, so it keeps no feedback.")
	}
	key, vote := q.params["key"], q.params["vote"]
	value := map[string]int{"up": 1, "down": -1}[vote]
	if len(key) != 16 || value == 0 || strings.Trim(key, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return badButton()
	}
	user := userID(q.i)
	if user == "" {
		return notice("Discord did not say who you are, so this cannot be recorded.")
	}
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	g, err := r.study.Vote(ctx, store.Vote{Guild: q.i.GuildID, Key: key, User: user, Value: value, At: r.now()}, questionOfMessage(q.i))
	if err != nil {
		r.log.Error("recording feedback failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, your feedback could not be recorded just now.")
	}
	if value > 0 {
		return notice(fmt.Sprintf("👍 Thanks: noted as helpful (%d 👍, %d 👎 so far).", g.Helpful, g.Unhelpful))
	}
	where := "this server's managers see it in `/corpus gaps`"
	if q.i.GuildID == "" {
		where = "the bot's operator sees it in `footnote gaps`"
	}
	return notice(fmt.Sprintf("👎 Thanks: noted (%d 👍, %d 👎 so far). Questions the corpus answers badly are what it needs next: %s.", g.Helpful, g.Unhelpful, where))
}

// questionOfMessage is the question an answer message shows (its title),
// for a vote on a question whose asking was not recorded.
func questionOfMessage(i *discordgo.Interaction) string {
	if i.Message == nil || len(i.Message.Embeds) == 0 || i.Message.Embeds[0] == nil {
		return "(a question)"
	}
	return strings.ReplaceAll(i.Message.Embeds[0].Title, `\`, "")
}
