package commands

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

const secretToken = "interaction-token-must-not-be-logged"

func TestPanicIsRecoveredAndLogged(t *testing.T) {
	var logs bytes.Buffer
	r := New(knowledge.NewStore(testIndex(t, "seed")), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r.commands.handle("/boom", func(*request) *discordgo.InteractionResponse { panic("kaboom") })
	r.autocomplete.handle("/boom", func(*request) *discordgo.InteractionResponse { panic("kaboom") })

	resp := r.Handle(context.Background(), &discordgo.Interaction{
		ID: "1", Type: discordgo.InteractionApplicationCommand, Token: secretToken,
		Data: discordgo.ApplicationCommandInteractionData{Name: "boom"},
	})
	checkResponse(t, resp)
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral ||
		!strings.Contains(resp.Data.Content, "went wrong") {
		t.Errorf("panic answered with %+v", resp.Data)
	}
	if !strings.Contains(logs.String(), "panic in interaction handler") || !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("panic not logged: %s", logs.String())
	}

	resp = r.Handle(context.Background(), &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommandAutocomplete, Token: secretToken,
		Data: discordgo.ApplicationCommandInteractionData{Name: "boom"},
	})
	checkResponse(t, resp)
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(resp.Data.Choices) != 0 {
		t.Errorf("autocomplete panic answered with %+v", resp)
	}
	if strings.Contains(logs.String(), secretToken) {
		t.Error("the interaction token reached the log")
	}
}

// TestMalformed feeds interactions Discord would not send, or that lost
// parts on the way; each must get a valid answer and no panic.
func TestMalformed(t *testing.T) {
	r := testRouter(t, "seed")
	cmd := func(d discordgo.InteractionData) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: d}
	}
	tests := []struct {
		name     string
		i        *discordgo.Interaction
		wantType discordgo.InteractionResponseType
	}{
		{"nil interaction", nil, discordgo.InteractionResponseChannelMessageWithSource},
		{"nil data", cmd(nil), discordgo.InteractionResponseChannelMessageWithSource},
		{"nil pointer data", cmd((*discordgo.ApplicationCommandInteractionData)(nil)), discordgo.InteractionResponseChannelMessageWithSource},
		{"pointer data", cmd(&discordgo.ApplicationCommandInteractionData{Name: "about"}), discordgo.InteractionResponseChannelMessageWithSource},
		{"component data on a command", cmd(discordgo.MessageComponentInteractionData{CustomID: "/entry/aid-soviet"}), discordgo.InteractionResponseChannelMessageWithSource},
		{"nil options", cmd(discordgo.ApplicationCommandInteractionData{Name: "entry", Options: []*discordgo.ApplicationCommandInteractionDataOption{nil}}), discordgo.InteractionResponseChannelMessageWithSource},
		{"message command without resolved", cmd(discordgo.ApplicationCommandInteractionData{Name: findSourcesName, CommandType: discordgo.MessageApplicationCommand, TargetID: "1"}), discordgo.InteractionResponseChannelMessageWithSource},
		{"message command with nil message", cmd(discordgo.ApplicationCommandInteractionData{Name: findSourcesName, CommandType: discordgo.MessageApplicationCommand, TargetID: "1",
			Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{"1": nil}}}), discordgo.InteractionResponseChannelMessageWithSource},
		{"user command", cmd(discordgo.ApplicationCommandInteractionData{Name: "ask", CommandType: discordgo.UserApplicationCommand}), discordgo.InteractionResponseChannelMessageWithSource},
		{"autocomplete without focus", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, Data: discordgo.ApplicationCommandInteractionData{Name: "entry"}}, discordgo.InteractionApplicationCommandAutocompleteResult},
		{"autocomplete nil data", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete}, discordgo.InteractionApplicationCommandAutocompleteResult},
		{"component nil data", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent}, discordgo.InteractionResponseChannelMessageWithSource},
		{"component without message or user", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: "/entry/aid-soviet/page/1"}}, discordgo.InteractionResponseChannelMessageWithSource},
		{"component bad page", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: "/entry/aid-soviet/page/-9999999999999999999999"}}, discordgo.InteractionResponseChannelMessageWithSource},
		{"select without values", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: discordgo.MessageComponentInteractionData{CustomID: "/pick/related"}}, discordgo.InteractionResponseChannelMessageWithSource},
		{"modal submit", &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Data: discordgo.ModalSubmitInteractionData{CustomID: "/x"}}, discordgo.InteractionResponseChannelMessageWithSource},
		{"unknown type", &discordgo.Interaction{Type: 99}, discordgo.InteractionResponseChannelMessageWithSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := r.Handle(context.Background(), tt.i)
			checkResponse(t, resp)
			if resp.Type != tt.wantType {
				t.Errorf("response type %d, want %d", resp.Type, tt.wantType)
			}
		})
	}
}

