//go:build unix

package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/bot"
)

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

// TestServeSignals sends real signals to a real serve process: SIGHUP is
// logged and ignored (the process goes on answering), SIGTERM ends it
// with 0.
func TestServeSignals(t *testing.T) {
	pub, _ := serveHTTPKey(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$", "--", "serve", "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "FOOTNOTE_HELPER_MAIN=1", bot.EnvPublicKey+"="+pub, "LOG_LEVEL=info")
	cmd.Dir = t.TempDir() // no .env
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

	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logged(), "SIGHUP received") {
		if time.Now().After(deadline) {
			t.Fatalf("no SIGHUP logged:\n%s", logged())
		}
		time.Sleep(10 * time.Millisecond)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("serve is gone after SIGHUP: %v\n%s", err, logged())
	}
	resp.Body.Close()

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
