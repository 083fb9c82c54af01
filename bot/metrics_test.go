package bot

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

func TestMetricsLabels(t *testing.T) {
	long := strings.Repeat("x", 80)
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
		{"odd custom id", discordtest.Button("legacy:42", nil), "component", "/legacy"},
		{"long custom id", discordtest.Button("/"+long, nil), "component", "/" + long[:32]},
		{"no data", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}, "command", ""},
		{"unknown", &discordgo.Interaction{Type: 99}, "unknown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, command := metricsLabels(tt.in)
			if kind != tt.kind || command != tt.command {
				t.Errorf("labels %q %q, want %q %q", kind, command, tt.kind, tt.command)
			}
		})
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
