package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Sizes of an entry view. With a title of 256 they keep a page under the
// 6000 characters of a message.
const (
	pageBudget  = 1800 // entry text on one page; pages cut between sentences
	maxCitation = 1000 // the citation in the footer
	maxListing  = 700  // the aliases, and the out-of-corpus See also
)

// entryMode says who sees an entry view, which decides its buttons.
type entryMode int

const (
	entryPublic  entryMode = iota // in the channel: no Share
	entryPrivate                  // only the reader sees it: offer Share
)

// entryCommand answers /entry name [private].
func (r *Router) entryCommand(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	name, _ := stringOption(d.Options, "name")
	private := boolOption(d.Options, "private")
	e, ok := findEntry(q.ix, name)
	if !ok {
		return notFound(name)
	}
	mode := entryPublic
	if private {
		mode = entryPrivate
	}
	embed, comps := entryView(q.ix, e, 0, mode)
	return reply(private, []*discordgo.MessageEmbed{embed}, comps)
}

// openEntry answers a related-entry button: the entry, ephemeral, with
// Share.
func (r *Router) openEntry(q *request) *discordgo.InteractionResponse {
	e, ok := resolveEntry(q.ix, q.params["id"])
	if !ok {
		return goneEntry()
	}
	embed, comps := entryView(q.ix, e, 0, entryPrivate)
	return reply(true, []*discordgo.MessageEmbed{embed}, comps)
}

// pageEntry answers Previous/Next: it edits the message when the clicker
// owns it (see mayUpdate), else answers with the page, ephemeral.
func (r *Router) pageEntry(q *request) *discordgo.InteractionResponse {
	e, ok := resolveEntry(q.ix, q.params["id"])
	if !ok {
		return goneEntry()
	}
	page, err := strconv.Atoi(q.params["n"])
	if err != nil || page < 0 {
		page = 0
	}
	if mayUpdate(q.i) {
		mode := entryPublic
		if q.i.Message != nil && q.i.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
			mode = entryPrivate
		}
		embed, comps := entryView(q.ix, e, page, mode)
		return update([]*discordgo.MessageEmbed{embed}, comps)
	}
	embed, comps := entryView(q.ix, e, page, entryPrivate)
	return reply(true, []*discordgo.MessageEmbed{embed}, comps)
}

// shareEntry posts an entry page to the channel (not ephemeral).
func (r *Router) shareEntry(q *request) *discordgo.InteractionResponse {
	e, ok := resolveEntry(q.ix, q.params["id"])
	if !ok {
		return goneEntry()
	}
	page, _ := strconv.Atoi(q.params["n"])
	embed, comps := entryView(q.ix, e, max(page, 0), entryPublic)
	if name := displayName(q.i); name != "" {
		// Author names render no Markdown and no mentions.
		embed.Author = &discordgo.MessageEmbedAuthor{Name: cut("Shared by "+oneLine(name), 100)}
	}
	return reply(false, []*discordgo.MessageEmbed{embed}, comps)
}

// findEntry resolves what a user typed or picked as an entry name: an id or
// id token (an autocomplete choice), else the best title match.
func findEntry(ix *knowledge.Index, name string) (*knowledge.Entry, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false
	}
	if e, ok := resolveEntry(ix, name); ok {
		return e, true
	}
	for _, m := range ix.LookupTitle(name, 1) {
		if e, ok := ix.Entry(m.EntryID); ok {
			return e, true
		}
	}
	return nil, false
}

func notFound(name string) *discordgo.InteractionResponse {
	if strings.TrimSpace(name) == "" {
		return notice("Please name an entry: start typing and pick one from the list.")
	}
	return notice(fmt.Sprintf("No entry matches “%s”. Start typing and pick one from the list.", cut(escape(oneLine(name)), 100)))
}

func goneEntry() *discordgo.InteractionResponse {
	return notice("That entry is no longer in the corpus.")
}

