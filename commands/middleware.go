package commands

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/logclip"
)

// maxPanicLog bounds the panic value logged: it may quote what a member
// typed.
const maxPanicLog = 1000

// recovery turns a panic in a handler into a logged error and an ephemeral
// error message (empty choices for autocomplete).
func (r *Router) recovery(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse) {
		defer func() {
			if v := recover(); v != nil {
				r.log.Error("panic in interaction handler",
					"panic", logclip.Clip(fmt.Sprint(v), maxPanicLog),
					"route", logclip.String(r.routeName(i)),
					"interaction_id", logclip.String(i.ID),
					"stack", string(debug.Stack()))
				resp = fallback(i)
			}
		}()
		return next(ctx, i)
	}
}

// logging logs one line per interaction: its type, route, user and guild,
// the response type and how long it took. The interaction token is never
// logged.
func (r *Router) logging(next HandlerFunc) HandlerFunc {
	return func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
		start := time.Now()
		resp := next(ctx, i)
		respType := 0
		if resp != nil {
			respType = int(resp.Type)
		}
		r.log.LogAttrs(ctx, slog.LevelInfo, "interaction",
			slog.String("type", i.Type.String()),
			slog.String("route", logclip.String(r.routeName(i))),
			slog.String("interaction_id", logclip.String(i.ID)),
			slog.String("user_id", logclip.String(userID(i))),
			slog.String("guild_id", logclip.String(i.GuildID)),
			slog.Int("response_type", respType),
			slog.Duration("took", time.Since(start)))
		return resp
	}
}
