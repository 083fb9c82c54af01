package commands

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"testing"

	"github.com/footnote-bot/footnote/knowledge"
)

func TestEntryCustomID(t *testing.T) {
	long := strings.Repeat("very-long-entry-id-", 10)
	tests := []struct {
		name, prefix, id, suffix string
		want                     string
	}{
		{"short", "/entry", "lighthouse", "", "/entry/lighthouse"},
		{"escaped", "/entry", "a/b c", "/page/2", "/entry/a%2Fb%20c/page/2"},
		{"token when too long", "/share/entry", long, "/page/12", "/share/entry/" + idToken(long) + "/page/12"},
		{"token at 101", "/entry", strings.Repeat("x", 94), "", "/entry/" + idToken(strings.Repeat("x", 94))},
		{"exactly 100", "/entry", strings.Repeat("x", 93), "", "/entry/" + strings.Repeat("x", 93)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := entryCustomID(tt.prefix, tt.id, tt.suffix)
			if !ok || got != tt.want {
				t.Errorf("entryCustomID = %q, %v; want %q", got, ok, tt.want)
			}
			if textLen(got) > maxCustomID {
				t.Errorf("custom id length %d", textLen(got))
			}
		})
	}
	if _, ok := entryCustomID("/"+strings.Repeat("p", 100), "x", ""); ok {
		t.Error("a custom id that cannot fit was reported as built")
	}
}

func TestResolveEntry(t *testing.T) {
	ix := testIndex(t, "corpus")
	long := "eddystone-lighthouse-the-four-successive-towers-on-the-eddystone-rocks-south-of-plymouth-sound"
	tests := []struct {
		in, want string
	}{
		{"lighthouse", "lighthouse"},
		{long, long},
		{idToken(long), long},
		{idToken("lighthouse"), "lighthouse"},
		{"no-such-entry", ""},
		{idToken("no-such-entry"), ""},
		{strings.ToUpper(idToken(long)), long},
		{"~0000000000000000", ""},           // not base32
		{"~" + strings.Repeat("a", 15), ""}, // too short
		{"~" + strings.Repeat("a", 17), ""}, // too long
		{strings.Repeat("a", 17), ""},       // no prefix
		{"~", ""},
		{"", ""},
	}
	for _, tt := range tests {
		e, ok := resolveEntry(ix, tt.in)
		got := ""
		if ok {
			got = e.ID
		}
		if got != tt.want {
			t.Errorf("resolveEntry(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestIDTokenFormat pins the token format: tokens already posted in
// messages (buttons, select menus) must keep resolving.
func TestIDTokenFormat(t *testing.T) {
	id := strings.Repeat("very-long-entry-id-", 10)
	sum := sha256.Sum256([]byte(id))
	want := "~" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
	if got := idToken(id); got != want {
		t.Errorf("idToken = %q, want %q", got, want)
	}
	if k, ok := decodeToken(want); !ok || k != knowledge.KeyOfID(id) {
		t.Errorf("decodeToken(%q) = %x, %v", want, k, ok)
	}
}

func TestIDValue(t *testing.T) {
	if v := idValue("buoy"); v != "buoy" {
		t.Errorf("idValue(buoy) = %q", v)
	}
	long := strings.Repeat("z", 101)
	if v := idValue(long); v != idToken(long) || textLen(v) > maxChoiceValue {
		t.Errorf("idValue(long) = %q", v)
	}
}
