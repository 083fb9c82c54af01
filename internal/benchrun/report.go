package benchrun

import (
	"encoding/json"
	"fmt"
	"io"
)

// Report is what one engine measured on one corpus. Its JSON keys are read
// by other tools: keep them stable.
type Report struct {
	Engine    string `json:"engine"`
	Corpus    string `json:"corpus"`
	Entries   int    `json:"entries"`
	Sentences int    `json:"sentences"`
	// LoadErrors counts files or lines the engine could not load.
	LoadErrors int `json:"load_errors"`

	// LoadSeconds is the wall time of reading and indexing the corpus.
	LoadSeconds float64 `json:"load_seconds"`
	// RSSBytes is the resident memory after load, once garbage is collected
	// and returned to the OS; RSSBaseBytes the same just before loading, so
	// RSSBytes-RSSBaseBytes is what the index holds. PeakRSSBytes is the
	// high-water mark, load garbage included. 0 where unknown (not Linux).
	RSSBytes     int64 `json:"rss_bytes"`
	RSSBaseBytes int64 `json:"rss_base_bytes"`
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// HeapBytes is the live heap the loaded index holds (HeapAlloc after a
	// GC, less the same before loading).
	HeapBytes        uint64  `json:"heap_bytes"`
	BytesPerSentence float64 `json:"bytes_per_sentence"`

	Questions int     `json:"questions"`
	AskErrors int     `json:"ask_errors"`
	AskP50    float64 `json:"ask_p50_ms"`
	AskP95    float64 `json:"ask_p95_ms"`
	AskP99    float64 `json:"ask_p99_ms"`
	AskMax    float64 `json:"ask_max_ms"`
	AskMean   float64 `json:"ask_mean_ms"`

	Lookups    int     `json:"lookups"`
	LookupP50  float64 `json:"lookup_p50_ms"`
	LookupP95  float64 `json:"lookup_p95_ms"`
	LookupP99  float64 `json:"lookup_p99_ms"`
	LookupMax  float64 `json:"lookup_max_ms"`
	LookupMean float64 `json:"lookup_mean_ms"`
}

// SetAsk records question latencies.
func (r *Report) SetAsk(l Latency) {
	r.Questions = l.N
	r.AskP50, r.AskP95, r.AskP99, r.AskMax, r.AskMean = Ms(l.P50), Ms(l.P95), Ms(l.P99), Ms(l.Max), Ms(l.Mean)
}

// SetLookup records title-lookup latencies.
func (r *Report) SetLookup(l Latency) {
	r.Lookups = l.N
	r.LookupP50, r.LookupP95, r.LookupP99, r.LookupMax, r.LookupMean = Ms(l.P50), Ms(l.P95), Ms(l.P99), Ms(l.Max), Ms(l.Mean)
}

// SetMemory records memory after load against the baseline taken before.
func (r *Report) SetMemory(base, after Memory) {
	r.RSSBaseBytes, r.RSSBytes, r.PeakRSSBytes = base.RSS, after.RSS, after.PeakRSS
	r.HeapBytes = 0
	if after.Heap > base.Heap {
		r.HeapBytes = after.Heap - base.Heap
	}
	if r.Sentences > 0 {
		r.BytesPerSentence = float64(r.HeapBytes) / float64(r.Sentences)
	}
}

// Memory is a snapshot of the process's memory.
type Memory struct {
	RSS, PeakRSS int64
	Heap         uint64
}

// Snapshot settles the heap (see Settle) and measures memory.
func Snapshot() Memory {
	Settle()
	var m Memory
	m.Heap = HeapBytes()
	m.RSS, m.PeakRSS = RSS()
	return m
}

// MB formats bytes as megabytes.
func MB(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// WriteText prints the report for people, one measure a line.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "engine        %s on %s\n", r.Engine, r.Corpus)
	fmt.Fprintf(w, "corpus        %d entries", r.Entries)
	if r.Sentences > 0 {
		fmt.Fprintf(w, ", %d sentences", r.Sentences)
	}
	if r.LoadErrors > 0 {
		fmt.Fprintf(w, " (%d load errors)", r.LoadErrors)
	}
	fmt.Fprintln(w)
	if r.LoadSeconds > 0 {
		fmt.Fprintf(w, "load+index    %.2f s\n", r.LoadSeconds)
		if r.RSSBytes > 0 {
			fmt.Fprintf(w, "resident      %s after load (%s for the index, peak %s)\n",
				MB(r.RSSBytes), MB(r.RSSBytes-r.RSSBaseBytes), MB(r.PeakRSSBytes))
		} else {
			fmt.Fprintln(w, "resident      unknown on this OS")
		}
		fmt.Fprintf(w, "heap          %s (%.0f bytes per sentence)\n", MB(int64(r.HeapBytes)), r.BytesPerSentence)
	}
	if r.Questions > 0 {
		fmt.Fprintf(w, "ask           %d questions: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms",
			r.Questions, r.AskP50, r.AskP95, r.AskP99, r.AskMax, r.AskMean)
		if r.AskErrors > 0 {
			fmt.Fprintf(w, " (%d errors)", r.AskErrors)
		}
		fmt.Fprintln(w)
	}
	if r.Lookups > 0 {
		fmt.Fprintf(w, "title lookup  %d queries: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms\n",
			r.Lookups, r.LookupP50, r.LookupP95, r.LookupP99, r.LookupMax)
	}
}

// WriteJSON prints the report as one line of JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding report: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
