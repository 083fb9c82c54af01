package commands

import (
	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// random answers /random [private].
func (r *Router) random(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	embed, comps, ok := r.randomView(q.ix)
	if !ok {
		return notice("The corpus has no facts to offer yet.")
	}
	return reply(boolOption(d.Options, "private"), []*discordgo.MessageEmbed{embed}, comps)
}

// randomAgain answers the "Another" button: it edits the clicker's own
// message, or answers ephemeral on someone else's.
func (r *Router) randomAgain(q *request) *discordgo.InteractionResponse {
	embed, comps, ok := r.randomView(q.ix)
	if !ok {
		return notice("The corpus has no facts to offer yet.")
	}
	if mayUpdate(q.i) {
		return update([]*discordgo.MessageEmbed{embed}, comps)
	}
	return reply(true, []*discordgo.MessageEmbed{embed}, comps)
}

// randomView shows one random fact with its source, a button to read its
// entry and one for another fact.
func (r *Router) randomView(ix *knowledge.Index) (*discordgo.MessageEmbed, []discordgo.MessageComponent, bool) {
	r.randMu.Lock()
	f, ok := ix.RandomFact(r.rand)
	r.randMu.Unlock()
	if !ok {
		return nil, nil, false
	}
	embed := &discordgo.MessageEmbed{
		Title:       "A fact worth reading",
		Description: "> " + cut(escape(oneLine(f.Text)), maxFactLen),
		Color:       colorAnswer,
		Fields: []*discordgo.MessageEmbedField{{
			Name:  cut("Source: "+escape(oneLine(f.EntryTitle)), maxFieldName),
			Value: sourceText(f.EntryTitle, f.URL, f.Citation, maxFieldValue),
		}},
	}
	row := &discordgo.ActionsRow{}
	if f.EntryID != "" {
		if id, ok := entryCustomID("/entry", f.EntryID, ""); ok {
			row.Components = append(row.Components, discordgo.Button{Label: "Read the entry", Style: discordgo.SecondaryButton, CustomID: id})
		}
	}
	row.Components = append(row.Components, discordgo.Button{Label: "Another", Style: discordgo.SecondaryButton, CustomID: "/random/again"})
	return embed, rows(row), true
}
