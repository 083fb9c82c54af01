package commands

import (
	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Embed colours.
const (
	colorAnswer  = 0x2b6cb0
	colorNoMatch = 0x718096
	colorEntry   = 0x2f855a
	colorError   = 0xc53030
)

// reply is a new message (response type 4), ephemeral when asked.
func reply(ephemeral bool, embeds []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{
		Embeds:          embeds,
		Components:      comps,
		AllowedMentions: noMentions(),
	}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

// update edits the message a component belongs to (response type 7).
func update(embeds []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{
			Embeds:          embeds,
			Components:      comps,
			AllowedMentions: noMentions(),
		},
	}
}

// notice is a short ephemeral text answer: errors, "unknown", "not found".
func notice(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         text,
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}
}

// choices is an autocomplete answer (response type 8).
func choices(cs []*discordgo.ApplicationCommandOptionChoice) *discordgo.InteractionResponse {
	if cs == nil {
		cs = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: cs},
	}
}

// rows wraps non-nil rows into a component list.
func rows(rs ...*discordgo.ActionsRow) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	for _, r := range rs {
		if r != nil && len(r.Components) > 0 {
			out = append(out, *r)
		}
	}
	return out
}

// entryLink is an entry offered as a button or select option.
type entryLink struct {
	ID, Title, Summary string
}

// linkRow offers entries as buttons opening them, or as a select menu
// (custom id /pick/{list}) when there are more than fit in a row, each
// option described by the entry's first sentence. Entries whose custom id
// cannot be built are left out. nil when there is nothing.
func linkRow(ix *knowledge.Index, list, placeholder string, links []entryLink) *discordgo.ActionsRow {
	seen := map[string]bool{}
	var uniq []entryLink
	for _, l := range links {
		if l.ID == "" || seen[l.ID] {
			continue
		}
		seen[l.ID] = true
		uniq = append(uniq, l)
	}
	if len(uniq) == 0 {
		return nil
	}
	if len(uniq) <= maxRowButtons {
		row := &discordgo.ActionsRow{}
		for _, l := range uniq {
			id, ok := entryCustomID("/entry", l.ID, "")
			if !ok {
				continue
			}
			row.Components = append(row.Components, discordgo.Button{
				Label:    cut(orDefault(oneLine(l.Title), l.ID), maxButtonLabel),
				Style:    discordgo.SecondaryButton,
				CustomID: id,
			})
		}
		return row
	}
	menu := discordgo.SelectMenu{
		MenuType:    discordgo.StringSelectMenu,
		CustomID:    "/pick/" + list,
		Placeholder: placeholder,
	}
	values := map[string]bool{}
	for _, l := range uniq {
		v := idValue(l.ID)
		if values[v] || len(menu.Options) == maxSelectOptions {
			continue
		}
		values[v] = true
		desc := l.Summary
		if desc == "" {
			desc = summary(ix, l.ID)
		}
		if desc == "" {
			desc = "Open this entry"
		}
		menu.Options = append(menu.Options, discordgo.SelectMenuOption{
			Label:       cut(orDefault(oneLine(l.Title), l.ID), maxSelectOptionText),
			Value:       v,
			Description: cut(oneLine(desc), maxSelectOptionText),
		})
	}
	return &discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}}
}
