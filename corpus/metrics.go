package corpus

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// cacheMetrics count what the per-server index cache does; a nil one
// counts nothing.
type cacheMetrics struct {
	lookups   *prometheus.CounterVec
	builds    *prometheus.CounterVec
	buildTime prometheus.Histogram
	evictions prometheus.Counter
}

func newCacheMetrics(reg prometheus.Registerer, m *Manager) *cacheMetrics {
	if reg == nil {
		return nil
	}
	c := &cacheMetrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "footnote", Name: "guild_index_lookups_total",
			Help: "Lookups of a server's own index, or of its own and the shared entries together, by result (hit: in memory, stale or not; miss: built first)."}, []string{"result"}),
		builds: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "footnote", Name: "guild_index_builds_total",
			Help: "Per-server indexes built, by kind (own: a server's own entries; both: with the shared corpus) and outcome."}, []string{"kind", "outcome"}),
		buildTime: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "footnote", Name: "guild_index_build_seconds",
			Help:    "Time to build a per-server index, reading the server's files from the store included.",
			Buckets: []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}),
		evictions: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "footnote", Name: "guild_index_evictions_total",
			Help: "Per-server indexes dropped to keep the cache within its memory budget."}),
	}
	for _, r := range []string{"hit", "miss"} {
		c.lookups.WithLabelValues(r)
	}
	reg.MustRegister(c.lookups, c.builds, c.buildTime, c.evictions,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "footnote", Name: "guild_indexes",
			Help: "Per-server indexes in memory."}, func() float64 { return float64(m.CacheStats().Indexes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "footnote", Name: "guild_index_bytes",
			Help: "Estimated memory the per-server indexes hold."}, func() float64 { return float64(m.CacheStats().Bytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "footnote", Name: "guild_index_budget_bytes",
			Help: "The memory budget of the per-server indexes (GUILD_INDEX_MEMORY)."}, func() float64 { return float64(m.CacheStats().Budget) }),
	)
	return c
}

func (c *cacheMetrics) hit() {
	if c != nil {
		c.lookups.WithLabelValues("hit").Inc()
	}
}

func (c *cacheMetrics) miss() {
	if c != nil {
		c.lookups.WithLabelValues("miss").Inc()
	}
}

func (c *cacheMetrics) built(both bool, took time.Duration, err error) {
	if c == nil {
		return
	}
	kind, outcome := "own", "ok"
	if both {
		kind = "both"
	}
	if err != nil {
		outcome = "error"
	}
	c.builds.WithLabelValues(kind, outcome).Inc()
	c.buildTime.Observe(took.Seconds())
}

func (c *cacheMetrics) evicted() {
	if c != nil {
		c.evictions.Inc()
	}
}
