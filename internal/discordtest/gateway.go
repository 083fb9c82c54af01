package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes the fake speaks.
const (
	OpDispatch       = 0
	OpHeartbeat      = 1
	OpIdentify       = 2
	OpResume         = 6
	OpReconnect      = 7
	OpInvalidSession = 9
	OpHello          = 10
	OpHeartbeatACK   = 11
)

// gwConn is one websocket connection.
type gwConn struct {
	n  int
	ws *websocket.Conn
	mu sync.Mutex // serializes writes
}

func (c *gwConn) write(payload []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, payload)
}

func (c *gwConn) writeJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(b)
}

type payload struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s"`
	Type *string         `json:"t"`
}

func frame(op int, d any) map[string]any {
	return map[string]any{"op": op, "d": d, "s": nil, "t": nil}
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns++
	c := &gwConn{n: s.conns, ws: ws}
	s.all = append(s.all, c)
	s.notify()
	s.mu.Unlock()
	defer ws.Close()

	if err := c.writeJSON(frame(OpHello, map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()})); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			s.mu.Lock()
			if s.current == c {
				s.current = nil
			}
			s.ended = append(s.ended, c.n)
			s.notify()
			s.mu.Unlock()
			return
		}
		var p payload
		if err := json.Unmarshal(msg, &p); err != nil {
			// Discord closes with 4002 Decode error.
			_ = ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Decode error"))
			return
		}
		s.mu.Lock()
		s.frames = append(s.frames, Frame{Conn: c.n, Op: p.Op, Data: p.Data})
		s.notify()
		s.mu.Unlock()

		switch p.Op {
		case OpHeartbeat:
			if err := c.writeJSON(frame(OpHeartbeatACK, nil)); err != nil {
				return
			}
		case OpIdentify:
			if !s.identify(c, p.Data) {
				return
			}
		case OpResume:
			if !s.resume(c, p.Data) {
				return
			}
		}
	}
}

// tokenOK accepts the token with or without its "Bot " prefix.
func (s *Server) tokenOK(tok string) bool {
	return tok == s.Token || tok == "Bot "+s.Token
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents *int    `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	if err := json.Unmarshal(d, &id); err != nil || id.Intents == nil {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Decode error"))
		return false
	}
	if !s.tokenOK(id.Token) {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessionID = randomHex(16)
	s.seq = 0
	s.dispatches = nil
	s.current = c
	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	ready := map[string]any{
		"v":                  9,
		"user":               s.botUser(),
		"session_id":         s.sessionID,
		"resume_gateway_url": s.GatewayURL,
		"application":        map[string]any{"id": s.AppID, "flags": 0},
		"guilds":             []any{},
		"private_channels":   []any{},
		"shard":              shard,
	}
	return s.dispatchLocked("READY", ready) == nil
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var rp struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &rp); err != nil {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Decode error"))
		return false
	}
	if !s.tokenOK(rp.Token) {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp.SessionID == "" || rp.SessionID != s.sessionID {
		// Not resumable: the client must identify again.
		return c.writeJSON(frame(OpInvalidSession, false)) == nil
	}
	s.current = c
	for _, d := range s.dispatches {
		if d.seq > rp.Seq {
			if err := c.write(d.payload); err != nil {
				return false
			}
		}
	}
	return s.dispatchLocked("RESUMED", map[string]any{}) == nil
}

// errNoConnection reports a dispatch stored for replay but not delivered.
var errNoConnection = errors.New("discordtest: no gateway connection; the dispatch is kept for RESUME")

// dispatchLocked sends an op 0 dispatch with the next sequence number to the
// current connection and keeps it for replay. Callers hold s.mu.
func (s *Server) dispatchLocked(t string, d any) error {
	s.seq++
	b, err := json.Marshal(map[string]any{"op": OpDispatch, "d": d, "s": s.seq, "t": t})
	if err != nil {
		return err
	}
	s.dispatches = append(s.dispatches, dispatch{seq: s.seq, payload: b})
	s.notify()
	if s.current == nil {
		return errNoConnection
	}
	return s.current.write(b)
}

// Dispatch sends a gateway event of type t with data d to the connected
// client. When no client is connected the event is kept and delivered on
// RESUME, as Discord does; Dispatch then returns nil too.
func (s *Server) Dispatch(t string, d any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.dispatchLocked(t, d); err != nil && !errors.Is(err, errNoConnection) {
		return err
	}
	return nil
}

// Drop closes the current gateway connection from the server side without
// a close frame, as a network failure would. The session stays resumable.
func (s *Server) Drop() error {
	s.mu.Lock()
	c := s.current
	s.current = nil
	s.mu.Unlock()
	if c == nil {
		return errors.New("discordtest: no gateway connection to drop")
	}
	return c.ws.NetConn().Close()
}

// WaitClosed waits until websocket connection conn (1-based) has ended,
// whichever side closed it.
func (s *Server) WaitClosed(ctx context.Context, conn int) error {
	return s.waitFor(ctx, fmt.Sprintf("connection %d to close", conn), func() bool {
		for _, n := range s.ended {
			if n == conn {
				return true
			}
		}
		return false
	})
}

// Reconnect asks the client to reconnect (op 7), as Discord does before
// moving a session to another server.
func (s *Server) Reconnect() error {
	s.mu.Lock()
	c := s.current
	s.mu.Unlock()
	if c == nil {
		return errors.New("discordtest: no gateway connection")
	}
	return c.writeJSON(frame(OpReconnect, nil))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
