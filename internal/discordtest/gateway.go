package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
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
	n       int
	ws      *websocket.Conn
	mu      sync.Mutex // serializes writes
	session *gwSession // set by IDENTIFY or RESUME; guarded by Server.mu
}

// gwSession is the gateway session of one shard: what a RESUME continues.
// The fake keeps one per shard id, as Discord does for a sharded bot.
type gwSession struct {
	shard      [2]int // [id, count] as identified
	id         string
	seq        int64
	dispatches []dispatch // every dispatch of the session, for replay on RESUME
	current    *gwConn    // the connection dispatches go to; nil when none
}

// ShardOf is the shard a guild's events go to among count shards, by
// Discord's rule: (guild_id >> 22) % count. Events without a guild (DMs)
// go to shard 0.
func ShardOf(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// shardOfLocked is the shard a guild's events go to, among the shards the
// clients identified with. Callers hold s.mu.
func (s *Server) shardOfLocked(guildID string) int {
	count := 1
	for _, sh := range s.shards {
		count = max(count, sh.shard[1])
	}
	return ShardOf(guildID, count)
}

// Shards returns the [id, count] of every shard identified so far, by
// shard id.
func (s *Server) Shards() map[int][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int][2]int{}
	for k, sh := range s.shards {
		out[k] = sh.shard
	}
	return out
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
			if c.session != nil && c.session.current == c {
				c.session.current = nil
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
	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4010, "Invalid shard."))
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shards == nil {
		s.shards = map[int]*gwSession{}
	}
	sh := &gwSession{shard: shard, id: randomHex(16), current: c}
	s.shards[shard[0]] = sh
	c.session = sh
	ready := map[string]any{
		"v":                  9,
		"user":               s.botUser(),
		"session_id":         sh.id,
		"resume_gateway_url": s.GatewayURL,
		"application":        map[string]any{"id": s.AppID, "flags": 0},
		"guilds":             []any{},
		"private_channels":   []any{},
		"shard":              shard,
	}
	return s.dispatchToLocked(sh, "READY", ready) == nil
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
	var sh *gwSession
	for _, x := range s.shards {
		if rp.SessionID != "" && x.id == rp.SessionID {
			sh = x
		}
	}
	if sh == nil {
		// Not resumable: the client must identify again.
		return c.writeJSON(frame(OpInvalidSession, false)) == nil
	}
	sh.current = c
	c.session = sh
	for _, d := range sh.dispatches {
		if d.seq > rp.Seq {
			if err := c.write(d.payload); err != nil {
				return false
			}
		}
	}
	return s.dispatchToLocked(sh, "RESUMED", map[string]any{}) == nil
}

// errNoConnection reports a dispatch stored for replay but not delivered.
var errNoConnection = errors.New("discordtest: no gateway connection; the dispatch is kept for RESUME")

// dispatchShardLocked sends an op 0 dispatch to shard's session (see
// dispatchToLocked); a shard no client has identified as yet gets an
// empty session, which a client may not resume. Callers hold s.mu.
func (s *Server) dispatchShardLocked(shard int, t string, d any) error {
	if s.shards == nil {
		s.shards = map[int]*gwSession{}
	}
	sh, ok := s.shards[shard]
	if !ok {
		sh = &gwSession{shard: [2]int{shard, max(shard+1, 1)}}
		s.shards[shard] = sh
	}
	return s.dispatchToLocked(sh, t, d)
}

// dispatchToLocked sends an op 0 dispatch with the session's next sequence
// number to its current connection and keeps it for replay. Callers hold
// s.mu.
func (s *Server) dispatchToLocked(sh *gwSession, t string, d any) error {
	sh.seq++
	b, err := json.Marshal(map[string]any{"op": OpDispatch, "d": d, "s": sh.seq, "t": t})
	if err != nil {
		return err
	}
	sh.dispatches = append(sh.dispatches, dispatch{seq: sh.seq, payload: b})
	s.notify()
	if sh.current == nil {
		return errNoConnection
	}
	return sh.current.write(b)
}

// Dispatch sends a gateway event of type t with data d to the client of
// shard 0. When no client is connected the event is kept and delivered on
// RESUME, as Discord does; Dispatch then returns nil too.
func (s *Server) Dispatch(t string, d any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.dispatchShardLocked(0, t, d); err != nil && !errors.Is(err, errNoConnection) {
		return err
	}
	return nil
}

// Drop closes shard 0's gateway connection from the server side without
// a close frame, as a network failure would. The session stays resumable.
func (s *Server) Drop() error {
	s.mu.Lock()
	c := s.currentLocked(0)
	if c != nil {
		c.session.current = nil
	}
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

// Reconnect asks shard 0's client to reconnect (op 7), as Discord does
// before moving a session to another server.
func (s *Server) Reconnect() error {
	s.mu.Lock()
	c := s.currentLocked(0)
	s.mu.Unlock()
	if c == nil {
		return errors.New("discordtest: no gateway connection")
	}
	return c.writeJSON(frame(OpReconnect, nil))
}

// currentLocked is the connection of shard's session, or nil. Callers
// hold s.mu.
func (s *Server) currentLocked(shard int) *gwConn {
	if sh := s.shards[shard]; sh != nil {
		return sh.current
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
