package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/commands"
)

func init() {
	register("register", subcommand{
		summary: "register the slash commands with Discord over REST and exit (for CI/CD)",
		usage:   "[--guild ID | --global]",
		help:    "Needs DISCORD_TOKEN; DISCORD_APP_ID is asked of the API when unset; DISCORD_API_URL applies.",
		setup:   registerSetup,
	})
}

func registerSetup(fs *flag.FlagSet, env *environment) runFunc {
	guild := fs.String("guild", "", "register in this guild only, at once (default: $DISCORD_GUILD_ID, else globally)")
	global := fs.Bool("global", false, "register globally even when DISCORD_GUILD_ID is set")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		if *global && *guild != "" {
			return usageErr("--guild and --global exclude each other")
		}
		return runRegister(ctx, env, *guild, *global)
	}
}

// runRegister replaces the application's command set in one bulk overwrite,
// without a gateway connection: what `serve` does at start, for deployments
// that serve interactions over HTTP.
func runRegister(ctx context.Context, env *environment, guild string, global bool) error {
	getenv, err := bot.WithDotEnv(".env", env.getenv)
	if err != nil {
		return err
	}
	cfg, err := bot.LoadConfig(getenv)
	if err != nil {
		return err
	}
	if err := cfg.RequireToken(); err != nil {
		return err
	}
	target := cfg.GuildID
	if guild != "" {
		target = guild
	}
	if global {
		target = ""
	}

	client := &bot.RESTClient{Base: cfg.API(), Token: cfg.Token}
	appID := cfg.AppID
	if appID == "" {
		if appID, err = client.ApplicationID(ctx); err != nil {
			return fmt.Errorf("finding the application id (set %s to skip this): %w", bot.EnvAppID, err)
		}
	}
	// The command set does not depend on the corpus: no need to load it.
	cmds := commands.New(nil, commands.Options{}).Commands()
	stored, err := bot.RegisterCommands(ctx, client, appID, target, cmds)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(stored))
	for _, c := range stored {
		names = append(names, c.Name)
	}
	where := "globally (clients may take a while to show changes)"
	if target != "" {
		where = "in guild " + target
	}
	fmt.Fprintf(env.stdout, "registered %d commands %s for application %s: %s\n", len(stored), where, appID, strings.Join(names, ", "))
	return nil
}
