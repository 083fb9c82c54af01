package bot

import (
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/admit"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes an interaction is counted under.
const (
	OutcomeOK             = "ok"              // answered in the HTTP response
	OutcomeDeferred       = "deferred"        // acknowledged, then finished through the webhook
	OutcomeError          = "error"           // the handler failed or panicked; an error message was sent
	OutcomeFollowupFailed = "followup_failed" // deferred, but the webhook call failed
	OutcomeTimeout        = "timeout"         // autocomplete too slow: answered with no choices
	OutcomeNotReady       = "not_ready"
)

// Metrics are the Prometheus metrics of one process, on a registry of their
// own (never the global default), so tests and embedders can hold several.
type Metrics struct {
	reg          *prometheus.Registry
	interactions *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	abstentions  prometheus.Counter
	answers      prometheus.Counter
	rejected     *prometheus.CounterVec
	refused      *prometheus.CounterVec
}

// NewMetrics creates the metrics. corpus, when not nil, is read at every
// scrape for the corpus gauges (entries and sentences), so a reloaded index
// shows up without further calls; it may return false while nothing is
// loaded yet.
func NewMetrics(corpus func() (knowledge.Stats, bool)) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "footnote",
			Name:      "interactions_total",
			Help:      "Interactions handled, by kind (ping, command, autocomplete, component, modal), command and outcome.",
		}, []string{"kind", "command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "footnote",
			Name:      "answer_duration_seconds",
			Help:      "Time from a verified request to its answer (the HTTP response or, when deferred, the webhook edit).",
			Buckets:   []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind", "command"}),
		abstentions: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "footnote",
			Name:      "abstentions_total",
			Help:      "Questions the corpus could not answer (an answer with Answered=false).",
		}),
		answers: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "footnote",
			Name:      "answers_total",
			Help:      "Questions asked of the corpus, answered or not.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "footnote",
			Name:      "http_rejected_total",
			Help:      "Requests refused before reaching a handler, by reason.",
		}, []string{"reason"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "footnote",
			Name:      "admission_refused_total",
			Help:      "Costly interactions answered with a request to try again, by reason (busy, queue_wait, user_rate, guild_rate).",
		}, []string{"reason"}),
	}
	for _, r := range []string{RefusedBusy, RefusedQueueWait, RefusedUserRate, RefusedGuildRate} {
		m.refused.WithLabelValues(r) // every reason shows, at 0 until it happens
	}
	m.reg.MustRegister(m.interactions, m.latency, m.abstentions, m.answers, m.rejected, m.refused,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if corpus != nil {
		gauge := func(name, help string, pick func(knowledge.Stats) int) prometheus.GaugeFunc {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "footnote", Name: name, Help: help}, func() float64 {
				st, ok := corpus()
				if !ok {
					return 0
				}
				return float64(pick(st))
			})
		}
		m.reg.MustRegister(
			gauge("corpus_entries", "Entries in the loaded corpus.", func(s knowledge.Stats) int { return s.Entries }),
			gauge("corpus_sentences", "Quotable sentences in the loaded corpus.", func(s knowledge.Stats) int { return s.Sentences }),
		)
	}
	return m
}

// Registry is the registry the metrics live in, for adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveAnswer counts one answer of the knowledge core, and an abstention
// when it did not answer. It has the shape of an answer observer hook, so
// the command router can report what Ask returned.
func (m *Metrics) ObserveAnswer(a knowledge.Answer) {
	if m == nil {
		return
	}
	m.answers.Inc()
	if !a.Answered {
		m.abstentions.Inc()
	}
}

// observeInteraction counts one handled interaction.
func (m *Metrics) observeInteraction(kind, command, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.interactions.WithLabelValues(kind, command, outcome).Inc()
	if outcome != OutcomeNotReady {
		m.latency.WithLabelValues(kind, command).Observe(took.Seconds())
	}
}

// observeRefused counts one interaction not admitted.
func (m *Metrics) observeRefused(reason string) {
	if m == nil {
		return
	}
	m.refused.WithLabelValues(reason).Inc()
}

