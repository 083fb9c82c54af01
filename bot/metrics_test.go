package bot

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

func TestMetricsLabels(t *testing.T) {
	long := strings.Repeat("x", 80)
	lb := newLabeler(MetricLabels{Commands: []string{"ask", "entry", "Find sources"}, Routes: []string{"/entry", "/share"}})
	tests := []struct {
		name          string
		in            *discordgo.Interaction
		kind, command string
	}{
		{"ping", &discordgo.Interaction{Type: discordgo.InteractionPing}, "ping", ""},
		{"command", discordtest.Slash("ask"), "command", "ask"},
		{"message command", discordtest.MessageCommand("Find sources", "1", "x"), "command", "Find sources"},
		{"autocomplete", discordtest.Autocomplete("entry"), "autocomplete", "entry"},
		{"button", discordtest.Button("/entry/aid-soviet/page/2", nil), "component", "/entry"},
		{"share", discordtest.Button("/share/entry/x/page/0", nil), "component", "/share"},
		{"unknown command", discordtest.Slash("ask2"), "command", LabelOther},
		{"unknown autocomplete", discordtest.Autocomplete(long), "autocomplete", LabelOther},
		{"odd custom id", discordtest.Button("legacy:42", nil), "component", LabelOther},
		{"long custom id", discordtest.Button("/"+long, nil), "component", LabelOther},
		{"no data", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}, "command", LabelOther},
		{"unknown", &discordgo.Interaction{Type: 99}, "unknown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, command := lb.of(tt.in)
			if kind != tt.kind || command != tt.command {
				t.Errorf("labels %q %q, want %q %q", kind, command, tt.kind, tt.command)
			}
		})
	}
}

// TestMetricsLabelsFromRouter checks that the closed set comes from the
// commands router itself: every command it registers and every component
// route it answers keeps its name.
func TestMetricsLabelsFromRouter(t *testing.T) {
	router := commands.New(knowledge.NewStore(nil), commands.Options{})
	lb := newLabeler(labelsOf(router))
	for _, c := range router.Commands() {
		if _, got := lb.of(discordtest.Slash(c.Name)); got != c.Name {
			t.Errorf("command %q counted as %q", c.Name, got)
		}
	}
	for _, id := range []string{"/entry/x/page/1", "/share/entry/x/page/0", "/related/x", "/pick/related", "/random/again"} {
		if _, got := lb.of(discordtest.Button(id, nil)); got == LabelOther {
			t.Errorf("component %q counted as %q", id, got)
		}
	}
}

func TestMetricsNilSafe(t *testing.T) {
	var m *Metrics
	m.ObserveAnswer(knowledge.Answer{})
	m.observeInteraction("command", "ask", OutcomeOK, 0)
	m.observeRejected("bad_signature")
}

func TestMetricsOwnRegistry(t *testing.T) {
	a, b := NewMetrics(nil), NewMetrics(nil) // two in one process: no duplicate registration
	a.ObserveAnswer(knowledge.Answer{Answered: false})
	rec := httptest.NewRecorder()
	b.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "footnote_abstentions_total 0") {
		t.Errorf("the second registry saw the first's abstention:\n%s", rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "footnote_corpus_entries") {
		t.Error("corpus gauges without a corpus")
	}
}
