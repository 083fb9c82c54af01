package bot

import (
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
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
	}
	m.reg.MustRegister(m.interactions, m.latency, m.abstentions, m.answers, m.rejected,
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

// observeRejected counts one refused request.
func (m *Metrics) observeRejected(reason string) {
	if m == nil {
		return
	}
	m.rejected.WithLabelValues(reason).Inc()
}

// metricsLabels names an interaction for the metrics: its kind and, for
// commands, the command name; for components the first segment of the
// custom id's route ("/entry/42/page/2" -> "/entry"), which keeps the label
// set small whatever ids the messages carry.
func metricsLabels(i *discordgo.Interaction) (kind, command string) {
	switch i.Type {
	case discordgo.InteractionPing:
		return "ping", ""
	case discordgo.InteractionApplicationCommand:
		if d, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
			return "command", metricsClip(d.Name)
		}
		return "command", ""
	case discordgo.InteractionApplicationCommandAutocomplete:
		if d, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
			return "autocomplete", metricsClip(d.Name)
		}
		return "autocomplete", ""
	case discordgo.InteractionMessageComponent:
		if d, ok := i.Data.(discordgo.MessageComponentInteractionData); ok {
			return "component", metricsRoute(d.CustomID)
		}
		return "component", ""
	case discordgo.InteractionModalSubmit:
		if d, ok := i.Data.(discordgo.ModalSubmitInteractionData); ok {
			return "modal", metricsRoute(d.CustomID)
		}
		return "modal", ""
	}
	return "unknown", ""
}

func metricsRoute(customID string) string {
	id := strings.TrimPrefix(customID, "/")
	if n := strings.IndexAny(id, "/:?"); n >= 0 {
		id = id[:n]
	}
	return "/" + metricsClip(id)
}

func metricsClip(s string) string {
	const max = 32
	if len(s) > max {
		s = s[:max]
	}
	return strings.ToValidUTF8(s, "")
}
