// Command footnote answers questions from a corpus of reference entries with
// cited facts, on the command line or as a Discord bot.
//
// Usage:
//
//	footnote ask [--knowledge DIR] [--json] [--limit N] QUESTION...
//	footnote entry [--knowledge DIR] [--json] TITLE
//	footnote check [--knowledge DIR]
//	footnote eval --knowledge DIR QUESTIONS.jsonl
//	footnote serve [--dry-run] [--http ADDR]
//
// Run "footnote help" for the full list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// A subcommand is one verb of the footnote binary. Each lives in its own
// file and registers itself in init.
type subcommand struct {
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is what a subcommand may touch: its standard streams and
// environment, so that tests can run subcommands in-process.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var subcommands = map[string]subcommand{}

func register(name string, c subcommand) {
	if _, dup := subcommands[name]; dup {
		panic("footnote: subcommand registered twice: " + name)
	}
	subcommands[name] = c
}

// errUsage marks an error caused by how the command was called; it exits 2.
var errUsage = errors.New("usage")

// errSilent exits 1 without printing: the subcommand has said why.
var errSilent = errors.New("failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, env *environment, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "footnote: unknown command %q (run \"footnote help\")\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "footnote %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(env.stderr, "footnote %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "footnote: answers questions from reference entries with cited facts.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, subcommands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run \"footnote COMMAND -h\" for a command's flags.")
}
