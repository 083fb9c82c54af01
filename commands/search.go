package commands

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Sizes of a search answer.
// 8 hits of name 100 + snippet 600 stay under 6000 characters.
const (
	searchLimit   = 8
	snippetWindow = 300 // bytes of snippet shown around the first match
	maxSnippet    = 600 // characters of a rendered snippet
	maxHitName    = 100
	maxTermsEcho  = 100
)

// search answers /search terms [private].
func (r *Router) search(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	terms, _ := stringOption(d.Options, "terms")
	private := boolOption(d.Options, "private")
	if strings.TrimSpace(terms) == "" {
		return notice("Please give some words to search for.")
	}
	var hits []knowledge.SearchHit
	if query := queryText(terms); query != "" {
		hits = q.ix.Search(query, searchLimit)
	}
	embed := &discordgo.MessageEmbed{
		Title: cut("Search: "+escape(oneLine(terms)), maxTermsEcho+8),
		Color: colorAnswer,
	}
	if len(hits) == 0 {
		embed.Color = colorNoMatch
		embed.Description = "No entry mentions those words."
		return reply(private, []*discordgo.MessageEmbed{embed}, nil)
	}
	var links []entryLink
	for _, h := range hits {
		name := oneLine(h.Title)
		if name == "" {
			name = h.EntryID
		}
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{
			Name:  cut(escape(name), maxHitName),
			Value: orDefault(renderSnippet(h), "*No snippet.*"),
		})
		links = append(links, entryLink{ID: h.EntryID, Title: name, Summary: cut(oneLine(h.Snippet), maxSelectOptionText)})
	}
	return reply(private, []*discordgo.MessageEmbed{embed}, rows(linkRow(q.ix, "search", "Read an entry…", links)))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// renderSnippet is boldSnippet in at most maxSnippet characters: the window
// shrinks until it fits (escaping and bold markers lengthen the text, and
// cutting the result could split a bold pair).
func renderSnippet(h knowledge.SearchHit) string {
	for window := snippetWindow; window >= 20; window /= 2 {
		if s := boldSnippet(h, window); textLen(s) <= maxSnippet {
			return s
		}
	}
	return cut(escape(oneLine(h.Snippet)), maxSnippet)
}

// boldSnippet renders a hit's snippet escaped, with its matched spans in
// bold. A long snippet is shown as a window around the first match, cut on
// word boundaries and marked with "…". Spans that are out of range,
// overlapping or not on character boundaries are ignored.
func boldSnippet(h knowledge.SearchHit, window int) string {
	text := h.Snippet
	spans := cleanSpans(text, h.Spans)
	start, end := 0, len(text)
	if len(text) > window {
		focus := 0
		if len(spans) > 0 {
			focus = spans[0][0]
		}
		start = max(focus-window/3, 0)
		if start > 0 {
			if sp := strings.IndexByte(text[start:focus], ' '); sp >= 0 {
				start += sp + 1
			} else {
				start = focus
			}
		}
		end = min(start+window, len(text))
		if end < len(text) {
			if sp := strings.LastIndexByte(text[start:end], ' '); sp > 0 {
				end = start + sp
			}
			for end > start && !utf8.RuneStart(text[end]) {
				end--
			}
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString(ellipsis)
	}
	pos := start
	for _, sp := range spans {
		s, e := max(sp[0], start), min(sp[1], end)
		if s >= e {
			continue
		}
		b.WriteString(escape(oneLineKeep(text[pos:s])))
		b.WriteString("**" + escape(oneLineKeep(text[s:e])) + "**")
		pos = e
	}
	b.WriteString(escape(oneLineKeep(text[pos:end])))
	if end < len(text) {
		b.WriteString(ellipsis)
	}
	return strings.TrimSpace(b.String())
}

// oneLineKeep replaces line breaks with spaces, keeping other spacing (so
// text around bold spans keeps its word gaps).
func oneLineKeep(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// cleanSpans sorts spans, drops the unusable ones and merges spans with
// only white space between them.
func cleanSpans(text string, spans [][2]int) [][2]int {
	var out [][2]int
	for _, sp := range spans {
		s, e := sp[0], sp[1]
		if s < 0 || e > len(text) || s >= e {
			continue
		}
		if !utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
			continue
		}
		out = append(out, sp)
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	kept := out[:0]
	for _, sp := range out {
		if n := len(kept); n > 0 {
			prev := &kept[n-1]
			if sp[0] < prev[1] {
				continue // overlaps
			}
			if strings.TrimSpace(text[prev[1]:sp[0]]) == "" {
				prev[1] = sp[1] // only spaces between: one bold run
				continue
			}
		}
		kept = append(kept, sp)
	}
	return kept
}
