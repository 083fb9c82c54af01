//go:build unix

package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/internal/burst"
)

// BenchmarkHeavyBurst is the heavy burst of issue 11, run against a real
// `footnote serve --http` process on a generated corpus:
//
//	footnote gen --entries 100000 --seed 1 /tmp/gen100k
//	FOOTNOTE_BURST_CORPUS=/tmp/gen100k go test -run '^$' -bench HeavyBurst -benchtime 1x ./cmd/footnote
//
// 400 of the heaviest 300-character /ask (the corpus's commonest words),
// 64 at once, each from another member (in 40 servers, so that the rate
// limits let the whole burst reach the answer workers), while the
// server's resident memory, goroutines and /healthz are sampled; before
// it, /entry by name, /entry by a made-up id token and the empty
// autocomplete are timed one at a time. FOOTNOTE_BURST_BIN runs another
// footnote binary (an older build, to compare) instead of this one.
// Without FOOTNOTE_BURST_CORPUS there is nothing to measure.
func BenchmarkHeavyBurst(b *testing.B) {
	dir := os.Getenv("FOOTNOTE_BURST_CORPUS")
	if dir == "" {
		b.Skip("set FOOTNOTE_BURST_CORPUS to a corpus made by `footnote gen --entries 100000 --seed 1 DIR`")
	}
	corpus := filepath.Join(dir, "entries.jsonl")
	f, err := os.Open(corpus)
	if err != nil {
		b.Fatal(err)
	}
	question, err := burst.HeavyQuestion(f, 300, 64<<20)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	entryName := firstTitle(b, corpus)
	b.Logf("question (%d characters): %s", len([]rune(question)), question)

	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	sink := burst.NewSink()
	defer sink.Close()
	args := []string{"serve", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--knowledge", dir}
	var cmd *exec.Cmd
	if bin := os.Getenv("FOOTNOTE_BURST_BIN"); bin != "" {
		cmd = exec.Command(bin, args...)
	} else {
		cmd = exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperMain$", "--"}, args...)...)
		cmd.Env = append(cmd.Env, "FOOTNOTE_HELPER_MAIN=1")
	}
	cmd.Env = append(append(os.Environ(), cmd.Env...), bot.EnvPublicKey+"="+hex.EncodeToString(pub),
		bot.EnvAPIURL+"="+sink.URL, "LOG_LEVEL=info")
	cmd.Dir = b.TempDir()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	addrs := make(chan string, 2)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := serveHTTPAddrLine.FindStringSubmatch(sc.Text()); m != nil {
				addrs <- "http://" + m[2]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	url, ops := <-addrs, <-addrs
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	loadStart := time.Now()
	for {
		resp, err := http.Get(ops + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(loadStart) > 15*time.Minute {
			b.Fatal("the corpus never loaded")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Logf("loaded in %v", time.Since(loadStart).Round(100*time.Millisecond))
	time.Sleep(2 * time.Second) // idle

	var rep burst.Report
	for b.Loop() {
		rep, err = burst.Run(ctx, burst.Options{
			URL: url + "/", OpsURL: ops, PID: cmd.Process.Pid, Key: priv, Sink: sink,
			Question: question, Requests: 400, Concurrency: 64, Guilds: 40,
			Lookups: 200, EntryName: entryName,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	b.ReportMetric(float64(rep.Answered), "answered")
	b.ReportMetric(float64(rep.Deferred), "deferred")
	b.ReportMetric(float64(rep.Refused), "refused")
	b.ReportMetric(float64(rep.Failed), "failed")
	b.ReportMetric(mb(rep.IdleRSS), "idle-MiB")
	b.ReportMetric(mb(rep.PeakRSS), "peak-MiB")
	b.ReportMetric(mb(rep.PeakRSS-rep.IdleRSS), "peak-over-idle-MiB")
	b.ReportMetric(float64(rep.PeakGorout), "peak-goroutines")
	b.ReportMetric(ms(burst.Percentile(rep.Healthz, 99)), "healthz-p99-ms")
	b.ReportMetric(ms(burst.Percentile(rep.Healthz, 100)), "healthz-max-ms")
	b.ReportMetric(ms(burst.Percentile(rep.Answer, 50)), "answer-p50-ms")
	b.ReportMetric(ms(burst.Percentile(rep.Answer, 99)), "answer-p99-ms")
	b.ReportMetric(ms(burst.Percentile(rep.EntryByName, 50)), "entry-name-p50-ms")
	b.ReportMetric(ms(burst.Percentile(rep.EntryToken, 50)), "entry-token-p50-ms")
	b.ReportMetric(ms(burst.Percentile(rep.EmptyAuto, 50)), "empty-autocomplete-p50-ms")
	b.Logf("%d requests in %v: %d answered (%d in the response, %d deferred), %d told to try again, %d failed; "+
		"%d /healthz samples; idle %d goroutines",
		rep.Requests, rep.Took.Round(time.Millisecond), rep.Answered, rep.InResponse, rep.Deferred, rep.Refused, rep.Failed,
		len(rep.Healthz), rep.IdleGorout)
}

// firstTitle is the title of the first entry of a JSON-lines corpus.
func firstTitle(b *testing.B, path string) string {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	if !sc.Scan() {
		b.Fatal("empty corpus")
	}
	var e struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
		b.Fatal(err)
	}
	return e.Title
}
