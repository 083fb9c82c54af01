package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
)

// Room given to each part of an answer, well inside the embed limits so the
// whole answer survives clamping intact.
// Together they keep an answer under the 6000 characters of a message:
// title 200 + facts 2200 + source names 5×100 + sources 2500 + outside 400.
const (
	factsLimit     = 5
	maxFactLen     = 600  // one fact
	factsBudget    = 2100 // all facts, shared out
	sourcesBudget  = 2500 // all source field values, shared out
	maxSourceName  = 100
	maxOutsideList = 400
	maxQuestionLen = 200 // the question echoed in the title
	relatedLimit   = 25
)

// ask answers /ask question [private].
func (r *Router) ask(q *request) *discordgo.InteractionResponse {
	d, _ := commandData(q.i)
	question, _ := stringOption(d.Options, "question")
	private := boolOption(d.Options, "private")
	if strings.TrimSpace(question) == "" {
		return notice("Please ask a question, e.g. `/ask question: Who supplied arms to the DRV?`")
	}
	var ans knowledge.Answer
	var err error
	if query := queryText(question); query != "" {
		ans, err = q.ix.Ask(query, factsLimit)
		if err == nil {
			r.onAnswer(ans)
		}
	}
	switch {
	case errors.Is(err, knowledge.ErrEmptyQuestion):
		return notice("Please ask a question, e.g. `/ask question: Who supplied arms to the DRV?`")
	case errors.Is(err, knowledge.ErrQuestionTooLong):
		return notice(fmt.Sprintf("That question is too long: please keep it under %d characters.", knowledge.MaxQuestionLen))
	case err != nil:
		r.log.Error("ask failed", "err", err)
		return notice("Sorry, I could not answer that. The error has been logged.")
	}
	title := cut(escape(oneLine(question)), maxQuestionLen)
	embed, links := answerEmbed(title, ans, "The corpus has no answer to that question.")
	var row *discordgo.ActionsRow
	if ans.Answered {
		row = linkRow(q.ix, "related", "Read a related entry…", links)
	} else {
		row = linkRow(q.ix, "suggestions", "Read a close entry…", links)
	}
	return reply(private, []*discordgo.MessageEmbed{embed}, rows(row, r.answerFeedback(q, question, ans)))
}

// answerEmbed shows an Answer: the facts, each with the number of its
// source, then one field per source (title linked to its url, citation).
// Out-of-corpus cross-references are listed as text. It returns the entries
// to offer as buttons: the related ones, or the suggestions when the corpus
// has no answer.
func answerEmbed(title string, ans knowledge.Answer, noAnswer string) (*discordgo.MessageEmbed, []entryLink) {
	e := &discordgo.MessageEmbed{Title: title, Color: colorAnswer}
	if !ans.Answered || len(ans.Facts) == 0 {
		e.Color = colorNoMatch
		var b strings.Builder
		b.WriteString(noAnswer)
		links := make([]entryLink, 0, len(ans.Suggestions))
		for _, s := range ans.Suggestions {
			links = append(links, entryLink{ID: s.EntryID, Title: s.Title})
		}
		if len(links) > 0 {
			b.WriteString(" These entries come closest:")
		}
		e.Description = b.String()
		return e, links
	}

	// Number the sources in order of first use.
	type source struct {
		n                    int
		title, citation, url string
	}
	var sources []*source
	byEntry := map[string]*source{}
	var desc strings.Builder
	factLen := min(maxFactLen, factsBudget/len(ans.Facts))
	for _, f := range ans.Facts {
		key := f.EntryID
		if key == "" {
			key = f.EntryTitle + "\x00" + f.Citation
		}
		s, ok := byEntry[key]
		if !ok {
			s = &source{n: len(sources) + 1, title: f.EntryTitle, citation: f.Citation, url: f.URL}
			byEntry[key] = s
			sources = append(sources, s)
		}
		fmt.Fprintf(&desc, "> %s **[%d]**\n", cut(escape(oneLine(f.Text)), factLen), s.n)
	}
	e.Description = strings.TrimSuffix(desc.String(), "\n")
	sourceLen := min(maxFieldValue, sourcesBudget/len(sources))
	for _, s := range sources {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:  cut(fmt.Sprintf("[%d] %s", s.n, escape(oneLine(s.title))), maxSourceName),
			Value: sourceText(s.title, s.url, s.citation, sourceLen),
		})
	}

	var links []entryLink
	var outside []string
	for _, rel := range ans.Related {
		if rel.InCorpus && rel.EntryID != "" {
			links = append(links, entryLink{ID: rel.EntryID, Title: rel.Title})
		} else if rel.Title != "" {
			outside = append(outside, escape(oneLine(rel.Title)))
		}
	}
	if len(outside) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:  "Also see (not in this corpus)",
			Value: cut(strings.Join(outside, " · "), maxOutsideList),
		})
	}
	return e, links
}

// sourceText is a source's citation, after its title linked to its url when
// the link takes at most half of max characters.
func sourceText(title, url, citation string, max int) string {
	var b strings.Builder
	if validURL(url) && title != "" {
		link := fmt.Sprintf("[%s](%s)", cut(escape(oneLine(title)), 100), linkTarget(url))
		if textLen(link) <= max/2 {
			b.WriteString(link)
		}
	}
	if c := oneLine(citation); c != "" {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(cut(escape(c), max-textLen(b.String())))
	}
	if b.Len() == 0 {
		return "No citation recorded."
	}
	return b.String()
}

// linkTarget makes a URL safe inside Markdown link parentheses.
func linkTarget(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u)
}
