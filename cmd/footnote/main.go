// Command footnote answers questions from a corpus of reference entries with
// cited facts, on the command line or as a Discord bot.
//
// Usage:
//
//	footnote ask [--knowledge DIR] [--json] [--limit N] QUESTION...
//	footnote entry [--knowledge DIR] [--json] TITLE
//	footnote check [--knowledge DIR]
//	footnote eval [--knowledge DIR] QUESTIONS.jsonl
//	footnote serve [--dry-run] [--http ADDR]
//	footnote gaps [--guild ID] [--json]
//	footnote version
//
// Flags may come before or after the arguments. Run "footnote help" for the
// full list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// A subcommand is one verb of the footnote binary. Each lives in its own
// file and registers itself in init.
type subcommand struct {
	summary string
	// usage is what follows "footnote NAME" in the usage line: its flags
	// and arguments, e.g. "[--json] QUESTION...".
	usage string
	// help, when set, is a paragraph "footnote NAME -h" adds.
	help string
	// setup defines the subcommand's flags on fs and returns the function
	// that runs it, called with the positional arguments once the whole
	// command line has been parsed.
	setup func(fs *flag.FlagSet, env *environment) runFunc
}

// runFunc runs a subcommand with its positional arguments.
type runFunc func(ctx context.Context, args []string) error

// environment is what a subcommand may touch: its standard streams and
// environment, so that tests can run subcommands in-process.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// terminal is true when stderr is a terminal: loading then shows its
	// progress there.
	terminal bool
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
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		terminal: term.IsTerminal(int(os.Stderr.Fd()))}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code: 0 for success,
// 1 for a failure, 2 for a command line that cannot be run as written.
func run(ctx context.Context, env *environment, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) == 0 {
			usage(env.stderr)
			return 2
		}
		if len(args) > 1 {
			if _, ok := subcommands[args[1]]; ok {
				return run(ctx, env, []string{args[1], "-h"})
			}
		}
		usage(env.stdout)
		return 0
	}
	name := args[0]
	cmd, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(env.stderr, "footnote: unknown command %q (run \"footnote help\")\n", name)
		return 2
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, in one line
	runCmd := cmd.setup(fs, env)
	pos, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printHelp(env.stdout, name, cmd, fs)
		return 0
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "footnote %s: %v\n", name, flagError(name, err))
		fmt.Fprintf(env.stderr, "usage: footnote %s %s (-h for more)\n", name, cmd.usage)
		return 2
	}
	err = runCmd(ctx, pos)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "footnote %s: %v\n", name, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		fmt.Fprintf(env.stderr, "usage: footnote %s %s (-h for more)\n", name, cmd.usage)
		return 2
	default:
		fmt.Fprintf(env.stderr, "footnote %s: %v\n", name, err)
		return 1
	}
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments ("ask quinine --json" as well as "ask --json quinine") and
// returns the positional ones, in order. "--" ends the flags: everything
// after it is an argument, which is how a question that starts with "-" is
// asked. A lone "-" is an argument (standard input).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" && !flagValue(fs, args, consumed-1) {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagValue reports whether args[i] was consumed as the value of the flag
// before it ("--knowledge --" names a directory called "--").
func flagValue(fs *flag.FlagSet, args []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := strings.TrimLeft(args[i-1], "-")
	if prev == args[i-1] || strings.Contains(prev, "=") {
		return false
	}
	f := fs.Lookup(prev)
	if f == nil {
		return false
	}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	return true
}

// flagError rewords the flag package's errors for a person at a shell.
func flagError(cmd string, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		if len(name) > 1 && (name[1] >= '0' && name[1] <= '9' || strings.ContainsAny(name, " ")) {
			return fmt.Errorf("unknown flag %s: an argument that starts with \"-\" goes after \"--\" (footnote %s -- %s ...)", name, cmd, name)
		}
		return fmt.Errorf("unknown flag -%s", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Errorf("flag -%s needs a value", name)
	}
	return errors.New(strings.Replace(msg, " -", " --", 1))
}

func printHelp(w io.Writer, name string, cmd subcommand, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: footnote %s %s\n\n%s.\n", name, cmd.usage, upperFirst(cmd.summary))
	if cmd.help != "" {
		fmt.Fprintf(w, "%s\n", cmd.help)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags (before or after the arguments; -- ends them):")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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
	fmt.Fprintln(w, "Run \"footnote COMMAND -h\" for a command's flags. Flags may follow the arguments.")
	fmt.Fprintln(w, "Every command that reads a corpus takes --knowledge DIR, else $KNOWLEDGE_DIR, else the embedded seeds.")
}
