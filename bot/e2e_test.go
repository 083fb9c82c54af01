package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/knowledge"
)

// gatedApp holds back the answer to one command until released, so that a
// test can shut down with an interaction in flight.
type gatedApp struct {
	App
	command string
	started chan struct{}
	release chan struct{}
}

func (g *gatedApp) Handle(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommand && i.ApplicationCommandData().Name == g.command {
		close(g.started)
		<-g.release
	}
	return g.App.Handle(ctx, i)
}

// buttons lists the components of a message's action rows.
func buttons(m *discordtest.Message) (btns []*discordgo.Button, menus []*discordgo.SelectMenu) {
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range row.Components {
			switch c := c.(type) {
			case *discordgo.Button:
				btns = append(btns, c)
			case *discordgo.SelectMenu:
				menus = append(menus, c)
			}
		}
	}
	return btns, menus
}

func embedText(m *discordtest.Message) string {
	var b strings.Builder
	for _, e := range m.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + "\n" + f.Value + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return b.String()
}

// TestEndToEnd runs the real discordgo session, configured as serve
// configures it, with the real commands router and a small corpus, against
// a fake Discord on 127.0.0.1.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	ix, _, err := knowledge.Open("testdata/corpus", knowledge.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Stats().Entries != 3 {
		t.Fatalf("fixture corpus has %d entries, want 3", ix.Stats().Entries)
	}
	router := commands.New(knowledge.NewStore(ix), commands.Options{Version: "e2e", Logger: slog.New(slog.DiscardHandler)})
	app := &gatedApp{App: router, command: "about", started: make(chan struct{}), release: make(chan struct{})}
	h := startBot(t, app, map[string]string{EnvKnowledgeDir: "testdata/corpus"}, nil)
	ctx := guard(t)

	t.Run("registered command set", func(t *testing.T) {
		put, err := h.fake.WaitRequest(ctx, discordtest.Match(http.MethodPut, "/api/v9/applications/"))
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal(put.Body, &got); err != nil {
			t.Fatal(err)
		}
		wantJSON, err := json.Marshal(router.Commands())
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(wantJSON, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("PUT body differs from the router's command set:\n got %s\nwant %s", put.Body, wantJSON)
		}
		var names []string
		for _, c := range h.fake.Commands(discordtest.GuildID) {
			names = append(names, c.Name)
		}
		for _, want := range []string{"ask", "entry", "related", "search", "random", "about", "Find sources"} {
			if !strings.Contains(strings.Join(names, ","), want) {
				t.Errorf("command %q not registered (have %v)", want, names)
			}
		}
	})

	var answer discordtest.Callback
	t.Run("ask", func(t *testing.T) {
		i := h.send(discordtest.Slash("ask", discordtest.String("question", "How many films did the Soviets send?")))
		answer = h.callback(i)
		if answer.Type != discordgo.InteractionResponseChannelMessageWithSource || answer.Message == nil {
			t.Fatalf("callback type %d", answer.Type)
		}
		if answer.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Error("/ask without private answered ephemerally")
		}
		text := embedText(answer.Message)
		for _, want := range []string{"308 films", "AID, SOVIET", "Historical Dictionary of the Indochina War", "indochine.uqam.ca"} {
			if !strings.Contains(text, want) {
				t.Errorf("answer lacks %q:\n%s", want, text)
			}
		}
		btns, menus := buttons(answer.Message)
		ids := map[string]bool{}
		for _, b := range btns {
			ids[b.CustomID] = true
		}
		for _, m := range menus {
			for _, o := range m.Options {
				ids[m.CustomID+" "+o.Value] = true
			}
		}
		found := false
		for id := range ids {
			found = found || strings.Contains(id, "aid-chinese-communist")
		}
		if !found {
			t.Errorf("no button or option for the related entry in corpus; components: %v", ids)
		}
		if strings.Contains(strings.Join(keys(ids), " "), "malaysia") {
			t.Errorf("a cross-reference outside the corpus is clickable: %v", ids)
		}
	})

	t.Run("autocomplete", func(t *testing.T) {
		i := h.send(discordtest.Autocomplete("entry", discordtest.Focused("name", "chinese comm")))
		cb := h.callback(i)
		if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || cb.Message == nil {
			t.Fatalf("callback type %d", cb.Type)
		}
		if len(cb.Message.Choices) == 0 || !strings.Contains(cb.Message.Choices[0].Name, "AID, CHINESE COMMUNIST") || cb.Message.Choices[0].Value != "aid-chinese-communist" {
			t.Errorf("choices %s", cb.Message.Raw)
		}
	})

	t.Run("button", func(t *testing.T) {
		if answer.Message == nil {
			t.Fatal("no /ask answer to click on")
		}
		btns, _ := buttons(answer.Message)
		var id string
		for _, b := range btns {
			if strings.Contains(b.CustomID, "aid-chinese-communist") {
				id = b.CustomID
			}
		}
		if id == "" {
			t.Fatal("no related-entry button")
		}
		msg := &discordgo.Message{ID: "1100000000000000700", ChannelID: discordtest.ChannelID,
			Embeds: answer.Message.Embeds, Components: answer.Message.Components,
			Interaction: &discordgo.MessageInteraction{User: &discordgo.User{ID: discordtest.UserID}}}
		i := h.send(discordtest.Button(id, msg))
		cb := h.callback(i)
		if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message == nil {
			t.Fatalf("callback type %d", cb.Type)
		}
		if cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Error("a related-entry button answered publicly")
		}
		if text := embedText(cb.Message); !strings.Contains(text, "AID, CHINESE COMMUNIST") || !strings.Contains(text, "January 1950") {
			t.Errorf("button answer:\n%s", text)
		}
	})

	t.Run("find sources", func(t *testing.T) {
		i := h.send(discordtest.MessageCommand("Find sources", "1100000000000000800", "The Soviets sent 308 films to the DRV."))
		cb := h.callback(i)
		if cb.Message == nil || cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("Find sources: type %d, not ephemeral", cb.Type)
		}
		if text := embedText(cb.Message) + cb.Message.Content; !strings.Contains(text, "308 films") {
			t.Errorf("Find sources answer:\n%s", text)
		}
	})

	t.Run("rate-limited callback", func(t *testing.T) {
		h.fake.RateLimit(1, 50*time.Millisecond, discordtest.Match(http.MethodPost, "/api/v9/interactions/"))
		i := h.send(discordtest.Slash("ask", discordtest.String("question", "How many cameras did the Soviets ship?")))
		cb := h.callback(i)
		if !strings.Contains(embedText(cb.Message), "3,640 cameras") {
			t.Errorf("answer after a 429:\n%s", embedText(cb.Message))
		}
		first, err := h.fake.WaitRequest(ctx, discordtest.Match(http.MethodPost, discordtest.CallbackPath(i.ID, i.Token)))
		if err != nil || first.Status != http.StatusTooManyRequests {
			t.Errorf("first callback answered %d, want the injected 429", first.Status)
		}
	})

	t.Run("resume after a dropped socket", func(t *testing.T) {
		if err := h.fake.Drop(); err != nil {
			t.Fatal(err)
		}
		if _, err := h.fake.WaitGatewayOp(ctx, discordtest.OpResume, 1); err != nil {
			t.Fatal(err)
		}
		i := h.send(discordtest.Slash("ask", discordtest.String("question", "How many films did the Soviets send?")))
		if cb := h.callback(i); !strings.Contains(embedText(cb.Message), "308 films") {
			t.Errorf("answer after resume:\n%s", embedText(cb.Message))
		}
		if f, err := h.fake.WaitGatewayOp(ctx, discordtest.OpIdentify, 1); err != nil || f.Conn != 1 {
			t.Errorf("identified again on connection %d instead of resuming", f.Conn)
		}
		// Wait for the new connection's first heartbeat before the
		// shutdown below closes it.
		if err := h.fake.WaitHeartbeat(ctx, 2); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("graceful shutdown", func(t *testing.T) {
		i := h.send(discordtest.Slash("about"))
		<-app.started
		stopped := make(chan error, 1)
		go func() { stopped <- h.stop() }()
		if err := h.fake.WaitClosed(ctx, h.fake.Connections()); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-stopped:
			t.Fatalf("Run returned (%v) before the in-flight /about was answered", err)
		default:
		}
		close(app.release)
		if err := <-stopped; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		if !answered(h.fake, i) {
			t.Fatal("Run returned before the in-flight /about was answered")
		}
		if m := h.answerMessage(i); !strings.Contains(embedText(m)+m.Content, "e2e") {
			t.Errorf("in-flight /about answer lacks the version:\n%s%s", m.Content, embedText(m))
		}
		for _, r := range h.fake.Requests() {
			if r.Status/100 != 2 && r.Status != http.StatusTooManyRequests {
				t.Errorf("the fake refused %s %s: %d %s", r.Method, r.Path, r.Status, r.Body)
			}
		}
	})

	t.Run("allowed mentions", func(t *testing.T) { assertNoMentions(t, h.fake) })
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
