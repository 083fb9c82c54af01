package discordspec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	embed := func(extra string) string {
		return `{"type": 4, "data": {"embeds": [{"title": "AID, SOVIET", "description": "Quoted."` + extra + `}], "allowed_mentions": {"parse": []}}}`
	}
	fields := make([]string, 26)
	for i := range fields {
		fields[i] = `{"name": "n", "value": "v"}`
	}
	choices := make([]string, 26)
	for i := range choices {
		choices[i] = fmt.Sprintf(`{"name": "c%d", "value": "c%d"}`, i, i)
	}
	command := func(name string, optionType int) string {
		return `[{"type": 1, "name": "` + name + `", "description": "d", "options": [{"type": ` + fmt.Sprint(optionType) + `, "name": "q", "description": "d"}]}]`
	}
	tests := []struct {
		name, method, route, body string
		want                      string // "" for valid; else a problem it must list
	}{
		{"a message", "POST", RouteCallback, embed(""), ""},
		{"a deferred answer", "POST", RouteCallback, `{"type": 5, "data": {"flags": 64}}`, ""},
		{"a pong", "POST", RouteCallback, `{"type": 1}`, ""},
		{"a long description", "POST", RouteCallback, embed(`, "url": "https://example.org", "color": 1, "footer": {"text": "f"}, "description": "` + strings.Repeat("x", 4097) + `"`), "at /data/embeds/0/description: maxLength: got 4,097, want 4,096"},
		{"a colour out of range", "POST", RouteCallback, embed(`, "color": 16777216`), "at /data/embeds/0/color: maximum"},
		{"a url that is not one", "POST", RouteCallback, embed(`, "url": "not a url"`), "at /data/embeds/0/url"},
		{"26 fields", "POST", RouteCallback, embed(`, "fields": [` + strings.Join(fields, ",") + `]`), "at /data/embeds/0/fields: maxItems"},
		{"a bad button", "POST", RouteCallback, `{"type": 4, "data": {"components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "x", "custom_id": "a"}]}]}}`, "at /data/components/0/components/0/style: value must be one of 1, 2, 3, 4, 5, 6"},
		{"an unknown response type", "POST", RouteCallback, `{"type": 42}`, "at /"},
		{"autocomplete", "POST", RouteCallback, `{"type": 8, "data": {"choices": [{"name": "a", "value": "a"}]}}`, ""},
		{"26 choices", "POST", RouteCallback, `{"type": 8, "data": {"choices": [` + strings.Join(choices, ",") + `]}}`, "at /data/choices: maxItems"},
		{"commands", "PUT", RouteGuildCommands, command("ask", 3), ""},
		{"a command name too long", "PUT", RouteGlobalCommands, command(strings.Repeat("a", 33), 3), "at /0/name: maxLength"},
		{"an option type that does not exist", "PUT", RouteGlobalCommands, command("ask", 99), "at /0/options/0"},
		{"not a list of commands", "PUT", RouteGlobalCommands, `{"name": "ask"}`, "at /: got object"},
		{"an edit", "PATCH", RouteOriginal, `{"content": "hi", "embeds": []}`, ""},
		{"a long edit", "PATCH", RouteMessage, `{"content": "` + strings.Repeat("x", 2001) + `"}`, "at /content: maxLength"},
		{"a follow-up", "POST", RouteWebhook, `{"content": "hi", "flags": 64}`, ""},
		{"a follow-up of 11 embeds", "POST", RouteWebhook, `{"embeds": [{},{},{},{},{},{},{},{},{},{},{}]}`, "at /embeds: maxItems"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.method, tt.route, []byte(tt.body))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("valid body refused: %v", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !strings.Contains(se.Error(), tt.want) {
				t.Errorf("problems %q lack %q", se.Problems, tt.want)
			}
			if len(se.Problems) > 8 {
				t.Errorf("%d problems: the explanation should be the failing branch's: %q", len(se.Problems), se.Problems)
			}
		})
	}
}

func TestValidateRefusesWhatItCannotCheck(t *testing.T) {
	if err := Validate("POST", RouteCallback, []byte(`{"type": 4,`)); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("broken JSON: %v", err)
	}
	var se *Error
	if err := Validate("POST", "/no/such/route", []byte(`{}`)); err == nil || errors.As(err, &se) {
		t.Errorf("an unknown route: %v", err)
	}
}
