package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/commands"
)

// closedURL is the base URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

const apiTestToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.ZmFrZQ.ZmFrZS1kaXNjb3JkLXRlc3QtdG9rZW4"

// With DISCORD_API_URL set, a failure names the URL that was dialled, not
// the https://discord.com one discordgo built; the error chain is kept.
func TestErrorsNameTheDialledURL(t *testing.T) {
	base := closedURL(t)
	cfg := Config{Token: apiTestToken, APIURL: base, ShardCount: 1}

	client, err := HTTPClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Get("https://discord.com/api/v9/gateway")
	got := dialledURL(err)
	if msg := got.Error(); !strings.Contains(msg, `"`+base+`/api/v9/gateway"`) || strings.Contains(msg, "discord.com") {
		t.Errorf("REST error %q, want it to name %s/api/v9/gateway and not discord.com", msg, base)
	}
	if !errors.Is(got, syscall.ECONNREFUSED) {
		t.Errorf("the error chain is lost: %v", got)
	}

	b, err := New(cfg, commands.New(nil, commands.Options{}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), base+"/api/v9/gateway") || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("gateway error %v, want it to name %s", err, base)
	}

	rc := &RESTClient{Base: base, Token: apiTestToken}
	if _, err := rc.ApplicationID(ctx); err == nil || !strings.HasPrefix(err.Error(), "discord API at "+base+": GET /oauth2/applications/@me: ") {
		t.Errorf("RESTClient error %v, want it to name %s", err, base)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "nope"}`, http.StatusInternalServerError)
	}))
	defer srv.Close()
	rc.Base = srv.URL
	if _, err := rc.ApplicationID(ctx); err == nil || !strings.HasPrefix(err.Error(), "discord API at "+srv.URL+": GET /oauth2/applications/@me: HTTP 500") {
		t.Errorf("RESTClient HTTP error %v", err)
	}
	if msg := (&RESTError{Method: "GET", Route: "/x", Status: 500}).Error(); msg != "discord API: GET /x: HTTP 500" {
		t.Errorf("without DISCORD_API_URL: %q", msg)
	}
}
