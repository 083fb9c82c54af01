package commands

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on what an interaction response may hold. Every response
// passes through clampResponse before it leaves the Router, so these are
// enforced here and nowhere else; handlers only aim below them.
const (
	maxEmbedTitle        = 256
	maxEmbedDescription  = 4096
	maxFieldName         = 256
	maxFieldValue        = 1024
	maxFooter            = 2048
	maxAuthorName        = 256
	maxFields            = 25
	maxEmbeds            = 10
	maxEmbedTotal        = 6000 // all embeds of one message together
	maxContent           = 2000
	maxCustomID          = 100
	maxRowButtons        = 5
	maxRows              = 5
	maxButtonLabel       = 80
	maxURL               = 512 // link buttons; we use the same for embed URLs
	maxSelectOptions     = 25
	maxSelectOptionText  = 100 // label, value and description
	maxSelectPlaceholder = 150
	maxChoices           = 25
	maxChoiceName        = 100
	maxChoiceValue       = 100
)

// noMentions is the allowed_mentions of every message: nothing pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// isMessage reports whether a response type carries a message.
func isMessage(t discordgo.InteractionResponseType) bool {
	return t == discordgo.InteractionResponseChannelMessageWithSource ||
		t == discordgo.InteractionResponseUpdateMessage
}

// clampResponse makes resp acceptable to Discord: text is cut on sentence or
// word boundaries, extra fields, rows, options and choices are dropped, and
// components whose custom id is too long or repeated are removed (a custom
// id cannot be cut without breaking it). Message responses get an empty
// allowed_mentions. It modifies resp in place and returns it.
func clampResponse(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	d := resp.Data
	if d == nil {
		return resp
	}
	if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
		d.Choices = clampChoices(d.Choices)
		return resp
	}
	if isMessage(resp.Type) || resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		d.AllowedMentions = noMentions()
	}
	d.Content = cut(d.Content, maxContent)
	d.Embeds = clampEmbeds(d.Embeds)
	d.Components = clampComponents(d.Components)
	if isMessage(resp.Type) {
		if d.Embeds == nil {
			d.Embeds = []*discordgo.MessageEmbed{}
		}
		if d.Components == nil {
			d.Components = []discordgo.MessageComponent{}
		}
		if d.Content == "" && len(d.Embeds) == 0 && resp.Type == discordgo.InteractionResponseChannelMessageWithSource {
			d.Content = "Nothing to show."
		}
	}
	return resp
}

func clampEmbeds(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	out := embeds[:0:0]
	for _, e := range embeds {
		if e == nil || len(out) == maxEmbeds {
			continue
		}
		e.Title = cut(e.Title, maxEmbedTitle)
		e.Description = cut(e.Description, maxEmbedDescription)
		if !validURL(e.URL) {
			e.URL = ""
		}
		if e.Footer != nil {
			e.Footer.Text = cut(e.Footer.Text, maxFooter)
			if e.Footer.Text == "" {
				e.Footer = nil
			}
		}
		if e.Author != nil {
			e.Author.Name = cut(e.Author.Name, maxAuthorName)
		}
		fields := e.Fields[:0:0]
		for _, f := range e.Fields {
			if f == nil || len(fields) == maxFields {
				continue
			}
			f.Name = cut(f.Name, maxFieldName)
			f.Value = cut(f.Value, maxFieldValue)
			if f.Name == "" || f.Value == "" {
				continue
			}
			fields = append(fields, f)
		}
		e.Fields = fields
		if len(fields) == 0 {
			e.Fields = nil
		}
		out = append(out, e)
	}
	// The 6000 total: drop trailing fields, then shorten descriptions, then
	// footers and titles, each from the last embed back; drop embeds left
	// empty.
	if embedsTotal(out) <= maxEmbedTotal {
		return keepNonEmpty(out)
	}
	over := func() int { return embedsTotal(out) - maxEmbedTotal }
	for k := len(out) - 1; k >= 0 && over() > 0; k-- {
		for len(out[k].Fields) > 0 && over() > 0 {
			out[k].Fields = out[k].Fields[:len(out[k].Fields)-1]
		}
	}
	for k := len(out) - 1; k >= 0 && over() > 0; k-- {
		out[k].Description = cut(out[k].Description, textLen(out[k].Description)-over())
	}
	for k := len(out) - 1; k >= 0 && over() > 0; k-- {
		if f := out[k].Footer; f != nil {
			f.Text = cut(f.Text, textLen(f.Text)-over())
			if f.Text == "" {
				out[k].Footer = nil
			}
		}
	}
	for k := len(out) - 1; k >= 0 && over() > 0; k-- {
		out[k].Title = cut(out[k].Title, textLen(out[k].Title)-over())
	}
	return keepNonEmpty(out)
}

