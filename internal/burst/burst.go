// Package burst measures a running `footnote serve --http` under a burst of
// costly questions, the way an operator sees it from outside: signed /ask
// requests from many members at once, answered in the HTTP response or
// deferred and finished through the webhook (which Sink receives), while
// the process's resident memory, its goroutines and its /healthz latency
// are sampled. It also times the lookups a member can type (an entry by
// name, by a made-up id token, the empty autocomplete), one at a time.
package burst

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/bot"
)

// Options describe a burst.
type Options struct {
	// URL is the interactions endpoint; OpsURL serves /healthz and
	// /metrics (the same as URL without an admin listener).
	URL, OpsURL string
	// PID is the server's process, whose /proc/PID/status gives its
	// resident memory; 0 skips the memory samples.
	PID int
	// Key signs the requests: the private half of the server's
	// DISCORD_PUBLIC_KEY.
	Key ed25519.PrivateKey
	// Sink receives the deferred answers (the server's DISCORD_API_URL).
	Sink *Sink
	// Question is asked Requests times, Concurrency at once, each time by
	// another member (of Guilds servers in turn), so that the per-user and
	// per-server buckets let the whole burst through to the pool.
	Question              string
	Requests, Concurrency int
	Guilds                int
	// Lookups is how many of each typed lookup to time; EntryName is the
	// entry named in the plain lookup.
	Lookups   int
	EntryName string
}

// Report is what a burst measured.
type Report struct {
	Requests    int
	Answered    int // answers with facts or the corpus's "no answer", in the response or deferred
	InResponse  int // of which in the HTTP response
	Deferred    int // of which finished through the webhook
	Refused     int // told to try again
	Failed      int // errors, or nothing delivered
	Took        time.Duration
	Answer      []time.Duration // request to answer (response or webhook), sorted
	Healthz     []time.Duration // /healthz latency during the burst, sorted
	IdleRSS     int64           // bytes, before the burst
	PeakRSS     int64           // bytes, the highest sample during it
	IdleGorout  int
	PeakGorout  int
	EntryByName []time.Duration // sorted
	EntryToken  []time.Duration // sorted
	EmptyAuto   []time.Duration // sorted
}

// Percentile is the nearest-rank percentile p (0 < p <= 100) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// Run times the typed lookups, then fires the burst and samples the
// server until every request is answered or ctx ends.
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Requests <= 0 || o.Concurrency <= 0 || o.Sink == nil || o.Key == nil {
		return Report{}, errors.New("burst: requests, concurrency, a sink and a key are required")
	}
	o.Guilds = max(o.Guilds, 1)
	c := &client{o: o, http: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency + 4}}}
	rep := Report{Requests: o.Requests}
	var err error
	if rep.EntryByName, rep.EntryToken, rep.EmptyAuto, err = c.lookups(ctx); err != nil {
		return rep, err
	}

	rep.IdleRSS, _ = residentBytes(o.PID)
	rep.IdleGorout, _ = c.goroutines(ctx)
	sctx, stopSampling := context.WithCancel(ctx)
	var samplers sync.WaitGroup
	var peakRSS, peakGor atomic.Int64
	peakRSS.Store(rep.IdleRSS)
	peakGor.Store(int64(rep.IdleGorout))
	var healthMu sync.Mutex
	every := func(d time.Duration, f func()) {
		samplers.Add(1)
		go func() {
			defer samplers.Done()
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				select {
				case <-sctx.Done():
					return
				case <-t.C:
					f()
				}
			}
		}()
	}
	storeMax := func(v *atomic.Int64, x int64) {
		for {
			cur := v.Load()
			if x <= cur || v.CompareAndSwap(cur, x) {
				return
			}
		}
	}
	every(20*time.Millisecond, func() {
		if rss, err := residentBytes(o.PID); err == nil {
			storeMax(&peakRSS, rss)
		}
	})
	every(50*time.Millisecond, func() {
		start := time.Now()
		if c.get(sctx, o.OpsURL+"/healthz") == nil {
			healthMu.Lock()
			rep.Healthz = append(rep.Healthz, time.Since(start))
			healthMu.Unlock()
		}
	})
	every(100*time.Millisecond, func() {
		if n, err := c.goroutines(sctx); err == nil {
			storeMax(&peakGor, int64(n))
		}
	})

	start := time.Now()
	results := c.fire(ctx)
	rep.Took = time.Since(start)
	stopSampling()
	samplers.Wait()
	rep.PeakRSS, rep.PeakGorout = peakRSS.Load(), int(peakGor.Load())
	for _, r := range results {
		switch r.kind {
		case answered:
			rep.Answered++
			rep.Answer = append(rep.Answer, r.took)
			if r.deferred {
				rep.Deferred++
			} else {
				rep.InResponse++
			}
		case refused:
			rep.Refused++
		default:
			rep.Failed++
		}
	}
	slices.Sort(rep.Answer)
	slices.Sort(rep.Healthz)
	return rep, ctx.Err()
}

type client struct {
	o    Options
	http *http.Client
	seq  atomic.Int64
}

type outcome int

const (
	failed outcome = iota
	answered
	refused
)

type result struct {
	kind     outcome
	deferred bool
	took     time.Duration
}

