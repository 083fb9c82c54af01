package commands

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// words returns n characters of text made of sentences, so cuts have
// sentence and word boundaries to find.
func words(n int) string {
	const sentence = "The keeper lit the lamp at dusk. "
	s := strings.Repeat(sentence, n/len(sentence)+1)
	return s[:n]
}

func embedMsg(e *discordgo.MessageEmbed) *discordgo.InteractionResponse {
	return reply(false, []*discordgo.MessageEmbed{e}, nil)
}

func buttonRow(n int, prefix string) discordgo.ActionsRow {
	row := discordgo.ActionsRow{}
	for k := 0; k < n; k++ {
		row.Components = append(row.Components, discordgo.Button{Label: "b", CustomID: fmt.Sprintf("%s/%d", prefix, k)})
	}
	return row
}

// TestLimits builds, for each of Discord's limits, a response that breaks
// it; validateResponse must reject it, and after clampResponse it must pass
// with the offending part at the limit.
func TestLimits(t *testing.T) {
	tests := []struct {
		name  string
		build func() *discordgo.InteractionResponse
		check func(t *testing.T, r *discordgo.InteractionResponse)
	}{
		{"embed title 256", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Title: words(300)})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := textLen(r.Data.Embeds[0].Title); n > maxEmbedTitle || n < maxEmbedTitle/2 {
				t.Errorf("title length %d", n)
			}
		}},
		{"embed description 4096", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Description: words(5000)})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			d := r.Data.Embeds[0].Description
			if n := textLen(d); n > maxEmbedDescription || n < maxEmbedDescription-100 {
				t.Errorf("description length %d", n)
			}
			if !strings.HasSuffix(d, "dusk. …") {
				t.Errorf("description not cut on a sentence: …%q", d[len(d)-20:])
			}
		}},
		{"field name 256 and value 1024", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Fields: []*discordgo.MessageEmbedField{{Name: words(300), Value: words(1100)}}})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			f := r.Data.Embeds[0].Fields[0]
			if textLen(f.Name) > maxFieldName || textLen(f.Value) > maxFieldValue {
				t.Errorf("field %d/%d", textLen(f.Name), textLen(f.Value))
			}
		}},
		{"empty field dropped", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Title: "t", Fields: []*discordgo.MessageEmbedField{{Name: "n", Value: ""}}})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if len(r.Data.Embeds[0].Fields) != 0 {
				t.Errorf("empty field kept")
			}
		}},
		{"footer 2048", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Title: "t", Footer: &discordgo.MessageEmbedFooter{Text: words(2100)}})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := textLen(r.Data.Embeds[0].Footer.Text); n > maxFooter {
				t.Errorf("footer length %d", n)
			}
		}},
		{"25 fields", func() *discordgo.InteractionResponse {
			e := &discordgo.MessageEmbed{}
			for k := 0; k < 30; k++ {
				e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "n", Value: "v"})
			}
			return embedMsg(e)
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := len(r.Data.Embeds[0].Fields); n != maxFields {
				t.Errorf("%d fields", n)
			}
		}},
		{"6000 per message", func() *discordgo.InteractionResponse {
			e := &discordgo.MessageEmbed{Title: words(200), Description: words(4000)}
			for k := 0; k < 5; k++ {
				e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "n", Value: words(1000)})
			}
			e2 := &discordgo.MessageEmbed{Description: words(3000)}
			return reply(false, []*discordgo.MessageEmbed{e, e2}, nil)
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := embedsTotal(r.Data.Embeds); n > maxEmbedTotal {
				t.Errorf("total %d", n)
			}
			if textLen(r.Data.Embeds[0].Description) != 4000 {
				t.Errorf("first embed's description was cut although later parts could go")
			}
		}},
		{"content 2000", func() *discordgo.InteractionResponse {
			return notice(words(2500))
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := textLen(r.Data.Content); n > maxContent {
				t.Errorf("content length %d", n)
			}
		}},
		{"content counts UTF-16 units", func() *discordgo.InteractionResponse {
			return notice(strings.Repeat("📚", 1500)) // 1500 code points, 3000 UTF-16 units
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := textLen(r.Data.Content); n > maxContent {
				t.Errorf("content length %d", n)
			}
		}},
		{"custom id 100", func() *discordgo.InteractionResponse {
			row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "long", CustomID: "/entry/" + strings.Repeat("x", 100)},
				discordgo.Button{Label: "ok", CustomID: "/entry/x"},
			}}
			return reply(false, nil, []discordgo.MessageComponent{row})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			row := r.Data.Components[0].(discordgo.ActionsRow)
			if len(row.Components) != 1 || row.Components[0].(discordgo.Button).CustomID != "/entry/x" {
				t.Errorf("components %+v", row.Components)
			}
		}},
		{"duplicate custom ids", func() *discordgo.InteractionResponse {
			return reply(false, nil, []discordgo.MessageComponent{buttonRow(2, "/a"), buttonRow(2, "/a")})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if len(r.Data.Components) != 1 {
				t.Errorf("%d rows, want the duplicate row dropped", len(r.Data.Components))
			}
		}},
		{"5 buttons per row", func() *discordgo.InteractionResponse {
			return reply(false, nil, []discordgo.MessageComponent{buttonRow(7, "/b")})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := len(r.Data.Components[0].(discordgo.ActionsRow).Components); n != maxRowButtons {
				t.Errorf("%d buttons", n)
			}
		}},
		{"5 rows", func() *discordgo.InteractionResponse {
			var rs []discordgo.MessageComponent
			for k := 0; k < 7; k++ {
				rs = append(rs, buttonRow(1, fmt.Sprintf("/r%d", k)))
			}
			return reply(false, nil, rs)
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := len(r.Data.Components); n != maxRows {
				t.Errorf("%d rows", n)
			}
		}},
		{"button label 80", func() *discordgo.InteractionResponse {
			row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: words(120), CustomID: "/x"}}}
			return reply(false, nil, []discordgo.MessageComponent{row})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			b := r.Data.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.Button)
			if n := textLen(b.Label); n > maxButtonLabel {
				t.Errorf("label length %d", n)
			}
		}},
		{"select options 25 of 100", func() *discordgo.InteractionResponse {
			m := discordgo.SelectMenu{CustomID: "/pick/x", Placeholder: words(200)}
			for k := 0; k < 30; k++ {
				m.Options = append(m.Options, discordgo.SelectMenuOption{
					Label: fmt.Sprintf("%d %s", k, words(150)), Value: fmt.Sprint(k), Description: words(150)})
			}
			m.Options = append(m.Options, discordgo.SelectMenuOption{Label: "x", Value: strings.Repeat("v", 101)})
			return reply(false, nil, []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{m}}})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			m := r.Data.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
			if len(m.Options) != maxSelectOptions {
				t.Errorf("%d options", len(m.Options))
			}
			for _, o := range m.Options {
				if textLen(o.Label) > 100 || textLen(o.Description) > 100 || textLen(o.Value) > 100 {
					t.Errorf("option %q", o.Label)
				}
			}
		}},
		{"select alone in its row", func() *discordgo.InteractionResponse {
			m := discordgo.SelectMenu{CustomID: "/pick/x", Options: []discordgo.SelectMenuOption{{Label: "a", Value: "a"}}}
			row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "b", CustomID: "/b"}, m}}
			return reply(false, nil, []discordgo.MessageComponent{row})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := len(r.Data.Components[0].(discordgo.ActionsRow).Components); n != 1 {
				t.Errorf("%d components in the row", n)
			}
		}},
		{"autocomplete 25 choices of 100", func() *discordgo.InteractionResponse {
			var cs []*discordgo.ApplicationCommandOptionChoice
			for k := 0; k < 30; k++ {
				cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: words(150), Value: fmt.Sprint(k)})
			}
			cs = append([]*discordgo.ApplicationCommandOptionChoice{{Name: "long value", Value: strings.Repeat("v", 101)}}, cs...)
			return choices(cs)
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if n := len(r.Data.Choices); n != maxChoices {
				t.Errorf("%d choices", n)
			}
			if r.Data.Choices[0].Value != "0" {
				t.Errorf("choice with a 101-character value kept")
			}
			for _, c := range r.Data.Choices {
				if textLen(c.Name) > maxChoiceName {
					t.Errorf("choice name length %d", textLen(c.Name))
				}
			}
		}},
		{"allowed mentions", func() *discordgo.InteractionResponse {
			r := notice("@everyone")
			r.Data.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeEveryone}}
			return r
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if len(r.Data.AllowedMentions.Parse) != 0 {
				t.Errorf("allowed mentions %+v", r.Data.AllowedMentions)
			}
		}},
		{"bad embed url", func() *discordgo.InteractionResponse {
			return embedMsg(&discordgo.MessageEmbed{Title: "t", URL: "javascript:alert(1)"})
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if r.Data.Embeds[0].URL != "" {
				t.Errorf("url kept")
			}
		}},
		{"empty message", func() *discordgo.InteractionResponse {
			return reply(false, nil, nil)
		}, func(t *testing.T, r *discordgo.InteractionResponse) {
			if r.Data.Content == "" {
				t.Errorf("still empty")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := validateResponse(tt.build()); err == nil {
				t.Fatal("validateResponse accepted a response that breaks the limit")
			}
			r := clampResponse(tt.build())
			if err := validateResponse(r); err != nil {
				t.Fatalf("after clampResponse: %v", err)
			}
			tt.check(t, r)
		})
	}
}

func TestValidateAcceptsPongAndDeferred(t *testing.T) {
	for _, r := range []*discordgo.InteractionResponse{
		{Type: discordgo.InteractionResponsePong},
		{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource},
		{Type: discordgo.InteractionResponseDeferredMessageUpdate},
	} {
		if err := validateResponse(r); err != nil {
			t.Errorf("type %d: %v", r.Type, err)
		}
	}
	if validateResponse(nil) == nil {
		t.Error("nil response accepted")
	}
}
