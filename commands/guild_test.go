package commands

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/internal/discordspec"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/store/storetest"
	"github.com/footnote-bot/footnote/upload"
)

// fixtureFetcher plays Discord's CDN for the handler tests: it refuses
// what the real fetcher refuses (any other host), and serves
// testdata/uploads/NAME/ zipped as NAME.zip.
type fixtureFetcher struct{ t *testing.T }

func (f fixtureFetcher) Fetch(ctx context.Context, url string, max int64) ([]byte, error) {
	real, _ := upload.NewFetcher("")
	if !real.Allowed(url) {
		return nil, &upload.Error{Msg: "not on Discord's servers"}
	}
	name := strings.TrimSuffix(path.Base(url), ".zip")
	dir := filepath.Join("testdata", "uploads", name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, errors.New("404")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.t.Fatal(err)
		}
		w, _ := zw.Create(e.Name())
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes(), nil
}

// TestGuildGolden plays testdata/guild/*.json, in order, through a Router
// with per-server corpora on a SQLite store (the shared corpus is the
// seed), and compares each response with testdata/guild/golden/NAME.json.
// The steps build on each other: an upload refused, one added, questions
// answered from it in that server and not in another, a removal, the
// settings (answers private by default, own entries only, one channel),
// an export.
func TestGuildGolden(t *testing.T) {
	st, err := store.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := corpus.New(knowledge.NewStore(testIndex(t, "seed")), st, corpus.Options{Logger: slog.New(slog.DiscardHandler)})
	r := New(knowledge.NewStore(testIndex(t, "seed")), Options{
		Version: "test", Rand: rand.New(rand.NewPCG(1, 2)), Guilds: m, Fetcher: fixtureFetcher{t},
	})
	files, err := filepath.Glob(filepath.Join("testdata", "guild", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		ok := t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var i discordgo.Interaction
			if err := json.Unmarshal(raw, &i); err != nil {
				t.Fatalf("fixture does not decode: %v", err)
			}
			resp := r.Handle(context.Background(), &i)
			checkResponse(t, resp)
			if resp.Data != nil && len(resp.Data.Files) > 0 {
				checkExport(t, resp.Data.Files)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(resp); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if err := discordspec.Validate(http.MethodPost, discordspec.RouteCallback, got); err != nil {
				t.Fatalf("Discord would refuse this response: %v\n%s", err, got)
			}
			golden := filepath.Join("testdata", "guild", "golden", name+".json")
			if *updateGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./commands -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("response differs from %s (run go test ./commands -update after checking):\n%s", golden, got)
			}
		})
		if !ok {
			t.Fatalf("%s failed: the later steps depend on it", name)
		}
	}
}

// checkExport checks the exported .zip: the files as uploaded, less the
// entry removed (its line cut out), and the file that is not an entry.
func checkExport(t *testing.T, files []*discordgo.File) {
	t.Helper()
	if len(files) != 1 || files[0].ContentType != "application/zip" || !strings.HasSuffix(files[0].Name, ".zip") {
		t.Fatalf("export attachments: %+v", files)
	}
	data, err := io.ReadAll(files[0].Reader)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	cell, _ := os.ReadFile(filepath.Join("testdata", "uploads", "notes", "cell.md"))
	organelles, _ := os.ReadFile(filepath.Join("testdata", "uploads", "notes", "organelles.jsonl"))
	var kept []string
	for _, line := range strings.SplitAfter(string(organelles), "\n") {
		if !strings.Contains(line, `"golgi"`) {
			kept = append(kept, line)
		}
	}
	if len(got) != 2 || got["cell.md"] != string(cell) || got["organelles.jsonl"] != strings.Join(kept, "") {
		t.Errorf("export holds %q", got)
	}
}

func TestCanManage(t *testing.T) {
	for _, tt := range []struct {
		perms int64
		want  bool
	}{{0, false}, {discordgo.PermissionSendMessages, false}, {permManageGuild, true}, {permAdministrator, true}, {permManageGuild | discordgo.PermissionSendMessages, true}} {
		i := &discordgo.Interaction{Member: &discordgo.Member{Permissions: tt.perms}}
		if got := canManage(i); got != tt.want {
			t.Errorf("permissions %b: canManage = %v", tt.perms, got)
		}
	}
	if canManage(&discordgo.Interaction{User: &discordgo.User{ID: "1"}}) {
		t.Error("a DM user may manage")
	}
}