// fire sends the burst, Concurrency requests in flight at a time, and
// waits for every answer. As with Discord, a request ends with its HTTP
// response: a deferred one frees its place for the next request at once,
// and its answer is awaited on the side, through the sink.
func (c *client) fire(ctx context.Context) []result {
	results := make([]result, c.o.Requests)
	var next atomic.Int64
	var senders, waiters sync.WaitGroup
	for range c.o.Concurrency {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= c.o.Requests || ctx.Err() != nil {
					return
				}
				r, finish := c.ask(ctx, k)
				if finish == nil {
					results[k] = r
					continue
				}
				waiters.Add(1)
				go func() {
					defer waiters.Done()
					results[k] = finish()
				}()
			}
		}()
	}
	senders.Wait()
	waiters.Wait()
	return results
}

// ask sends question k. It returns its result, or, for a deferred answer,
// the function that waits for it.
func (c *client) ask(ctx context.Context, k int) (result, func() result) {
	i := c.interaction(discordgo.InteractionApplicationCommand, discordgo.ApplicationCommandInteractionData{
		Name: "ask", CommandType: discordgo.ChatApplicationCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: c.o.Question}},
	}, k)
	start := time.Now()
	resp, err := c.post(ctx, i)
	if err != nil {
		return result{}, nil
	}
	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		return result{kind: classify(resp.Data.Content, len(resp.Data.Embeds)), took: time.Since(start)}, nil
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return result{}, func() result {
			m, at, err := c.o.Sink.Wait(ctx, i.Token, 5*time.Minute)
			if err != nil {
				return result{deferred: true}
			}
			return result{kind: classify(m.Content, len(m.Embeds)), deferred: true, took: at.Sub(start)}
		}
	}
	return result{}, nil
}

func classify(content string, embeds int) outcome {
	switch {
	case embeds > 0:
		return answered
	case strings.Contains(content, "try again"):
		return refused
	}
	return failed
}

// lookups times, one at a time, /entry by name, /entry by a made-up id
// token, and an autocomplete with nothing typed.
func (c *client) lookups(ctx context.Context) (byName, byToken, empty []time.Duration, err error) {
	entry := func(name string) discordgo.ApplicationCommandInteractionData {
		return discordgo.ApplicationCommandInteractionData{Name: "entry", CommandType: discordgo.ChatApplicationCommand,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: name}}}
	}
	auto := discordgo.ApplicationCommandInteractionData{Name: "entry", CommandType: discordgo.ChatApplicationCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: "", Focused: true}}}
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	kinds := []struct {
		out *[]time.Duration
		typ discordgo.InteractionType
		mk  func(n int) discordgo.ApplicationCommandInteractionData
	}{
		{&byName, discordgo.InteractionApplicationCommand, func(int) discordgo.ApplicationCommandInteractionData { return entry(c.o.EntryName) }},
		{&byToken, discordgo.InteractionApplicationCommand, func(n int) discordgo.ApplicationCommandInteractionData {
			tok := []byte("~")
			for j := range 16 {
				tok = append(tok, alphabet[(n*7+j*13)%len(alphabet)])
			}
			return entry(string(tok))
		}},
		{&empty, discordgo.InteractionApplicationCommandAutocomplete, func(int) discordgo.ApplicationCommandInteractionData { return auto }},
	}
	// Interleaved, so that the machine's ups and downs fall on all three.
	for n := range c.o.Lookups {
		for _, k := range kinds {
			i := c.interaction(k.typ, k.mk(n), -1)
			start := time.Now()
			if _, err := c.post(ctx, i); err != nil {
				return nil, nil, nil, err
			}
			*k.out = append(*k.out, time.Since(start))
		}
	}
	for _, k := range kinds {
		slices.Sort(*k.out)
	}
	return byName, byToken, empty, nil
}

// interaction builds an interaction from member k (-1: one fixed member).
func (c *client) interaction(typ discordgo.InteractionType, data discordgo.ApplicationCommandInteractionData, k int) *discordgo.Interaction {
	n := c.seq.Add(1)
	member := "1200000000000000000"
	guild := "1300000000000000000"
	if k >= 0 {
		member = strconv.FormatInt(1200000000000000000+int64(k), 10)
		guild = strconv.FormatInt(1300000000000000000+int64(k%c.o.Guilds), 10)
	}
	return &discordgo.Interaction{
		ID: strconv.FormatInt(1400000000000000000+n, 10), AppID: "1100000000000000001",
		Type: typ, Data: data, GuildID: guild, ChannelID: "1100000000000000300",
		Member: &discordgo.Member{User: &discordgo.User{ID: member, Username: "member"}},
		Token:  fmt.Sprintf("burst-token-%d", n), Version: 1,
	}
}

// response is the part of an interaction response the burst reads.
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data message                           `json:"data"`
}

// message is the part of a message the burst reads.
type message struct {
	Content string            `json:"content"`
	Embeds  []json.RawMessage `json:"embeds"`
}

// post signs and sends one interaction and decodes the response.
func (c *client) post(ctx context.Context, i *discordgo.Interaction) (*response, error) {
	body, err := json.Marshal(i)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set(bot.HeaderTimestamp, ts)
	req.Header.Set(bot.HeaderSignature, bot.SignInteraction(c.o.Key, ts, body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("burst: HTTP %d: %.200s", resp.StatusCode, raw)
	}
	var out response
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("burst: decoding the response: %w", err)
	}
	return &out, nil
}

func (c *client) get(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// goroutines reads go_goroutines from the server's /metrics.
func (c *client) goroutines(ctx context.Context) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.o.OpsURL+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "go_goroutines "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return int(f), err
		}
	}
	return 0, errors.New("burst: no go_goroutines in /metrics")
}

// residentBytes reads VmRSS of process pid.
func residentBytes(pid int) (int64, error) {
	if pid <= 0 {
		return 0, errors.New("burst: no process to sample")
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("burst: no VmRSS")
}
