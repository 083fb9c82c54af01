package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
)

// roundHarness is a Router whose round timers the test fires, with a
// clock it moves.
type roundHarness struct {
	r      *Router
	wh     *fakeWebhook
	st     store.Store
	timers chan chan time.Time
	mu     sync.Mutex
	now    time.Time
}

func newRoundHarness(t *testing.T) *roundHarness {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "rounds.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &roundHarness{wh: &fakeWebhook{}, st: st, timers: make(chan chan time.Time, 16), now: studyClock}
	h.r = New(knowledge.NewStore(testIndex(t, "corpus")), Options{Version: "test", Rand: rand.New(rand.NewPCG(3, 4)), Study: st, Webhook: h.wh,
		Now: func() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.now }})
	h.r.timer = func(time.Duration) <-chan time.Time {
		c := make(chan time.Time, 1)
		h.timers <- c
		return c
	}
	t.Cleanup(func() { h.r.Close(context.Background()) })
	return h
}

func (h *roundHarness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// fire lets the round's current item close.
func (h *roundHarness) fire(t *testing.T) {
	t.Helper()
	select {
	case c := <-h.timers:
		c <- time.Now()
	case <-time.After(10 * time.Second):
		t.Fatal("the round never waited for its item to close")
	}
}

// waitCalls waits until the webhook has seen n calls.
func (h *roundHarness) waitCalls(t *testing.T, n int) []webhookCall {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		calls := h.wh.all()
		if len(calls) >= n {
			return calls
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d webhook calls, want %d: %+v", len(calls), n, calls)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func member(i *discordgo.Interaction, id, name string) *discordgo.Interaction {
	i.GuildID, i.ChannelID = "333333333333333333", "444444444444444444"
	i.Member = &discordgo.Member{User: &discordgo.User{ID: id, Username: strings.ToLower(name), GlobalName: name}}
	return i
}

func slashCmd(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, ID: "1", AppID: "9", Token: "tok",
		Data: discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: opts}}
}

func intOpt(name string, v int) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(v)}
}

func buttonsOf(comps []discordgo.MessageComponent) []discordgo.Button {
	var out []discordgo.Button
	for _, c := range comps {
		row, ok := asRow(c)
		if !ok {
			continue
		}
		for _, b := range row.Components {
			if b, ok := b.(discordgo.Button); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

func clickOn(b discordgo.Button) *discordgo.Interaction {
	return &discordgo.Interaction{Type: discordgo.InteractionMessageComponent,
		Data:    discordgo.MessageComponentInteractionData{CustomID: b.CustomID, ComponentType: discordgo.ButtonComponent},
		Message: &discordgo.Message{Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{b}}}}}
}

func embedsText(embeds []*discordgo.MessageEmbed) string {
	var b strings.Builder
	for _, e := range embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + ": " + f.Value + "\n")
		}
	}
	return b.String()
}

