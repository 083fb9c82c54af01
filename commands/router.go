package commands

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
)

// Options configure a Router.
type Options struct {
	// Version is shown by /about.
	Version string
	// Logger receives one line per interaction and any recovered panic;
	// nil discards.
	Logger *slog.Logger
	// Rand picks /random facts; nil seeds one from the runtime. The Router
	// serializes its use.
	Rand *rand.Rand
	// OnAnswer, when set, sees every answer /ask and Find sources give
	// (for metrics: answers and abstentions). It must be safe for
	// concurrent use.
	OnAnswer func(knowledge.Answer)
	// Guilds, when set, gives each server its own corpus and settings
	// (/corpus, /settings) and chooses the index each interaction answers
	// from; without it every server answers from store.
	Guilds Guilds
	// Fetcher downloads the attachments of /corpus add; nil refuses them.
	Fetcher Fetcher
	// Study keeps the study mode's answers, scores and review cards, and
	// the questions asked (for /corpus gaps); nil turns the study mode
	// off.
	Study StudyStore
	// Webhook posts and edits a round's messages after /quiz has been
	// answered; nil refuses rounds (count above 1).
	Webhook Webhook
	// Now is the clock of the study mode; nil is time.Now.
	Now func() time.Time
}

// Router is the Handler for all of Footnote's interactions. It routes
// commands by name ("/ask"), autocomplete by command name, and components
// by custom id paths ("/entry/{id}/page/{n}"), runs the middlewares
// (logging, panic recovery), and clamps every response to Discord's limits.
// It is safe for concurrent use.
type Router struct {
	store   *knowledge.Store
	version string
	log     *slog.Logger

	onAnswer func(knowledge.Answer)
	guilds   Guilds
	fetcher  Fetcher
	study    StudyStore
	webhook  Webhook
	clock    func() time.Time
	rounds   roundSet
	// timer and minRoundTime replace time.After and minRoundTime in tests.
	timer        func(time.Duration) <-chan time.Time
	minRoundTime time.Duration

	randMu sync.Mutex
	rand   *rand.Rand

	commands     mux // application commands: "/name", message commands "/message/Name"
	autocomplete mux // "/name" of the command being typed in
	components   mux // custom ids

	serve HandlerFunc // dispatch wrapped in the middlewares
}

var _ Handler = (*Router)(nil)

// HandlerFunc is a Handler as a function.
type HandlerFunc func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	return f(ctx, i)
}

// Middleware wraps a HandlerFunc.
type Middleware func(next HandlerFunc) HandlerFunc

// request is what a route handler gets.
type request struct {
	ctx context.Context
	i   *discordgo.Interaction
	// ix is the index the interaction answers from: the server's (its own
	// entries, the shared ones, or both, as its settings say), else the
	// shared corpus.
	ix     *knowledge.Index
	params map[string]string
	// settings are the server's (the defaults in a DM, or without Guilds).
	settings store.GuildSettings
}

// minConfidence is the server's answer confidence threshold, for Ask's
// options; ok is false when the server keeps the model's default.
func (q *request) minConfidence() (v float64, ok bool) {
	if c := q.settings.MinConfidence; c != nil {
		return *c, true
	}
	return 0, false
}

type routeFunc func(q *request) *discordgo.InteractionResponse

// New returns a Router answering from the index store holds (read at each
// interaction, so a swapped index is used at once).
func New(store *knowledge.Store, opts Options) *Router {
	r := &Router{store: store, version: opts.Version, log: opts.Logger, rand: opts.Rand, onAnswer: opts.OnAnswer,
		guilds: opts.Guilds, fetcher: opts.Fetcher, study: opts.Study, webhook: opts.Webhook, clock: opts.Now}
	if r.onAnswer == nil {
		r.onAnswer = func(knowledge.Answer) {}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.version == "" {
		r.version = "dev"
	}
	if r.rand == nil {
		r.rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}

	r.commands.handle("/ask", r.ask)
	r.commands.handle("/entry", r.entryCommand)
	r.commands.handle("/related", r.relatedCommand)
	r.commands.handle("/search", r.search)
	r.commands.handle("/random", r.random)
	r.commands.handle("/about", r.about)
	r.commands.handle("/message/"+findSourcesName, r.findSources)
	r.commands.handle("/corpus", r.corpusCommand)
	r.commands.handle("/settings", r.settingsCommand)
	r.commands.handle("/quiz", r.quiz)
	r.commands.handle("/leaderboard", r.leaderboard)
	r.commands.handle("/review", r.review)

	r.autocomplete.handle("/entry", r.complete)
	r.autocomplete.handle("/related", r.complete)
	r.autocomplete.handle("/corpus", r.completeOwn)
	r.autocomplete.handle("/quiz", r.complete)

	r.components.handle("/entry/{id}", r.openEntry)
	r.components.handle("/entry/{id}/page/{n}", r.pageEntry)
	r.components.handle("/share/entry/{id}", r.shareEntry)
	r.components.handle("/share/entry/{id}/page/{n}", r.shareEntry)
	r.components.handle("/related/{id}", r.relatedButton)
	r.components.handle("/pick/{list}", r.pick)
	r.components.handle("/random/again", r.randomAgain)
	r.components.handle("/corpus/list/{n}", r.corpusListPage)
	r.components.handle("/quiz/{entry}/{n}/{b}/{check}/{seed}/{opt}", r.quizAnswer)
	r.components.handle("/round/{round}/{k}/{closes}/{entry}/{n}/{b}/{check}/{opt}", r.roundAnswer)
	r.components.handle("/review/next", r.reviewNext)
	r.components.handle("/review/{entry}/{n}/{b}/{check}/{reps}/{seed}/{opt}", r.reviewAnswer)
	r.components.handle("/fb/{key}/{vote}", r.feedback)

	r.serve = chain(r.dispatch, r.logging, r.recovery)
	return r
}

// chain wraps h in the middlewares, the first outermost.
func chain(h HandlerFunc, mws ...Middleware) HandlerFunc {
	for k := len(mws) - 1; k >= 0; k-- {
		h = mws[k](h)
	}
	return h
}

// Handle answers one interaction. It never panics and never returns nil;
// the response is within Discord's limits.
func (r *Router) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i == nil {
		return clampResponse(notice("That interaction could not be read."))
	}
	resp := r.serve(ctx, i)
	if resp == nil {
		resp = unknown(i)
	}
	resp = clampResponse(resp)
	if err := validateResponse(resp); err != nil {
		r.log.Error("response breaks Discord limits after clamping", "err", err, "interaction_type", i.Type.String())
		resp = clampResponse(fallback(i))
	}
	return resp
}

