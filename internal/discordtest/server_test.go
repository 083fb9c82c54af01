package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func guard(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// client is a raw gateway client, to test the fake's protocol without
// discordgo.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, s *Server, path string) *client {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.TrimSuffix(s.GatewayURL, "/ws")+path+"?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t: t, ws: ws}
}

type event struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  int64           `json:"s"`
	Type string          `json:"t"`
}

func (c *client) read() event {
	c.t.Helper()
	if err := c.ws.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		c.t.Fatal(err)
	}
	var e event
	if err := c.ws.ReadJSON(&e); err != nil {
		c.t.Fatal(err)
	}
	return e
}

func (c *client) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) identify(token string) {
	c.send(OpIdentify, map[string]any{"token": token, "intents": 0, "properties": map[string]string{"os": "linux"}})
}

func TestGatewayProtocol(t *testing.T) {
	t.Parallel()
	s := New(t, Options{HeartbeatInterval: 45 * time.Second})
	c := dial(t, s, "/ws/") // discordgo's trailing slash

	hello := c.read()
	var h struct {
		Interval int `json:"heartbeat_interval"`
	}
	if err := json.Unmarshal(hello.Data, &h); hello.Op != OpHello || err != nil || h.Interval != 45000 {
		t.Fatalf("HELLO = %+v", hello)
	}
	c.identify("Bot " + s.Token)
	ready := c.read()
	var r struct {
		User             struct{ ID string } `json:"user"`
		SessionID        string              `json:"session_id"`
		ResumeGatewayURL string              `json:"resume_gateway_url"`
		Application      struct{ ID string } `json:"application"`
	}
	if err := json.Unmarshal(ready.Data, &r); err != nil {
		t.Fatal(err)
	}
	if ready.Op != OpDispatch || ready.Type != "READY" || ready.Seq != 1 || r.User.ID != s.BotUserID ||
		r.SessionID == "" || r.ResumeGatewayURL != s.GatewayURL || r.Application.ID != s.AppID {
		t.Fatalf("READY = %+v %s", ready, ready.Data)
	}

	c.send(OpHeartbeat, 1)
	if ack := c.read(); ack.Op != OpHeartbeatACK {
		t.Errorf("heartbeat answered with op %d", ack.Op)
	}
	if err := s.WaitHeartbeat(guard(t), 1); err != nil {
		t.Fatal(err)
	}

	i, err := s.SendInteraction(Slash("ask", String("question", "why?")))
	if err != nil {
		t.Fatal(err)
	}
	ev := c.read()
	var got discordgo.Interaction
	if err := json.Unmarshal(ev.Data, &got); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "INTERACTION_CREATE" || ev.Seq != 2 || got.ID != i.ID || got.Token != i.Token || got.AppID != s.AppID ||
		got.GuildID != GuildID || got.Member == nil || got.ApplicationCommandData().Options[0].StringValue() != "why?" {
		t.Errorf("INTERACTION_CREATE = %+v %s", ev, ev.Data)
	}

	// Drop, queue a dispatch, resume: the missed dispatch is replayed,
	// then RESUMED.
	if err := s.Drop(); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitClosed(guard(t), 1); err != nil {
		t.Fatal(err)
	}
	missed, err := s.SendInteraction(Button("/entry/x", nil))
	if err != nil {
		t.Fatal(err)
	}
	c2 := dial(t, s, "/ws")
	c2.read() // HELLO
	c2.send(OpResume, map[string]any{"token": "Bot " + s.Token, "session_id": r.SessionID, "seq": 2})
	ev = c2.read()
	if err := json.Unmarshal(ev.Data, &got); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "INTERACTION_CREATE" || ev.Seq != 3 || got.ID != missed.ID {
		t.Errorf("replayed %+v", ev)
	}
	if ev = c2.read(); ev.Type != "RESUMED" || ev.Seq != 4 {
		t.Errorf("after replay: %+v", ev)
	}
	if f, err := s.WaitGatewayOp(guard(t), OpResume, 1); err != nil || f.Conn != 2 {
		t.Errorf("RESUME frame on connection %d, %v", f.Conn, err)
	}
	if s.Connections() != 2 {
		t.Errorf("Connections() = %d", s.Connections())
	}

	// A resume of an unknown session is refused with op 9.
	c3 := dial(t, s, "/ws")
	c3.read()
	c3.send(OpResume, map[string]any{"token": s.Token, "session_id": "nope", "seq": 1})
	if ev := c3.read(); ev.Op != OpInvalidSession {
		t.Errorf("bad resume answered %+v", ev)
	}
}

