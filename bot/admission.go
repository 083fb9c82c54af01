package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/admit"
)

// Texts of the answers to interactions that were not admitted.
const (
	BusyText      = "Footnote is busy answering other questions right now. Please try again in a few seconds."
	userRateText  = "You are asking faster than Footnote answers: please try again in %s."
	guildRateText = "This server is asking faster than Footnote answers: please try again in %s."
)

// Reasons an interaction is refused, as counted by
// footnote_admission_refused_total{reason}.
const (
	RefusedBusy      = "busy"       // every worker busy, and the queue full or too slow to join
	RefusedQueueWait = "queue_wait" // waited in the queue twice as long as expected
	RefusedUserRate  = "user_rate"  // the user's token bucket is empty
	RefusedGuildRate = "guild_rate" // the server's token bucket is empty
)

// CostReporter is a handler that can tell which interactions are costly
// (*commands.Router does): those are admitted through the pool and the
// rate limits; the others are answered at once.
type CostReporter interface {
	Costly(i *discordgo.Interaction) bool
}

// Admission is a commands.Handler in front of another that bounds the
// costly work running at once: a costly interaction takes a token from its
// user's and its server's buckets, then a worker slot of the pool, waiting
// in the pool's short queue if need be (past DeferAfter the Responder
// defers it, and the answer follows through the webhook). When a bucket
// is empty, or the queue full or its wait longer than allowed at the
// recent pace of the answers, it is answered at once, ephemerally, with a
// request to try again; nothing piles up. A refused interaction gives its
// tokens back.
type Admission struct {
	next    commands.Handler
	costly  func(*discordgo.Interaction) bool
	pool    *admit.Pool
	users   *admit.Buckets
	guilds  *admit.Buckets
	metrics *Metrics
	log     *slog.Logger
}

// NewAdmission wraps next with the limits of cfg. Which interactions are
// costly comes from next when it is a CostReporter; otherwise every
// application command and modal is.
func NewAdmission(next commands.Handler, cfg AdmissionConfig, metrics *Metrics, log *slog.Logger) (*Admission, error) {
	if next == nil {
		return nil, errors.New("admission: a handler is required")
	}
	cfg = cfg.withDefaults()
	pool, err := admit.NewPool(cfg.Workers, cfg.Queue, cfg.QueueWait)
	if err != nil {
		return nil, fmt.Errorf("admission: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	a := &Admission{
		next: next, pool: pool, metrics: metrics, log: log,
		users:  admit.NewBuckets(cfg.UserRate, 0),
		guilds: admit.NewBuckets(cfg.GuildRate, 0),
	}
	if c, ok := next.(CostReporter); ok {
		a.costly = c.Costly
	} else {
		a.costly = func(i *discordgo.Interaction) bool {
			return i.Type == discordgo.InteractionApplicationCommand || i.Type == discordgo.InteractionModalSubmit
		}
	}
	metrics.watchPool(pool)
	return a, nil
}

// Unwrap returns the handler behind the admission.
func (a *Admission) Unwrap() commands.Handler { return a.next }

// Handle implements commands.Handler.
func (a *Admission) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i == nil || !a.costly(i) {
		return a.next.Handle(ctx, i)
	}
	user, wait, ok := a.users.Take(userID(i))
	if !ok {
		return a.refuse(i, RefusedUserRate, fmt.Sprintf(userRateText, waitText(wait)))
	}
	var guild admit.Ticket
	if i.GuildID != "" {
		if guild, wait, ok = a.guilds.Take(i.GuildID); !ok {
			user.Refund()
			return a.refuse(i, RefusedGuildRate, fmt.Sprintf(guildRateText, waitText(wait)))
		}
	}
	release, err := a.pool.Acquire(ctx)
	if err != nil {
		user.Refund()
		guild.Refund()
		reason := RefusedBusy
		if errors.Is(err, admit.ErrQueueTimeout) {
			reason = RefusedQueueWait
		}
		return a.refuse(i, reason, BusyText)
	}
	defer release()
	return a.next.Handle(ctx, i)
}

// DeferEphemeral passes the wrapped handler's hint on to the Responder.
func (a *Admission) DeferEphemeral(i *discordgo.Interaction) bool {
	if h, ok := a.next.(DeferHinter); ok {
		return h.DeferEphemeral(i)
	}
	return httpWantsEphemeral(i)
}

// DeferAtOnce passes the wrapped handler's wish on to the Responder.
func (a *Admission) DeferAtOnce(i *discordgo.Interaction) bool {
	h, ok := a.next.(EagerDeferrer)
	return ok && h.DeferAtOnce(i)
}

func (a *Admission) refuse(i *discordgo.Interaction, reason, text string) *discordgo.InteractionResponse {
	a.metrics.observeRefused(reason)
	a.log.Debug("interaction not admitted", append(interactionAttrs(i), "reason", reason)...)
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral},
	}
}

// userID is the id of the member or user behind i ("" when there is none,
// which shares one bucket).
func userID(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// waitText says how long to wait, in whole seconds, for people.
func waitText(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	if s <= 1 {
		return "a second"
	}
	return fmt.Sprintf("%d seconds", s)
}