// watchPool exports the state of the answer workers' pool at every
// scrape. A second pool in the same metrics is not exported.
func (m *Metrics) watchPool(p *admit.Pool) {
	if m == nil || p == nil {
		return
	}
	gauge := func(name, help string, value func() int) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "footnote", Name: name, Help: help},
			func() float64 { return float64(value()) })
	}
	for _, c := range []prometheus.Collector{
		gauge("answer_workers", "Answer workers: how many costly interactions may run at once.", p.Workers),
		gauge("answer_workers_busy", "Answer workers running a costly interaction now.", p.Running),
		gauge("answer_queue_waiting", "Costly interactions waiting for an answer worker now.", p.Waiting),
	} {
		_ = m.reg.Register(c) // an error means a pool is already watched
	}
}

// observeRejected counts one refused request.
func (m *Metrics) observeRejected(reason string) {
	if m == nil {
		return
	}
	m.rejected.WithLabelValues(reason).Inc()
}

// LabelOther is the command label of every name outside the closed set
// (MetricLabels): a forged or outdated command name, a custom id from no
// route Footnote knows.
const LabelOther = "other"

// MetricLabels is the closed set of names the interaction metrics count
// by. A label set that grew with every name a request carries would let
// anyone grow /metrics (and the memory behind it) without bound.
type MetricLabels struct {
	// Commands are the registered command names ("ask", "Find sources"):
	// the label of commands and autocomplete.
	Commands []string
	// Routes are the first segments of the custom ids the handler makes
	// ("/entry"): the label of components and modals.
	Routes []string
}

// componentRouter is a handler that can list its custom id routes, as
// *commands.Router does.
type componentRouter interface {
	ComponentRoutes() []string
}

// labelsOf derives the closed set from what h declares: its command set
// (when it is an App) and its component routes, looking through wrappers
// such as Admission.
func labelsOf(h commands.Handler) MetricLabels {
	for {
		w, ok := h.(interface{ Unwrap() commands.Handler })
		if !ok {
			break
		}
		h = w.Unwrap()
	}
	var l MetricLabels
	if app, ok := h.(App); ok {
		for _, c := range app.Commands() {
			if c != nil {
				l.Commands = append(l.Commands, c.Name)
			}
		}
	}
	if r, ok := h.(componentRouter); ok {
		l.Routes = r.ComponentRoutes()
	}
	return l
}

// labeler names interactions for the metrics from a closed set.
type labeler struct {
	commands, routes map[string]bool
}

func newLabeler(l MetricLabels) labeler {
	lb := labeler{commands: map[string]bool{}, routes: map[string]bool{}}
	for _, c := range l.Commands {
		lb.commands[c] = true
	}
	for _, r := range l.Routes {
		lb.routes[r] = true
	}
	return lb
}

// of names an interaction: its kind and, for commands and autocomplete,
// the command name; for components and modals the first segment of the
// custom id ("/entry/42/page/2" -> "/entry"). A name outside the set is
// LabelOther.
func (lb labeler) of(i *discordgo.Interaction) (kind, command string) {
	switch i.Type {
	case discordgo.InteractionPing:
		return "ping", ""
	case discordgo.InteractionApplicationCommand:
		d, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		return "command", lb.command(d.Name)
	case discordgo.InteractionApplicationCommandAutocomplete:
		d, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		return "autocomplete", lb.command(d.Name)
	case discordgo.InteractionMessageComponent:
		d, _ := i.Data.(discordgo.MessageComponentInteractionData)
		return "component", lb.route(d.CustomID)
	case discordgo.InteractionModalSubmit:
		d, _ := i.Data.(discordgo.ModalSubmitInteractionData)
		return "modal", lb.route(d.CustomID)
	}
	return "unknown", ""
}

func (lb labeler) command(name string) string {
	if lb.commands[name] {
		return name
	}
	return LabelOther
}

func (lb labeler) route(customID string) string {
	id := strings.TrimPrefix(customID, "/")
	if n := strings.IndexAny(id, "/:?"); n >= 0 {
		id = id[:n]
	}
	if r := "/" + id; lb.routes[r] {
		return r
	}
	return LabelOther
}
