package commands

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Sizes of a related list.
const (
	relatedShown = 10  // entries listed with a summary
	maxSummary   = 160 // characters of each one-line summary
)

// relatedCommand answers /related name [private], visible to the channel
// unless private.
func (r *Router) relatedCommand(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	name, _ := stringOption(d.Options, "name")
	e, ok := findEntry(q.ix, name)
	if !ok {
		return notFound(name)
	}
	embed, comps := relatedView(q.ix, e)
	return reply(boolOption(d.Options, "private"), []*discordgo.MessageEmbed{embed}, comps)
}

// relatedButton answers the Related button of an entry view, ephemeral.
func (r *Router) relatedButton(q *request) *discordgo.InteractionResponse {
	e, ok := resolveEntry(q.ix, q.params["id"])
	if !ok {
		return goneEntry()
	}
	embed, comps := relatedView(q.ix, e)
	return reply(true, []*discordgo.MessageEmbed{embed}, comps)
}

// relatedView lists the entries related to e with a one-line summary each,
// and offers the ones in the corpus as buttons (or a select menu).
func relatedView(ix *knowledge.Index, e *knowledge.Entry) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	embed := &discordgo.MessageEmbed{
		Title: cut("Related to "+escape(oneLine(e.Title)), maxEmbedTitle),
		Color: colorEntry,
	}
	var lines, outside []string
	var links []entryLink
	for _, rel := range ix.Related(e.ID, relatedLimit) {
		if !rel.InCorpus || rel.EntryID == "" {
			if rel.Title != "" {
				outside = append(outside, escape(oneLine(rel.Title)))
			}
			continue
		}
		if rel.EntryID == e.ID {
			continue
		}
		sum := summary(ix, rel.EntryID)
		links = append(links, entryLink{ID: rel.EntryID, Title: rel.Title, Summary: sum})
		if len(lines) < relatedShown {
			line := fmt.Sprintf("**%s** (%s)", cut(escape(oneLine(rel.Title)), 100), relationLabel(rel.Relation))
			if sum != "" {
				line += " — " + cut(escape(sum), 200)
			}
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		embed.Description = "No other entry in the corpus is related to this one."
	} else {
		embed.Description = strings.Join(lines, "\n")
	}
	if len(outside) > 0 {
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{
			Name:  "Cross-references not in this corpus",
			Value: cut(strings.Join(outside, " · "), maxListing),
		})
	}
	return embed, rows(linkRow(ix, "related", "Read a related entry…", links))
}

// relationLabel says in words why an entry is related.
func relationLabel(r knowledge.Relation) string {
	switch r {
	case knowledge.SeeAlso:
		return "see also"
	case knowledge.ReferencedBy:
		return "refers to it"
	case knowledge.Similar:
		return "similar"
	}
	return "related"
}

// summary is an entry's first sentence on one line, cut to maxSummary on a
// sentence or word boundary. Not escaped.
func summary(ix *knowledge.Index, id string) string {
	s := ix.Sentences(id)
	if len(s) == 0 {
		return ""
	}
	return cut(oneLine(s[0]), maxSummary)
}
