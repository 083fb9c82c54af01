package commands

import (
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// about answers /about, ephemeral: what Footnote is, the corpus size and
// the version.
func (r *Router) about(q *request) *discordgo.InteractionResponse {
	st := q.ix.Stats()
	embed := &discordgo.MessageEmbed{
		Title: "Footnote",
		Description: "Footnote answers questions with sentences quoted verbatim from a corpus of " +
			"reference entries, each with its citation. Try `/ask`, `/entry`, `/search` or `/random`, " +
			"or right-click a message and choose Apps → Find sources.",
		Color: colorAnswer,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Entries", Value: strconv.Itoa(st.Entries), Inline: true},
			{Name: "Sentences", Value: strconv.Itoa(st.Sentences), Inline: true},
			{Name: "Text", Value: byteSize(st.TextBytes), Inline: true},
			{Name: "Version", Value: cut(escape(r.version), 100), Inline: true},
		},
	}
	return reply(true, []*discordgo.MessageEmbed{embed}, nil)
}

// byteSize formats a size in bytes for people.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
