package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// Members of the quiz tests, with the names they show.
var quizMembers = []struct{ id, name string }{
	{"1100000000000000701", "Ada"}, {"1100000000000000702", "Bob"}, {"1100000000000000703", "Cy"}, {"1100000000000000704", "Di"},
}

func asMember(i *discordgo.Interaction, k int) *discordgo.Interaction {
	inGuild(i, discordtest.GuildID, quizMembers[k].id, read)
	i.Member.User.GlobalName = quizMembers[k].name
	return i
}

// buttonsOfMessage lists the buttons of a message.
func buttonsOfMessage(m *discordtest.Message) []*discordgo.Button {
	var out []*discordgo.Button
	for _, c := range m.Components {
		if row, ok := c.(*discordgo.ActionsRow); ok {
			for _, b := range row.Components {
				if b, ok := b.(*discordgo.Button); ok {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

// clickOf is a click on b of the message m.
func clickOf(b *discordgo.Button, m *discordtest.Message, flags discordgo.MessageFlags) *discordgo.Interaction {
	msg := &discordgo.Message{ID: "1100000000000000900", ChannelID: discordtest.ChannelID, Embeds: m.Embeds, Components: m.Components, Flags: flags}
	return discordtest.Button(b.CustomID, msg)
}

// TestServeStudy plays the study mode end to end over the HTTP transport
// against the local Discord peer, which checks every request against
// Discord's schema: /quiz posts four buttons, exactly one ✅ among the
// verdicts of four members, each private and quoting the sentence that
// holds the answer with its source; a member answers once; /leaderboard
// names the member who answered right; /review gives the missed fact back
// and, answered, its source; and all of it is still there after the
// replica restarts on the same store.
func TestServeStudy(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "study.db")
	fake := discordtest.New(t, discordtest.Options{})
	seed, err := os.ReadFile("../../seeds/aid-soviet.md")
	if err != nil {
		t.Fatal(err)
	}
	var quiz *discordtest.Message
	var rightLabel, sentence string
	rightMember, wrongMember := -1, -1

	t.Run("before a restart", func(t *testing.T) {
		r := startReplica(t, fake, db)
		quiz = r.answer(t, asMember(discordtest.Slash("quiz"), 0))
		if quiz.Flags&discordgo.MessageFlagsEphemeral != 0 || !strings.Contains(text(quiz), "`_____`") {
			t.Fatalf("/quiz: %s", text(quiz))
		}
		btns := buttonsOfMessage(quiz)
		if len(btns) != 4 {
			t.Fatalf("/quiz has %d buttons", len(btns))
		}
		for k, b := range btns {
			verdict := r.answer(t, asMember(clickOf(b, quiz, 0), k))
			if verdict.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("a verdict went to the channel: %s", text(verdict))
			}
			switch {
			case strings.HasPrefix(verdict.Content, "✅"):
				if rightMember >= 0 {
					t.Fatalf("two right options: %q and %q", btns[rightMember].Label, b.Label)
				}
				rightMember, rightLabel = k, b.Label
				sentence = strings.TrimPrefix(verdict.Embeds[0].Description, "> ")
			case strings.HasPrefix(verdict.Content, "❌"):
				wrongMember = k
			default:
				t.Fatalf("a verdict starts with neither ✅ nor ❌: %q", verdict.Content)
			}
			if got := text(verdict); !strings.Contains(got, "AID, SOVIET") || !strings.Contains(got, "Historical Dictionary of the Indochina War") {
				t.Errorf("the verdict does not cite its source:\n%s", got)
			}
		}
		if rightMember < 0 {
			t.Fatal("no option was right")
		}
		plain := strings.ReplaceAll(sentence, `\`, "")
		if !strings.Contains(plain, rightLabel) || !strings.Contains(string(seed), plain) {
			t.Errorf("the reveal %q is not the corpus's sentence holding %q", sentence, rightLabel)
		}
		again := r.answer(t, asMember(clickOf(btns[(rightMember+1)%4], quiz, 0), rightMember))
		if !strings.Contains(again.Content, "already answered") || !strings.Contains(again.Content, "1 right of 1") {
			t.Errorf("a second answer: %q", again.Content)
		}
		board := text(r.answer(t, asMember(discordtest.Slash("leaderboard"), wrongMember)))
		if !strings.Contains(board, "1. **"+quizMembers[rightMember].name+"**") || !strings.Contains(board, "#") {
			t.Errorf("/leaderboard does not put %s first:\n%s", quizMembers[rightMember].name, board)
		}
	})

	t.Run("after a restart", func(t *testing.T) {
		r := startReplica(t, fake, db)
		board := text(r.answer(t, asMember(discordtest.Slash("leaderboard"), rightMember)))
		if !strings.Contains(board, "1. **"+quizMembers[rightMember].name+"** (you): 1 right of 1") {
			t.Errorf("the scores did not survive the restart:\n%s", board)
		}
		again := r.answer(t, asMember(clickOf(buttonsOfMessage(quiz)[0], quiz, 0), rightMember))
		if !strings.Contains(again.Content, "already answered") {
			t.Errorf("after a restart a member answers the same item again: %q", again.Content)
		}
		card := r.answer(t, asMember(discordtest.Slash("review"), wrongMember))
		if card.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(text(card), "a fact you missed") {
			t.Fatalf("/review of the member who missed: %s", text(card))
		}
		if !strings.Contains(strings.ReplaceAll(text(card), `\`, ""), strings.Replace(strings.ReplaceAll(sentence, `\`, ""), rightLabel, "`_____`", 1)) {
			t.Errorf("/review does not ask the missed sentence again:\n%s\nwant %q blanked", text(card), sentence)
		}
		var right *discordgo.Button
		for _, b := range buttonsOfMessage(card) {
			if b.Label == rightLabel {
				right = b
			}
		}
		if right == nil {
			t.Fatalf("the review card does not offer %q", rightLabel)
		}
		verdict := r.answer(t, asMember(clickOf(right, card, discordgo.MessageFlagsEphemeral), wrongMember))
		got := text(verdict)
		if !strings.HasPrefix(verdict.Content, "✅") || !strings.Contains(got, "Source: AID, SOVIET") || !strings.Contains(got, "Historical Dictionary") || !strings.Contains(got, "due again") {
			t.Errorf("the review's verdict:\n%s", got)
		}
		if empty := r.answer(t, asMember(discordtest.Slash("review"), rightMember)); !strings.Contains(empty.Content, "deck is empty") {
			t.Errorf("/review of a member who missed nothing: %q", empty.Content)
		}
	})
}

// TestServeFeedbackAndGaps: 👍/👎 under /ask answers, and /corpus gaps
// listing the questions abstained from and voted down, most asked first,
// for members with Manage Server only; `footnote gaps` reads the same.
func TestServeFeedbackAndGaps(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "gaps.db")
	fake := discordtest.New(t, discordtest.Options{})
	t.Run("serve", func(t *testing.T) {
		r := startReplica(t, fake, db)
		ask := func(q string, k int) *discordtest.Message {
			return r.answer(t, asMember(discordtest.Slash("ask", discordtest.String("question", q)), k))
		}
		for k := 0; k < 3; k++ {
			if m := ask("What colour were the lighthouses of Mars?", k); len(buttonsOfMessage(m)) > 0 && strings.Contains(buttonsOfMessage(m)[0].CustomID, "/fb/") {
				t.Errorf("an abstention carries feedback buttons")
			}
		}
		answered := ask("How many films did the Soviets send?", 0)
		var down *discordgo.Button
		for _, b := range buttonsOfMessage(answered) {
			if strings.HasPrefix(b.CustomID, "/fb/") && strings.HasSuffix(b.CustomID, "/down") {
				down = b
			}
		}
		if down == nil || down.Emoji == nil || down.Emoji.Name != "👎" {
			t.Fatalf("no 👎 under the answer: %+v", buttonsOfMessage(answered))
		}
		for k := 1; k < 3; k++ {
			if got := r.answer(t, asMember(clickOf(down, answered, 0), k)); !strings.HasPrefix(got.Content, "👎 Thanks") || got.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("👎: %q", got.Content)
			}
		}
		refused := r.answer(t, inGuild(discordtest.Slash("corpus", discordtest.Sub("gaps")), discordtest.GuildID, readerID, read))
		if !strings.Contains(refused.Content, "Manage Server") {
			t.Errorf("/corpus gaps without Manage Server: %q", refused.Content)
		}
		gaps := text(r.answer(t, inGuild(discordtest.Slash("corpus", discordtest.Sub("gaps")), discordtest.GuildID, managerID, manage)))
		mars, films := strings.Index(gaps, "lighthouses of Mars"), strings.Index(gaps, "How many films")
		if mars < 0 || films < 0 || mars > films || !strings.Contains(gaps, "asked 3×") || !strings.Contains(gaps, "👎 2") {
			t.Errorf("/corpus gaps:\n%s", gaps)
		}
	})
	code, stdout, stderr := registerRun(registerCtx(t), map[string]string{"DATABASE_URL": db}, "gaps")
	out := stdout.String()
	if code != 0 || !strings.Contains(out, "lighthouses of Mars") || !strings.Contains(out, discordtest.GuildID) {
		t.Errorf("footnote gaps: exit %d\n%s%s", code, out, stderr)
	}
	code, stdout, _ = registerRun(registerCtx(t), map[string]string{"DATABASE_URL": db}, "gaps", "--json", "--guild", discordtest.GuildID, "--limit", "1")
	if lines := strings.Split(strings.TrimSpace(stdout.String()), "\n"); code != 0 || len(lines) != 1 || !strings.Contains(lines[0], `"asked":3`) {
		t.Errorf("footnote gaps --json --limit 1: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := registerRun(registerCtx(t), map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "none.db")}, "gaps"); code != 1 || !strings.Contains(stderr.String(), "no database") {
		t.Errorf("footnote gaps without a database: exit %d, %s", code, stderr)
	}
}

// TestServeQuizRound plays a round of two over HTTP: each item closes on
// its timer through the webhook (who found it), the next is posted, then
// the summary; the local peer checks each webhook call against Discord's
// schema.
func TestServeQuizRound(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.Options{})
	r := startReplica(t, fake, filepath.Join(t.TempDir(), "round.db"))
	sent, cb := r.play(t, asMember(discordtest.Slash("quiz", discordtest.Int("count", 2), discordtest.Int("seconds", 10)), 0))
	if cb.Message == nil || !strings.Contains(text(cb.Message), "Question 1 of 2") {
		t.Fatalf("round start: %+v", cb)
	}
	btns := buttonsOfMessage(cb.Message)
	for k, b := range btns {
		r.answer(t, asMember(clickOf(b, cb.Message, 0), k))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	edits, err := fake.WaitRequests(ctx, 2, func(q discordtest.Request) bool {
		return q.Method == http.MethodPatch && strings.Contains(q.Path, sent.Token) && q.Status/100 == 2
	})
	if err != nil {
		t.Fatalf("the items did not close: %v", err)
	}
	first, _ := discordtest.DecodeRequestMessage(edits[0])
	if got := text(first); !strings.Contains(got, "Question 1 of 2: closed") || !strings.Contains(got, "Found by **") {
		t.Errorf("the first item closed as:\n%s", got)
	}
	posts, err := fake.WaitRequests(ctx, 2, func(q discordtest.Request) bool {
		return q.Method == http.MethodPost && strings.Contains(q.Path, "/webhooks/") && strings.Contains(q.Path, sent.Token) && q.Status/100 == 2
	})
	if err != nil {
		t.Fatal(err)
	}
	summary, _ := discordtest.DecodeRequestMessage(posts[1])
	if got := text(summary); !strings.Contains(got, "Round over: 2 questions") || !strings.Contains(got, "**Ada**") {
		t.Errorf("summary:\n%s", got)
	}
}