// TestRound plays a round of two: four members click the four buttons
// (exactly one ✅), a second click counts for nothing, the item closes on
// its timer showing who found it with the buttons disabled and the right
// one green, a late click is refused, the next item is posted, and the
// summary ranks the members.
func TestRound(t *testing.T) {
	h := newRoundHarness(t)
	resp := h.r.Handle(context.Background(), member(slashCmd("quiz", intOpt("count", 2), intOpt("seconds", 15)), "1", "Ada"))
	checkResponse(t, resp)
	if resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 || !strings.Contains(embedsText(resp.Data.Embeds), "Question 1 of 2") {
		t.Fatalf("round start: %s", embedsText(resp.Data.Embeds))
	}
	if again := h.r.Handle(context.Background(), member(slashCmd("quiz", intOpt("count", 2)), "2", "Bob")); !strings.Contains(again.Data.Content, "already running") {
		t.Errorf("a second round in the channel: %q", again.Data.Content)
	}
	btns := buttonsOf(resp.Data.Components)
	if len(btns) != 4 {
		t.Fatalf("%d buttons", len(btns))
	}
	names := []string{"Ada", "Bob", "Cy", "Di"}
	rightAt := -1
	for k, b := range btns {
		if len(b.CustomID) > 100 || len([]rune(b.Label)) > 80 {
			t.Errorf("button %q / %q breaks Discord's limits", b.Label, b.CustomID)
		}
		v := h.r.Handle(context.Background(), member(clickOn(b), fmt.Sprint(k+1), names[k]))
		checkResponse(t, v)
		if v.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Errorf("a verdict is public")
		}
		switch {
		case strings.HasPrefix(v.Data.Content, "✅"):
			if rightAt >= 0 {
				t.Fatalf("two right options: %d and %d", rightAt, k)
			}
			rightAt = k
		case !strings.HasPrefix(v.Data.Content, "❌"):
			t.Fatalf("verdict %q starts with neither ✅ nor ❌", v.Data.Content)
		}
	}
	if rightAt < 0 {
		t.Fatal("no right option")
	}
	if v := h.r.Handle(context.Background(), member(clickOn(btns[(rightAt+1)%4]), "1", "Ada")); !strings.Contains(v.Data.Content, "already answered") {
		t.Errorf("a second answer: %q", v.Data.Content)
	}

	h.fire(t)
	calls := h.waitCalls(t, 2)
	closed := calls[0]
	if closed.op != "edit" || closed.id != "@original" {
		t.Fatalf("first call %+v, want the original edited", closed)
	}
	text := embedsText(closed.embeds)
	if !strings.Contains(text, "closed") || !strings.Contains(text, "Found by **"+names[rightAt]+"** (1 of 4)") {
		t.Errorf("closed item:\n%s", text)
	}
	for k, b := range buttonsOf(closed.components) {
		if !b.Disabled || (k == rightAt) != (b.Style == discordgo.SuccessButton) {
			t.Errorf("closed button %d: disabled %v, style %d", k, b.Disabled, b.Style)
		}
	}
	next := calls[1]
	if next.op != "post" || !strings.Contains(embedsText(next.embeds), "Question 2 of 2") {
		t.Fatalf("second call %+v", next)
	}
	h.advance(time.Minute)
	if v := h.r.Handle(context.Background(), member(clickOn(btns[rightAt]), "9", "Late")); !strings.Contains(v.Data.Content, "closed") {
		t.Errorf("a click after the close: %q", v.Data.Content)
	}
	// The second item closes at its own time, a minute on.
	second := buttonsOf(next.components)
	for k, b := range second {
		h.r.Handle(context.Background(), member(clickOn(b), fmt.Sprint(k+1), names[k]))
	}
	h.fire(t)
	calls = h.waitCalls(t, 4)
	if calls[2].op != "edit" || calls[2].id != next.id {
		t.Errorf("the second item's close edited %q", calls[2].id)
	}
	summary := embedsText(calls[3].embeds)
	if !strings.Contains(summary, "Round over: 2 questions") {
		t.Fatalf("summary:\n%s", summary)
	}
	for _, n := range names {
		if !strings.Contains(summary, "**"+n+"**") {
			t.Errorf("the summary lacks %s:\n%s", n, summary)
		}
	}
	for _, c := range calls {
		raw, _ := json.Marshal(c.embeds)
		if strings.Contains(string(raw), "@everyone") {
			t.Errorf("a round message pings")
		}
	}
}

// Close ends a round at once: its item closes, its summary says it
// stopped, and no new round starts.
func TestRoundStopsOnClose(t *testing.T) {
	h := newRoundHarness(t)
	resp := h.r.Handle(context.Background(), member(slashCmd("quiz", intOpt("count", 5)), "1", "Ada"))
	if !strings.Contains(embedsText(resp.Data.Embeds), "Question 1 of 5") {
		t.Fatalf("round start: %+v", resp.Data)
	}
	<-h.timers // the round is waiting on its first item
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	calls := h.wh.all()
	if len(calls) != 2 || calls[0].op != "edit" || !strings.Contains(embedsText(calls[1].embeds), "Round stopped after 1 question") {
		t.Fatalf("calls after Close: %+v", calls)
	}
	if again := h.r.Handle(context.Background(), member(slashCmd("quiz", intOpt("count", 2)), "1", "Ada")); !strings.Contains(again.Data.Content, "restarting") {
		t.Errorf("a round after Close: %q", again.Data.Content)
	}
}

