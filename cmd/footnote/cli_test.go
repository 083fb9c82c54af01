package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// runCLI runs one footnote command line in-process.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestAskHuman(t *testing.T) {
	code, out, errOut := runCLI(t, "", "ask", "How many films did the Soviets send?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"1. “This included the shipment of 308 films",
		"Sources:\n  [1] AID, SOVIET. Christopher E. Goscha",
		"\nSee also, not in this corpus: AID, AMERICAN; AID, CHINESE COMMUNIST; AID, MALAYSIA\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The --json shape is read by other tools: exactly these fields.
func TestAskJSONShape(t *testing.T) {
	code, out, errOut := runCLI(t, "katusha\nWhat is the capital of Peru?\n\n", "ask", "--json", "--limit", "2", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per question, got %d:\n%s", len(lines), out)
	}
	var answered, abstained map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &answered); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &abstained); err != nil {
		t.Fatal(err)
	}
	wantTop := []string{"answered", "facts", "question", "related", "suggestions"}
	for _, obj := range []map[string]any{answered, abstained} {
		if got := keys(obj); !reflect.DeepEqual(got, wantTop) {
			t.Errorf("top-level fields %v, want %v", got, wantTop)
		}
	}
	if answered["answered"] != true || abstained["answered"] != false {
		t.Errorf("answered flags: %v, %v", answered["answered"], abstained["answered"])
	}
	facts := answered["facts"].([]any)
	if len(facts) == 0 || len(facts) > 2 {
		t.Fatalf("facts: %v", facts)
	}
	fact := facts[0].(map[string]any)
	if got, want := keys(fact), []string{"citation", "entry_id", "entry_title", "score", "text", "url"}; !reflect.DeepEqual(got, want) {
		t.Errorf("fact fields %v, want %v", got, want)
	}
	if !strings.Contains(fact["text"].(string), "(Katyusha)") {
		t.Errorf("first fact %q", fact["text"])
	}
	rel := answered["related"].([]any)[0].(map[string]any)
	if got, want := keys(rel), []string{"entry_id", "in_corpus", "title"}; !reflect.DeepEqual(got, want) {
		t.Errorf("related fields %v, want %v", got, want)
	}
	if len(abstained["facts"].([]any)) != 0 {
		t.Errorf("abstention has facts: %v", abstained["facts"])
	}
	for _, s := range abstained["suggestions"].([]any) {
		if got, want := keys(s.(map[string]any)), []string{"entry_id", "title"}; !reflect.DeepEqual(got, want) {
			t.Errorf("suggestion fields %v, want %v", got, want)
		}
	}
}

func TestAskRefusesBadQuestions(t *testing.T) {
	long := strings.Repeat("why ", 1500) // 6,000 characters
	code, out, _ := runCLI(t, "", "ask", "--json", long)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	if obj["answered"] != false || !strings.Contains(obj["error"].(string), "too long") {
		t.Errorf("long question: %v", obj)
	}
	if code, _, _ := runCLI(t, "", "ask"); code != 2 {
		t.Errorf("no question: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "ask", "--limit", "0", "x"); code != 2 {
		t.Errorf("bad limit: exit %d, want 2", code)
	}
}

func TestEntryCommand(t *testing.T) {
	for _, title := range []string{"AID, SOVIET", "soviet aid", "aid-soviet"} {
		code, out, errOut := runCLI(t, "", "entry", title)
		if code != 0 || !strings.HasPrefix(out, "AID, SOVIET\n") || !strings.Contains(out, "Source: Christopher E. Goscha") {
			t.Errorf("entry %q: exit %d\n%s%s", title, code, out, errOut)
		}
	}
	if code, out, _ := runCLI(t, "", "entry", "aid sovet"); code != 0 || !strings.HasPrefix(out, "No entry is titled \"aid sovet\"; the closest is:\n\nAID, SOVIET\n") {
		t.Errorf("a misspelt title: exit %d\n%s", code, out)
	}
	code, out, _ := runCLI(t, "", "entry", "--json", "soviet aid")
	var e map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e["id"] != "aid-soviet" || len(e["sentences"].([]any)) != 25 {
		t.Errorf("entry --json: exit %d %s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "entry", "zzzz qqqq"); code != 1 || !strings.Contains(errOut, "no entry") {
		t.Errorf("unknown title: exit %d %s", code, errOut)
	}
}

func TestCheckCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "check")
	if code != 0 || !strings.Contains(out, "1 file, 1 entry, 25 sentences; 0 errors, 3 warnings") || !strings.Contains(out, `aid-soviet.md:11: entry "aid-soviet": see also "AID, MALAYSIA" is not in this corpus`) {
		t.Errorf("check seeds: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("GOOD\n\nA fine entry."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.jsonl"), []byte("{\"id\":\"a\",\"title\":\"A\",\"text\":\"x\"}\n{oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "check", "--knowledge", dir)
	if code != 1 || !strings.Contains(out, "bad.jsonl:2: bad JSON") || !strings.Contains(out, "2 files, 2 entries, 2 sentences; 1 error,") {
		t.Errorf("check broken: exit %d\n%s", code, out)
	}
}

func TestEvalCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "", "eval", "testdata/seed-questions.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	last := out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]
	var r map[string]any
	if err := json.Unmarshal([]byte(last), &r); err != nil {
		t.Fatalf("last line is not JSON: %q", last)
	}
	if r["answerable"] != 3.0 || r["unanswerable"] != 1.0 || r["ans@1"] != 1.0 || r["abstention"] != 1.0 {
		t.Errorf("eval result %v", r)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit %d %s", code, errOut)
	}
}
