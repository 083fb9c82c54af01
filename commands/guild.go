package commands

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/upload"
)

// Guilds is what the router needs of the per-server corpora and settings;
// *corpus.Manager is one. Without it (Options.Guilds nil) every server
// answers from the shared corpus and /corpus and /settings say they are
// not available.
type Guilds interface {
	// Scope is what a server answers from: its index and its settings.
	Scope(ctx context.Context, guild string) (corpus.Scope, error)
	// Own is the server's own corpus.
	Own(ctx context.Context, guild string) (*corpus.Own, error)
	Add(ctx context.Context, guild, by string, files []upload.File, skipped []string) (corpus.AddReport, error)
	Remove(ctx context.Context, guild, id string) (corpus.RemoveReport, error)
	Export(ctx context.Context, guild string) ([]byte, int, error)
	Settings(ctx context.Context, guild string) (store.GuildSettings, error)
	UpdateSettings(ctx context.Context, guild string, update func(*store.GuildSettings) error) (store.GuildSettings, error)
	Limits() corpus.Limits
}

// Fetcher downloads an attachment; *upload.Fetcher is one, allowing
// Discord's CDN only.
type Fetcher interface {
	Fetch(ctx context.Context, url string, max int64) ([]byte, error)
}

// Permission bits of a member (the interaction's member.permissions).
const (
	permAdministrator = discordgo.PermissionAdministrator
	permManageGuild   = discordgo.PermissionManageServer // MANAGE_GUILD, "Manage Server"
)

// canManage reports whether the member behind i may change the server's
// corpus and settings: Manage Server, or Administrator (which holds every
// permission). The permissions are the ones Discord computed for the
// member in the channel, sent with the interaction.
func canManage(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false
	}
	return i.Member.Permissions&(permManageGuild|permAdministrator) != 0
}

// managedRoutes are the commands that work without an index to answer
// from: they manage the server's corpus and settings.
func managedRoute(path string) bool {
	return path == "/corpus" || path == "/settings" || strings.HasPrefix(path, "/corpus/")
}

// scope is what the interaction answers from: the server's scope when the
// router has Guilds, else the shared corpus.
func (r *Router) scope(ctx context.Context, i *discordgo.Interaction) (corpus.Scope, error) {
	if r.guilds == nil || i.GuildID == "" {
		var ix *knowledge.Index
		if r.store != nil {
			ix = r.store.Index()
		}
		return corpus.Scope{Index: ix}, nil
	}
	return r.guilds.Scope(ctx, i.GuildID)
}

// privateOptionCommands are the commands with a "private" option, which a
// server's "answers private by default" setting fills in when the member
// leaves it out.
var privateOptionCommands = map[string]bool{"/ask": true, "/entry": true, "/related": true, "/search": true, "/random": true, "/leaderboard": true}

// withDefaults returns i with the server's defaults applied: a "private"
// option set to true when the server answers privately by default and
// the member did not say. i itself is not modified.
func withDefaults(i *discordgo.Interaction, path string, s store.GuildSettings) *discordgo.Interaction {
	if !s.Private || i.Type != discordgo.InteractionApplicationCommand || !privateOptionCommands[path] {
		return i
	}
	d, ok := commandData(i)
	if !ok || option(d.Options, "private") != nil {
		return i
	}
	cp := *i
	d.Options = append(slices.Clone(d.Options), &discordgo.ApplicationCommandInteractionDataOption{
		Name: "private", Type: discordgo.ApplicationCommandOptionBoolean, Value: true,
	})
	cp.Data = d
	return &cp
}

// answersIn reports whether the server answers in i's channel: commands
// that answer from the corpus are limited to the channels the server's
// settings list (none listed: every channel). Managing the corpus and
// the settings, /about, autocomplete and buttons work anywhere.
func answersIn(i *discordgo.Interaction, path string, s store.GuildSettings) bool {
	if len(s.Channels) == 0 || i.Type != discordgo.InteractionApplicationCommand || managedRoute(path) || path == "/about" {
		return true
	}
	_, found := slices.BinarySearch(s.Channels, i.ChannelID)
	return found
}

// channelsNotice says where the server's members may ask.
func channelsNotice(s store.GuildSettings) *discordgo.InteractionResponse {
	var b strings.Builder
	b.WriteString("In this server, Footnote answers in ")
	for k, c := range s.Channels {
		if k == 10 {
			b.WriteString(" and others")
			break
		}
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString("<#" + c + ">")
	}
	b.WriteString(". A member with Manage Server can change that with `/settings channels`.")
	return notice(b.String())
}

// DeferEphemeral tells the transports whether a deferred answer to i will
// be ephemeral: managing commands always are; the others when asked for
// with private, or by the server's default.
func (r *Router) DeferEphemeral(i *discordgo.Interaction) bool {
	if i == nil || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	d, ok := commandData(i)
	if !ok {
		return false
	}
	_, path := r.routeFor(i)
	if managedRoute(path) || path == "/review" || d.CommandType == discordgo.MessageApplicationCommand {
		return true
	}
	if o := option(d.Options, "private"); o != nil {
		b, _ := o.Value.(bool)
		return b
	}
	if r.guilds == nil || i.GuildID == "" || !privateOptionCommands[path] {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	s, err := r.guilds.Settings(ctx, i.GuildID)
	return err == nil && s.Private
}

// DeferAtOnce tells the transports to acknowledge i at once and deliver
// the answer through the webhook: adding to the corpus downloads and
// checks an attachment, and exporting sends a file, which only a webhook
// edit can carry.
func (r *Router) DeferAtOnce(i *discordgo.Interaction) bool {
	if i == nil || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	d, ok := commandData(i)
	if !ok || d.Name != "corpus" {
		return false
	}
	sub, _ := subcommand(d)
	return sub == "add" || sub == "export"
}

// subcommand returns the subcommand of a command and its options.
func subcommand(d discordgo.ApplicationCommandInteractionData) (string, []*discordgo.ApplicationCommandInteractionDataOption) {
	for _, o := range d.Options {
		if o != nil && o.Type == discordgo.ApplicationCommandOptionSubCommand {
			return o.Name, o.Options
		}
	}
	return "", nil
}
