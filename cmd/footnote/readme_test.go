package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// shellWords splits a README command line as sh would, for the simple
// lines a README holds: words, '...' and "..." quoting, and a # comment.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return words
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// readmeCommandLines are the lines of README.md's "The command line"
// block.
func readmeCommandLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "## The command line\n")
	if !ok {
		t.Fatal("README.md has no \"The command line\" section")
	}
	_, block, ok := strings.Cut(rest, "```sh\n")
	if !ok {
		t.Fatal("the command-line section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// The README's examples work as written, after the build line above them:
// each runs the binary it built (./footnote: a bare "footnote" is not on
// the PATH), every subcommand is shown, and those that need nothing but
// the embedded seed exit 0 here.
func TestReadmeCommandLines(t *testing.T) {
	lines := readmeCommandLines(t)
	if !strings.HasPrefix(lines[0], "go build -o footnote ./cmd/footnote") {
		t.Errorf("the block does not start by building ./footnote: %q", lines[0])
	}
	shown := map[string]bool{}
	placeholders := []string{"DIR", "QUESTIONS", "./my-corpus", "ID"}
	for _, line := range lines[1:] {
		stdin := ""
		cmdline := line
		if before, after, ok := strings.Cut(line, "|"); ok {
			words := shellWords(before)
			if len(words) != 2 || words[0] != "printf" {
				t.Errorf("a pipe from something other than printf: %q", line)
				continue
			}
			stdin = strings.ReplaceAll(words[1], `\n`, "\n")
			cmdline = after
		}
		words := shellWords(cmdline)
		if len(words) < 2 || words[0] != "./footnote" {
			t.Errorf("%q does not run ./footnote", line)
			continue
		}
		shown[words[1]] = true
		if containsAny(words, placeholders) || words[1] == "register" {
			continue // needs a corpus, a file or a token of the reader's
		}
		var out, errb bytes.Buffer
		env := &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		if code := run(context.Background(), env, words[1:]); code != 0 {
			t.Errorf("%q: exit %d\n%s", line, code, errb.String())
		}
	}
	for name := range subcommands {
		if !shown[name] {
			t.Errorf("README.md's command-line block does not show ./footnote %s", name)
		}
	}
}

func containsAny(words, subs []string) bool {
	for _, w := range words {
		for _, s := range subs {
			if strings.Contains(w, s) {
				return true
			}
		}
	}
	return false
}
