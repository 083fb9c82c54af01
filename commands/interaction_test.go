package commands

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestMayUpdate(t *testing.T) {
	alice := &discordgo.User{ID: "1"}
	bob := &discordgo.User{ID: "2"}
	inGuild := func(u *discordgo.User, m *discordgo.Message) *discordgo.Interaction {
		return &discordgo.Interaction{Member: &discordgo.Member{User: u}, Message: m}
	}
	meta := func(u *discordgo.User) *discordgo.Message {
		return &discordgo.Message{InteractionMetadata: &discordgo.MessageInteractionMetadata{User: u}}
	}
	tests := []struct {
		name string
		i    *discordgo.Interaction
		want bool
	}{
		{"owner via metadata", inGuild(alice, meta(alice)), true},
		{"other user", inGuild(bob, meta(alice)), false},
		{"owner via legacy interaction", inGuild(alice, &discordgo.Message{Interaction: &discordgo.MessageInteraction{User: alice}}), true},
		{"owner in DM", &discordgo.Interaction{User: alice, Message: meta(alice)}, true},
		{"ephemeral message", inGuild(bob, &discordgo.Message{Flags: discordgo.MessageFlagsEphemeral}), true},
		{"owner unknown", inGuild(alice, &discordgo.Message{}), false},
		{"clicker unknown", &discordgo.Interaction{Message: meta(alice)}, false},
		{"no message", inGuild(alice, nil), false},
		{"member without user", &discordgo.Interaction{Member: &discordgo.Member{}, Message: meta(alice)}, false},
	}
	for _, tt := range tests {
		if got := mayUpdate(tt.i); got != tt.want {
			t.Errorf("%s: mayUpdate = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestOptionsOfWrongType(t *testing.T) {
	opts := []*discordgo.ApplicationCommandInteractionDataOption{
		nil,
		{Name: "question", Type: discordgo.ApplicationCommandOptionInteger, Value: 42.0},
		{Name: "private", Type: discordgo.ApplicationCommandOptionString, Value: "yes"},
	}
	if s, ok := stringOption(opts, "question"); ok || s != "" {
		t.Errorf("stringOption = %q, %v", s, ok)
	}
	if boolOption(opts, "private") {
		t.Error("boolOption of a string is true")
	}
	if _, ok := focusedOption(opts); ok {
		t.Error("focused option found")
	}
}