// entryPages splits an entry's sentences into pages of at most pageBudget
// characters (escaped), cutting only between sentences; a single sentence
// longer than a page is cut to fit. Sentences separated by a line break in
// the entry's text are shown as separate paragraphs. Always at least one
// page.
func entryPages(ix *knowledge.Index, e *knowledge.Entry) []string {
	sentences := ix.Sentences(e.ID)
	if len(sentences) == 0 && strings.TrimSpace(e.Text) != "" {
		sentences = []string{e.Text}
	}
	breaks := paragraphBreaks(e.Text, sentences)
	var pages []string
	var cur strings.Builder
	curLen := 0 // textLen of cur
	for k, s := range sentences {
		s = cut(escape(oneLine(s)), pageBudget)
		if s == "" {
			continue
		}
		sep := " "
		if breaks[k] {
			sep = "\n\n"
		}
		n := textLen(s)
		if curLen > 0 && curLen+len(sep)+n > pageBudget {
			pages = append(pages, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen > 0 {
			cur.WriteString(sep)
			curLen += len(sep)
		}
		cur.WriteString(s)
		curLen += n
	}
	if cur.Len() > 0 {
		pages = append(pages, cur.String())
	}
	if len(pages) == 0 {
		pages = []string{"*This entry has no text.*"}
	}
	return pages
}

// paragraphBreaks reports, for each sentence, whether a line break separates
// it from the one before in text. Sentences not found verbatim in text get
// no break.
func paragraphBreaks(text string, sentences []string) []bool {
	breaks := make([]bool, len(sentences))
	pos := 0
	for k, s := range sentences {
		at := strings.Index(text[pos:], s)
		if at < 0 {
			continue
		}
		if k > 0 && strings.Contains(text[pos:pos+at], "\n") {
			breaks[k] = true
		}
		pos += at + len(s)
	}
	return breaks
}

// entryView renders page (clamped to the last) of an entry: its text, the
// citation and page number in the footer, See-also references, paging and
// Related buttons, Share in private mode, and See-also buttons.
func entryView(ix *knowledge.Index, e *knowledge.Entry, page int, mode entryMode) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	pages := entryPages(ix, e)
	page = min(max(page, 0), len(pages)-1)

	embed := &discordgo.MessageEmbed{
		Title:       cut(escape(oneLine(e.Title)), maxEmbedTitle),
		Description: pages[page],
		Color:       colorEntry,
	}
	if embed.Title == "" {
		embed.Title = cut(escape(e.ID), maxEmbedTitle)
	}
	if validURL(e.URL) {
		embed.URL = e.URL
	}
	footer := oneLine(e.Source)
	if len(pages) > 1 {
		suffix := fmt.Sprintf("Page %d/%d", page+1, len(pages))
		if footer != "" {
			footer = cut(footer, maxCitation) + " · " + suffix
		} else {
			footer = suffix
		}
	}
	if footer != "" {
		embed.Footer = &discordgo.MessageEmbedFooter{Text: cut(footer, maxCitation+20)}
	}
	if page == 0 && len(e.Aliases) > 0 {
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{
			Name:  "Also known as",
			Value: cut(escape(oneLine(strings.Join(e.Aliases, " · "))), maxListing),
		})
	}

	var links []entryLink
	var outside []string
	var seeAlso []knowledge.Related
	if len(e.SeeAlso) > 0 {
		// Related lists See also first; asking for no more spares it the
		// similarity ranking.
		seeAlso = ix.Related(e.ID, len(e.SeeAlso))
	}
	for _, rel := range seeAlso {
		if rel.Relation != knowledge.SeeAlso {
			continue
		}
		if rel.InCorpus && rel.EntryID != "" && rel.EntryID != e.ID {
			links = append(links, entryLink{ID: rel.EntryID, Title: rel.Title})
		} else if !rel.InCorpus && rel.Title != "" {
			outside = append(outside, escape(oneLine(rel.Title)))
		}
	}
	if len(outside) > 0 {
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{
			Name:  "See also (not in this corpus)",
			Value: cut(strings.Join(outside, " · "), maxListing),
		})
	}

	nav := &discordgo.ActionsRow{}
	if len(pages) > 1 {
		prev, _ := entryCustomID("/entry", e.ID, "/page/"+strconv.Itoa(max(page-1, 0)))
		next, _ := entryCustomID("/entry", e.ID, "/page/"+strconv.Itoa(min(page+1, len(pages)-1)))
		nav.Components = append(nav.Components,
			discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: prev, Disabled: page == 0},
			discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: next, Disabled: page == len(pages)-1},
		)
	}
	if id, ok := entryCustomID("/related", e.ID, ""); ok {
		nav.Components = append(nav.Components, discordgo.Button{Label: "Related", Style: discordgo.SecondaryButton, CustomID: id})
	}
	if mode == entryPrivate {
		if id, ok := entryCustomID("/share/entry", e.ID, "/page/"+strconv.Itoa(page)); ok {
			nav.Components = append(nav.Components, discordgo.Button{Label: "Share", Style: discordgo.PrimaryButton, CustomID: id})
		}
	}
	return embed, rows(nav, linkRow(ix, "seealso", "See also…", links))
}