func TestGatewayRejectsBadToken(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	c := dial(t, s, "/ws")
	c.read()
	c.identify("Bot wrong")
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errorsAs(err, &ce) || ce.Code != 4004 {
		t.Errorf("bad IDENTIFY: %v, want close 4004", err)
	}
}

func errorsAs(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}

// do sends a REST request to the fake.
func do(t *testing.T, s *Server, method, path, auth string, body any) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

func TestREST(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	auth := "Bot " + s.Token

	code, _, body := do(t, s, "GET", "/api/v9/gateway", "", nil)
	if code != 200 || !bytes.Contains(body, []byte(`"url":"`+s.GatewayURL+`"`)) {
		t.Errorf("gateway: %d %s", code, body)
	}
	if code, _, _ := do(t, s, "GET", "/api/v9/users/@me", "Bot nope", nil); code != 401 {
		t.Errorf("@me with a bad token: %d", code)
	}
	if code, _, body := do(t, s, "GET", "/api/v9/gateway/bot", auth, nil); code != 200 || !bytes.Contains(body, []byte("session_start_limit")) {
		t.Errorf("gateway/bot: %d %s", code, body)
	}

	cmds := []*discordgo.ApplicationCommand{{Name: "ask", Description: "Ask"}, {Name: "Find sources", Type: discordgo.MessageApplicationCommand}}
	code, _, body = do(t, s, "PUT", "/api/v9/applications/"+s.AppID+"/guilds/"+GuildID+"/commands", auth, cmds)
	var echoed []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &echoed); code != 200 || err != nil || len(echoed) != 2 || echoed[0].ID == "" || echoed[0].GuildID != GuildID {
		t.Errorf("PUT guild commands: %d %s", code, body)
	}
	if code, _, body := do(t, s, "PUT", "/api/v9/applications/"+s.AppID+"/commands", auth,
		[]*discordgo.ApplicationCommand{{Name: "Ask Me", Description: "bad name"}}); code != 400 || !bytes.Contains(body, []byte("50035")) {
		t.Errorf("PUT an invalid command: %d %s", code, body)
	}
	if len(s.Commands("")) != 0 || len(s.Commands(GuildID)) != 2 {
		t.Errorf("stored commands: global %d, guild %d", len(s.Commands("")), len(s.Commands(GuildID)))
	}

	// Interaction callbacks.
	i, err := s.SendInteraction(Slash("ask")) // no client: kept for RESUME
	if err != nil {
		t.Fatal(err)
	}
	if d := i.Data.(discordgo.ApplicationCommandInteractionData); d.ID != echoed[0].ID {
		t.Errorf("command id %q, want the registered %q", d.ID, echoed[0].ID)
	}
	cbPath := CallbackPath(i.ID, i.Token)
	msg := func(content string) map[string]any {
		return map[string]any{"type": 4, "data": map[string]any{"content": content, "allowed_mentions": map[string]any{"parse": []string{}}}}
	}
	if code, _, _ := do(t, s, "POST", CallbackPath(i.ID, "wrong"), "", msg("x")); code != 404 {
		t.Errorf("callback with a wrong token: %d", code)
	}
	if code, _, body := do(t, s, "POST", cbPath, "", map[string]any{"type": 8, "data": map[string]any{"choices": []any{}}}); code != 400 {
		t.Errorf("autocomplete result to a command: %d %s", code, body)
	}
	if code, _, body := do(t, s, "POST", cbPath, "", msg(strings.Repeat("é", 2001))); code != 400 || !bytes.Contains(body, []byte("content")) {
		t.Errorf("2001 characters: %d %s", code, body)
	}
	if code, _, _ := do(t, s, "POST", "/api/v9/webhooks/"+s.AppID+"/"+i.Token, "", map[string]any{"content": "early"}); code != 404 {
		t.Errorf("followup before the callback: %d", code)
	}

	s.RateLimit(1, 1500*time.Millisecond, Match("POST", "/api/v9/interactions/"))
	code, hdr, body := do(t, s, "POST", cbPath, "", msg("x"))
	var rl struct {
		RetryAfter float64 `json:"retry_after"`
		Global     *bool   `json:"global"`
	}
	if err := json.Unmarshal(body, &rl); code != 429 || err != nil || rl.RetryAfter != 1.5 || rl.Global == nil || *rl.Global ||
		hdr.Get("Retry-After") != "2" || hdr.Get("X-RateLimit-Remaining") != "0" || hdr.Get("X-RateLimit-Reset-After") != "1.500" {
		t.Errorf("injected 429: %d %v %s", code, hdr, body)
	}

	if code, _, body := do(t, s, "POST", cbPath, "", msg("@everyone hi")); code != 204 {
		t.Fatalf("callback: %d %s", code, body)
	}
	if code, _, body := do(t, s, "POST", cbPath, "", msg("again")); code != 400 || !bytes.Contains(body, []byte("40060")) {
		t.Errorf("second callback: %d %s", code, body)
	}
	cb, err := s.WaitCallback(guard(t), i)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != 4 || cb.Message.Content != "@everyone hi" || cb.Message.AllowedMentions == nil || cb.Message.AllowedMentions.Parse == nil {
		t.Errorf("WaitCallback = %+v %+v", cb.Type, cb.Message)
	}

	// Webhook: edit the original, post a followup, read and delete it.
	hook := "/api/v9/webhooks/" + s.AppID + "/" + i.Token
	if code, _, body := do(t, s, "PATCH", hook+"/messages/@original", "", map[string]any{"content": "edited"}); code != 200 || !bytes.Contains(body, []byte(`"content":"edited"`)) {
		t.Errorf("edit @original: %d %s", code, body)
	}
	code, _, body = do(t, s, "POST", hook+"?wait=true", "", map[string]any{"content": "more", "flags": 64})
	var m discordgo.Message
	if err := json.Unmarshal(body, &m); code != 200 || err != nil || m.ID == "" || m.Flags != 64 {
		t.Fatalf("followup: %d %s", code, body)
	}
	if code, _, _ := do(t, s, "GET", hook+"/messages/"+m.ID, "", nil); code != 200 {
		t.Errorf("GET followup: %d", code)
	}
	if code, _, _ := do(t, s, "DELETE", hook+"/messages/"+m.ID, "", nil); code != 204 {
		t.Errorf("DELETE followup: %d", code)
	}
	if code, _, _ := do(t, s, "GET", hook+"/messages/"+m.ID, "", nil); code != 404 {
		t.Errorf("GET deleted followup: %d", code)
	}
	if _, m, err := s.WaitWebhook(guard(t), i, "PATCH"); err != nil || m.Content != "edited" {
		t.Errorf("WaitWebhook: %v %+v", err, m)
	}

	// Everything was recorded, with what the fake answered.
	reqs := s.Requests()
	var statuses []int
	for _, r := range reqs {
		if r.Path == cbPath {
			statuses = append(statuses, r.Status)
		}
	}
	if want := []int{400, 400, 429, 204, 400}; !equalInts(statuses, want) {
		t.Errorf("callback statuses %v, want %v", statuses, want)
	}
	if code, _, _ := do(t, s, "GET", "/api/v9/nothing/here", auth, nil); code != 404 {
		t.Errorf("unknown route: %d", code)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWaitGivesUp(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.WaitRequest(ctx, func(Request) bool { return true }); err == nil {
		t.Error("WaitRequest on a cancelled context returned no error")
	}
	if err := s.Drop(); err == nil {
		t.Error("Drop without a connection returned no error")
	}
}
