package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/bot"
	"github.com/footnote-bot/footnote/internal/discordtest"
	"github.com/footnote-bot/footnote/store/storetest"
)

// Members of the test servers: one who manages them, one who does not.
const (
	managerID = "1100000000000000601"
	readerID  = "1100000000000000602"
	otherGID  = "1100000000000000199" // a second server
	manage    = discordgo.PermissionManageServer | discordgo.PermissionSendMessages | discordgo.PermissionViewChannel
	read      = discordgo.PermissionSendMessages | discordgo.PermissionViewChannel
)

// replica is one `footnote serve --http` process, in-process.
type replica struct {
	base string
	priv ed25519.PrivateKey
	fake *discordtest.Server
}

func startReplica(t *testing.T, fake *discordtest.Server, databaseURL string) *replica {
	t.Helper()
	pub, priv := serveHTTPKey(t)
	vars := map[string]string{bot.EnvPublicKey: pub, bot.EnvAPIURL: fake.URL, bot.EnvDatabaseURL: databaseURL,
		// The test asks faster than members may.
		bot.EnvUserRate: "off", bot.EnvGuildRate: "off"}
	addr := serveHTTPStart(t, vars, 1, "--http", "127.0.0.1:0")[0]
	r := &replica{base: "http://" + addr, priv: priv, fake: fake}
	serveHTTPWaitReady(t, r.base)
	return r
}

// play plays Discord for one interaction: the fake records it (ids, a
// token, the webhook), the replica gets it signed, and its HTTP answer
// goes to the fake's callback endpoint, which checks it as Discord would.
func (r *replica) play(t *testing.T, i *discordgo.Interaction) (*discordgo.Interaction, discordtest.Callback) {
	t.Helper()
	sent, err := r.fake.SendInteraction(i)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(sent)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	status, answer := serveHTTPPost(t, r.base+"/interactions", r.priv, raw)
	if status != http.StatusOK {
		t.Fatalf("interaction answered HTTP %d: %s", status, answer)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the first answer took %v, past Discord's 3 s", took)
	}
	resp, err := http.Post(r.fake.URL+discordtest.CallbackPath(sent.ID, sent.Token), "application/json", bytes.NewReader(answer))
	if err != nil {
		t.Fatal(err)
	}
	verdict, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("Discord would refuse %s: HTTP %d %s", answer, resp.StatusCode, verdict)
	}
	cb, err := discordtest.DecodeCallback(discordtest.Request{Body: answer})
	if err != nil {
		t.Fatal(err)
	}
	return sent, cb
}

// answer plays i and returns the message it ends with: the callback's,
// or the webhook edit that follows a deferral.
func (r *replica) answer(t *testing.T, i *discordgo.Interaction) *discordtest.Message {
	t.Helper()
	sent, cb := r.play(t, i)
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		if cb.Message == nil {
			t.Fatalf("callback type %d without a message", cb.Type)
		}
		return cb.Message
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, msg, err := r.fake.WaitWebhook(ctx, sent, http.MethodPatch)
	if err != nil {
		t.Fatalf("no answer after the deferral: %v", err)
	}
	// An edit carries no flags: the message is as ephemeral as its
	// deferral was.
	if cb.Message != nil {
		msg.Flags |= cb.Message.Flags & discordgo.MessageFlagsEphemeral
	}
	return msg
}

func inGuild(i *discordgo.Interaction, guild, user string, perms int64) *discordgo.Interaction {
	i.GuildID = guild
	i.Member = discordtest.Member(user, perms)
	i.Member.GuildID = guild
	return i
}

func text(m *discordtest.Message) string {
	var b strings.Builder
	b.WriteString(m.Content + "\n")
	for _, e := range m.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + ": " + f.Value + "\n")
		}
	}
	for _, c := range m.Choices {
		b.WriteString(c.Name + "\n")
	}
	return b.String()
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func uploadBy(fake *discordtest.Server, name string, data []byte, guild, user string, perms int64) *discordgo.Interaction {
	att := fake.AddAttachment(name, data)
	i := discordtest.WithAttachments(discordtest.Slash("corpus", discordtest.Sub("add", discordtest.AttachmentOption("file", att))), att)
	return inGuild(i, guild, user, perms)
}

const (
	e2eCell       = "---\ntitle: Cell\nsource: Study group notes, week 1\n---\nThe cell is the basic unit of life. Robert Hooke named cells in 1665.\n"
	e2eOrganelles = `{"id": "golgi", "title": "Golgi apparatus", "text": "Camillo Golgi described the apparatus in 1898.", "source": "Study group notes, week 2"}
{"id": "lysosome", "title": "Lysosome", "text": "Christian de Duve found lysosomes in 1955.", "source": "Study group notes, week 2"}
`
)

