package discordtest

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/footnote-bot/footnote/internal/discordspec"
)

// checkSchema validates body against Discord's own schema of method on
// route (its OpenAPI description, see package discordspec) and, when the
// schema rejects it, answers 400 with Discord's "Invalid Form Body" code
// and the problems, as Discord would. It reports whether the body passed.
// The limits below stay: they check what no schema can (the 6,000
// characters of all embeds together, unique custom ids).
func checkSchema(w http.ResponseWriter, method, route string, body []byte) bool {
	err := discordspec.Validate(method, route, body)
	if err == nil {
		return true
	}
	var se *discordspec.Error
	if errors.As(err, &se) {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+strings.Join(se.Problems, "; "))
		return false
	}
	writeError(w, http.StatusInternalServerError, 0, "discordtest: "+err.Error())
	return false
}

// Discord's documented limits, enforced by the fake so that a test fails
// where Discord would answer 400.
const (
	maxContent        = 2000
	maxEmbeds         = 10
	maxEmbedTitle     = 256
	maxEmbedDesc      = 4096
	maxEmbedFields    = 25
	maxFieldName      = 256
	maxFieldValue     = 1024
	maxFooterText     = 2048
	maxAuthorName     = 256
	maxEmbedTotal     = 6000
	maxRows           = 5
	maxRowButtons     = 5
	maxCustomID       = 100
	maxButtonLabel    = 80
	maxSelectOptions  = 25
	maxOptionText     = 100
	maxChoices        = 25
	maxChoiceName     = 100
	maxCommandName    = 32
	maxCommandDesc    = 100
	maxCommandOptions = 25
)

func runes(s string) int { return utf8.RuneCountInString(s) }

// validateMessage lists what Discord would reject in a message.
func validateMessage(m *Message) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if n := runes(m.Content); n > maxContent {
		add("content: %d characters > %d", n, maxContent)
	}
	if len(m.Embeds) > maxEmbeds {
		add("embeds: %d > %d", len(m.Embeds), maxEmbeds)
	}
	total := 0
	for i, e := range m.Embeds {
		if e == nil {
			add("embeds[%d]: null", i)
			continue
		}
		check := func(field, s string, limit int) {
			n := runes(s)
			total += n
			if n > limit {
				add("embeds[%d].%s: %d characters > %d", i, field, n, limit)
			}
		}
		check("title", e.Title, maxEmbedTitle)
		check("description", e.Description, maxEmbedDesc)
		if e.Footer != nil {
			check("footer.text", e.Footer.Text, maxFooterText)
		}
		if e.Author != nil {
			check("author.name", e.Author.Name, maxAuthorName)
		}
		if len(e.Fields) > maxEmbedFields {
			add("embeds[%d].fields: %d > %d", i, len(e.Fields), maxEmbedFields)
		}
		for j, f := range e.Fields {
			if f == nil || f.Name == "" || f.Value == "" {
				add("embeds[%d].fields[%d]: name and value are required", i, j)
				continue
			}
			check(fmt.Sprintf("fields[%d].name", j), f.Name, maxFieldName)
			check(fmt.Sprintf("fields[%d].value", j), f.Value, maxFieldValue)
		}
	}
	if total > maxEmbedTotal {
		add("embeds: %d characters in total > %d", total, maxEmbedTotal)
	}
	p = append(p, validateComponents(m.Components)...)
	return p
}

func validateComponents(rows []discordgo.MessageComponent) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if len(rows) > maxRows {
		add("components: %d rows > %d", len(rows), maxRows)
	}
	ids := map[string]bool{}
	checkID := func(where, id string) {
		switch {
		case id == "":
			add("%s: custom_id is required", where)
		case runes(id) > maxCustomID:
			add("%s: custom_id of %d characters > %d", where, runes(id), maxCustomID)
		case ids[id]:
			add("%s: duplicate custom_id %q", where, id)
		}
		ids[id] = true
	}
	for i, c := range rows {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			add("components[%d]: a top-level component must be an action row, not type %d", i, c.Type())
			continue
		}
		if len(row.Components) == 0 {
			add("components[%d]: empty action row", i)
		}
		buttons, selects := 0, 0
		for j, c := range row.Components {
			where := fmt.Sprintf("components[%d].components[%d]", i, j)
			switch c := c.(type) {
			case *discordgo.Button:
				buttons++
				if runes(c.Label) > maxButtonLabel {
					add("%s: label of %d characters > %d", where, runes(c.Label), maxButtonLabel)
				}
				if c.Label == "" && c.Emoji == nil {
					add("%s: a button needs a label or an emoji", where)
				}
				if c.Style == discordgo.LinkButton {
					if c.URL == "" || c.CustomID != "" {
						add("%s: a link button has a url and no custom_id", where)
					}
				} else {
					if c.URL != "" {
						add("%s: only link buttons have a url", where)
					}
					checkID(where, c.CustomID)
				}
			case *discordgo.SelectMenu:
				selects++
				checkID(where, c.CustomID)
				if c.MenuType == discordgo.StringSelectMenu || c.MenuType == 0 {
					if len(c.Options) == 0 || len(c.Options) > maxSelectOptions {
						add("%s: %d options, want 1..%d", where, len(c.Options), maxSelectOptions)
					}
				}
				values := map[string]bool{}
				for k, o := range c.Options {
					if o.Label == "" || runes(o.Label) > maxOptionText || o.Value == "" || runes(o.Value) > maxOptionText || runes(o.Description) > maxOptionText {
						add("%s.options[%d]: label and value need 1..%d characters, description at most %d", where, k, maxOptionText, maxOptionText)
					}
					if values[o.Value] {
						add("%s.options[%d]: duplicate value %q", where, k, o.Value)
					}
					values[o.Value] = true
				}
			default:
				add("%s: component type %d is not allowed in an action row here", where, c.Type())
			}
		}
		if buttons > maxRowButtons {
			add("components[%d]: %d buttons > %d", i, buttons, maxRowButtons)
		}
		if selects > 0 && (selects > 1 || buttons > 0) {
			add("components[%d]: a select menu must be alone in its row", i)
		}
	}
	return p
}