func TestNoIndexYet(t *testing.T) {
	r := New(knowledge.NewStore(nil), Options{})
	resp := r.Handle(context.Background(), &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "about"},
	})
	checkResponse(t, resp)
	if !strings.Contains(resp.Data.Content, "loading") {
		t.Errorf("content %q", resp.Data.Content)
	}
	r = New(nil, Options{})
	checkResponse(t, r.Handle(context.Background(), &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommandAutocomplete, Data: discordgo.ApplicationCommandInteractionData{Name: "entry"},
	}))
}

// TestSwappedIndex checks the Router reads the store at each interaction.
func TestSwappedIndex(t *testing.T) {
	store := knowledge.NewStore(testIndex(t, "seed"))
	r := New(store, Options{})
	about := &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "about"}}
	entries := func() string { return r.Handle(context.Background(), about).Data.Embeds[0].Fields[0].Value }
	if got := entries(); got != "1" {
		t.Fatalf("seed entries = %s", got)
	}
	store.Swap(testIndex(t, "corpus"))
	if got := entries(); got != "9" {
		t.Errorf("after swap entries = %s, want 9", got)
	}
}

// TestEveryCustomIDRoutes follows every button and select option of a set
// of answers and checks each one routes to a handler (not "unknown") and
// answers validly: custom ids built by one part of the package are
// understood by another.
func TestEveryCustomIDRoutes(t *testing.T) {
	r := testRouter(t, "corpus")
	user := &discordgo.User{ID: "1"}
	starts := []*discordgo.Interaction{}
	for _, e := range testIndex(t, "corpus").Entries() {
		starts = append(starts, &discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommand, User: user,
			Data: discordgo.ApplicationCommandInteractionData{Name: "entry", Options: []*discordgo.ApplicationCommandInteractionDataOption{
				{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: e.ID},
				{Name: "private", Type: discordgo.ApplicationCommandOptionBoolean, Value: true},
			}},
		})
	}
	unknownText := unknown(&discordgo.Interaction{}).Data.Content
	followed := 0
	for _, start := range starts {
		resp := r.Handle(context.Background(), start)
		checkResponse(t, resp)
		msg := &discordgo.Message{Flags: discordgo.MessageFlagsEphemeral}
		for _, c := range resp.Data.Components {
			for _, item := range c.(discordgo.ActionsRow).Components {
				var clicks []discordgo.MessageComponentInteractionData
				switch v := item.(type) {
				case discordgo.Button:
					clicks = append(clicks, discordgo.MessageComponentInteractionData{CustomID: v.CustomID, ComponentType: discordgo.ButtonComponent})
				case discordgo.SelectMenu:
					for _, o := range v.Options {
						clicks = append(clicks, discordgo.MessageComponentInteractionData{CustomID: v.CustomID, ComponentType: discordgo.SelectMenuComponent, Values: []string{o.Value}})
					}
				}
				for _, d := range clicks {
					got := r.Handle(context.Background(), &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, User: user, Message: msg, Data: d})
					checkResponse(t, got)
					if got.Data.Content == unknownText || got.Data.Content == goneEntry().Data.Content {
						t.Errorf("%s %v: %s", d.CustomID, d.Values, got.Data.Content)
					}
					followed++
				}
			}
		}
	}
	if followed < 20 {
		t.Errorf("only %d components followed", followed)
	}
}

// OnAnswer sees the answers /ask gives, abstentions included, and nothing
// for commands that do not ask.
func TestOnAnswerObservesAsk(t *testing.T) {
	var seen []knowledge.Answer
	var mu sync.Mutex
	r := New(knowledge.NewStore(testIndex(t, "seed")), Options{OnAnswer: func(a knowledge.Answer) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, a)
	}})
	ask := func(q string) *discordgo.Interaction {
		return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{
			Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: q}},
		}}
	}
	r.Handle(context.Background(), ask("How many films did the Soviets send?"))
	r.Handle(context.Background(), ask("What is the capital of Peru?"))
	r.Handle(context.Background(), &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "about"}})
	if len(seen) != 2 || !seen[0].Answered || seen[1].Answered {
		t.Errorf("observed %d answers: %+v", len(seen), seen)
	}
}
