package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

func init() {
	register("version", subcommand{
		summary: "print the version of this build, its commit and its Go version",
		usage:   "",
		setup:   versionSetup,
	})
}

// version is the release this binary was built as, set at link time:
// go build -ldflags "-X main.version=v1.2.0" (the Dockerfile passes its
// VERSION build argument so). Without it, the module version Go recorded
// is used: a tag, a pseudo-version from the commit, or "(devel)".
var version = ""

func versionSetup(fs *flag.FlagSet, env *environment) runFunc {
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		_, err := fmt.Fprintln(env.stdout, versionLine())
		return err
	}
}

// buildVersion is the version /about shows and "footnote version" prints
// first.
func buildVersion() string {
	if v := strings.TrimSpace(version); v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// versionLine is "footnote VERSION (commit C, TIME; GO OS/ARCH)", with what
// the build recorded of its commit.
func versionLine() string {
	var details []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if settings["vcs.modified"] == "true" {
				rev += " with local changes"
			}
			details = append(details, "commit "+rev)
		}
		if t := settings["vcs.time"]; t != "" {
			details = append(details, t)
		}
	}
	platform := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	if len(details) == 0 {
		return fmt.Sprintf("footnote %s (%s)", buildVersion(), platform)
	}
	return fmt.Sprintf("footnote %s (%s; %s)", buildVersion(), strings.Join(details, ", "), platform)
}
