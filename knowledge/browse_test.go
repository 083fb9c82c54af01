package knowledge

import (
	"strings"
	"testing"
)

// In a small corpus every entry shares its common words with every other:
// Related lists as similar only the entries that share rarer words, and
// never most of the corpus.
func TestRelatedSimilarIsSelective(t *testing.T) {
	ix, rep, err := Open("testdata/planets", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 || ix.Stats().Entries != 7 {
		t.Fatalf("corpus: %d entries, errors %v", ix.Stats().Entries, rep.Errors)
	}
	similar := func(id string) []string {
		var out []string
		for _, r := range ix.Related(id, 10) {
			if r.Relation == Similar {
				out = append(out, r.EntryID)
			}
		}
		return out
	}
	tests := []struct{ id, want string }{
		{"moon", "earth"},
		{"earth", "moon"},
		{"venus", ""},
		{"mars", ""},
		{"saturn", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(similar(tt.id), ","); got != tt.want {
			t.Errorf("similar to %s: %q, want %q", tt.id, got, tt.want)
		}
	}
	for _, e := range ix.Entries() {
		if got := similar(e.ID); len(got) > similarLimit(7) {
			t.Errorf("%s lists %d similar entries of 6 others: %v", e.ID, len(got), got)
		}
	}
}

func TestSimilarLimits(t *testing.T) {
	for _, tt := range []struct{ n, limit, df int }{
		{1, 1, 2}, {3, 1, 2}, {7, 1, 2}, {9, 2, 2}, {41, 10, 10}, {2067, 516, 512}, {100000, 24999, 512},
	} {
		if got := similarLimit(tt.n); got != tt.limit {
			t.Errorf("similarLimit(%d) = %d, want %d", tt.n, got, tt.limit)
		}
		if got := distinctiveDF(tt.n); got != tt.df {
			t.Errorf("distinctiveDF(%d) = %d, want %d", tt.n, got, tt.df)
		}
	}
}

// Named finds an entry by any exact form of its name, and only so.
func TestNamed(t *testing.T) {
	ix, _, err := Open("", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"aid-soviet", "AID, SOVIET", "aid soviet", "Soviet aid", "  soviet AID ", "Aid, Soviet"} {
		if e, ok := ix.Named(name); !ok || e.ID != "aid-soviet" {
			t.Errorf("Named(%q) = %v, %v; want aid-soviet", name, e, ok)
		}
	}
	for _, name := range []string{"aid sovet", "soviet", "aid", "", "soviet aid to vietnam"} {
		if e, ok := ix.Named(name); ok {
			t.Errorf("Named(%q) = %s, want no exact match", name, e.ID)
		}
	}
}
