package commands

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/store"
)

// A server's settings, from Discord (Manage Server):
//
//	/settings show
//	/settings answers [private:BOOL] [sources:both|own|shared] [confidence:0..1] [default_confidence:BOOL]
//	/settings channels [add:CHANNEL] [remove:CHANNEL] [everywhere:BOOL]
func (r *Router) settingsCommand(q *request) *discordgo.InteractionResponse {
	if q.i.GuildID == "" {
		return notice("`/settings` are a server's: use it in a server.")
	}
	if r.guilds == nil {
		return notice("This Footnote keeps no per-server settings.")
	}
	if !canManage(q.i) {
		return notice("Only members with the **Manage Server** permission can see and change this server's settings.")
	}
	d, _ := commandData(q.i)
	sub, opts := subcommand(d)
	var update func(*store.GuildSettings) error
	switch sub {
	case "show":
		s, err := r.guilds.Settings(q.ctx, q.i.GuildID)
		if err != nil {
			return r.settingsFailed(q, err)
		}
		return reply(true, []*discordgo.MessageEmbed{settingsEmbed("This server's settings", s)}, nil)
	case "answers":
		update = answersUpdate(opts)
	case "channels":
		update = channelsUpdate(opts)
	default:
		return unknown(q.i)
	}
	s, err := r.guilds.UpdateSettings(q.ctx, q.i.GuildID, update)
	var bad *badSetting
	if errors.As(err, &bad) {
		return notice(bad.msg)
	}
	if err != nil {
		return r.settingsFailed(q, err)
	}
	r.log.Info("server settings changed", "guild_id", logclip.String(q.i.GuildID), "user_id", logclip.String(userID(q.i)), "version", s.Version)
	return reply(true, []*discordgo.MessageEmbed{settingsEmbed("Settings saved", s)}, nil)
}

func (r *Router) settingsFailed(q *request, err error) *discordgo.InteractionResponse {
	r.log.Error("server settings", "err", err, "guild_id", logclip.String(q.i.GuildID))
	return notice("Sorry, this server's settings could not be read or saved just now. The error has been logged.")
}

// badSetting is a value a member gave that no setting takes.
type badSetting struct{ msg string }

func (b *badSetting) Error() string { return b.msg }

func answersUpdate(opts []*discordgo.ApplicationCommandInteractionDataOption) func(*store.GuildSettings) error {
	return func(g *store.GuildSettings) error {
		if len(opts) == 0 {
			return &badSetting{"Say what to change: `private`, `sources` or `confidence`. `/settings show` shows them all."}
		}
		if o := option(opts, "private"); o != nil {
			b, _ := o.Value.(bool)
			g.Private = b
		}
		if o := option(opts, "sources"); o != nil {
			s, _ := o.Value.(string)
			if !store.Sources(s).Valid() {
				return &badSetting{"`sources` is `both`, `own` or `shared`."}
			}
			g.Sources = store.Sources(s)
		}
		if o := option(opts, "confidence"); o != nil {
			v, ok := o.Value.(float64)
			if !ok || v < 0 || v > 1 || v != v {
				return &badSetting{"`confidence` is a number from 0 to 1, such as 0.35."}
			}
			g.MinConfidence = &v
		}
		if o := option(opts, "default_confidence"); o != nil {
			if b, _ := o.Value.(bool); b {
				g.MinConfidence = nil
			}
		}
		return nil
	}
}

func channelsUpdate(opts []*discordgo.ApplicationCommandInteractionDataOption) func(*store.GuildSettings) error {
	return func(g *store.GuildSettings) error {
		if len(opts) == 0 {
			return &badSetting{"Say what to change: `add` a channel, `remove` one, or answer `everywhere`."}
		}
		if o := option(opts, "everywhere"); o != nil {
			if b, _ := o.Value.(bool); b {
				g.Channels = nil
			}
		}
		if o := option(opts, "remove"); o != nil {
			id, _ := o.Value.(string)
			g.Channels = slices.DeleteFunc(g.Channels, func(c string) bool { return c == id })
		}
		if o := option(opts, "add"); o != nil {
			id, _ := o.Value.(string)
			if id == "" {
				return &badSetting{"Pick a channel to add."}
			}
			if !slices.Contains(g.Channels, id) {
				if len(g.Channels) >= store.MaxChannels {
					return &badSetting{fmt.Sprintf("A server may list at most %d channels.", store.MaxChannels)}
				}
				g.Channels = append(g.Channels, id)
			}
		}
		return nil
	}
}

// settingsEmbed shows a server's settings.
func settingsEmbed(title string, s store.GuildSettings) *discordgo.MessageEmbed {
	answers := "In the channel, for everyone to read (a member may still ask with `private: True`)."
	if s.Private {
		answers = "Privately, to the member who asked (a member may still share with `private: False`)."
	}
	sources := map[store.Sources]string{
		store.SourcesBoth:   "This server's own entries and the shared corpus.",
		store.SourcesOwn:    "This server's own entries only.",
		store.SourcesShared: "The shared corpus only.",
	}[s.EffectiveSources()]
	conf := "The answering model's default."
	if s.MinConfidence != nil {
		conf = strconv.FormatFloat(*s.MinConfidence, 'f', -1, 64) + " (answers less confident than this name the closest entries instead)."
	}
	channels := "Every channel."
	if len(s.Channels) > 0 {
		var parts []string
		for _, c := range s.Channels {
			parts = append(parts, "<#"+c+">")
		}
		channels = cut(strings.Join(parts, ", "), maxFieldValue)
	}
	return &discordgo.MessageEmbed{
		Title: title,
		Color: colorEntry,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Answers", Value: answers},
			{Name: "Answers from", Value: sources},
			{Name: "Answer confidence threshold", Value: conf},
			{Name: "Channels Footnote answers in", Value: channels},
		},
		Footer: &discordgo.MessageEmbedFooter{Text: "Change them with /settings answers and /settings channels."},
	}
}