// keepNonEmpty drops the embeds left with nothing to show.
func keepNonEmpty(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	kept := embeds[:0]
	for _, e := range embeds {
		if e.Title != "" || e.Description != "" || len(e.Fields) > 0 || e.Footer != nil || e.Author != nil {
			kept = append(kept, e)
		}
	}
	return kept
}

// embedsTotal counts the characters Discord sums against maxEmbedTotal.
func embedsTotal(embeds []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range embeds {
		n += textLen(e.Title) + textLen(e.Description)
		if e.Footer != nil {
			n += textLen(e.Footer.Text)
		}
		if e.Author != nil {
			n += textLen(e.Author.Name)
		}
		for _, f := range e.Fields {
			n += textLen(f.Name) + textLen(f.Value)
		}
	}
	return n
}

// validURL accepts absolute http(s) URLs Discord will take.
func validURL(s string) bool {
	if s == "" || len(s) > maxURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// clampComponents keeps at most 5 rows of at most 5 buttons or 1 select
// menu, with unique custom ids of at most 100 characters.
func clampComponents(comps []discordgo.MessageComponent) []discordgo.MessageComponent {
	seen := map[string]bool{}
	keepID := func(id string) bool {
		if id == "" || textLen(id) > maxCustomID || seen[id] {
			return false
		}
		seen[id] = true
		return true
	}
	var rows []discordgo.MessageComponent
	for _, c := range comps {
		row, ok := asRow(c)
		if !ok || len(rows) == maxRows {
			continue
		}
		var kept []discordgo.MessageComponent
		for _, item := range row.Components {
			switch v := item.(type) {
			case discordgo.Button:
				if b, ok := clampButton(v, keepID); ok && len(kept) < maxRowButtons && !hasSelect(kept) {
					kept = append(kept, b)
				}
			case *discordgo.Button:
				if v != nil {
					if b, ok := clampButton(*v, keepID); ok && len(kept) < maxRowButtons && !hasSelect(kept) {
						kept = append(kept, b)
					}
				}
			case discordgo.SelectMenu:
				if m, ok := clampSelect(v, keepID); ok && len(kept) == 0 {
					kept = append(kept, m)
				}
			case *discordgo.SelectMenu:
				if v != nil {
					if m, ok := clampSelect(*v, keepID); ok && len(kept) == 0 {
						kept = append(kept, m)
					}
				}
			}
		}
		if len(kept) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: kept})
		}
	}
	return rows
}

func asRow(c discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := c.(type) {
	case discordgo.ActionsRow:
		return v, true
	case *discordgo.ActionsRow:
		if v != nil {
			return *v, true
		}
	}
	return discordgo.ActionsRow{}, false
}

func hasSelect(items []discordgo.MessageComponent) bool {
	for _, c := range items {
		if _, ok := c.(discordgo.SelectMenu); ok {
			return true
		}
	}
	return false
}

