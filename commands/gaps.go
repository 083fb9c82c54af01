package commands

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
)

// gapsShown is how many questions /corpus gaps lists.
const gapsShown = 20

// corpusGaps answers /corpus gaps (Manage Server): the questions members
// asked that the corpus could not answer or whose answers they voted
// down, most asked first: what the server's notes need next.
func (r *Router) corpusGaps(q *request) *discordgo.InteractionResponse {
	if !canManage(q.i) {
		return notice("Only members with the **Manage Server** permission can see the questions this server's corpus misses.")
	}
	if r.study == nil {
		return notice("This Footnote runs without its store, so it keeps no questions.")
	}
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	gaps, err := r.study.Gaps(ctx, q.i.GuildID, gapsShown)
	if err != nil {
		r.log.Error("reading the gaps failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the questions could not be read just now.")
	}
	e := &discordgo.MessageEmbed{Title: "What the corpus misses", Color: colorNoMatch}
	if len(gaps) == 0 {
		e.Description = "No question asked here has gone unanswered or been voted down yet."
		return reply(true, []*discordgo.MessageEmbed{e}, nil)
	}
	var b strings.Builder
	for k, g := range gaps {
		var why []string
		if g.Abstained > 0 {
			why = append(why, fmt.Sprintf("no answer %d×", g.Abstained))
		}
		if g.Unhelpful > 0 {
			why = append(why, fmt.Sprintf("👎 %d", g.Unhelpful))
		}
		if g.Helpful > 0 {
			why = append(why, fmt.Sprintf("👍 %d", g.Helpful))
		}
		since := ""
		if g.LastAnswered && g.Unhelpful == 0 {
			since = " · answered since"
		}
		fmt.Fprintf(&b, "%d. “%s”: asked %d× · %s%s\n", k+1, cut(escape(oneLine(g.Text)), 150), g.Asked, strings.Join(why, " · "), since)
	}
	e.Description = strings.TrimSpace(b.String())
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Add entries that answer them with /corpus add; they answer at once."}
	return reply(true, []*discordgo.MessageEmbed{e}, nil)
}
