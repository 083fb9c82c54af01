package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/bwmarrin/discordgo"
	"github.com/go-json-experiment/json/jsontext"
)

// findSourcesName is the message command's name, as shown in the menu.
const findSourcesName = "Find sources"

// Option lengths the commands accept, in characters (Discord counts code
// points).
const (
	// maxQuestionOption keeps a question a question; at 4 bytes a
	// character at most, any question it lets through fits
	// knowledge.MaxQuestionLen (1,000 bytes).
	maxQuestionOption = 250
	maxNameOption     = 100 // a title or an entry id
	maxTermsOption    = 200
)

// Commands returns Footnote's full command set, for one bulk overwrite.
func (r *Router) Commands() []*discordgo.ApplicationCommand {
	one := 1
	private := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionBoolean,
		Name:        "private",
		Description: "Only you see the answer (default: the channel sees it)",
	}
	name := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         "name",
			Description:  desc,
			Required:     true,
			Autocomplete: true,
			MinLength:    &one,
			MaxLength:    maxNameOption,
		}
	}
	return []*discordgo.ApplicationCommand{
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "ask",
			Description: "Ask a question; the answer quotes the corpus with citations",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        "question",
					Description: "Your question, e.g. Who supplied arms to the DRV?",
					Required:    true,
					MinLength:   &one,
					MaxLength:   maxQuestionOption,
				},
				private,
			},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "entry",
			Description: "Read an entry of the corpus",
			Options:     []*discordgo.ApplicationCommandOption{name("The entry's title"), private},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "related",
			Description: "List the entries related to one",
			Options:     []*discordgo.ApplicationCommandOption{name("The entry's title"), private},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "search",
			Description: "Find the entries that mention some words",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        "terms",
					Description: "Words to look for",
					Required:    true,
					MinLength:   &one,
					MaxLength:   maxTermsOption,
				},
				private,
			},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "random",
			Description: "A random fact worth reading, with its citation",
			Options:     []*discordgo.ApplicationCommandOption{private},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "about",
			Description: "What Footnote is, and the size of its corpus",
			Options:     []*discordgo.ApplicationCommandOption{},
		},
		{
			Type: discordgo.MessageApplicationCommand,
			Name: findSourcesName,
		},
	}
}

// EncodeCommands writes a command set as the bulk overwrite sends it, and
// as `serve --dry-run` shows it: discordgo's JSON without the members it
// writes as null ("channel_types": null, "choices": null, "options":
// null), which mean no more than leaving them out. indent "" writes one
// line.
func EncodeCommands(cmds []*discordgo.ApplicationCommand, indent string) ([]byte, error) {
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	raw, err := json.Marshal(cmds)
	if err != nil {
		return nil, fmt.Errorf("encoding the command set: %w", err)
	}
	out, err := dropNulls(raw, indent)
	if err != nil {
		return nil, fmt.Errorf("encoding the command set: %w", err)
	}
	return out, nil
}

// dropNulls copies a JSON document, leaving out object members whose value
// is null, in the order they were written.
func dropNulls(raw []byte, indent string) ([]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	var opts []jsontext.Options
	if indent != "" {
		opts = append(opts, jsontext.WithIndent(indent))
	}
	var buf bytes.Buffer
	enc := jsontext.NewEncoder(&buf, opts...)
	for {
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		tok = tok.Clone() // PeekKind voids it
		// A string read as an object's odd member is its name.
		if kind, n := dec.StackIndex(dec.StackDepth()); kind == '{' && n%2 == 1 && dec.PeekKind() == 'n' {
			if _, err := dec.ReadToken(); err != nil {
				return nil, err
			}
			continue
		}
		if err := enc.WriteToken(tok); err != nil {
			return nil, err
		}
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