// Without a webhook a round cannot run: said so; one question still can.
func TestRoundWithoutWebhook(t *testing.T) {
	r, _, _ := studyRouter(t, "corpus")
	r.webhook = nil
	if resp := r.Handle(context.Background(), member(slashCmd("quiz", intOpt("count", 3)), "1", "Ada")); !strings.Contains(resp.Data.Content, "count: 1") {
		t.Errorf("a round without webhook: %q", resp.Data.Content)
	}
	if resp := r.Handle(context.Background(), member(slashCmd("quiz"), "1", "Ada")); len(buttonsOf(resp.Data.Components)) != 4 {
		t.Errorf("one question without webhook: %+v", resp.Data)
	}
}

// A click on an item whose entry has since left the corpus gets a clear
// answer and records nothing.
func TestAnswerAfterTheEntryLeft(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	full := testIndex(t, "corpus")
	ks := knowledge.NewStore(full)
	r := New(ks, Options{Rand: rand.New(rand.NewPCG(5, 6)), Study: st, Now: func() time.Time { return studyClock }})
	resp := r.Handle(context.Background(), member(slashCmd("quiz", &discordgo.ApplicationCommandInteractionDataOption{Name: "entry", Type: discordgo.ApplicationCommandOptionString, Value: "buoy"}), "1", "Ada"))
	btns := buttonsOf(resp.Data.Components)
	if len(btns) != 4 {
		t.Fatalf("quiz: %+v", resp.Data)
	}
	var rest []knowledge.Entry
	for _, e := range full.Entries() {
		if e.ID != "buoy" {
			full, _ := full.Entry(e.ID)
			rest = append(rest, *full)
		}
	}
	smaller, _ := knowledge.Build(rest)
	ks.Swap(smaller)
	for _, b := range btns {
		v := r.Handle(context.Background(), member(clickOn(b), "1", "Ada"))
		checkResponse(t, v)
		if !strings.Contains(v.Data.Content, "left the corpus") {
			t.Fatalf("a click on a removed entry's item: %q", v.Data.Content)
		}
	}
	if sc, rank, _, _ := st.MemberScore(context.Background(), "333333333333333333", "1"); sc.Answered != 0 || rank != 0 {
		t.Errorf("something was recorded: %+v", sc)
	}
}

// A missed fact comes back in /review; answered there it is scheduled on,
// and the same card cannot be answered twice.
func TestReviewFlow(t *testing.T) {
	h := newRoundHarness(t)
	resp := h.r.Handle(context.Background(), member(slashCmd("quiz"), "1", "Ada"))
	var missed string
	for _, b := range buttonsOf(resp.Data.Components) {
		v := h.r.Handle(context.Background(), member(clickOn(b), "2", "Bob"))
		if strings.HasPrefix(v.Data.Content, "❌") {
			missed = embedsText(v.Data.Embeds)
			break
		}
		if strings.HasPrefix(v.Data.Content, "✅") {
			t.Fatal("the first button tried was right: change the seed of the harness")
		}
	}
	if !strings.Contains(missed, "review") {
		t.Fatalf("the miss does not go to the deck:\n%s", missed)
	}
	rv := h.r.Handle(context.Background(), member(slashCmd("review"), "2", "Bob"))
	checkResponse(t, rv)
	if rv.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(embedsText(rv.Data.Embeds), "a fact you missed") {
		t.Fatalf("/review: %+v", rv.Data)
	}
	cards := buttonsOf(rv.Data.Components)
	if len(cards) != 4 {
		t.Fatalf("%d options on the card", len(cards))
	}
	right := cards[0]
	click := member(clickOn(right), "2", "Bob")
	click.Message.Flags = discordgo.MessageFlagsEphemeral
	verdict := h.r.Handle(context.Background(), click)
	if verdict == nil || verdict.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("review verdict: %+v", verdict)
	}
	if c := verdict.Data.Content; !strings.HasPrefix(c, "✅") && !strings.HasPrefix(c, "❌") {
		t.Fatalf("review verdict %q", c)
	}
	if txt := embedsText(verdict.Data.Embeds); !strings.Contains(txt, "due again") || !strings.Contains(txt, "Source:") {
		t.Errorf("review verdict:\n%s", txt)
	}
	click = member(clickOn(right), "2", "Bob")
	click.Message.Flags = discordgo.MessageFlagsEphemeral
	if again := h.r.Handle(context.Background(), click); !strings.Contains(again.Data.Content, "already answered this card") {
		t.Errorf("the same card twice: %q", again.Data.Content)
	}
}
