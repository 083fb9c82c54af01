package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/internal/discordspec"
)

// runEnv runs one command line in-process with vars as its whole
// environment.
func runEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: testGetenv(vars)}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

const testCorpus = "testdata/corpus" // CELL, MEMBRANE, MITOCHONDRION and a README

// Flags work wherever they stand, for every subcommand, since the
// dispatcher parses them; "--" ends them; what cannot work is refused with
// exit 2 and one line that says why.
func TestFlagsAfterArguments(t *testing.T) {
	qfile := filepath.Join(t.TempDir(), "q.jsonl")
	if err := os.WriteFile(qfile, []byte(`{"id":"1","q":"What surrounds every cell?","entry":"membrane","answers":["membrane"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gendir := filepath.Join(t.TempDir(), "gen")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a prefix of stdout
		stderr string // contained in stderr
	}{
		{"ask, --json last", []string{"ask", "quinine", "--json"}, 0, `{"question":"quinine","answered":true`, ""},
		{"ask, flags around the words", []string{"ask", "--limit", "1", "how many", "films", "--json"}, 0, `{"question":"how many films",`, ""},
		{"ask, --flag=value last", []string{"ask", "quinine", "--limit=1", "-json"}, 0, `{"question":"quinine"`, ""},
		{"entry, --json last", []string{"entry", "soviet aid", "--json"}, 0, `{"id":"aid-soviet","title":"AID, SOVIET","match":"exact"`, ""},
		{"entry, --knowledge last", []string{"entry", "membrane", "--knowledge", testCorpus}, 0, "MEMBRANE\n", ""},
		{"check, --knowledge after nothing", []string{"check", "--knowledge", testCorpus}, 0, "", ""},
		{"eval, flags after the file", []string{"eval", qfile, "--knowledge", testCorpus, "--misses", "1"}, 0, "questions   1 (1 answerable, 0 not)", ""},
		{"gen, flags after the directory", []string{"gen", gendir, "--entries", "2", "--questions", "1"}, 0, "wrote 2 entries", ""},
		{"stdin batch, --json after -", []string{"ask", "-", "--json"}, 0, `{"question":"katusha"`, ""},
		{"-- ends the flags", []string{"ask", "--", "--json"}, 0, "Q: --json\n", ""},
		{"-- then a word with a dash", []string{"ask", "--json", "--", "-40", "degrees"}, 0, `{"question":"-40 degrees"`, ""},
		{"a directory named --", []string{"entry", "--knowledge", "--", "cell"}, 1, "", "knowledge directory"},
		{"a question that starts with -", []string{"ask", "-40", "degrees"}, 2, "", `unknown flag -40: an argument that starts with "-" goes after "--"`},
		{"a flag without its value", []string{"ask", "quinine", "--limit"}, 2, "", "flag --limit needs a value"},
		{"a bad value", []string{"ask", "quinine", "--limit", "x"}, 2, "", `invalid value "x" for flag --limit`},
		{"an unknown flag", []string{"entry", "cell", "--jsn"}, 2, "", "unknown flag --jsn"},
		{"- with a question", []string{"ask", "-", "quinine"}, 2, "", `"-" reads the questions from stdin`},
		{"version takes no argument", []string{"version", "now"}, 2, "", `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runEnv(t, nil, "katusha\n", tt.args...)
			if code != tt.code || !strings.HasPrefix(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s\nwant stdout starting %q and stderr holding %q", code, tt.code, out, errOut, tt.stdout, tt.stderr)
			}
			if tt.code == 2 && !strings.Contains(errOut, "usage: footnote "+tt.args[0]+" ") {
				t.Errorf("a usage error without the usage line:\n%s", errOut)
			}
		})
	}
}

// Every subcommand answers -h on stdout, flags after its arguments
// included, and refuses an unknown flag with exit 2.
func TestEverySubcommandParsesFlags(t *testing.T) {
	for name := range subcommands {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runEnv(t, nil, "", name, "-h")
			if code != 0 || !strings.HasPrefix(out, "usage: footnote "+name) || errOut != "" {
				t.Errorf("-h: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if code, _, errOut := runEnv(t, nil, "", name, "arg", "--no-such-flag"); code != 2 || !strings.Contains(errOut, "unknown flag --no-such-flag") {
				t.Errorf("an unknown flag after an argument: exit %d\n%s", code, errOut)
			}
		})
	}
	if code, out, _ := runEnv(t, nil, "", "help", "ask"); code != 0 || !strings.HasPrefix(out, "usage: footnote ask") {
		t.Errorf("help ask: exit %d\n%s", code, out)
	}
}

// KNOWLEDGE_DIR chooses the corpus of every command that reads one;
// --knowledge overrides it.
func TestKnowledgeDirEverywhere(t *testing.T) {
	vars := map[string]string{"KNOWLEDGE_DIR": testCorpus}
	qfile := filepath.Join(t.TempDir(), "q.jsonl")
	if err := os.WriteFile(qfile, []byte(`{"id":"1","q":"What surrounds every cell?","entry":"membrane","answers":["membrane"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ask", []string{"ask", "--json", "What surrounds every cell?"}, `"entry_id":"membrane"`},
		{"entry", []string{"entry", "mitochondrion"}, "MITOCHONDRION\n"},
		{"check", []string{"check"}, "testdata/corpus: 3 files, 3 entries"},
		{"eval", []string{"eval", qfile}, `"ans@1":1`},
		{"bench", []string{"bench", "--questions", qfile, "--lookups", "2", "--warmup", "0"}, `"entries":3`},
		{"serve --dry-run", []string{"serve", "--dry-run"}, `"name": "ask"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runEnv(t, vars, "", tt.args...)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d; stdout lacks %q:\n%s\nstderr: %s", code, tt.want, out, errOut)
			}
		})
	}
	if code, out, _ := runEnv(t, vars, "", "entry", "--knowledge", "", "membrane"); code != 0 || !strings.HasPrefix(out, "MEMBRANE") {
		t.Errorf("--knowledge \"\" falls back to the environment: exit %d %s", code, out)
	}
	if code, out, _ := runEnv(t, map[string]string{"KNOWLEDGE_DIR": "testdata/nowhere"}, "", "entry", "--knowledge", testCorpus, "cell"); code != 0 || !strings.HasPrefix(out, "CELL") {
		t.Errorf("--knowledge overrides KNOWLEDGE_DIR: exit %d %s", code, out)
	}
	if code, _, errOut := runEnv(t, map[string]string{"KNOWLEDGE_DIR": "testdata/nowhere"}, "", "ask", "quinine"); code != 1 || !strings.Contains(errOut, "testdata/nowhere") {
		t.Errorf("a KNOWLEDGE_DIR that does not exist: exit %d %s", code, errOut)
	}
}

// "footnote entry" says when it shows the closest entry rather than the
// one named, and exits 1 when nothing is close.
func TestEntryClosestMatch(t *testing.T) {
	code, out, _ := runEnv(t, nil, "", "entry", "--knowledge", testCorpus, "cell membrane")
	if code != 0 || !strings.HasPrefix(out, "No entry is titled \"cell membrane\"; the closest is:\n\nMEMBRANE\n") || !strings.Contains(out, "Other titles like this:\n  - CELL") {
		t.Errorf("closest: exit %d\n%s", code, out)
	}
	code, out, _ = runEnv(t, nil, "", "entry", "--knowledge", testCorpus, "--json", "cell membrane")
	var e map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e["match"] != "closest" || e["id"] != "membrane" {
		t.Errorf("closest --json: exit %d %s", code, out)
	}
	for _, exact := range []string{"cell", "CELLS", "mitochondrion", "Membrane"} {
		code, out, _ = runEnv(t, nil, "", "entry", "--knowledge", testCorpus, "--json", exact)
		if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e["match"] != "exact" {
			t.Errorf("%q: exit %d %s", exact, code, out)
		}
	}
	code, out, errOut := runEnv(t, nil, "", "entry", "--knowledge", testCorpus, "photosynthesis")
	if code != 1 || out != "" || !strings.Contains(errOut, `no entry is titled like "photosynthesis" in testdata/corpus`) {
		t.Errorf("nothing close: exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
}

// The words of the command line: plurals, one word for one thing, one
// blank line between blocks.
func TestWords(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("solo.txt", "SOLO\n\nThe only entry, with no source. See also GHOST.\n")
	write("questions.jsonl", `{"id":"1","q":"What?","entry":"solo","answers":["x"]}`+"\n")
	write("README.md", "# About\n")
	code, out, _ := runEnv(t, nil, "", "check", "--knowledge", dir)
	if code != 0 || !strings.Contains(out, ": 1 file, 1 entry, 1 sentence; 0 errors, 2 warnings; 2 files skipped\n") {
		t.Errorf("check summary: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "questions.jsonl: a questions file (footnote eval's format), not entries\n") || !strings.Contains(out, "README.md: documentation, not an entry\n") {
		t.Errorf("skipped files:\n%s", out)
	}
	if strings.Count(out, "skipped") != 3 {
		t.Errorf("\"skipped\" said more than once a file:\n%s", out)
	}
	_, out, _ = runEnv(t, nil, "", "entry", "--knowledge", dir, "solo")
	if out != "SOLO\n\nThe only entry, with no source. See also GHOST.\n\nSee also, not in this corpus: GHOST\n" {
		t.Errorf("an entry without a source: blocks not one blank line apart:\n%q", out)
	}
	write("broken.md", "---\ntitle: [x\n---\nBody.\n")
	_, _, errOut := runEnv(t, nil, "", "ask", "--knowledge", dir, "anything")
	if !strings.Contains(errOut, "loaded 1 entry from 2 files; 1 file had errors (footnote check lists every problem)") {
		t.Errorf("load summary: %s", errOut)
	}
	_, out, _ = runEnv(t, nil, "", "serve", "--dry-run")
	if strings.Contains(out, "null") {
		t.Errorf("the dry run shows null members:\n%s", out)
	}
}

// check and ask agree: a corpus without entries is an error for both.
func TestEmptyCorpusRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Nothing yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check"}, {"ask", "anything"}, {"entry", "anything"}} {
		code, out, errOut := runEnv(t, nil, "", append(args, "--knowledge", dir)...)
		if code != 1 || !strings.Contains(out+errOut, "no entries found") {
			t.Errorf("%v on an empty corpus: exit %d\n%s%s", args, code, out, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := runEnv(t, nil, "", "version")
	if code != 0 || !strings.HasPrefix(out, "footnote ") || !strings.Contains(out, "go1.") || errOut != "" {
		t.Errorf("exit %d %q %q", code, out, errOut)
	}
	old := version
	version = "v9.8.7"
	defer func() { version = old }()
	if _, out, _ := runEnv(t, nil, "", "version"); !strings.HasPrefix(out, "footnote v9.8.7 (") {
		t.Errorf("the link-time version is not shown: %q", out)
	}
}

// The loading line reaches 100% before indexing, shows no speed, and is
// erased at the end.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p := newProgressLine(&buf, "loading corpus")
	p.now = func() time.Time { return now }
	p.every = time.Second
	p.read(10, 1000)
	now = now.Add(10 * time.Millisecond)
	p.read(460, 1000) // throttled
	now = now.Add(2 * time.Second)
	p.read(500, 1000)
	p.read(1000, 1000)
	p.read(1000, 1000) // after the switch to indexing: nothing
	p.finish()
	out := buf.String()
	for _, want := range []string{"loading corpus: reading   1% (10 B of 1.0 kB)", "reading  50% (500 B of 1.0 kB)", "reading 100% (1.0 kB)", "loading corpus: indexing…"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress lacks %q:\n%q", want, out)
		}
	}
	if strings.Contains(out, "46%") || strings.Contains(out, "/s") {
		t.Errorf("throttling or speed: %q", out)
	}
	if strings.Index(out, "100%") > strings.Index(out, "indexing") {
		t.Errorf("indexing before everything was read: %q", out)
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("the line is not erased at the end: %q", out)
	}
	for _, tt := range []struct {
		n    int64
		want string
	}{{999, "999 B"}, {12_345, "12.3 kB"}, {282_900_000, "282.9 MB"}, {3_200_000_000, "3.20 GB"}} {
		if got := size(tt.n); got != tt.want {
			t.Errorf("size(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// A terminal sees the progress of loading a directory, then nothing of it.
func TestProgressOnATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, terminal: true}
	if code := run(context.Background(), env, []string{"ask", "--knowledge", testCorpus, "what is a cell"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if s := errb.String(); !strings.Contains(s, "loading testdata/corpus: reading 100%") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("stderr %q", s)
	}
}

// What serve --dry-run prints is a bulk overwrite Discord accepts.
func TestDryRunFollowsDiscordsSchema(t *testing.T) {
	code, out, errOut := runEnv(t, nil, "", "serve", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := discordspec.Validate("PUT", discordspec.RouteGlobalCommands, []byte(out)); err != nil {
		t.Error(err)
	}
}

// With DISCORD_API_URL set, serve and register say which URL they could
// not reach.
func TestAPIURLNamedInErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	l.Close()
	vars := map[string]string{"DISCORD_TOKEN": "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.ZmFrZS1kaXNjb3JkLXRlc3QtdG9rZW4", "DISCORD_API_URL": base}
	for _, args := range [][]string{{"serve"}, {"register"}} {
		code, _, errOut := runEnv(t, vars, "", args...)
		if code != 1 || !strings.Contains(errOut, base) || strings.Contains(errOut, "discord.com") {
			t.Errorf("%v: exit %d, stderr %q: want the URL dialled, %s, and not discord.com", args, code, errOut, base)
		}
	}
}