func clampButton(b discordgo.Button, keepID func(string) bool) (discordgo.Button, bool) {
	b.Label = cut(b.Label, maxButtonLabel)
	if b.Label == "" && b.Emoji == nil {
		return b, false
	}
	if b.Style == discordgo.LinkButton {
		b.CustomID = ""
		return b, validURL(b.URL)
	}
	b.URL = ""
	return b, keepID(b.CustomID)
}

func clampSelect(m discordgo.SelectMenu, keepID func(string) bool) (discordgo.SelectMenu, bool) {
	if m.MenuType != 0 && m.MenuType != discordgo.StringSelectMenu {
		return m, false
	}
	m.Placeholder = cut(m.Placeholder, maxSelectPlaceholder)
	values := map[string]bool{}
	var opts []discordgo.SelectMenuOption
	for _, o := range m.Options {
		if len(opts) == maxSelectOptions {
			break
		}
		o.Label = cut(o.Label, maxSelectOptionText)
		o.Description = cut(o.Description, maxSelectOptionText)
		if o.Label == "" || o.Value == "" || textLen(o.Value) > maxSelectOptionText || values[o.Value] {
			continue
		}
		values[o.Value] = true
		opts = append(opts, o)
	}
	m.Options = opts
	if m.MaxValues > len(opts) {
		m.MaxValues = len(opts)
	}
	if m.MinValues != nil && *m.MinValues > len(opts) {
		return m, false
	}
	return m, len(opts) > 0 && keepID(m.CustomID)
}

