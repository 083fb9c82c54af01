package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

// httpSeedRouter is the real commands router over the embedded seed corpus,
// loaded once for every test and benchmark that needs it.
var httpSeedRouter = sync.OnceValues(func() (*commands.Router, error) {
	ix, _, err := knowledge.Open("", knowledge.LoadOptions{})
	if err != nil {
		return nil, err
	}
	return commands.New(knowledge.NewStore(ix), commands.Options{Logger: slog.New(slog.DiscardHandler)}), nil
})

func httpRouterEnv(t testing.TB) (*httpEnv, *commands.Router) {
	t.Helper()
	router, err := httpSeedRouter()
	if err != nil {
		t.Fatal(err)
	}
	return newHTTPEnv(t, router.Handle, httpEnvOptions{}), router
}

// httpButtons lists the custom ids of the buttons in a message's rows.
func httpButtons(rows []discordgo.MessageComponent) []string {
	var ids []string
	for _, row := range rows {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok && b.CustomID != "" {
				ids = append(ids, b.CustomID)
			}
		}
	}
	return ids
}

func TestHTTPWithRouter(t *testing.T) {
	env, _ := httpRouterEnv(t)

	t.Run("ask", func(t *testing.T) {
		_, cb := env.send(discordtest.Slash("ask", discordtest.String("question", "What aid did the Soviet Union give?")))
		if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message == nil {
			t.Fatalf("answered %+v, want a message", cb)
		}
		if cb.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Error("/ask without private answered ephemerally")
		}
		var text strings.Builder
		text.WriteString(cb.Message.Content)
		for _, e := range cb.Message.Embeds {
			text.WriteString(e.Title + "\n" + e.Description + "\n")
			for _, f := range e.Fields {
				text.WriteString(f.Name + "\n" + f.Value + "\n")
			}
		}
		got := text.String()
		for _, want := range []string{"Soviet", "Goscha"} {
			if !strings.Contains(got, want) {
				t.Errorf("answer lacks %q:\n%s", want, got)
			}
		}
		if am := cb.Message.AllowedMentions; am == nil || len(am.Parse) != 0 {
			t.Errorf("allowed_mentions %+v", am)
		}
	})

	t.Run("autocomplete", func(t *testing.T) {
		_, cb := env.send(discordtest.Autocomplete("entry", discordtest.Focused("name", "soviet")))
		if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || cb.Message == nil || len(cb.Message.Choices) == 0 {
			t.Fatalf("answered %+v, want choices", cb)
		}
		if name := cb.Message.Choices[0].Name; !strings.Contains(strings.ToLower(name), "soviet") {
			t.Errorf("first choice %q", name)
		}
	})

	t.Run("button", func(t *testing.T) {
		_, entry := env.send(discordtest.Slash("entry", discordtest.String("name", "Aid, Soviet")))
		if entry.Message == nil || len(entry.Message.Embeds) == 0 {
			t.Fatalf("/entry answered %+v", entry)
		}
		ids := httpButtons(entry.Message.Components)
		if len(ids) == 0 {
			t.Fatalf("/entry answer has no buttons: %s", entry.Message.Raw)
		}
		// Click the first button on the entry's message, as a reader would.
		msg := &discordgo.Message{ID: "1100000000000000950", Embeds: entry.Message.Embeds, Components: entry.Message.Components}
		_, click := env.send(discordtest.Button(ids[0], msg))
		switch click.Type {
		case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		default:
			t.Fatalf("click on %s answered type %d", ids[0], click.Type)
		}
		if click.Message == nil || (click.Message.Content == "" && len(click.Message.Embeds) == 0) {
			t.Fatalf("click on %s answered an empty message", ids[0])
		}
		if strings.Contains(click.Message.Content, "don't know that") {
			t.Errorf("click on %s not routed: %q", ids[0], click.Message.Content)
		}
	})

	m := env.scrape()
	if m[`footnote_interactions_total{command="ask",kind="command",outcome="ok"}`] != 1 {
		t.Errorf("/ask not counted: %v", m)
	}
	if m["footnote_corpus_entries"] != 3 { // the env's stand-in stats
		t.Errorf("corpus gauge %v", m["footnote_corpus_entries"])
	}
}

// BenchmarkHTTPAsk measures signed /ask requests through the whole HTTP
// stack (a real listener on 127.0.0.1, net/http client, signature
// verification, the Responder, the commands router over the seed corpus),
// with 32 concurrent clients. It reports requests/s, latency percentiles,
// and the CPU time (client and server together) per request, which stays
// meaningful on a busy machine.
func BenchmarkHTTPAsk(b *testing.B) {
	router, err := httpSeedRouter()
	if err != nil {
		b.Fatal(err)
	}
	httpBench(b, router.Handle)
}

// BenchmarkHTTPTransport is BenchmarkHTTPAsk with the knowledge taken out:
// the handler returns a ready /ask answer, so what is measured is the
// transport's own cost (verification, JSON, Responder, net/http).
func BenchmarkHTTPTransport(b *testing.B) {
	router, err := httpSeedRouter()
	if err != nil {
		b.Fatal(err)
	}
	canned := router.Handle(context.Background(), discordtest.Slash("ask", discordtest.String("question", "What aid did the Soviet Union give?")))
	httpBench(b, func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse { return canned })
}

func httpBench(b *testing.B, h httpHandlerFunc) {
	env := newHTTPEnv(b, h, httpEnvOptions{quiet: true})
	questions := []string{
		"What aid did the Soviet Union give?",
		"When did Vietnamese students travel to the Soviet Union?",
		"What loan did the DRV sign in 1952?",
		"How big was Soviet aid?",
	}
	bodies := make([][]byte, len(questions))
	headers := make([]http.Header, len(questions))
	for k, q := range questions {
		i := &discordgo.Interaction{ID: "1100000000000000001", AppID: "1100000000000000002", Token: "bench-token", Version: 1,
			Type: discordgo.InteractionApplicationCommand, GuildID: discordtest.GuildID, ChannelID: discordtest.ChannelID,
			Data: discordgo.ApplicationCommandInteractionData{Name: "ask", CommandType: discordgo.ChatApplicationCommand,
				Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.String("question", q)}}}
		body, err := json.Marshal(i)
		if err != nil {
			b.Fatal(err)
		}
		bodies[k] = body
		headers[k] = env.signed(body, time.Now()).Header // signed once: the timestamp stays fresh for the run
	}
	url := env.url + "/interactions"
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	send := func(k int) error {
		r, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(bodies[k%len(bodies)]))
		if err != nil {
			return err
		}
		r.Header = headers[k%len(headers)].Clone()
		resp, err := client.Do(r)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(data, []byte(`{"type":4,`)) {
			return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, data)
		}
		return nil
	}
	if err := send(0); err != nil { // warm up, and check the answer
		b.Fatal(err)
	}

	const clients = 32
	var (
		mu        sync.Mutex
		latencies = make([]int64, 0, b.N)
		next      atomic.Int64
	)
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((clients + procs - 1) / procs)
	b.ResetTimer()
	cpu0 := httpCPUTime()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]int64, 0, 1024)
		for pb.Next() {
			k := int(next.Add(1))
			t0 := time.Now()
			if err := send(k); err != nil {
				b.Error(err)
				return
			}
			local = append(local, int64(time.Since(t0)))
		}
		mu.Lock()
		latencies = append(latencies, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	cpu := httpCPUTime() - cpu0
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 { return float64(latencies[int(p*float64(len(latencies)-1))]) / 1e6 }
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(0.50), "p50-ms")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(latencies)), "cpu-µs/req")
	}
}
