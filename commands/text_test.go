package commands

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/footnote-bot/footnote/knowledge"
)

func TestCut(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "Short.", 10, "Short."},
		{"sentence boundary", "The lamp was lit. The keeper slept soundly all night.", 30, "The lamp was lit. …"},
		{"word boundary", "Keepers trimmed wicks and polished lenses every morning", 30, "Keepers trimmed wicks and…"},
		{"hard cut", strings.Repeat("x", 50), 10, strings.Repeat("x", 8) + "…"},
		{"closing quote", `He said "go." Then he left the tower forever and ever.`, 20, `He said "go." …`},
		{"no trailing backslash", `aaaa bbbbbbbbbbb\` + strings.Repeat("c", 40), 18, `aaaa bbbbbbbbbbb…`},
		{"zero", "abc", 0, ""},
		{"tiny", "abcdef", 1, "…"},
		{"astral", strings.Repeat("📚", 10), 9, strings.Repeat("📚", 3) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cut(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if textLen(got) > tt.max || !utf8.ValidString(got) {
				t.Errorf("result %q too long or invalid", got)
			}
		})
	}
}

func TestCutNeverExceeds(t *testing.T) {
	s := "Ça va? Oui. 📚 Ünïcödé words, and more words! " + strings.Repeat("é", 30)
	for max := 0; max < textLen(s)+2; max++ {
		got := cut(s, max)
		if textLen(got) > max || !utf8.ValidString(got) {
			t.Fatalf("cut(_, %d) = %q (len %d)", max, got, textLen(got))
		}
	}
}

func TestCutChars(t *testing.T) {
	s := "éé " + strings.Repeat("word ", 10)
	for max := 0; max < len(s)+2; max++ {
		got := cutChars(s, max)
		if utf8.RuneCountInString(got) > max || !utf8.ValidString(got) {
			t.Fatalf("cutChars(_, %d) = %q", max, got)
		}
	}
	// Characters, not bytes: 863 Vietnamese characters (1,300 bytes and
	// more) are within a limit of 1,000 and kept whole.
	vi := ""
	for utf8.RuneCountInString(vi) < 863 {
		vi += "Việt Nam độc lập "
	}
	vi = strings.TrimSpace(string([]rune(vi)[:863]))
	if len(vi) <= 1000 {
		t.Fatalf("fixture has %d bytes; want more than 1,000", len(vi))
	}
	if got := cutChars(vi, 1000); got != vi {
		t.Errorf("an %d-character question was cut to %d characters", utf8.RuneCountInString(vi), utf8.RuneCountInString(got))
	}
	if got := cutChars(strings.Repeat("ệ", 1200), 1000); utf8.RuneCountInString(got) != 1000 {
		t.Errorf("1,200 characters cut to %d, want 1,000", utf8.RuneCountInString(got))
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"*bold* _it_ `code` ~~s~~ ||spoiler||", `\*bold\* \_it\_ \` + "`code\\`" + ` \~\~s\~\~ \|\|spoiler\|\|`},
		{"@everyone and @here", `\@everyone and \@here`},
		{"<@123> <#456> <@&789>", `\<\@123> \<#456> \<\@&789>`},
		{"[link](http://x)", `\[link\](http://x)`},
		{"> quote\n# heading\n- item\n12. item", "\\> quote\n\\# heading\n\\- item\n12\\. item"},
		{`back\slash`, `back\\slash`},
		{"1950-1954 (DRV)", "1950-1954 (DRV)"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextLen(t *testing.T) {
	if n := textLen("aé📚"); n != 4 {
		t.Errorf("textLen = %d, want 4 (a, é, and 2 units for 📚)", n)
	}
}

func TestBoldSnippet(t *testing.T) {
	text := "Augustin Fresnel presented a lens of *glass* rings in 1822."
	span := func(word string) [2]int {
		i := strings.Index(text, word)
		return [2]int{i, i + len(word)}
	}
	tests := []struct {
		name   string
		spans  [][2]int
		window int
		want   string
	}{
		{"spans", [][2]int{span("Fresnel"), span("lens")}, 300, `Augustin **Fresnel** presented a **lens** of \*glass\* rings in 1822.`},
		{"adjacent spans merge", [][2]int{span("glass* rings"), span("Augustin"), span("Fresnel")}, 300, `**Augustin Fresnel** presented a lens of \***glass\* rings** in 1822.`},
		{"bad spans ignored", [][2]int{{-1, 3}, {5, 500}, {10, 4}, span("lens"), {span("lens")[0] + 1, span("lens")[1]}}, 300, `Augustin Fresnel presented a **lens** of \*glass\* rings in 1822.`},
		{"window", [][2]int{span("rings")}, 30, `…\*glass\* **rings** in 1822.`},
		{"window both ends", [][2]int{span("lens")}, 20, `…a **lens** of \*glass\*…`},
	}
	for _, tt := range tests {
		got := boldSnippet(knowledge.SearchHit{Snippet: text, Spans: tt.spans}, tt.window)
		if got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestQueryText(t *testing.T) {
	long := strings.Repeat("x", maxQueryWord+1)
	tests := []struct{ in, want string }{
		{"Who built  the\ntower?", "Who built the tower?"},
		{"see https://example.org/" + long + " now", "see now"},
		{long, ""},
		{strings.Repeat("y", maxQueryWord), strings.Repeat("y", maxQueryWord)},
	}
	for _, tt := range tests {
		if got := queryText(tt.in); got != tt.want {
			t.Errorf("queryText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
