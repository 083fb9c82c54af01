package bot

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

var _ commands.Webhook = (*RESTClient)(nil)

// A round's calls against the local Discord peer, which checks each
// against Discord's schema: a follow-up gives back its id, and that id
// edits it.
func TestFollowupMessageAndEdit(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	i, err := fake.SendInteraction(discordtest.Slash("quiz"))
	if err != nil {
		t.Fatal(err)
	}
	rest := &RESTClient{Base: fake.URL}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sender := &restSender{rest: rest, fake: fake}
	if err := sender.Callback(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Question 1 of 2", AllowedMentions: noMentions()}}); err != nil {
		t.Fatal(err)
	}
	id, err := rest.FollowupMessage(ctx, i, &discordgo.WebhookParams{Content: "Question 2 of 2", AllowedMentions: noMentions()})
	if err != nil || id == "" {
		t.Fatalf("FollowupMessage = %q, %v", id, err)
	}
	content := "Question 2 of 2: closed"
	if err := rest.EditFollowup(ctx, i, id, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
		t.Fatal(err)
	}
	req, msg, err := fake.WaitWebhook(ctx, i, http.MethodPatch)
	if err != nil || !strings.HasSuffix(req.Path, "/messages/"+id) || msg.Content != content {
		t.Fatalf("edit %s %+v, %v", req.Path, msg, err)
	}
	if err := rest.EditFollowup(ctx, i, "1100000000000009999", &discordgo.WebhookEdit{Content: &content}); err == nil {
		t.Error("an edit of a message that is not there succeeded")
	} else if strings.Contains(err.Error(), i.Token) {
		t.Errorf("the error shows the interaction token: %v", err)
	}
}
