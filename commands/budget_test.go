package commands

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Worst cases: every part of an answer as long as the corpus allows. The
// handlers must fit them in a message by their own budgets, so that
// clamping (which would drop trailing fields such as sources) has nothing
// to do.

// stuffed is Markdown-heavy text that doubles when escaped.
func stuffed(n int) string {
	return strings.Repeat("*_[x]_* ", n/8+1)[:n]
}

func assertWithinBudget(t *testing.T, embed *discordgo.MessageEmbed) {
	t.Helper()
	embeds := []*discordgo.MessageEmbed{embed}
	if n := embedsTotal(embeds); n > maxEmbedTotal {
		t.Errorf("embed total %d > %d before clamping", n, maxEmbedTotal)
	}
	var errs []string
	validateEmbeds(embeds, func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) })
	if len(errs) > 0 {
		t.Errorf("embed breaks limits before clamping: %v", errs)
	}
}

func TestAnswerWithinBudget(t *testing.T) {
	ans := knowledge.Answer{Answered: true}
	for k := 0; k < factsLimit; k++ {
		ans.Facts = append(ans.Facts, knowledge.Fact{
			Text: stuffed(3000), EntryID: fmt.Sprint("e", k), EntryTitle: stuffed(500),
			Citation: stuffed(3000), URL: "https://example.org/" + strings.Repeat("p", 480),
		})
		ans.Related = append(ans.Related, knowledge.Related{Title: stuffed(300)})
	}
	embed, _ := answerEmbed(cut(escape(stuffed(300)), maxQuestionLen), ans, "none")
	assertWithinBudget(t, embed)
	if len(embed.Fields) != factsLimit+1 {
		t.Errorf("%d fields, want a source each and the outside list", len(embed.Fields))
	}
}

func TestSearchWithinBudget(t *testing.T) {
	var hits []knowledge.SearchHit
	for k := 0; k < searchLimit; k++ {
		snippet := stuffed(4000)
		var spans [][2]int
		for s := 0; s+3 <= len(snippet); s += 8 {
			spans = append(spans, [2]int{s, s + 3})
		}
		hits = append(hits, knowledge.SearchHit{EntryID: fmt.Sprint("e", k), Title: stuffed(400), Snippet: snippet, Spans: spans})
	}
	embed := &discordgo.MessageEmbed{Title: cut("Search: "+escape(stuffed(300)), maxTermsEcho+8)}
	for _, h := range hits {
		v := renderSnippet(h)
		if strings.Count(v, "**")%2 != 0 {
			t.Errorf("unbalanced bold in %q", v)
		}
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{Name: cut(escape(h.Title), maxHitName), Value: v})
	}
	assertWithinBudget(t, embed)
}

// worstIndex has entries with the longest parts the corpus format allows.
func worstIndex(t *testing.T) *knowledge.Index {
	t.Helper()
	var entries []knowledge.Entry
	var titles []string
	for k := 0; k < 12; k++ {
		titles = append(titles, fmt.Sprintf("T%02d %s", k, strings.Repeat("Long Title ", 40)))
	}
	for k, title := range titles {
		var text strings.Builder
		for s := 0; s < 40; s++ {
			fmt.Fprintf(&text, "Sentence %d of entry %d has *stars* and [brackets] and many words %s. ", s, k, strings.Repeat("word ", 30))
		}
		see := append([]string{}, titles...)
		for o := 0; o < 40; o++ {
			see = append(see, fmt.Sprintf("OUTSIDE %d %s", o, strings.Repeat("x", 50)))
		}
		entries = append(entries, knowledge.Entry{
			ID: fmt.Sprintf("e%02d-%s", k, strings.Repeat("i", 100)), Title: title,
			Aliases: []string{strings.Repeat("alias ", 100), strings.Repeat("other ", 100)},
			Text:    text.String(), Source: stuffed(5000), URL: "https://example.org/" + strings.Repeat("u", 400),
			SeeAlso: see,
		})
	}
	ix, _ := knowledge.Build(entries)
	if len(ix.Entries()) != len(entries) {
		t.Fatalf("built %d entries", len(ix.Entries()))
	}
	return ix
}

func TestEntryAndRelatedWithinBudget(t *testing.T) {
	ix := worstIndex(t)
	e, _ := ix.Entry(ix.Entries()[0].ID)
	pages := entryPages(ix, e)
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the long entry paged", len(pages))
	}
	for page := range pages {
		for _, mode := range []entryMode{entryPublic, entryPrivate} {
			embed, comps := entryView(ix, e, page, mode)
			assertWithinBudget(t, embed)
			resp := reply(false, []*discordgo.MessageEmbed{embed}, comps)
			if err := validateResponse(resp); err != nil {
				t.Errorf("page %d: %v", page, err)
			}
		}
	}
	embed, comps := relatedView(ix, e)
	assertWithinBudget(t, embed)
	if err := validateResponse(reply(false, []*discordgo.MessageEmbed{embed}, comps)); err != nil {
		t.Errorf("related: %v", err)
	}
}

// TestPagesCutOnSentences checks every page of a long entry ends on a
// sentence end, and that the pages hold all sentences in order.
func TestPagesCutOnSentences(t *testing.T) {
	ix := testIndex(t, "corpus")
	e, ok := ix.Entry("lighthouse")
	if !ok {
		t.Fatal("no lighthouse entry")
	}
	pages := entryPages(ix, e)
	if len(pages) < 2 {
		t.Fatalf("%d pages", len(pages))
	}
	joined := strings.Join(pages, " ")
	for _, p := range pages {
		if textLen(p) > pageBudget {
			t.Errorf("page of %d characters", textLen(p))
		}
		if !strings.HasSuffix(p, ".") {
			t.Errorf("page ends mid-sentence: …%s", p[len(p)-30:])
		}
	}
	pos := 0
	for _, s := range ix.Sentences("lighthouse") {
		at := strings.Index(joined[pos:], escape(s))
		if at < 0 {
			t.Fatalf("sentence missing or out of order: %q", s)
		}
		pos += at + len(escape(s))
	}
}
