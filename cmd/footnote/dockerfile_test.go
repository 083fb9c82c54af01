package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// dockerfile reads the repository's Dockerfile into its instructions, line
// continuations joined, comments left out.
func dockerfile(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		out = append(out, cur+line)
		cur = ""
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// No Docker engine runs here, so the image itself is not built. What can
// be checked is: a multi-stage build whose last stage is a minimal base
// run by a non-root user, a .dockerignore that keeps secrets out, and the
// build command of the Dockerfile, run as written, making a static binary
// whose "version" names the VERSION given.
func TestDockerfile(t *testing.T) {
	lines := dockerfile(t)
	var froms []string
	var user, entry, build string
	for _, l := range lines {
		word, rest, _ := strings.Cut(l, " ")
		switch strings.ToUpper(word) {
		case "FROM":
			froms = append(froms, rest)
		case "USER":
			user = rest
		case "ENTRYPOINT":
			entry = rest
		case "RUN":
			if strings.Contains(rest, "go build") {
				build = rest
			}
		}
	}
	if len(froms) < 2 {
		t.Fatalf("want a multi-stage build, got FROM %v", froms)
	}
	if last := froms[len(froms)-1]; !strings.HasPrefix(last, "gcr.io/distroless/static") && !strings.HasPrefix(last, "scratch") {
		t.Errorf("the image runs on %q, want a minimal static base", last)
	}
	if user == "" || strings.HasPrefix(user, "root") || strings.HasPrefix(user, "0") {
		t.Errorf("USER %q: the image must not run as root", user)
	}
	if entry != `["/footnote"]` {
		t.Errorf("ENTRYPOINT %s", entry)
	}
	ignore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".env", ".git"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(ignore) {
			t.Errorf(".dockerignore does not keep %s out of the build", want)
		}
	}

	// The build command, as the Dockerfile runs it, into a temporary
	// directory.
	if !strings.HasPrefix(build, "CGO_ENABLED=0 go build ") {
		t.Fatalf("the build is %q, want CGO_ENABLED=0 go build ...", build)
	}
	bin := filepath.Join(t.TempDir(), "footnote")
	cmdline := strings.ReplaceAll(strings.ReplaceAll(build, "${VERSION}", "v0.0.0-dockertest"), "/out/footnote", bin)
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (program header %v)", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "footnote v0.0.0-dockertest (") || !strings.Contains(string(out), runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("footnote version: %v %q", err, out)
	}
}
