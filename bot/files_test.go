package bot

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// eager answers at once with a file, and asks to be deferred at once.
type eager struct{ answered chan struct{} }

func (e eager) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	defer close(e.answered)
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "here it is", Flags: discordgo.MessageFlagsEphemeral,
			Files: []*discordgo.File{{Name: "corpus.zip", ContentType: "application/zip", Reader: strings.NewReader("PK-data")}},
		},
	}
}
func (eager) DeferAtOnce(*discordgo.Interaction) bool    { return true }
func (eager) DeferEphemeral(*discordgo.Interaction) bool { return true }

var _ commands.Handler = eager{}

// A handler that asks for it is deferred at once, however fast it is, and
// a file in its answer goes out in the webhook edit, as multipart.
func TestDeferAtOnceWithFiles(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	i, err := fake.SendInteraction(discordtest.Slash("corpus", discordtest.Sub("export")))
	if err != nil {
		t.Fatal(err)
	}
	rest := &RESTClient{Base: fake.URL}
	sender := &restSender{rest: rest, fake: fake}
	h := eager{answered: make(chan struct{})}
	r := &Responder{Handler: h, Logger: slog.New(slog.DiscardHandler), DeferAfter: time.Hour}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.Answer(ctx, sender, i); err != nil {
		t.Fatal(err)
	}
	cb, err := fake.WaitCallback(ctx, i)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || cb.Message == nil || cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("first response %+v, want an ephemeral deferral", cb)
	}
	req, msg, err := fake.WaitWebhook(ctx, i, http.MethodPatch)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
		t.Errorf("edit sent as %s", req.Header.Get("Content-Type"))
	}
	if msg.Content != "here it is" || !bytes.Equal(msg.Files["corpus.zip"], []byte("PK-data")) {
		t.Fatalf("edit = %q with files %q", msg.Content, msg.Files)
	}
}

// restSender is the HTTP transport's Sender in miniature: the callback
// through the fake's REST endpoint, the rest through the RESTClient.
type restSender struct {
	rest *RESTClient
	fake *discordtest.Server
}

func (s *restSender) Callback(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	return s.rest.do(ctx, http.MethodPost, "/interactions/"+i.ID+"/"+i.Token+"/callback", "/interactions/{id}/{token}/callback", r, nil)
}
func (s *restSender) EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	return s.rest.EditOriginal(ctx, i, e)
}
func (s *restSender) Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error {
	return s.rest.Followup(ctx, i, p)
}
func (s *restSender) DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	return s.rest.DeleteOriginal(ctx, i)
}

func TestFakeServesAttachments(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	att := fake.AddAttachment("notes.md", []byte("# Notes\n"))
	resp, err := http.Get(att.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || b.String() != "# Notes\n" || fake.Downloads(att.ID) != 1 {
		t.Fatalf("GET %s: %d %q, %d downloads", att.URL, resp.StatusCode, b.String(), fake.Downloads(att.ID))
	}
}
