package discordtest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The peer answers 400, as Discord would, to every body Discord's own
// schema rejects, also those the hand-written limits let through; and
// accepts the same bodies once they are fixed.
func TestPeerEnforcesDiscordsSchema(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	auth := "Bot " + s.Token
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }

	// A deferred command, so that its webhook takes edits and follow-ups.
	deferred, err := s.SendInteraction(Slash("ask", String("question", "why?")))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, body := do(t, s, "POST", CallbackPath(deferred.ID, deferred.Token), "", raw(`{"type": 5}`)); code != 204 {
		t.Fatalf("deferring: %d %s", code, body)
	}
	webhook := "/api/v9/webhooks/" + s.AppID + "/" + deferred.Token

	tests := []struct {
		name, method, path string
		bad, good          string
		problem            string
	}{
		{"a colour out of range in a callback", "POST", "", `{"type": 4, "data": {"embeds": [{"title": "t", "color": 16777216}]}}`,
			`{"type": 4, "data": {"embeds": [{"title": "t", "color": 16777215}]}}`, "/data/embeds/0/color"},
		{"a url that is not one in a follow-up", "POST", webhook, `{"embeds": [{"title": "t", "url": "not a url"}]}`,
			`{"embeds": [{"title": "t", "url": "https://example.org/a"}]}`, "/embeds/0/url"},
		{"a button style that does not exist in an edit", "PATCH", webhook + "/messages/@original",
			`{"components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "x", "custom_id": "a"}]}]}`,
			`{"components": [{"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": "a"}]}]}`, "style: value must be one of"},
		{"an option type that does not exist in an overwrite", "PUT", "/api/v9/applications/" + s.AppID + "/commands",
			`[{"type": 1, "name": "ask", "description": "d", "options": [{"type": 99, "name": "q", "description": "d"}]}]`,
			`[{"type": 1, "name": "ask", "description": "d", "options": [{"type": 3, "name": "q", "description": "d"}]}]`, "/0/options/0/type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" { // a fresh interaction for each callback
				i, err := s.SendInteraction(Slash("ask", String("question", "why?")))
				if err != nil {
					t.Fatal(err)
				}
				path = CallbackPath(i.ID, i.Token)
			}
			code, _, body := do(t, s, tt.method, path, auth, raw(tt.bad))
			if code != 400 || !bytes.Contains(body, []byte(`"code":50035`)) || !strings.Contains(string(body), tt.problem) {
				t.Errorf("bad body: %d %s, want 400 Invalid Form Body naming %q", code, body, tt.problem)
			}
			if code, _, body := do(t, s, tt.method, path, auth, raw(tt.good)); code/100 != 2 {
				t.Errorf("the same body fixed: %d %s", code, body)
			}
		})
	}
}
