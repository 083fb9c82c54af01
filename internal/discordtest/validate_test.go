package discordtest

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func row(cs ...discordgo.MessageComponent) *discordgo.ActionsRow {
	return &discordgo.ActionsRow{Components: cs}
}

func btn(id string) *discordgo.Button {
	return &discordgo.Button{Label: "x", Style: discordgo.PrimaryButton, CustomID: id}
}

func TestValidateMessage(t *testing.T) {
	t.Parallel()
	field := func(n, v string) *discordgo.MessageEmbedField { return &discordgo.MessageEmbedField{Name: n, Value: v} }
	many := func(n int) []discordgo.MessageComponent {
		var out []discordgo.MessageComponent
		for i := 0; i < n; i++ {
			out = append(out, row(btn(strings.Repeat("r", i+1))))
		}
		return out
	}
	options := func(n int) []discordgo.SelectMenuOption {
		var out []discordgo.SelectMenuOption
		for i := 0; i < n; i++ {
			v := strings.Repeat("v", i+1)
			out = append(out, discordgo.SelectMenuOption{Label: v, Value: v})
		}
		return out
	}
	tests := []struct {
		name string
		m    Message
		want string // substring of the problem; "" = valid
	}{
		{"empty", Message{}, ""},
		{"content at the limit", Message{Content: strings.Repeat("é", 2000)}, ""},
		{"content too long", Message{Content: strings.Repeat("a", 2001)}, "content"},
		{"title too long", Message{Embeds: []*discordgo.MessageEmbed{{Title: strings.Repeat("a", 257)}}}, "title"},
		{"description too long", Message{Embeds: []*discordgo.MessageEmbed{{Description: strings.Repeat("a", 4097)}}}, "description"},
		{"field value too long", Message{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field("n", strings.Repeat("a", 1025))}}}}, "value"},
		{"empty field", Message{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field("n", "")}}}}, "required"},
		{"26 fields", Message{Embeds: []*discordgo.MessageEmbed{{Fields: func() []*discordgo.MessageEmbedField {
			var fs []*discordgo.MessageEmbedField
			for i := 0; i < 26; i++ {
				fs = append(fs, field("n", "v"))
			}
			return fs
		}()}}}, "fields"},
		{"6001 characters in embeds", Message{Embeds: []*discordgo.MessageEmbed{
			{Description: strings.Repeat("a", 4000)}, {Description: strings.Repeat("a", 2001)}}}, "in total"},
		{"five rows", Message{Components: many(5)}, ""},
		{"six rows", Message{Components: many(6)}, "rows"},
		{"six buttons", Message{Components: []discordgo.MessageComponent{row(btn("1"), btn("2"), btn("3"), btn("4"), btn("5"), btn("6"))}}, "buttons"},
		{"custom id too long", Message{Components: []discordgo.MessageComponent{row(btn(strings.Repeat("i", 101)))}}, "custom_id"},
		{"duplicate custom id", Message{Components: []discordgo.MessageComponent{row(btn("a"), btn("a"))}}, "duplicate"},
		{"button without custom id", Message{Components: []discordgo.MessageComponent{row(btn(""))}}, "required"},
		{"link button", Message{Components: []discordgo.MessageComponent{row(&discordgo.Button{Label: "l", Style: discordgo.LinkButton, URL: "https://example.org"})}}, ""},
		{"link button with custom id", Message{Components: []discordgo.MessageComponent{row(&discordgo.Button{Label: "l", Style: discordgo.LinkButton, URL: "https://e.org", CustomID: "x"})}}, "link"},
		{"button label too long", Message{Components: []discordgo.MessageComponent{row(&discordgo.Button{Label: strings.Repeat("l", 81), CustomID: "x"})}}, "label"},
		{"button outside a row", Message{Components: []discordgo.MessageComponent{btn("x")}}, "action row"},
		{"select with 25 options", Message{Components: []discordgo.MessageComponent{row(&discordgo.SelectMenu{CustomID: "s", Options: options(25)})}}, ""},
		{"select with 26 options", Message{Components: []discordgo.MessageComponent{row(&discordgo.SelectMenu{CustomID: "s", Options: options(26)})}}, "options"},
		{"select beside a button", Message{Components: []discordgo.MessageComponent{row(&discordgo.SelectMenu{CustomID: "s", Options: options(1)}, btn("b"))}}, "alone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := strings.Join(validateMessage(&tt.m), "; ")
			if tt.want == "" && got != "" {
				t.Errorf("valid message rejected: %s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want one about %q", got, tt.want)
			}
		})
	}
}

func TestValidateChoicesAndCommands(t *testing.T) {
	t.Parallel()
	var choices []*discordgo.ApplicationCommandOptionChoice
	for i := 0; i < 26; i++ {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "c", Value: "v"})
	}
	if p := validateChoices(choices[:25]); len(p) != 0 {
		t.Errorf("25 choices: %v", p)
	}
	if p := validateChoices(choices); len(p) == 0 {
		t.Error("26 choices accepted")
	}
	if p := validateChoices([]*discordgo.ApplicationCommandOptionChoice{{Name: strings.Repeat("n", 101), Value: "v"}}); len(p) == 0 {
		t.Error("a 101-character choice name accepted")
	}

	opt := func(name string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d", Required: required}
	}
	tests := []struct {
		name string
		cmds []*discordgo.ApplicationCommand
		ok   bool
	}{
		{"valid", []*discordgo.ApplicationCommand{{Name: "ask", Description: "Ask", Options: []*discordgo.ApplicationCommandOption{opt("question", true), opt("private", false)}},
			{Name: "Find sources", Type: discordgo.MessageApplicationCommand}}, true},
		{"uppercase slash name", []*discordgo.ApplicationCommand{{Name: "Ask", Description: "d"}}, false},
		{"no description", []*discordgo.ApplicationCommand{{Name: "ask"}}, false},
		{"required after optional", []*discordgo.ApplicationCommand{{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("a", false), opt("b", true)}}}, false},
		{"duplicate", []*discordgo.ApplicationCommand{{Name: "ask", Description: "d"}, {Name: "ask", Description: "d"}}, false},
		{"message command with a description", []*discordgo.ApplicationCommand{{Name: "Find", Type: discordgo.MessageApplicationCommand, Description: "d"}}, false},
		{"autocomplete with choices", []*discordgo.ApplicationCommand{{Name: "e", Description: "d", Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "n", Description: "d", Autocomplete: true,
			Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}}}}}, false},
	}
	for _, tt := range tests {
		if p := validateCommands(tt.cmds); (len(p) == 0) != tt.ok {
			t.Errorf("%s: problems %v, want ok=%v", tt.name, p, tt.ok)
		}
	}
}