func validateChoices(choices []*discordgo.ApplicationCommandOptionChoice) []string {
	var p []string
	if len(choices) > maxChoices {
		p = append(p, fmt.Sprintf("choices: %d > %d", len(choices), maxChoices))
	}
	for i, c := range choices {
		if c == nil || c.Name == "" || runes(c.Name) > maxChoiceName {
			p = append(p, fmt.Sprintf("choices[%d]: name needs 1..%d characters", i, maxChoiceName))
			continue
		}
		if s, ok := c.Value.(string); ok && runes(s) > maxChoiceName {
			p = append(p, fmt.Sprintf("choices[%d]: value of %d characters > %d", i, runes(s), maxChoiceName))
		}
	}
	return p
}

var chatInputName = regexp.MustCompile(`^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$`)

// validateCommands lists what Discord would reject in a bulk overwrite.
func validateCommands(cmds []*discordgo.ApplicationCommand) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	names := map[string]bool{}
	counts := map[discordgo.ApplicationCommandType]int{}
	for i, c := range cmds {
		if c == nil {
			add("[%d]: null", i)
			continue
		}
		typ := c.Type
		if typ == 0 {
			typ = discordgo.ChatApplicationCommand
		}
		counts[typ]++
		key := fmt.Sprintf("%d/%s", typ, c.Name)
		if names[key] {
			add("[%d]: duplicate name %q", i, c.Name)
		}
		names[key] = true
		switch typ {
		case discordgo.ChatApplicationCommand:
			if !chatInputName.MatchString(c.Name) {
				add("[%d].name %q: want 1..32 lowercase letters, digits, - or _", i, c.Name)
			}
			if c.Description == "" || runes(c.Description) > maxCommandDesc {
				add("[%d].description: want 1..%d characters", i, maxCommandDesc)
			}
			p = append(p, validateOptions(fmt.Sprintf("[%d]", i), c.Options)...)
		default:
			if c.Name == "" || runes(c.Name) > maxCommandName {
				add("[%d].name: want 1..%d characters", i, maxCommandName)
			}
			if c.Description != "" || len(c.Options) > 0 {
				add("[%d]: user and message commands take no description or options", i)
			}
		}
	}
	if counts[discordgo.ChatApplicationCommand] > 100 {
		add("more than 100 slash commands")
	}
	if counts[discordgo.MessageApplicationCommand] > 5 || counts[discordgo.UserApplicationCommand] > 5 {
		add("more than 5 message or user commands")
	}
	return p
}

func validateOptions(where string, opts []*discordgo.ApplicationCommandOption) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if len(opts) > maxCommandOptions {
		add("%s.options: %d > %d", where, len(opts), maxCommandOptions)
	}
	optional := false
	seen := map[string]bool{}
	for i, o := range opts {
		w := fmt.Sprintf("%s.options[%d]", where, i)
		if o == nil {
			add("%s: null", w)
			continue
		}
		if !chatInputName.MatchString(o.Name) {
			add("%s.name %q: want 1..32 lowercase letters, digits, - or _", w, o.Name)
		}
		if seen[o.Name] {
			add("%s: duplicate option name %q", w, o.Name)
		}
		seen[o.Name] = true
		if o.Description == "" || runes(o.Description) > maxCommandDesc {
			add("%s.description: want 1..%d characters", w, maxCommandDesc)
		}
		if o.Required && optional {
			add("%s: required options must come before optional ones", w)
		}
		optional = optional || !o.Required
		if o.Autocomplete && len(o.Choices) > 0 {
			add("%s: autocomplete and choices are exclusive", w)
		}
		if len(o.Choices) > maxChoices {
			add("%s.choices: %d > %d", w, len(o.Choices), maxChoices)
		}
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			p = append(p, validateOptions(w, o.Options)...)
		}
	}
	return p
}