// dispatch finds the route for an interaction and runs it.
func (r *Router) dispatch(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionPing {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	}
	m, path := r.routeFor(i)
	if m == nil {
		return unknown(i)
	}
	rt, params, ok := m.match(path)
	if !ok {
		return unknown(i)
	}
	sc, err := r.scope(ctx, i)
	if err != nil {
		r.log.Error("reading the server's corpus and settings", "err", err, "guild_id", logclip.String(i.GuildID))
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return choices(nil)
		}
		return notice("Sorry, this server's corpus could not be read just now. Try again in a moment.")
	}
	if !answersIn(i, path, sc.Settings) {
		return channelsNotice(sc.Settings)
	}
	q := &request{ctx: ctx, i: withDefaults(i, path, sc.Settings), ix: sc.Index, params: params, settings: sc.Settings}
	if sc.Index == nil && !managedRoute(path) {
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return choices(nil)
		}
		if r.store != nil && r.store.Index() != nil {
			return notice("This server answers from its own entries only, and has none yet. " +
				"A member with Manage Server can add some with `/corpus add`, or answer from the shared corpus with `/settings answers sources: both`.")
		}
		return notice("The corpus is still loading. Try again in a moment.")
	}
	return rt.h(q)
}

// routeFor names the mux and path an interaction is routed by.
func (r *Router) routeFor(i *discordgo.Interaction) (*mux, string) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		d, ok := commandData(i)
		if !ok {
			return nil, ""
		}
		switch d.CommandType {
		case discordgo.MessageApplicationCommand:
			return &r.commands, "/message/" + d.Name
		case discordgo.ChatApplicationCommand, 0:
			return &r.commands, "/" + d.Name
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		if d, ok := commandData(i); ok {
			return &r.autocomplete, "/" + d.Name
		}
	case discordgo.InteractionMessageComponent:
		if d, ok := componentData(i); ok {
			return &r.components, d.CustomID
		}
	}
	return nil, ""
}

// routeName is the path an interaction routes by, for logs.
func (r *Router) routeName(i *discordgo.Interaction) string {
	if _, p := r.routeFor(i); p != "" {
		return p
	}
	return "-"
}

// unknown answers what no route handles: empty choices for autocomplete,
// else an ephemeral note.
func unknown(i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return choices(nil)
	}
	if i.Type == discordgo.InteractionPing {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	}
	return notice("Sorry, I don't know that command or button. It may be from an older version of Footnote.")
}

// fallback answers when a handler failed.
func fallback(i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return choices(nil)
	}
	return notice("Something went wrong while answering. The error has been logged.")
}

// ComponentRoutes lists the first segments of the custom ids the router
// answers ("/entry", "/share", ...): with the command names, the closed
// set of names the transports' metrics count by.
func (r *Router) ComponentRoutes() []string {
	var out []string
	seen := map[string]bool{}
	for _, rt := range r.components.routes {
		first := "/" + rt.segs[0]
		if !seen[first] {
			seen[first] = true
			out = append(out, first)
		}
	}
	return out
}

// costlyRoutes are the routes whose work grows with the corpus and the
// question: they rank every sentence holding the question's words.
var costlyRoutes = map[string]bool{"/ask": true, "/search": true, "/message/" + findSourcesName: true}

// Costly reports whether answering i ranks the corpus (/ask, /search,
// Find sources): the interactions a transport should admit through its
// bounded pool of answer workers and its rate limits. The others (entries,
// pages, autocomplete, buttons) cost about the same at any corpus size.
func (r *Router) Costly(i *discordgo.Interaction) bool {
	if i == nil || i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	_, path := r.routeFor(i)
	return costlyRoutes[path]
}
