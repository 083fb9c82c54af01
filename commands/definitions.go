package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/study"
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
	return append([]*discordgo.ApplicationCommand{
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
		corpusDefinition(),
		settingsDefinition(),
	}, studyDefinitions(private)...)
}

// guildOnly is the contexts of the commands that belong to a server.
func guildOnly() *[]discordgo.InteractionContextType {
	return &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
}

// corpusDefinition is /corpus: every member may list and export; adding
// and removing need Manage Server, checked at each use (a server's admins
// may change who sees which command, and the check must hold whatever
// they choose).
func corpusDefinition() *discordgo.ApplicationCommand {
	one := 1
	return &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        "corpus",
		Description: "This server's own entries: add notes, list, remove or export them",
		Contexts:    guildOnly(),
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "add",
				Description: "Add entries: a .md, .txt or .jsonl file, or a .zip of them (Manage Server)",
				Options: []*discordgo.ApplicationCommandOption{{
					Type:        discordgo.ApplicationCommandOptionAttachment,
					Name:        "file",
					Description: "The file (a file of the same name is replaced)",
					Required:    true,
				}},
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "list",
				Description: "List this server's own entries",
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "remove",
				Description: "Remove one of this server's entries (Manage Server)",
				Options: []*discordgo.ApplicationCommandOption{{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         "entry",
					Description:  "The entry's id or title",
					Required:     true,
					Autocomplete: true,
					MinLength:    &one,
					MaxLength:    maxNameOption,
				}},
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "export",
				Description: "Download this server's files as a .zip",
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "gaps",
				Description: "The questions the corpus could not answer or answered badly, most asked first (Manage Server)",
			},
		},
	}
}

// studyDefinitions are /quiz, /leaderboard and /review, in servers only:
// scores and review decks are kept per server.
func studyDefinitions(private *discordgo.ApplicationCommandOption) []*discordgo.ApplicationCommand {
	one, ten, minSeconds, maxSeconds := 1.0, float64(maxRoundItems), float64(minRoundTime/time.Second), float64(maxRoundTime/time.Second)
	oneChar := 1
	kinds := []*discordgo.ApplicationCommandOptionChoice{{Name: "any (default)", Value: "any"}}
	for _, k := range study.Kinds {
		kinds = append(kinds, &discordgo.ApplicationCommandOptionChoice{Name: kindNames[k] + "s", Value: string(k)})
	}
	return []*discordgo.ApplicationCommand{
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "quiz",
			Description: "A question made from the corpus: fill in the blank of a quoted fact",
			Contexts:    guildOnly(),
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "entry", Description: "Ask about this entry only",
					Autocomplete: true, MinLength: &oneChar, MaxLength: maxNameOption},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "count", Description: "Questions in a round (default 1; a round closes each on a timer)",
					MinValue: &one, MaxValue: ten},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "seconds", Description: "Time for each question of a round (default 20)",
					MinValue: &minSeconds, MaxValue: maxSeconds},
				{Type: discordgo.ApplicationCommandOptionString, Name: "kind", Description: "What the blank hides", Choices: kinds},
			},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "leaderboard",
			Description: "This server's best quiz scores, and your rank",
			Contexts:    guildOnly(),
			Options:     []*discordgo.ApplicationCommandOption{private},
		},
		{
			Type:        discordgo.ChatApplicationCommand,
			Name:        "review",
			Description: "The facts you missed in quizzes, again when they are due (spaced repetition)",
			Contexts:    guildOnly(),
			Options:     []*discordgo.ApplicationCommandOption{},
		},
	}
}

// settingsDefinition is /settings, for members with Manage Server,
// checked at each use. (default_member_permissions would hide it from the
// others, but discordgo writes it as a string where Discord's schema wants
// an integer; a server's admins can hide it in Server Settings >
// Integrations.)
func settingsDefinition() *discordgo.ApplicationCommand {
	zero, one := 0.0, 1.0
	channelTypes := []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews,
		discordgo.ChannelTypeGuildForum, discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread}
	channel := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: name, Description: desc, ChannelTypes: channelTypes}
	}
	return &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        "settings",
		Description: "How Footnote answers in this server (Manage Server)",
		Contexts:    guildOnly(),
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "show",
				Description: "Show this server's settings",
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "answers",
				Description: "Who sees answers, which entries they come from, how confident they must be",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Description: "Answer privately by default (members may still choose)"},
					{Type: discordgo.ApplicationCommandOptionString, Name: "sources", Description: "Answer from this server's entries, the shared corpus, or both",
						Choices: []*discordgo.ApplicationCommandOptionChoice{
							{Name: "both (default)", Value: string(store.SourcesBoth)},
							{Name: "this server's own entries only", Value: string(store.SourcesOwn)},
							{Name: "the shared corpus only", Value: string(store.SourcesShared)},
						}},
					{Type: discordgo.ApplicationCommandOptionNumber, Name: "confidence", Description: "Answer confidence threshold, from 0 to 1", MinValue: &zero, MaxValue: one},
					{Type: discordgo.ApplicationCommandOptionBoolean, Name: "default_confidence", Description: "Go back to the default confidence threshold"},
				},
			},
			{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        "channels",
				Description: "The channels Footnote answers in (none listed: every channel)",
				Options: []*discordgo.ApplicationCommandOption{
					channel("add", "Answer in this channel too"),
					channel("remove", "No longer answer in this channel"),
					{Type: discordgo.ApplicationCommandOptionBoolean, Name: "everywhere", Description: "Answer in every channel (clears the list)"},
				},
			},
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
