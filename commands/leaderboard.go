package commands

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
)

// leaderboardSize is how many members /leaderboard lists.
const leaderboardSize = 10

// leaderboard answers /leaderboard [private]: the server's ten best
// (right answers, then the best streak, then fewer answers) and the
// caller's own rank.
func (r *Router) leaderboard(q *request) *discordgo.InteractionResponse {
	if resp, stop := r.studyNotice(q); stop {
		return resp
	}
	d, _ := commandData(q.i)
	ctx, cancel := r.storeCtx(q)
	defer cancel()
	top, err := r.study.Leaderboard(ctx, q.i.GuildID, leaderboardSize)
	if err != nil {
		r.log.Error("reading the leaderboard failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the leaderboard could not be read just now.")
	}
	me := userID(q.i)
	score, rank, members, err := r.study.MemberScore(ctx, q.i.GuildID, me)
	if err != nil {
		r.log.Error("reading a score failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the leaderboard could not be read just now.")
	}
	e := &discordgo.MessageEmbed{Title: "Leaderboard", Color: colorQuiz}
	if len(top) == 0 {
		e.Description = "No one has answered a quiz here yet: start one with `/quiz`."
		return reply(boolOption(d.Options, "private"), []*discordgo.MessageEmbed{e}, nil)
	}
	var b strings.Builder
	for k, s := range top {
		you := ""
		if s.User == me {
			you = " (you)"
		}
		fmt.Fprintf(&b, "%d. **%s**%s: %d right of %d · best streak %d\n", k+1, cut(escape(oneLine(s.Name)), 60), you, s.Correct, s.Answered, s.Best)
	}
	e.Description = strings.TrimSpace(b.String())
	mine := "You have not answered a quiz here yet: try `/quiz`."
	if rank > 0 {
		mine = fmt.Sprintf("#%d of %d · %s", rank, members, scoreLine(score, 0, 0))
	}
	e.Fields = []*discordgo.MessageEmbedField{{Name: "You", Value: mine}}
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s with a score in this server", plural(members, "member", "members"))}
	return reply(boolOption(d.Options, "private"), []*discordgo.MessageEmbed{e}, nil)
}
