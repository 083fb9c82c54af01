package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/admit"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// gate is a handler whose answers wait until released; it records how
// many run at once.
type gate struct {
	release          chan struct{}
	running, maxSeen atomic.Int64
	started          chan struct{}
}

func newGate() *gate { return &gate{release: make(chan struct{}), started: make(chan struct{}, 1000)} }

func (g *gate) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	n := g.running.Add(1)
	for {
		m := g.maxSeen.Load()
		if n <= m || g.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	g.started <- struct{}{}
	<-g.release
	g.running.Add(-1)
	return httpMessage("answer")
}

// asker returns an /ask from user in guild.
func asker(user, guild string) *discordgo.Interaction {
	i := discordtest.Slash("ask", discordtest.String("question", "q"))
	i.GuildID = guild
	i.Member = &discordgo.Member{User: &discordgo.User{ID: user}}
	return i
}

func isNotice(resp *discordgo.InteractionResponse, text string) bool {
	return resp != nil && resp.Type == discordgo.InteractionResponseChannelMessageWithSource && resp.Data != nil &&
		resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 && strings.Contains(resp.Data.Content, text)
}

// TestAdmissionBoundsRunningAnswers sends more costly interactions than
// the workers and the queue hold: at most Workers run at once, Queue wait,
// the rest are told at once to try again; all the admitted ones are
// answered once workers free up.
func TestAdmissionBoundsRunningAnswers(t *testing.T) {
	const workers, queue, extra = 2, 3, 4
	g := newGate()
	m := NewMetrics(nil)
	a, err := NewAdmission(g, AdmissionConfig{Workers: workers, Queue: queue, QueueWait: time.Minute}, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	answers := make(chan *discordgo.InteractionResponse, workers+queue+extra)
	send := func(k int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers <- a.Handle(context.Background(), asker(fmt.Sprint("user", k), fmt.Sprint("guild", k)))
		}()
	}
	for k := range workers {
		send(k)
		<-g.started
	}
	for k := range queue {
		send(workers + k)
		waitUntil(t, func() bool { return a.pool.Waiting() == k+1 })
	}
	for k := range extra {
		resp := a.Handle(context.Background(), asker(fmt.Sprint("late", k), "guild-late"))
		if !isNotice(resp, BusyText) {
			t.Errorf("with the queue full: %+v, want the busy notice", resp)
		}
	}
	close(g.release)
	wg.Wait()
	close(answers)
	n := 0
	for resp := range answers {
		if resp.Data == nil || resp.Data.Content != "answer" {
			t.Errorf("an admitted interaction got %+v", resp.Data)
		}
		n++
	}
	if n != workers+queue {
		t.Errorf("%d answered, want %d", n, workers+queue)
	}
	if got := g.maxSeen.Load(); got != workers {
		t.Errorf("%d answers ran at once, want at most %d", got, workers)
	}
	if got := scrapeValue(t, m, `footnote_admission_refused_total{reason="busy"}`); got != extra {
		t.Errorf("busy refusals counted %v, want %d", got, extra)
	}
}

// TestAdmissionCheapInteractionsPass: with every worker busy, what is not
// costly (autocomplete, buttons, /about) is still answered.
func TestAdmissionCheapInteractionsPass(t *testing.T) {
	var handled atomic.Int64
	block := make(chan struct{})
	defer close(block)
	h := httpHandlerFunc(func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		if i.Type == discordgo.InteractionApplicationCommand && i.ApplicationCommandData().Name == "ask" {
			<-block
		}
		handled.Add(1)
		return httpMessage("ok")
	})
	a, err := NewAdmission(costly{h, "ask"}, AdmissionConfig{Workers: 1, Queue: 1, QueueWait: time.Minute}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		go a.Handle(context.Background(), asker("u", "g"))
	}
	waitUntil(t, func() bool { return a.pool.Running() == 1 && a.pool.Waiting() == 1 })
	for _, i := range []*discordgo.Interaction{
		discordtest.Autocomplete("entry", discordtest.Focused("name", "a")),
		discordtest.Button("/entry/x/page/1", nil),
		discordtest.Slash("about"),
	} {
		if resp := a.Handle(context.Background(), i); resp.Data == nil || resp.Data.Content != "ok" {
			t.Errorf("%v with the pool full: %+v", i.Type, resp.Data)
		}
	}
	if !isNotice(a.Handle(context.Background(), asker("v", "g")), BusyText) {
		t.Error("a costly interaction was not refused with the pool full")
	}
}

