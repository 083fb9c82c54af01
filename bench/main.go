// Command bench runs one corpus and one question set through Footnote and
// through its peers, and prints how they compare: bleve v2 (scorch, in
// memory, BM25, one document per sentence with the entry title as a field)
// for load time, memory and question latency, and a naive fuzzy.Find scan
// over all titles for title lookup.
//
// Usage:
//
//	cd bench && go run . --knowledge DIR [--questions F] [--limit N]
//
// Each engine runs in its own child process (this binary, re-executed with
// the hidden --role flag), so that one engine's memory does not pollute
// the other's. Footnote runs first and exports the sentences it split, so
// bleve indexes exactly the same units. The last line of output is JSON
// with the ratios Footnote/peer: below 1 means Footnote is better.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/footnote-bot/footnote/internal/benchrun"
)

// config is the command line.
type config struct {
	dir          string
	questions    string
	limit        int
	lookups      int
	naiveLookups int
	top          int
	warmup       int
	batch        int
	engines      []string
	// hidden: for child processes
	role   string
	export string
}

var allEngines = []string{"footnote", "bleve", "naive"}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.dir, "knowledge", "", "corpus directory (required)")
	fs.StringVar(&c.questions, "questions", "", "questions file (default: DIR/questions.jsonl)")
	fs.IntVar(&c.limit, "limit", 2000, "ask at most this many questions, the first of the file (0: all)")
	fs.IntVar(&c.lookups, "lookups", 1000, "title-lookup queries for Footnote")
	fs.IntVar(&c.naiveLookups, "naive-lookups", 200, "title-lookup queries for the naive scan (the first of the same queries; it is slow)")
	fs.IntVar(&c.top, "top", benchrun.DefaultTop, "results per question, for both engines")
	fs.IntVar(&c.warmup, "warmup", benchrun.DefaultWarmup, "untimed queries before timing")
	fs.IntVar(&c.batch, "bleve-batch", 50_000, "sentences per bleve batch (in-memory scorch never merges: one segment per batch)")
	engines := fs.String("engines", strings.Join(allEngines, ","), "engines to run, comma-separated")
	fs.StringVar(&c.role, "role", "", "internal: run one engine as a child process")
	fs.StringVar(&c.export, "export", "", "internal: directory of the corpus Footnote exported")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run . --knowledge DIR [--questions F] [--limit N]")
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "role" || f.Name == "export" {
				return
			}
			fmt.Fprintf(stderr, "  --%s (default %q)\n    \t%s\n", f.Name, f.DefValue, f.Usage)
		})
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, e := range strings.Split(*engines, ",") {
		e = strings.TrimSpace(e)
		if !slices.Contains(allEngines, e) {
			return c, fmt.Errorf("unknown engine %q (want some of %s)", e, strings.Join(allEngines, ", "))
		}
		if !slices.Contains(c.engines, e) {
			c.engines = append(c.engines, e)
		}
	}
	switch {
	case c.dir == "" && (c.role == "" || c.role == "footnote"):
		return c, errors.New("--knowledge DIR is required")
	case c.limit < 0 || c.lookups < 0 || c.naiveLookups < 0 || c.warmup < 0:
		return c, errors.New("--limit, --lookups, --naive-lookups and --warmup must not be negative")
	case c.top < 1 || c.top > 100:
		return c, errors.New("--top must be between 1 and 100")
	case c.batch < 1:
		return c, errors.New("--bleve-batch must be positive")
	case c.role != "" && !slices.Contains(allEngines, c.role):
		return c, fmt.Errorf("unknown role %q", c.role)
	case c.role != "" && c.export == "":
		return c, errors.New("--role needs --export")
	}
	if c.questions == "" && c.dir != "" {
		c.questions = filepath.Join(c.dir, "questions.jsonl")
	}
	return c, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	if c.role != "" {
		err = runChild(ctx, c, stdout)
	} else {
		err = runParent(ctx, c, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	return 0
}

// runChild measures one engine and prints its report: text, then JSON.
func runChild(ctx context.Context, c config, stdout io.Writer) error {
	var rep benchrun.Report
	var err error
	switch c.role {
	case "footnote":
		rep, err = runFootnote(ctx, c)
	case "bleve":
		rep, err = runBleve(ctx, c)
	case "naive":
		rep, err = runNaive(ctx, c)
	}
	if err != nil {
		return err
	}
	rep.WriteText(stdout)
	return rep.WriteJSON(stdout)
}

// questionTexts reads the questions the engines are asked.
func questionTexts(c config) ([]string, error) {
	qs, err := benchrun.ReadQuestions(c.questions, c.limit)
	if err != nil {
		return nil, err
	}
	return benchrun.Texts(qs), nil
}

// runParent runs each engine in a child process and compares them.
func runParent(ctx context.Context, c config, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary: %w", err)
	}
	if _, err := benchrun.ReadQuestions(c.questions, 1); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "footnote-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	c.export = tmp
	reports := map[string]*benchrun.Report{}
	// Footnote always runs first: it exports the sentences the peers use.
	order := []string{"footnote"}
	for _, e := range c.engines {
		if e != "footnote" {
			order = append(order, e)
		}
	}
	for _, role := range order {
		fmt.Fprintf(stdout, "== %s\n", role)
		rep, err := runRole(ctx, exe, c, role, stdout, stderr)
		if err != nil {
			return err
		}
		reports[role] = rep
		fmt.Fprintln(stdout)
	}
	cmp := compare(reports)
	cmp.writeTable(stdout)
	b, err := json.Marshal(cmp)
	if err != nil {
		return fmt.Errorf("encoding ratios: %w", err)
	}
	fmt.Fprintf(stdout, "%s\n", b)
	return nil
}

