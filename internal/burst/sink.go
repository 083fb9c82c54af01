package burst

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Sink plays Discord's webhook for deferred answers: the server's
// DISCORD_API_URL points at it, and it records the message each
// interaction token was finished with, and when.
type Sink struct {
	URL string
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{}
	got     map[string]delivery
}

type delivery struct {
	msg message
	at  time.Time
}

// NewSink starts a sink on 127.0.0.1; Close stops it.
func NewSink() *Sink {
	s := &Sink{changed: make(chan struct{}), got: map[string]delivery{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the sink.
func (s *Sink) Close() { s.srv.Close() }

// serve takes PATCH .../webhooks/{app}/{token}/messages/@original and
// POST .../webhooks/{app}/{token} (a followup), and answers DELETE.
func (s *Sink) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v9/webhooks/"), "/")
	if len(parts) < 2 {
		http.NotFound(w, r)
		return
	}
	token := parts[1]
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if r.Method == http.MethodDelete {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.got[token] = delivery{msg: m, at: time.Now()}
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":"1500000000000000000","channel_id":"1100000000000000300","content":""}`)
}

// Wait returns the message token was finished with, waiting at most
// timeout for it.
func (s *Sink) Wait(ctx context.Context, token string, timeout time.Duration) (*message, time.Time, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		s.mu.Lock()
		d, ok := s.got[token]
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return &d.msg, d.at, nil
		}
		select {
		case <-ch:
		case <-t.C:
			return nil, time.Time{}, fmt.Errorf("burst: no webhook delivery for %s", token)
		case <-ctx.Done():
			return nil, time.Time{}, ctx.Err()
		}
	}
}
