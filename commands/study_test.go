package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordspec"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
)

// studyClock is the time of the study goldens.
var studyClock = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// fakeWebhook records a round's webhook calls.
type fakeWebhook struct {
	mu    sync.Mutex
	calls []webhookCall
	next  int
	fail  bool
}

type webhookCall struct {
	op, id     string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
}

func (w *fakeWebhook) EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	return w.EditFollowup(ctx, i, "@original", e)
}

func (w *fakeWebhook) FollowupMessage(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail {
		return "", fmt.Errorf("webhook down")
	}
	w.next++
	id := fmt.Sprintf("m%d", w.next)
	w.calls = append(w.calls, webhookCall{op: "post", id: id, embeds: p.Embeds, components: p.Components})
	return id, nil
}

func (w *fakeWebhook) EditFollowup(ctx context.Context, i *discordgo.Interaction, id string, e *discordgo.WebhookEdit) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, webhookCall{op: "edit", id: id, embeds: *e.Embeds, components: *e.Components})
	return nil
}

func (w *fakeWebhook) all() []webhookCall {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]webhookCall(nil), w.calls...)
}

// studyRouter is a Router on a test corpus with a SQLite store of its
// own, a fixed clock and random source, and a fake webhook.
func studyRouter(t testing.TB, corpus string) (*Router, store.Store, *fakeWebhook) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "study.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wh := &fakeWebhook{}
	r := New(knowledge.NewStore(testIndex(t, corpus)), Options{
		Version: "test", Rand: rand.New(rand.NewPCG(1, 2)), Study: st, Webhook: wh,
		Now: func() time.Time { return studyClock },
	})
	t.Cleanup(func() { r.Close(context.Background()) })
	return r, st, wh
}

// TestStudyGolden runs each testdata/study/*.json, an array of
// interactions, through one study router (a fresh store each file) and
// compares the responses with testdata/study/golden/NAME.json; every
// response must pass Discord's limits and schema.
func TestStudyGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "study", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			corpus, _, _ := strings.Cut(name, "_")
			r, _, _ := studyRouter(t, corpus)
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var steps []discordgo.Interaction
			if err := json.Unmarshal(raw, &steps); err != nil {
				t.Fatalf("fixture does not decode as interactions: %v", err)
			}
			var out []json.RawMessage
			for k := range steps {
				resp := r.Handle(context.Background(), &steps[k])
				checkResponse(t, resp)
				var one bytes.Buffer
				enc := json.NewEncoder(&one)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(resp); err != nil {
					t.Fatal(err)
				}
				got := bytes.TrimSpace(one.Bytes())
				if err := discordspec.Validate(http.MethodPost, discordspec.RouteCallback, got); err != nil {
					t.Fatalf("step %d: Discord would refuse this response: %v\n%s", k, err, got)
				}
				out = append(out, got)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "study", "golden", name+".json")
			if *updateGolden {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./commands -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("responses differ from %s (run go test ./commands -update after checking):\n%s", golden, buf.Bytes())
			}
		})
	}
}