// TestServeCorpusAcrossReplicas runs two HTTP replicas on one store, as a
// deployment behind a load balancer does, against the local Discord peer:
// an upload through one is answered by the other within seconds, another
// server never sees it, a member without Manage Server is refused, and a
// broken upload is refused with its file and line. On SQLite (a file both
// replicas open) and on PostgreSQL (the server of FOOTNOTE_TEST_POSTGRES,
// which CI starts).
func TestServeCorpusAcrossReplicas(t *testing.T) {
	for _, db := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "shared.db") }},
		{"postgres", storetest.Postgres},
	} {
		t.Run(db.name, func(t *testing.T) {
			url := db.url(t)
			fake := discordtest.New(t, discordtest.Options{})
			a := startReplica(t, fake, url)
			b := startReplica(t, fake, url)
			g1 := discordtest.GuildID

			t.Run("a member without Manage Server is refused", func(t *testing.T) {
				msg := a.answer(t, uploadBy(fake, "notes.zip", zipOf(t, map[string]string{"cell.md": e2eCell}), g1, readerID, read))
				if !strings.Contains(text(msg), "Manage Server") || msg.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Fatalf("answer: %s", text(msg))
				}
			})

			t.Run("a broken upload is refused with file and line", func(t *testing.T) {
				broken := zipOf(t, map[string]string{
					"cell.md":          e2eCell,
					"notes/nucleus.md": "---\ntitle: [Nucleus\nsource: Study group notes\n---\nThe nucleus holds the DNA.\n",
					"more.jsonl":       `{"id": "vacuole", "title": "Vacuole", "text": "Plants have one."}` + "\n" + `{"id": "x", "title": oops}` + "\n",
				})
				msg := a.answer(t, uploadBy(fake, "broken.zip", broken, g1, managerID, manage))
				got := text(msg)
				for _, want := range []string{"Upload refused", "Nothing was added", "notes/nucleus.md:2", "more.jsonl:2"} {
					if !strings.Contains(got, want) {
						t.Errorf("refusal lacks %q:\n%s", want, got)
					}
				}
				// Nothing was added: the valid cell.md of the same upload
				// does not answer either.
				if got := text(b.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", "Who named cells?")), g1, readerID, read))); strings.Contains(got, "Hooke") {
					t.Fatalf("a refused upload answers:\n%s", got)
				}
			})

			var added time.Time
			t.Run("an upload through one replica", func(t *testing.T) {
				att := fake.AddAttachment("notes.zip", zipOf(t, map[string]string{"cell.md": e2eCell, "organelles.jsonl": e2eOrganelles}))
				i := inGuild(discordtest.WithAttachments(discordtest.Slash("corpus", discordtest.Sub("add", discordtest.AttachmentOption("file", att))), att), g1, managerID, manage)
				sent, cb := a.play(t, i)
				if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || cb.Message == nil || cb.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Fatalf("/corpus add was not deferred at once, ephemerally: %+v", cb)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_, msg, err := fake.WaitWebhook(ctx, sent, http.MethodPatch)
				if err != nil {
					t.Fatal(err)
				}
				if got := text(msg); !strings.Contains(got, "Added 3 entries") {
					t.Fatalf("answer: %s", got)
				}
				if n := fake.Downloads(att.ID); n != 1 {
					t.Errorf("the attachment was downloaded %d times", n)
				}
				added = time.Now()
			})

			t.Run("is answered by the other", func(t *testing.T) {
				ask := func() string {
					return text(b.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", "Who described the Golgi apparatus?")), g1, readerID, read)))
				}
				got := ask()
				for !strings.Contains(got, "Camillo Golgi") {
					if time.Since(added) > 10*time.Second {
						t.Fatalf("10 s after the upload, the other replica answers:\n%s", got)
					}
					time.Sleep(50 * time.Millisecond)
					got = ask()
				}
				t.Logf("%s: the other replica answered from the upload %v after it was stored", db.name, time.Since(added).Round(time.Millisecond))
				if !strings.Contains(got, "Study group notes, week 2") {
					t.Errorf("the answer does not cite the server's notes:\n%s", got)
				}
				// The shared corpus still answers in that server.
				if got := text(b.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", "How many films did the Soviets send?")), g1, readerID, read))); !strings.Contains(got, "308 films") {
					t.Errorf("the shared corpus no longer answers in g1:\n%s", got)
				}
				ac := inGuild(discordtest.Autocomplete("entry", discordtest.Focused("name", "golg")), g1, readerID, read)
				if got := text(b.answer(t, ac)); !strings.Contains(got, "Golgi apparatus") {
					t.Errorf("autocomplete in g1 lacks the server's entry:\n%s", got)
				}
			})

			t.Run("another server never sees it", func(t *testing.T) {
				for _, r := range []*replica{a, b} {
					got := text(r.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", "Who described the Golgi apparatus?")), otherGID, readerID, read)))
					if strings.Contains(got, "Camillo Golgi") || strings.Contains(got, "Study group notes") {
						t.Errorf("g2 is answered from g1's notes:\n%s", got)
					}
					ac := inGuild(discordtest.Autocomplete("entry", discordtest.Focused("name", "golg")), otherGID, readerID, read)
					if got := text(r.answer(t, ac)); strings.Contains(got, "Golgi") {
						t.Errorf("g2's autocomplete offers g1's entry:\n%s", got)
					}
					search := inGuild(discordtest.Slash("search", discordtest.String("terms", "lysosomes Duve")), otherGID, readerID, read)
					if got := text(r.answer(t, search)); strings.Contains(got, "Lysosome") {
						t.Errorf("g2's search finds g1's entry:\n%s", got)
					}
					list := inGuild(discordtest.Slash("corpus", discordtest.Sub("list")), otherGID, readerID, read)
					if got := text(r.answer(t, list)); !strings.Contains(got, "None yet") {
						t.Errorf("g2's list:\n%s", got)
					}
				}
			})

			t.Run("the export holds the files as added", func(t *testing.T) {
				msg := b.answer(t, inGuild(discordtest.Slash("corpus", discordtest.Sub("export")), g1, readerID, read))
				data := msg.Files["corpus-"+g1+".zip"]
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					t.Fatalf("export %q: %v (%s)", msg.Files, err, text(msg))
				}
				got := map[string]string{}
				for _, f := range zr.File {
					rc, _ := f.Open()
					c, _ := io.ReadAll(rc)
					rc.Close()
					got[f.Name] = string(c)
				}
				if len(got) != 2 || got["cell.md"] != e2eCell || got["organelles.jsonl"] != e2eOrganelles {
					t.Fatalf("export = %q", got)
				}
			})

			t.Run("settings reach the other replica", func(t *testing.T) {
				set := inGuild(discordtest.Slash("settings", discordtest.Sub("answers", discordtest.Bool("private", true))), g1, managerID, manage)
				if got := text(a.answer(t, set)); !strings.Contains(got, "Settings saved") {
					t.Fatalf("settings: %s", got)
				}
				deadline := time.Now().Add(10 * time.Second)
				for {
					msg := b.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", "Who found lysosomes?")), g1, readerID, read))
					if msg.Flags&discordgo.MessageFlagsEphemeral != 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("10 s after the change, the other replica still answers in the channel")
					}
					time.Sleep(50 * time.Millisecond)
				}
			})
		})
	}
}