// childArgs is the command line of a child process.
func childArgs(c config, role string) []string {
	return []string{
		"--role", role, "--export", c.export, "--knowledge", c.dir, "--questions", c.questions,
		"--limit", fmt.Sprint(c.limit), "--lookups", fmt.Sprint(c.lookups),
		"--naive-lookups", fmt.Sprint(c.naiveLookups), "--top", fmt.Sprint(c.top),
		"--warmup", fmt.Sprint(c.warmup), "--bleve-batch", fmt.Sprint(c.batch),
	}
}

// runRole runs one child, echoes its text report and parses its JSON line.
func runRole(ctx context.Context, exe string, c config, role string, stdout, stderr io.Writer) (*benchrun.Report, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, exe, childArgs(c, role)...)
	cmd.Stdout = &out
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s child: %w", role, err)
	}
	rep, text, err := lastJSON(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s child: %w", role, err)
	}
	stdout.Write(text)
	return rep, nil
}

// lastJSON splits a child's output into its text and the report on its
// last line.
func lastJSON(out []byte) (*benchrun.Report, []byte, error) {
	out = bytes.TrimRight(out, "\n")
	i := bytes.LastIndexByte(out, '\n')
	text, last := out[:i+1], out[i+1:]
	var rep benchrun.Report
	if err := json.Unmarshal(last, &rep); err != nil {
		return nil, nil, fmt.Errorf("no report on the last line (%q): %w", last, err)
	}
	return &rep, text, nil
}

// exportFiles are what the Footnote child leaves for the others.
const (
	exportCorpus = "corpus.jsonl" // one {"title", "sentences"} object per entry
	exportTitles = "titles.txt"   // one title a line, in the index's order
)

// exported is one line of corpus.jsonl.
type exported struct {
	Title     string   `json:"title"`
	Sentences []string `json:"sentences"`
}

// runFootnote measures Footnote, then exports its entries' titles and
// sentences.
func runFootnote(ctx context.Context, c config) (benchrun.Report, error) {
	texts, err := questionTexts(c)
	if err != nil {
		return benchrun.Report{}, err
	}
	rep, ix, err := benchrun.RunFootnote(ctx, benchrun.Options{
		Dir: c.dir, Questions: texts, Lookups: c.lookups, LookupSeed: 1, Top: c.top, Warmup: c.warmup,
	})
	if err != nil {
		return rep, err
	}
	if rep.LoadErrors > 0 {
		slog.Warn("footnote: some of the corpus did not load", "errors", rep.LoadErrors)
	}
	cf, err := os.Create(filepath.Join(c.export, exportCorpus))
	if err != nil {
		return rep, fmt.Errorf("exporting: %w", err)
	}
	defer cf.Close()
	tf, err := os.Create(filepath.Join(c.export, exportTitles))
	if err != nil {
		return rep, fmt.Errorf("exporting: %w", err)
	}
	defer tf.Close()
	cw, tw := bufio.NewWriterSize(cf, 1<<20), bufio.NewWriter(tf)
	enc := json.NewEncoder(cw)
	for _, e := range ix.Entries() {
		if strings.ContainsAny(e.Title, "\r\n") {
			return rep, fmt.Errorf("exporting: title %q holds a line break", e.Title)
		}
		if err := enc.Encode(exported{Title: e.Title, Sentences: ix.Sentences(e.ID)}); err != nil {
			return rep, fmt.Errorf("exporting: %w", err)
		}
		fmt.Fprintln(tw, e.Title)
	}
	for _, f := range []struct {
		w *bufio.Writer
		f *os.File
	}{{cw, cf}, {tw, tf}} {
		if err := f.w.Flush(); err != nil {
			return rep, fmt.Errorf("exporting: %w", err)
		}
		if err := f.f.Close(); err != nil {
			return rep, fmt.Errorf("exporting: %w", err)
		}
	}
	return rep, nil
}

// readTitles reads the titles Footnote exported.
func readTitles(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, exportTitles))
	if err != nil {
		return nil, fmt.Errorf("reading titles: %w", err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), nil
}
