package logclip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"short", "/entry/aid-soviet", 100, "/entry/aid-soviet"},
		{"exactly max", strings.Repeat("x", 100), 100, strings.Repeat("x", 100)},
		{"long", strings.Repeat("x", 100_000), 100, strings.Repeat("x", 100) + "…[+99900 bytes]"},
		{"rune boundary", "aé" + strings.Repeat("z", 10), 2, "a…[+12 bytes]"},
		{"zero", "abc", 0, "…[+3 bytes]"},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clip(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Clip = %q, want %q", got, tt.want)
			}
			if utf8.ValidString(tt.in) && !utf8.ValidString(got) {
				t.Errorf("Clip cut a rune: %q", got)
			}
		})
	}
	if got := String(strings.Repeat("y", 5000)); len(got) > Max+32 {
		t.Errorf("String kept %d bytes", len(got))
	}
}