// costly marks the commands named as costly.
type costly struct {
	httpHandlerFunc
	name string
}

func (c costly) Costly(i *discordgo.Interaction) bool {
	d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	return ok && i.Type == discordgo.InteractionApplicationCommand && d.Name == c.name
}

func TestAdmissionRateLimits(t *testing.T) {
	h := httpHandlerFunc(func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		return httpMessage("answer")
	})
	m := NewMetrics(nil)
	a, err := NewAdmission(h, AdmissionConfig{
		UserRate:  admit.Rate{N: 2, Per: time.Hour},
		GuildRate: admit.Rate{N: 3, Per: time.Hour},
	}, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(user, guild string) *discordgo.InteractionResponse {
		return a.Handle(context.Background(), asker(user, guild))
	}
	for k := range 2 {
		if resp := ask("alice", "g1"); resp.Data.Content != "answer" {
			t.Fatalf("alice's question %d refused: %q", k, resp.Data.Content)
		}
	}
	if resp := ask("alice", "g1"); !isNotice(resp, "You are asking faster") {
		t.Errorf("alice's third question: %+v, want the user rate notice", resp.Data)
	}
	if resp := ask("bob", "g1"); resp.Data.Content != "answer" {
		t.Errorf("bob refused: %q", resp.Data.Content)
	}
	// g1 has given 3 tokens (alice 2, bob 1); carol is new but her server
	// is out of tokens. Her own token is given back.
	if resp := ask("carol", "g1"); !isNotice(resp, "This server is asking faster") {
		t.Errorf("carol in a busy server: %+v, want the server rate notice", resp.Data)
	}
	if resp := ask("carol", "g2"); resp.Data.Content != "answer" {
		t.Errorf("carol in another server: %q", resp.Data.Content)
	}
	if resp := ask("carol", "g2"); resp.Data.Content != "answer" {
		t.Errorf("carol's second question (her refused one was refunded): %q", resp.Data.Content)
	}
	if got := scrapeValue(t, m, `footnote_admission_refused_total{reason="user_rate"}`); got != 1 {
		t.Errorf("user_rate refusals %v", got)
	}
	if got := scrapeValue(t, m, `footnote_admission_refused_total{reason="guild_rate"}`); got != 1 {
		t.Errorf("guild_rate refusals %v", got)
	}
}

// TestAdmissionQueueWait: a wait in the queue is bounded.
func TestAdmissionQueueWait(t *testing.T) {
	g := newGate()
	defer close(g.release)
	m := NewMetrics(nil)
	a, err := NewAdmission(g, AdmissionConfig{Workers: 1, Queue: 4, QueueWait: 20 * time.Millisecond}, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	go a.Handle(context.Background(), asker("u1", "g"))
	<-g.started
	if resp := a.Handle(context.Background(), asker("u2", "g")); !isNotice(resp, BusyText) {
		t.Errorf("after the longest wait: %+v, want the busy notice", resp.Data)
	}
	if got := scrapeValue(t, m, `footnote_admission_refused_total{reason="queue_wait"}`); got != 1 {
		t.Errorf("queue_wait refusals %v", got)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(time.Millisecond)
	}
}

// scrapeValue reads one sample from m's /metrics.
func scrapeValue(t *testing.T, m *Metrics, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Fatalf("no %s in /metrics", series)
	return 0
}
