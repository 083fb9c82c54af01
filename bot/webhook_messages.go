package bot

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"
)

// The two webhook calls a quiz round makes after its first answer: a
// follow-up whose id it keeps, and edits of that follow-up when its item
// closes. With EditOriginal, *RESTClient is a commands.Webhook, for either
// transport: the calls carry the interaction's token and need no bot
// token.

// FollowupMessage posts a message on interaction i's webhook and returns
// its id (POST /webhooks/{app}/{token}?wait=true).
func (c *RESTClient) FollowupMessage(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) (string, error) {
	path, err := httpWebhookPath(i)
	if err != nil {
		return "", err
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := c.doFiles(ctx, http.MethodPost, path+"?wait=true", "/webhooks/{app}/{token}", p, p.Files, &msg); err != nil {
		return "", err
	}
	if msg.ID == "" {
		return "", errors.New("discord API: POST /webhooks/{app}/{token}: the answer has no message id")
	}
	return msg.ID, nil
}

// EditFollowup edits the follow-up message id of interaction i
// (PATCH /webhooks/{app}/{token}/messages/{id}).
func (c *RESTClient) EditFollowup(ctx context.Context, i *discordgo.Interaction, id string, e *discordgo.WebhookEdit) error {
	path, err := httpWebhookPath(i)
	if err != nil {
		return err
	}
	if id == "" {
		return errors.New("discord API: editing a follow-up needs its message id")
	}
	return c.doFiles(ctx, http.MethodPatch, path+"/messages/"+url.PathEscape(id), "/webhooks/{app}/{token}/messages/{id}", e, e.Files, nil)
}
