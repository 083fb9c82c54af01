package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/knowledge"
)

func init() {
	register("serve", subcommand{
		summary: "run the Discord bot (--dry-run prints the commands it would register)",
		usage:   "[--knowledge DIR] [--dry-run] [--http ADDR [--admin ADDR]]",
		help:    "Configuration comes from the environment and .env; see .env.example and docs/deploy.md.",
		setup:   serveFlagSetup,
	})
}

// serveSetup is everything serve has prepared before choosing a transport.
type serveSetup struct {
	env *environment
	// getenv reads the environment with .env as a fallback.
	getenv func(string) string
	cfg    bot.Config
	store  *knowledge.Store
	app    *commands.Router
	// metrics count answers and abstentions (fed by app) and, over HTTP,
	// interactions; /metrics serves them.
	metrics *bot.Metrics
	logger  *slog.Logger
	// httpAddr and adminAddr are the --http and --admin flags.
	httpAddr, adminAddr string
	// load reads and indexes the corpus; it stops reading when its
	// context ends. The transport swaps its index into store, then calls
	// loaded, which starts the reloads and the per-server corpora.
	load   func(context.Context) (*knowledge.Index, error)
	loaded func(context.Context, *knowledge.Index)
}

// serveHTTP is where the HTTP interactions transport plugs in: the file
// that implements it sets this variable in its init. When it is set, serve
// calls it instead of connecting to the gateway whenever --http (or the
// transport's own environment variable, which serveHTTPWanted checks) asks
// for HTTP. While it is nil, --http and --admin are refused.
var (
	serveHTTP       func(ctx context.Context, s serveSetup) error
	serveHTTPWanted func(s serveSetup) bool
)

func serveFlagSetup(fs *flag.FlagSet, env *environment) runFunc {
	dir := knowledgeFlag(fs)
	dryRun := fs.Bool("dry-run", false, "load everything, print the command set as JSON and exit (no token needed)")
	httpAddr := fs.String("http", "", "serve interactions over HTTP on ADDR instead of the gateway")
	adminAddr := fs.String("admin", "", "with --http: serve /healthz, /readyz and /metrics on ADDR")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		return runServe(ctx, env, serveFlags{dir: *dir, dryRun: *dryRun, httpAddr: *httpAddr, adminAddr: *adminAddr})
	}
}

type serveFlags struct {
	dir                 string
	dryRun              bool
	httpAddr, adminAddr string
}

func runServe(ctx context.Context, env *environment, f serveFlags) error {
	if serveHTTP == nil && (f.httpAddr != "" || f.adminAddr != "") {
		return usageErr("this build has no HTTP transport (--http, --admin)")
	}

	getenv, err := bot.WithDotEnv(".env", env.getenv)
	if err != nil {
		return err
	}
	cfg, err := bot.LoadConfig(getenv)
	if err != nil {
		return err
	}
	if f.dir != "" {
		cfg.KnowledgeDir = f.dir
	}
	logger := bot.NewLogger(env.stderr, cfg.LogLevel)
	setup := serveSetup{env: env, getenv: getenv, cfg: cfg, logger: logger, httpAddr: f.httpAddr, adminAddr: f.adminAddr}
	useHTTP := serveHTTP != nil && (f.httpAddr != "" || (serveHTTPWanted != nil && serveHTTPWanted(setup)))
	if !f.dryRun && !useHTTP {
		// Fail before loading a corpus that may take a while.
		if err := cfg.RequireToken(); err != nil {
			return err
		}
	}

	// The report and the time of the first load, for the reloader; read
	// once load has returned.
	var loadReport knowledge.LoadReport
	var loadTook time.Duration
	load := func(ctx context.Context) (*knowledge.Index, error) {
		start := time.Now()
		ix, rep, err := loadKnowledgeReport(ctx, env, cfg.KnowledgeDir)
		loadReport, loadTook = rep, time.Since(start)
		return ix, err
	}
	// The store starts empty: the HTTP transport listens (and answers
	// its probes) while the corpus loads.
	store := knowledge.NewStore(nil)
	metrics := bot.NewMetrics(func() (knowledge.Stats, bool) {
		ix := store.Index()
		if ix == nil {
			return knowledge.Stats{}, false
		}
		return ix.Stats(), true
	})
	app := commands.New(store, commands.Options{Version: buildVersion(), Logger: logger, OnAnswer: metrics.ObserveAnswer})

	if f.dryRun {
		if _, err := load(ctx); err != nil {
			return err
		}
		out, err := commands.EncodeCommands(app.Commands(), "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", out)
		return err
	}

	if useHTTP {
		// A transport that cannot start says so before the store opens.
		if _, err := bot.LoadHTTPConfig(getenv, f.httpAddr, f.adminAddr); err != nil {
			return err
		}
	}
	setup.store, setup.metrics = store, metrics
	live, err := openLiving(ctx, setup)
	if err != nil {
		return err
	}
	defer live.close()
	// The quiz rounds post and edit their messages through the
	// interactions' webhooks, which need no bot token: the same client
	// serves both transports.
	app = commands.New(store, commands.Options{Version: buildVersion(), Logger: logger, OnAnswer: metrics.ObserveAnswer,
		Guilds: live.guilds, Fetcher: live.fetcher, Study: live.st, Webhook: &bot.RESTClient{Base: cfg.API()}})
	defer func() {
		// Rounds still running close their item and post their summary
		// before the store closes.
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Close(cctx); err != nil {
			logger.Warn("quiz rounds still running at exit", "err", err)
		}
	}()

	// A SIGHUP reloads the corpus once it is loaded; before, and with the
	// embedded seeds, it is logged and ignored (a closed terminal must not
	// kill a running bot).
	hangups := make(chan struct{}, 1)
	var reloadOnHangup func()
	if cfg.KnowledgeDir != "" {
		reloadOnHangup = func() {
			select {
			case <-hangups:
				live.reloader.Request("SIGHUP")
			default:
				logger.Warn("SIGHUP before the corpus is loaded: ignored")
			}
		}
	}
	defer bot.OnHangup(logger, reloadOnHangup)()

	setup.app, setup.load = app, load
	setup.loaded = func(ctx context.Context, ix *knowledge.Index) {
		live.start(ctx, setup, ix, loadReport, loadTook)
		close(hangups) // from now on every SIGHUP reloads
	}
	if useHTTP {
		return serveHTTP(ctx, setup)
	}
	// The gateway connects once the corpus is loaded: it has no probes
	// to answer meanwhile, and a bot online is a bot that can answer.
	ix, err := loadUntil(ctx, load)
	if err != nil {
		if ctx.Err() != nil {
			logger.Info("stopped while loading the knowledge")
			return nil
		}
		return err
	}
	store.Swap(ix)
	releaseLoadMemory()
	setup.loaded(ctx, ix)
	b, err := bot.New(cfg, app, logger, metrics)
	if err != nil {
		return err
	}
	logger.Info("knowledge loaded", "entries", ix.Stats().Entries, "dir", dirName(cfg.KnowledgeDir))
	return b.Run(ctx)
}
