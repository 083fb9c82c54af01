// Package commands holds Footnote's Discord slash commands, autocomplete and
// message components as plain functions from an interaction to a response,
// built on the knowledge package. Nothing here touches the network: the
// transports in package bot feed interactions in and send responses out.
package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// Handler answers one interaction. The response is what the transport sends
// as the interaction callback (types 1, 4, 5, 6, 7, 8, 9).
type Handler interface {
	Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse
}