func clampChoices(choices []*discordgo.ApplicationCommandOptionChoice) []*discordgo.ApplicationCommandOptionChoice {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range choices {
		if c == nil || len(out) == maxChoices {
			continue
		}
		c.Name = cut(c.Name, maxChoiceName)
		if c.Name == "" {
			continue
		}
		if s, ok := c.Value.(string); ok && (s == "" || textLen(s) > maxChoiceValue) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// validateResponse reports every way resp breaks Discord's rules. A nil
// error means Discord would accept it (as far as this package knows the
// rules). Tests, the fuzz test and the Router check responses with it.
func validateResponse(resp *discordgo.InteractionResponse) error {
	if resp == nil {
		return errors.New("nil response")
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch resp.Type {
	case discordgo.InteractionResponsePong, discordgo.InteractionResponseDeferredMessageUpdate:
		return nil
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseDeferredChannelMessageWithSource, discordgo.InteractionApplicationCommandAutocompleteResult:
	default:
		return fmt.Errorf("unsupported response type %d", resp.Type)
	}
	d := resp.Data
	if d == nil {
		if resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			return nil
		}
		return errors.New("response without data")
	}
	if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
		if len(d.Choices) > maxChoices {
			bad("%d choices > %d", len(d.Choices), maxChoices)
		}
		for _, c := range d.Choices {
			if c == nil {
				bad("nil choice")
				continue
			}
			if n := textLen(c.Name); n == 0 || n > maxChoiceName {
				bad("choice name length %d", n)
			}
			if s, ok := c.Value.(string); ok && (s == "" || textLen(s) > maxChoiceValue) {
				bad("choice value length %d", textLen(s))
			}
		}
		return errors.Join(errs...)
	}
	if d.AllowedMentions == nil || len(d.AllowedMentions.Parse) != 0 || d.AllowedMentions.Parse == nil ||
		len(d.AllowedMentions.Users) != 0 || len(d.AllowedMentions.Roles) != 0 || d.AllowedMentions.RepliedUser {
		bad("allowed_mentions is not empty")
	}
	if d.Flags&^discordgo.MessageFlagsEphemeral != 0 {
		bad("flags %d", d.Flags)
	}
	if n := textLen(d.Content); n > maxContent {
		bad("content length %d > %d", n, maxContent)
	}
	if resp.Type == discordgo.InteractionResponseChannelMessageWithSource && d.Content == "" && len(d.Embeds) == 0 {
		bad("empty message")
	}
	validateEmbeds(d.Embeds, bad)
	validateComponents(d.Components, bad)
	return errors.Join(errs...)
}

func validateEmbeds(embeds []*discordgo.MessageEmbed, bad func(string, ...any)) {
	if len(embeds) > maxEmbeds {
		bad("%d embeds > %d", len(embeds), maxEmbeds)
	}
	for _, e := range embeds {
		if e == nil {
			bad("nil embed")
			return
		}
		check := func(what, s string, max int) {
			if n := textLen(s); n > max {
				bad("embed %s length %d > %d", what, n, max)
			}
		}
		check("title", e.Title, maxEmbedTitle)
		check("description", e.Description, maxEmbedDescription)
		if e.URL != "" && !validURL(e.URL) {
			bad("embed url %q", e.URL)
		}
		if e.Footer != nil {
			check("footer", e.Footer.Text, maxFooter)
		}
		if e.Author != nil {
			check("author", e.Author.Name, maxAuthorName)
		}
		if len(e.Fields) > maxFields {
			bad("%d fields > %d", len(e.Fields), maxFields)
		}
		for _, f := range e.Fields {
			if f == nil {
				bad("nil field")
				continue
			}
			if f.Name == "" || f.Value == "" {
				bad("empty field name or value")
			}
			check("field name", f.Name, maxFieldName)
			check("field value", f.Value, maxFieldValue)
		}
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 && e.Footer == nil && e.Author == nil {
			bad("empty embed")
		}
	}
	for _, e := range embeds {
		if e == nil {
			return
		}
	}
	if n := embedsTotal(embeds); n > maxEmbedTotal {
		bad("embeds total %d > %d", n, maxEmbedTotal)
	}
}

func validateComponents(comps []discordgo.MessageComponent, bad func(string, ...any)) {
	if len(comps) > maxRows {
		bad("%d rows > %d", len(comps), maxRows)
	}
	seen := map[string]bool{}
	checkID := func(id string) {
		if id == "" || textLen(id) > maxCustomID {
			bad("custom id length %d", textLen(id))
		}
		if seen[id] {
			bad("duplicate custom id %q", id)
		}
		seen[id] = true
	}
	for _, c := range comps {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			bad("top-level component %T is not an action row", c)
			continue
		}
		if len(row.Components) == 0 {
			bad("empty action row")
		}
		buttons, selects := 0, 0
		for _, item := range row.Components {
			switch v := item.(type) {
			case discordgo.Button:
				buttons++
				if v.Label == "" && v.Emoji == nil {
					bad("button without label")
				}
				if n := textLen(v.Label); n > maxButtonLabel {
					bad("button label length %d > %d", n, maxButtonLabel)
				}
				if v.Style == discordgo.LinkButton {
					if !validURL(v.URL) || v.CustomID != "" {
						bad("link button %q", v.URL)
					}
				} else {
					checkID(v.CustomID)
				}
			case discordgo.SelectMenu:
				selects++
				checkID(v.CustomID)
				if len(v.Options) == 0 || len(v.Options) > maxSelectOptions {
					bad("select with %d options", len(v.Options))
				}
				if textLen(v.Placeholder) > maxSelectPlaceholder {
					bad("select placeholder too long")
				}
				values := map[string]bool{}
				for _, o := range v.Options {
					if o.Label == "" || o.Value == "" || textLen(o.Label) > maxSelectOptionText ||
						textLen(o.Value) > maxSelectOptionText || textLen(o.Description) > maxSelectOptionText {
						bad("select option %q/%q out of limits", o.Label, o.Value)
					}
					if values[o.Value] {
						bad("duplicate select value %q", o.Value)
					}
					values[o.Value] = true
				}
			default:
				bad("unexpected component %T in row", item)
			}
		}
		if buttons > maxRowButtons {
			bad("%d buttons in a row > %d", buttons, maxRowButtons)
		}
		if selects > 1 || (selects == 1 && buttons > 0) {
			bad("a select menu must be alone in its row")
		}
	}
}
