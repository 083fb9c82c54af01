// Package benchrun measures a search engine on a corpus: load time, memory
// after load, and query latency percentiles. `footnote bench` runs it on
// Footnote; the bench/ module runs the same code on Footnote and on its
// peers (bleve, a naive fuzzy scan), so that their numbers compare.
package benchrun

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/footnote-bot/footnote/internal/gen"
)

// Latency summarises the timings of a run of queries.
type Latency struct {
	N    int
	P50  time.Duration
	P95  time.Duration
	P99  time.Duration
	Max  time.Duration
	Mean time.Duration
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted durations; 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Summarise sorts ds in place and returns its percentiles.
func Summarise(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Latency{
		N:    len(ds),
		P50:  Percentile(ds, 50),
		P95:  Percentile(ds, 95),
		P99:  Percentile(ds, 99),
		Max:  ds[len(ds)-1],
		Mean: sum / time.Duration(len(ds)),
	}
}

// Time runs fn on every query, after an untimed warm-up on the first
// warmup ones, and summarises how long each call took. It also counts the
// timed calls that returned an error.
func Time(queries []string, warmup int, fn func(q string) error) (Latency, int) {
	for _, q := range queries[:min(max(warmup, 0), len(queries))] {
		_ = fn(q)
	}
	ds := make([]time.Duration, len(queries))
	errs := 0
	for i, q := range queries {
		start := time.Now()
		err := fn(q)
		ds[i] = time.Since(start)
		if err != nil {
			errs++
		}
	}
	return Summarise(ds), errs
}

// Ms converts a duration to fractional milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Settle collects garbage and returns freed memory to the operating system,
// so that what stays resident is what the program still holds.
func Settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// HeapBytes is the live heap after a garbage collection.
func HeapBytes() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// procStatusFile is read for resident memory; a variable for tests.
var procStatusFile = "/proc/self/status"

// RSS returns the resident set size (VmRSS) and its peak (VmHWM) in bytes,
// from /proc/self/status; 0, 0 where that file does not exist.
func RSS() (rss, peak int64) {
	data, err := os.ReadFile(procStatusFile)
	if err != nil {
		return 0, 0
	}
	return parseStatus(data, "VmRSS:"), parseStatus(data, "VmHWM:")
}

// parseStatus reads a "Key:   1234 kB" line of /proc/self/status.
func parseStatus(data []byte, key string) int64 {
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte(key))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) == 0 {
			return 0
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0
		}
		if len(f) > 1 && strings.EqualFold(f[1], "kB") {
			n *= 1024
		}
		return n
	}
	return 0
}

// Question is a line of a question set (the shape of the SQuAD set's
// questions.jsonl); Entry is nil for a question the corpus cannot answer.
type Question struct {
	ID      string   `json:"id"`
	Q       string   `json:"q"`
	Entry   *string  `json:"entry"`
	Answers []string `json:"answers"`
	Answer  *string  `json:"answer"`
}

// ReadQuestions reads up to limit questions (limit <= 0: all) from a JSON
// lines file. Blank lines are skipped; a bad line is an error naming it.
func ReadQuestions(path string, limit int) ([]Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading questions: %w", err)
	}
	defer f.Close()
	return readQuestions(f, path, limit)
}

func readQuestions(r io.Reader, name string, limit int) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var q Question
		if err := json.Unmarshal(b, &q); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if strings.TrimSpace(q.Q) == "" {
			return nil, fmt.Errorf("%s:%d: no question text (\"q\")", name, line)
		}
		out = append(out, q)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(out) == 0 {
		return nil, errors.New(name + ": no questions")
	}
	return out, nil
}

// Texts returns the question texts.
func Texts(qs []Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Q
	}
	return out
}

// TitleQueries draws n title-lookup queries from titles, deterministically
// for a seed: titles cut short, misspelt, lower-cased, without accents, or
// inverted ("AID, SOVIET" -> "soviet aid"), as people type them into an
// autocomplete box.
func TitleQueries(titles []string, n int, seed uint64) []string {
	if len(titles) == 0 || n <= 0 {
		return nil
	}
	r := rand.NewPCG(seed, 0x6c6f6f6b7570) // "lookup"
	intn := func(k int) int { hi, _ := bits.Mul64(r.Uint64(), uint64(k)); return int(hi) }
	out := make([]string, 0, n)
	for len(out) < n {
		t := titles[intn(len(titles))]
		var q string
		switch intn(5) {
		case 0: // typed so far
			runes := []rune(strings.ToLower(t))
			q = string(runes[:max(3, min(len(runes), 3+intn(len(runes))))])
		case 1:
			q = misspell(strings.ToLower(t), intn)
		case 2:
			q = strings.ToLower(t)
		case 3:
			q = strings.ToLower(gen.Fold(t))
		default:
			q = strings.ToLower(invert(t))
		}
		if strings.TrimSpace(q) != "" {
			out = append(out, q)
		}
	}
	return out
}

// invert turns a dictionary-form headword into natural order: "AID,
// SOVIET" -> "SOVIET AID". Others are returned as they are.
func invert(t string) string {
	head, qual, ok := strings.Cut(t, ", ")
	if !ok {
		return t
	}
	return qual + " " + head
}

// misspell swaps, drops or doubles one letter of s.
func misspell(s string, intn func(int) int) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	i := 1 + intn(len(rs)-2)
	switch intn(3) {
	case 0:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	default:
		rs = slices.Insert(rs, i, rs[i])
	}
	return string(rs)
}
