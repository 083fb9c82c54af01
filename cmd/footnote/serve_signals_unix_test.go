//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHelperMain is not a test: TestServeSignals runs the test binary
// again with FOOTNOTE_HELPER_MAIN=1 to get a real footnote process (main,
// its signal handling, os.Exit), whose arguments follow "--".
func TestHelperMain(t *testing.T) {
	if os.Getenv("FOOTNOTE_HELPER_MAIN") != "1" {
		return
	}
	for i, a := range os.Args {
		if a == "--" {
			os.Args = append([]string{"footnote"}, os.Args[i+1:]...)
			break
		}
	}
	main()
}

// TestServeSignals sends real signals to a real serve process: SIGHUP
// reloads the corpus (a file added since the start answers, a file broken
// since keeps its entry, and the process goes on answering), SIGTERM ends
// it with 0. The watch is off, so only the signal can have reloaded.
func TestServeSignals(t *testing.T) {
	pub, priv := serveHTTPKey(t)
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "cell.md"), "---\ntitle: Cell\nsource: Notes\n---\nRobert Hooke named cells in 1665.\n")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$", "--", "serve", "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "FOOTNOTE_HELPER_MAIN=1", bot.EnvPublicKey+"="+pub, "LOG_LEVEL=info",
		bot.EnvKnowledgeDir+"="+corpus, bot.EnvKnowledgeWatch+"=off")
	cmd.Dir = t.TempDir() // no .env; footnote.db goes here
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var mu sync.Mutex
	var logs strings.Builder
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := serveHTTPAddrLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- "http://" + m[2]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	logged := func() string {
		mu.Lock()
		defer mu.Unlock()
		return logs.String()
	}
	var base string
	select {
	case base = <-addr:
	case <-time.After(time.Minute):
		t.Fatalf("serve never listened:\n%s", logged())
	}
	serveHTTPWaitReady(t, base)
	if _, body := serveHTTPGet(t, base+"/metrics"); !strings.Contains(body, "footnote_corpus_version 1") {
		t.Fatalf("no corpus version 1 at start:\n%.2000s", body)
	}

	writeFile(t, filepath.Join(corpus, "gene.md"), "---\ntitle: Gene\nsource: Notes\n---\nGregor Mendel studied heredity in peas in 1856.\n")
	writeFile(t, filepath.Join(corpus, "cell.md"), "---\ntitle: [Cell\n---\nbroken\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logged(), "corpus reloaded") {
		if time.Now().After(deadline) {
			t.Fatalf("no reload logged after SIGHUP:\n%s", logged())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, want := range []string{"SIGHUP received", "kept_last_good", "cell.md", "line=2"} {
		if !strings.Contains(logged(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logged())
		}
	}
	_, body := serveHTTPGet(t, base+"/metrics")
	for _, want := range []string{"footnote_corpus_version 2", `footnote_corpus_last_reload_outcome{outcome="partial"} 1`, "footnote_corpus_entries 2"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for q, want := range map[string]string{"Who studied heredity in peas?": "Mendel", "Who named cells?": "Hooke"} {
		ask := discordtest.Slash("ask", discordtest.String("question", q))
		ask.ID, ask.AppID, ask.Token, ask.GuildID = "1100000000000000001", "1100000000000000002", "tok", ""
		ask.User = &discordgo.User{ID: "1100000000000000500", Username: "reader"}
		raw, _ := json.Marshal(ask)
		if status, answer := serveHTTPPost(t, base+"/interactions", priv, raw); status != http.StatusOK || !strings.Contains(string(answer), want) {
			t.Errorf("after SIGHUP, %q: %d %.300s", q, status, answer)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM: %v\n%s", err, logged())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM:\n%s", logged())
	}
}
