package commands

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// complete answers autocomplete for an entry name (/entry, /related): up to
// 25 title matches, each named by its title (and the alias that matched,
// when that differs) with the entry id, or its token, as the value. With
// nothing typed yet it offers the first entries; when no title is close, the
// entries whose text matches the words.
func (r *Router) complete(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	focused, ok := focusedOption(d.Options)
	if !ok {
		return choices(nil)
	}
	typed, _ := focused.Value.(string)
	typed = strings.TrimSpace(typed)
	var out []*discordgo.ApplicationCommandOptionChoice
	seen := map[string]bool{}
	add := func(id, title, matched string) {
		if id == "" || seen[id] || len(out) == maxChoices {
			return
		}
		seen[id] = true
		name := oneLine(title)
		if m := oneLine(matched); m != "" && !strings.EqualFold(m, name) {
			name = m + " → " + name
		}
		if name == "" {
			name = id
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: cut(name, maxChoiceName), Value: idValue(id)})
	}
	if typed == "" {
		for _, m := range q.ix.FirstTitles(maxChoices) {
			add(m.EntryID, m.Title, "")
		}
		return choices(out)
	}
	typed = cut(typed, maxNameOption)
	for _, m := range q.ix.LookupTitle(typed, maxChoices) {
		add(m.EntryID, m.Title, m.Matched)
	}
	if query := queryText(typed); len(out) == 0 && query != "" {
		// No title is close: offer the entries whose text mentions the
		// words, so the list is rarely empty.
		for _, h := range q.ix.Search(query, maxChoices) {
			add(h.EntryID, h.Title, "")
		}
	}
	return choices(out)
}

// pick answers a select menu of entries: the chosen entry, ephemeral, with
// Share.
func (r *Router) pick(q *request) *discordgo.InteractionResponse {
	d, _ := componentData(q.i)
	if len(d.Values) == 0 {
		return notice("Pick an entry from the list.")
	}
	e, ok := resolveEntry(q.ix, d.Values[0])
	if !ok {
		return goneEntry()
	}
	embed, comps := entryView(q.ix, e, 0, entryPrivate)
	return reply(true, []*discordgo.MessageEmbed{embed}, comps)
}
