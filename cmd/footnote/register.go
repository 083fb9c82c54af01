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
		run:     runRegister,
	})
}

// runRegister replaces the application's command set in one bulk overwrite,
// without a gateway connection: what `serve` does at start, for deployments
// that serve interactions over HTTP.
func runRegister(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("register", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	guild := fs.String("guild", "", "register in this guild only, at once (default: $DISCORD_GUILD_ID, else globally)")
	global := fs.Bool("global", false, "register globally even when DISCORD_GUILD_ID is set")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: footnote register [--guild ID | --global]")
		fmt.Fprintln(env.stderr, "Needs DISCORD_TOKEN; DISCORD_APP_ID is asked of the API when unset. DISCORD_API_URL applies.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilentIfHelp(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *global && *guild != "" {
		return fmt.Errorf("%w: --guild and --global exclude each other", errUsage)
	}

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
	if *guild != "" {
		target = *guild
	}
	if *global {
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
