package commands

import (
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// maxClaimEcho is how much of the message is quoted back.
const maxClaimEcho = 200

// findSources answers the "Find sources" message command: it takes the
// message's text as a claim and replies, ephemeral, with the facts that
// bear on it, or says the corpus has nothing.
func (r *Router) findSources(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	claim := strings.TrimSpace(messageText(d))
	if claim == "" {
		return notice("That message has no text to look up.")
	}
	claim = cutChars(claim, knowledge.MaxQuestionLen)
	var ans knowledge.Answer
	var err error
	if query := queryText(claim); query != "" {
		ans, err = q.ix.Ask(query, factsLimit)
		if err == nil {
			r.onAnswer(ans)
		}
	}
	if errors.Is(err, knowledge.ErrEmptyQuestion) {
		return notice("That message has no words to look up.")
	}
	if err != nil {
		r.log.Error("find sources failed", "err", err)
		return notice("Sorry, I could not look that up. The error has been logged.")
	}
	title := "Sources for “" + cut(escape(oneLine(claim)), maxClaimEcho) + "”"
	embed, links := answerEmbed(title, ans, "The corpus has nothing on this.")
	return reply(true, []*discordgo.MessageEmbed{embed}, rows(linkRow(q.ix, "sources", "Read an entry…", links)))
}

// messageText is the text of the message a message command targets: its
// content, else its first embed's description.
func messageText(d discordgo.ApplicationCommandInteractionData) string {
	if d.Resolved == nil || d.TargetID == "" {
		return ""
	}
	m := d.Resolved.Messages[d.TargetID]
	if m == nil {
		return ""
	}
	if strings.TrimSpace(m.Content) != "" {
		return m.Content
	}
	for _, e := range m.Embeds {
		if e != nil && strings.TrimSpace(e.Description) != "" {
			return e.Description
		}
	}
	return ""
}
