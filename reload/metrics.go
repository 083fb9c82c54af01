package reload

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// reloadMetrics are the corpus gauges of /metrics.
type reloadMetrics struct {
	version  prometheus.Gauge
	lastAt   prometheus.Gauge
	lastTook prometheus.Gauge
	outcome  *prometheus.GaugeVec
	reloads  *prometheus.CounterVec
}

func newReloadMetrics(reg prometheus.Registerer) *reloadMetrics {
	m := &reloadMetrics{
		version: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "footnote", Name: "corpus_version",
			Help: "Version of the shared corpus served: 1 at start, one more at every reload that swapped a new index in."}),
		lastAt: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "footnote", Name: "corpus_last_reload_timestamp_seconds",
			Help: "When the last load or reload of the shared corpus ended (Unix time), whatever its outcome."}),
		lastTook: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "footnote", Name: "corpus_last_reload_duration_seconds",
			Help: "How long the last load or reload of the shared corpus took."}),
		outcome: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "footnote", Name: "corpus_last_reload_outcome",
			Help: "1 for the outcome of the last load or reload (ok; partial: some files kept their last good entries; failed: nothing changed), 0 for the others."}, []string{"outcome"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "footnote", Name: "corpus_reloads_total",
			Help: "Reloads of the shared corpus, by outcome (the first load not included)."}, []string{"outcome"}),
	}
	for _, o := range outcomes {
		m.outcome.WithLabelValues(string(o))
		m.reloads.WithLabelValues(string(o))
	}
	reg.MustRegister(m.version, m.lastAt, m.lastTook, m.outcome, m.reloads)
	return m
}

func (m *reloadMetrics) observe(res Result) {
	m.version.Set(float64(res.Version))
	m.lastAt.Set(float64(res.At.UnixNano()) / 1e9)
	m.lastTook.Set(res.Took.Seconds())
	for _, o := range outcomes {
		v := 0.0
		if o == res.Outcome {
			v = 1
		}
		m.outcome.WithLabelValues(string(o)).Set(v)
	}
	if res.Version > 1 || res.Outcome == OutcomeFailed {
		m.reloads.WithLabelValues(string(res.Outcome)).Inc()
	}
}

func sortStrings(s []string) { slices.Sort(s) }