// TestServeWatchesTheCorpus edits KNOWLEDGE_DIR under a running serve: a
// file added answers, a file deleted stops answering, without a signal,
// and /metrics counts the versions, while questions keep coming.
func TestServeWatchesTheCorpus(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "cell.md"), e2eCell)
	writeFile(t, filepath.Join(dir, "organelles.jsonl"), e2eOrganelles)
	fake := discordtest.New(t, discordtest.Options{})
	pub, priv := serveHTTPKey(t)
	vars := map[string]string{bot.EnvPublicKey: pub, bot.EnvAPIURL: fake.URL, bot.EnvKnowledgeDir: dir,
		bot.EnvUserRate: "off", bot.EnvGuildRate: "off"}
	r := &replica{base: "http://" + serveHTTPStart(t, vars, 1, "--http", "127.0.0.1:0")[0], priv: priv, fake: fake}
	serveHTTPWaitReady(t, r.base)
	ask := func(q string) string {
		return text(r.answer(t, inGuild(discordtest.Slash("ask", discordtest.String("question", q)), discordtest.GuildID, readerID, read)))
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 15 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	version := func() string {
		_, body := serveHTTPGet(t, r.base+"/metrics")
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, "footnote_corpus_version ") {
				return strings.TrimPrefix(line, "footnote_corpus_version ")
			}
		}
		return ""
	}
	if v := version(); v != "1" {
		t.Fatalf("corpus version %q at start", v)
	}
	writeFile(t, filepath.Join(dir, "gene.md"), "---\ntitle: Gene\nsource: Notes\n---\nGregor Mendel studied heredity in peas in 1856.\n")
	until("the new file answers", func() bool { return strings.Contains(ask("Who studied heredity in peas?"), "Mendel") })
	if v := version(); v != "2" {
		t.Errorf("corpus version %q after one change, want 2 (the watch debounces)", v)
	}
	if err := os.Remove(filepath.Join(dir, "organelles.jsonl")); err != nil {
		t.Fatal(err)
	}
	until("the deleted file stops answering", func() bool { return !strings.Contains(ask("Who found lysosomes?"), "de Duve") })
	if got := ask("Who named cells?"); !strings.Contains(got, "Hooke") {
		t.Errorf("the untouched file no longer answers:\n%s", got)
	}
}
