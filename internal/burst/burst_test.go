package burst

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/knowledge"
)

func TestHeavyQuestion(t *testing.T) {
	corpus := strings.Join([]string{
		`{"id":"a","title":"A","text":"The lighthouse keeper kept the lighthouse lamp lit; the lamp burned oil."}`,
		`{"id":"b","title":"B","text":"A lighthouse lamp needs oil, and the keeper trims the wick of the lamp."}`,
		`not json`,
	}, "\n")
	q, err := HeavyQuestion(strings.NewReader(corpus), 30, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q, "lamp lighthouse") {
		t.Errorf("question %q does not start with the commonest words", q)
	}
	if strings.Contains(" "+q+" ", " the ") {
		t.Errorf("question %q holds a stop word", q)
	}
	if n := utf8.RuneCountInString(q); n > 30 || n < 20 {
		t.Errorf("question of %d characters, want about 30", n)
	}
	if _, err := HeavyQuestion(strings.NewReader(""), 30, 1<<20); err == nil {
		t.Error("a question from nothing")
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]time.Duration{50: 5, 99: 10, 100: 10, 10: 1} {
		if got := Percentile(ds, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

// TestRun fires a small burst at an in-process HTTP transport on the seed
// corpus that defers whatever takes over a millisecond, so that answers
// come both in the response and through the sink.
func TestRun(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := knowledge.Open("", knowledge.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sink := NewSink()
	defer sink.Close()
	router := commands.New(knowledge.NewStore(ix), commands.Options{})
	metrics := bot.NewMetrics(nil)
	quiet := slog.New(slog.DiscardHandler)
	ih, err := bot.NewInteractionsHandler(bot.HTTPOptions{PublicKey: pub, Handler: router, Metrics: metrics, Logger: quiet,
		Webhooks: &bot.RESTClient{Base: sink.URL}, DeferAfter: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := &bot.HTTPServer{Config: bot.HTTPConfig{Addr: ln.Addr().String(), PublicKey: pub}, Interactions: ih, Metrics: metrics, Logger: quiet}
	go func() { done <- srv.Serve(ctx, ln, nil) }()
	defer func() {
		cancel()
		<-done
	}()
	base := "http://" + ln.Addr().String()
	rep, err := Run(context.Background(), Options{URL: base + "/", OpsURL: base, Key: priv, Sink: sink,
		Question: "How many films did the Soviets send?", Requests: 40, Concurrency: 8, Guilds: 4,
		Lookups: 5, EntryName: "soviet aid"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Answered != 40 || rep.Failed != 0 || rep.Refused != 0 || len(rep.Answer) != 40 {
		t.Errorf("answered %d, failed %d, refused %d of 40", rep.Answered, rep.Failed, rep.Refused)
	}
	if rep.InResponse+rep.Deferred != rep.Answered {
		t.Errorf("%d in the response + %d deferred != %d", rep.InResponse, rep.Deferred, rep.Answered)
	}
	if len(rep.EntryByName) != 5 || len(rep.EntryToken) != 5 || len(rep.EmptyAuto) != 5 {
		t.Errorf("lookups timed: %d, %d, %d", len(rep.EntryByName), len(rep.EntryToken), len(rep.EmptyAuto))
	}
	if rep.PeakGorout == 0 {
		t.Error("no goroutines sampled from /metrics")
	}
}
