package commands

import (
	"github.com/bwmarrin/discordgo"
)

// findSourcesName is the message command's name, as shown in the menu.
const findSourcesName = "Find sources"

// Option lengths the commands accept.
const (
	maxQuestionOption = 300 // a question, not an essay; knowledge accepts more
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
			Options:     []*discordgo.ApplicationCommandOption{name("The entry's title")},
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
