package bot

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

func registerTestCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask the corpus a question", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true},
		}},
		{Name: "about", Description: "What Footnote knows"},
	}
}

func TestRegisterCommands(t *testing.T) {
	tests := []struct {
		name  string
		guild string
	}{
		{"global", ""},
		{"guild", discordtest.GuildID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			c := &RESTClient{Base: fake.URL, Token: fake.Token}
			stored, err := RegisterCommands(httpCtx(t), c, fake.AppID, tt.guild, registerTestCommands())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, cmd := range fake.Commands(tt.guild) {
				names = append(names, cmd.Name)
			}
			if !slices.Equal(names, []string{"ask", "about"}) {
				t.Errorf("the fake holds %v, want [ask about]", names)
			}
			if len(stored) != 2 || stored[0].ID == "" {
				t.Errorf("returned %+v, want the stored commands with ids", stored)
			}
			other := discordtest.GuildID
			if tt.guild != "" {
				other = ""
			}
			if n := len(fake.Commands(other)); n != 0 {
				t.Errorf("%d commands landed in the other scope", n)
			}
			reqs := fake.Requests()
			put := reqs[len(reqs)-1]
			if put.Method != http.MethodPut || put.Header.Get("Authorization") != "Bot "+fake.Token {
				t.Errorf("last request %s with Authorization %q", put.Method, put.Header.Get("Authorization"))
			}
		})
	}
}

func TestRegisterCommandsRetriesRateLimit(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	fake.RateLimit(1, 10*time.Millisecond, discordtest.Match(http.MethodPut, "/api/v9/applications/"))
	c := &RESTClient{Base: fake.URL, Token: fake.Token}
	if _, err := RegisterCommands(httpCtx(t), c, fake.AppID, "", registerTestCommands()); err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut {
			statuses = append(statuses, r.Status)
		}
	}
	if !slices.Equal(statuses, []int{http.StatusTooManyRequests, http.StatusOK}) {
		t.Errorf("PUT statuses %v, want [429 200]", statuses)
	}
	if len(fake.Commands("")) != 2 {
		t.Error("commands not registered after the retry")
	}
}

func TestRegisterCommandsErrors(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	ctx := httpCtx(t)
	const wrong = "MTEwMDAwMDAwMDAwMDAwMDAwMg.d3Jvbmc.d3JvbmctdG9rZW4td3JvbmctdG9rZW4"
	_, err := RegisterCommands(ctx, &RESTClient{Base: fake.URL, Token: wrong}, fake.AppID, "", registerTestCommands())
	var rerr *RESTError
	if !errors.As(err, &rerr) || rerr.Status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %v, want a 401 RESTError", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Error("the error quotes the token")
	}
	if _, err := RegisterCommands(ctx, &RESTClient{Base: fake.URL}, fake.AppID, "", nil); err == nil {
		t.Error("no token accepted")
	}
	if _, err := RegisterCommands(ctx, &RESTClient{Base: fake.URL, Token: fake.Token}, "", "", nil); err == nil {
		t.Error("no application id accepted")
	}
	// Nothing listens there: the error names the route, not the URL.
	c := &RESTClient{Base: "http://127.0.0.1:1", Token: fake.Token}
	if _, err := RegisterCommands(ctx, c, fake.AppID, "", nil); err == nil || !strings.Contains(err.Error(), "/applications/{app}/commands") {
		t.Errorf("unreachable API: %v", err)
	}
}

// registerFakeAPI is a minimal API for what the fake Discord does not
// serve: the application lookup.
func registerFakeAPI(t *testing.T, token string) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bot "+token {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message": "401: Unauthorized", "code": 0}`)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/api/v9/oauth2/applications/@me":
			io.WriteString(w, `{"id":"1100000000000000777","name":"Footnote"}`)
		case r.Method == http.MethodPut && r.URL.Path == "/api/v9/applications/1100000000000000777/commands":
			var cmds []*discordgo.ApplicationCommand
			if err := json.NewDecoder(r.Body).Decode(&cmds); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			json.NewEncoder(w).Encode(cmds)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestRESTApplicationID(t *testing.T) {
	srv, seen := registerFakeAPI(t, "tok")
	c := &RESTClient{Base: srv.URL + "/", Token: "tok"}
	id, err := c.ApplicationID(httpCtx(t))
	if err != nil || id != "1100000000000000777" {
		t.Fatalf("ApplicationID = %q, %v", id, err)
	}
	if _, err := RegisterCommands(httpCtx(t), c, id, "", registerTestCommands()); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /api/v9/oauth2/applications/@me", "PUT /api/v9/applications/1100000000000000777/commands"}
	if !slices.Equal(*seen, want) {
		t.Errorf("requests %v, want %v", *seen, want)
	}
	if _, err := (&RESTClient{Base: srv.URL, Token: "bad"}).ApplicationID(httpCtx(t)); err == nil {
		t.Error("a refused token gave an id")
	}
}

func TestHTTPRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
		want   time.Duration
	}{
		{"body", "", `{"retry_after": 0.25}`, 250 * time.Millisecond},
		{"header", "2", `oops`, 2 * time.Second},
		{"body wins", "9", `{"retry_after": 1.5}`, 1500 * time.Millisecond},
		{"capped", "", `{"retry_after": 3600}`, 30 * time.Second},
		{"nothing", "", ``, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Retry-After", tt.header)
			}
			if got := httpRetryAfter(h, []byte(tt.body)); got != tt.want {
				t.Errorf("wait %v, want %v", got, tt.want)
			}
		})
	}
}
