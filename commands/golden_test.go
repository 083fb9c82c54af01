package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordspec"
	"github.com/footnote-bot/footnote/knowledge"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from the current responses")

// Test indexes, loaded once: the embedded seeds ("seed") and the fixture
// corpus in testdata/corpus ("corpus").
var (
	indexOnce sync.Once
	indexes   map[string]*knowledge.Index
	indexErr  error
)

func testIndex(t testing.TB, corpus string) *knowledge.Index {
	t.Helper()
	indexOnce.Do(func() {
		indexes = map[string]*knowledge.Index{}
		for name, dir := range map[string]string{"seed": "", "corpus": filepath.Join("testdata", "corpus")} {
			ix, rep, err := knowledge.Open(dir, knowledge.LoadOptions{})
			if err != nil {
				indexErr = err
				return
			}
			if len(rep.Errors) > 0 {
				indexErr = rep.Errors[0]
				return
			}
			indexes[name] = ix
		}
	})
	if indexErr != nil {
		t.Fatalf("loading test corpus: %v", indexErr)
	}
	ix, ok := indexes[corpus]
	if !ok {
		t.Fatalf("no test corpus %q", corpus)
	}
	return ix
}

// testRouter is a Router on a test corpus with a fixed random source.
func testRouter(t testing.TB, corpus string) *Router {
	return New(knowledge.NewStore(testIndex(t, corpus)), Options{
		Version: "test",
		Rand:    rand.New(rand.NewPCG(1, 2)),
	})
}

// TestGolden runs every interaction in testdata/*.json through a Router on
// the corpus its name starts with ("seed_" or "corpus_") and compares the
// response with testdata/golden/NAME.json. Every response must also pass
// validateResponse and Discord's own schema of a callback (also with
// -update), and carry an empty allowed_mentions when it is a message.
//
// The goldens of /ask, /search and "Find sources" record knowledge's
// ranking: after a deliberate change there, review the diff and rerun with
// -update.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			corpus, _, _ := strings.Cut(name, "_")
			r := testRouter(t, corpus)
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var i discordgo.Interaction
			if err := json.Unmarshal(raw, &i); err != nil {
				t.Fatalf("fixture does not decode as an interaction: %v", err)
			}
			resp := r.Handle(context.Background(), &i)
			checkResponse(t, resp)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(resp); err != nil {
				t.Fatalf("marshal response: %v", err)
			}
			got := buf.Bytes()
			// Whatever the response says, Discord must accept it: checked
			// before comparing and before rewriting a golden.
			if err := discordspec.Validate(http.MethodPost, discordspec.RouteCallback, got); err != nil {
				t.Fatalf("Discord would refuse this response: %v\n%s", err, got)
			}
			golden := filepath.Join("testdata", "golden", name+".json")
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
	}
}

// TestGoldenFilesFollowDiscordsSchema validates every golden file as it is
// stored, whoever wrote it, against the callback body of Discord's OpenAPI
// description.
func TestGoldenFilesFollowDiscordsSchema(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := discordspec.Validate(http.MethodPost, discordspec.RouteCallback, body); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
}

// checkResponse asserts the invariants of every response.
func checkResponse(t testing.TB, resp *discordgo.InteractionResponse) {
	t.Helper()
	if err := validateResponse(resp); err != nil {
		t.Fatalf("response breaks Discord's limits: %v", err)
	}
	if isMessage(resp.Type) {
		am := resp.Data.AllowedMentions
		if am == nil || am.Parse == nil || len(am.Parse) != 0 {
			t.Fatalf("allowed_mentions = %+v, want empty parse list", am)
		}
	}
	if _, err := json.Marshal(resp); err != nil {
		t.Fatalf("response does not marshal: %v", err)
	}
}
