package main

import (
	"fmt"
	"io"
	"math"

	"github.com/footnote-bot/footnote/internal/benchrun"
)

// comparison is the last line of output. Ratios are Footnote / peer (below
// 1: Footnote is better); a ratio whose peer did not run, or measured 0, is
// left out.
type comparison struct {
	IndexTimeRatio  *float64 `json:"index_time_ratio,omitempty"`
	MemoryRatio     *float64 `json:"memory_ratio,omitempty"`
	PeakMemoryRatio *float64 `json:"peak_memory_ratio,omitempty"`
	HeapRatio       *float64 `json:"heap_ratio,omitempty"`
	AskP50Ratio     *float64 `json:"ask_p50_ratio,omitempty"`
	AskP95Ratio     *float64 `json:"ask_p95_ratio,omitempty"`
	AskP99Ratio     *float64 `json:"ask_p99_ratio,omitempty"`
	LookupP50Ratio  *float64 `json:"lookup_p50_ratio,omitempty"`
	LookupP99Ratio  *float64 `json:"lookup_p99_ratio,omitempty"`

	Footnote *benchrun.Report `json:"footnote"`
	Bleve    *benchrun.Report `json:"bleve,omitempty"`
	Naive    *benchrun.Report `json:"naive,omitempty"`
}

// ratio is a/b, or nil when b is not a positive number.
func ratio(a, b float64) *float64 {
	if !(b > 0) || math.IsInf(b, 0) || math.IsNaN(a) {
		return nil
	}
	r := a / b
	return &r
}

// indexRSS is the resident memory an engine's index holds.
func indexRSS(r *benchrun.Report) float64 { return float64(r.RSSBytes - r.RSSBaseBytes) }

func compare(reports map[string]*benchrun.Report) comparison {
	c := comparison{Footnote: reports["footnote"], Bleve: reports["bleve"], Naive: reports["naive"]}
	f := c.Footnote
	if f == nil {
		return c
	}
	if b := c.Bleve; b != nil {
		c.IndexTimeRatio = ratio(f.LoadSeconds, b.LoadSeconds)
		c.MemoryRatio = ratio(indexRSS(f), indexRSS(b))
		c.PeakMemoryRatio = ratio(float64(f.PeakRSSBytes), float64(b.PeakRSSBytes))
		c.HeapRatio = ratio(float64(f.HeapBytes), float64(b.HeapBytes))
		c.AskP50Ratio = ratio(f.AskP50, b.AskP50)
		c.AskP95Ratio = ratio(f.AskP95, b.AskP95)
		c.AskP99Ratio = ratio(f.AskP99, b.AskP99)
	}
	if n := c.Naive; n != nil {
		c.LookupP50Ratio = ratio(f.LookupP50, n.LookupP50)
		c.LookupP99Ratio = ratio(f.LookupP99, n.LookupP99)
	}
	return c
}

func fmtRatio(r *float64) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *r)
}

// writeTable prints the comparison for people.
func (c comparison) writeTable(w io.Writer) {
	f := c.Footnote
	if f == nil {
		return
	}
	row := func(name, a, b string, r *float64) {
		fmt.Fprintf(w, "%-26s %14s %14s %10s\n", name, a, b, fmtRatio(r))
	}
	mb := func(x float64) string { return fmt.Sprintf("%.1f", x/1e6) }
	ms := func(x float64) string { return fmt.Sprintf("%.3f", x) }
	if b := c.Bleve; b != nil {
		fmt.Fprintf(w, "%-26s %14s %14s %10s\n", "Footnote vs bleve", "footnote", "bleve", "ratio")
		row("load+index (s)", fmt.Sprintf("%.2f", f.LoadSeconds), fmt.Sprintf("%.2f", b.LoadSeconds), c.IndexTimeRatio)
		row("resident, index (MB)", mb(indexRSS(f)), mb(indexRSS(b)), c.MemoryRatio)
		row("resident, peak (MB)", mb(float64(f.PeakRSSBytes)), mb(float64(b.PeakRSSBytes)), c.PeakMemoryRatio)
		row("heap (MB)", mb(float64(f.HeapBytes)), mb(float64(b.HeapBytes)), c.HeapRatio)
		row("ask p50 (ms)", ms(f.AskP50), ms(b.AskP50), c.AskP50Ratio)
		row("ask p95 (ms)", ms(f.AskP95), ms(b.AskP95), c.AskP95Ratio)
		row("ask p99 (ms)", ms(f.AskP99), ms(b.AskP99), c.AskP99Ratio)
		fmt.Fprintln(w)
	}
	if n := c.Naive; n != nil {
		fmt.Fprintf(w, "%-26s %14s %14s %10s\n", "title lookup", "footnote", "fuzzy.Find", "ratio")
		row("lookup p50 (ms)", ms(f.LookupP50), ms(n.LookupP50), c.LookupP50Ratio)
		row("lookup p99 (ms)", ms(f.LookupP99), ms(n.LookupP99), c.LookupP99Ratio)
		fmt.Fprintln(w)
	}
}
