package admit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestPoolBoundsRunningAndWaiting(t *testing.T) {
	p, err := NewPool(2, 3, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var releases []func()
	for range 2 {
		rel, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	// Three wait; the fourth is refused at once.
	var wg sync.WaitGroup
	got := make(chan int, 3)
	for k := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := p.Acquire(ctx)
			if err != nil {
				t.Errorf("waiter %d: %v", k, err)
				return
			}
			got <- k
			rel()
		}()
		waitFor(t, func() bool { return p.Waiting() == k+1 })
	}
	if _, err := p.Acquire(ctx); !errors.Is(err, ErrFull) {
		t.Fatalf("with the queue full: %v, want ErrFull", err)
	}
	if p.Running() != 2 || p.Waiting() != 3 {
		t.Errorf("running %d, waiting %d", p.Running(), p.Waiting())
	}
	releases[0]()
	wg.Wait()
	close(got)
	var order []int
	for k := range got {
		order = append(order, k)
	}
	if fmt.Sprint(order) != "[0 1 2]" {
		t.Errorf("waiters served in order %v, want first come first served", order)
	}
	releases[1]()
	if p.Running() != 0 || p.Waiting() != 0 {
		t.Errorf("after all: running %d, waiting %d", p.Running(), p.Waiting())
	}
}

// TestPoolQueueIsShortInTime: once jobs are known to hold a slot for a
// while, a newcomer whose turn would come after the pool's wait is refused
// at once rather than queued.
func TestPoolQueueIsShortInTime(t *testing.T) {
	p, _ := NewPool(2, 100, time.Second)
	p.observeHold(400 * time.Millisecond) // jobs take 0.4 s, two at a time
	var releases []func()
	for range 2 {
		rel, _ := p.Acquire(context.Background())
		releases = append(releases, rel)
	}
	defer func() {
		for _, rel := range releases {
			rel()
		}
	}()
	// Waiters 1 to 5 would wait 0.2 to 1 s; the 6th 1.2 s.
	if got := p.ExpectedWait(5); got != time.Second {
		t.Errorf("ExpectedWait(5) = %v, want 1s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for k := range 5 {
		go p.Acquire(ctx)
		waitFor(t, func() bool { return p.Waiting() == k+1 })
	}
	start := time.Now()
	if _, err := p.Acquire(context.Background()); !errors.Is(err, ErrFull) {
		t.Errorf("a newcomer that would wait past the limit: %v, want ErrFull", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refused after %v, want at once", d)
	}
}

func TestPoolHoldAverage(t *testing.T) {
	p, _ := NewPool(1, 1, time.Second)
	if p.ExpectedWait(10) != 0 {
		t.Error("an expected wait before any job finished")
	}
	rel, _ := p.Acquire(context.Background())
	time.Sleep(20 * time.Millisecond)
	rel()
	rel() // a second call is harmless
	if w := p.ExpectedWait(1); w < 20*time.Millisecond || w > time.Second {
		t.Errorf("ExpectedWait(1) = %v after a 20 ms job", w)
	}
	if p.Running() != 0 {
		t.Errorf("running %d after a double release", p.Running())
	}
}

func TestPoolQueueTimeoutAndCancel(t *testing.T) {
	p, _ := NewPool(1, 5, 15*time.Millisecond)
	rel, _ := p.Acquire(context.Background())
	defer rel()
	if _, err := p.Acquire(context.Background()); !errors.Is(err, ErrQueueTimeout) {
		t.Errorf("waiting past the limit: %v, want ErrQueueTimeout", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if p.Waiting() != 0 {
		t.Errorf("waiting %d after the waits ended", p.Waiting())
	}
}

func TestNewPoolChecks(t *testing.T) {
	for _, c := range []struct {
		w, q int
		d    time.Duration
	}{{0, 1, time.Second}, {1, -1, time.Second}, {1, 1, 0}} {
		if _, err := NewPool(c.w, c.q, c.d); err == nil {
			t.Errorf("NewPool(%d, %d, %v) accepted", c.w, c.q, c.d)
		}
	}
	if p, err := NewPool(1, 0, time.Second); err != nil || p.Workers() != 1 {
		t.Errorf("a pool without queue: %v", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(time.Millisecond)
	}
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestBuckets(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	b := NewBuckets(Rate{N: 3, Per: 30 * time.Second}, 0)
	b.now = c.now
	for k := range 3 {
		if _, _, ok := b.Take("alice"); !ok {
			t.Fatalf("token %d refused", k)
		}
	}
	_, wait, ok := b.Take("alice")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Errorf("fourth token: ok %v, retry after %v; want refused, within 10s", ok, wait)
	}
	if _, _, ok := b.Take("bob"); !ok {
		t.Error("another key shares alice's bucket")
	}
	c.advance(10 * time.Second)
	tk, _, ok := b.Take("alice")
	if !ok {
		t.Fatal("no token after the refill")
	}
	c.advance(time.Millisecond) // refunded a little after it was taken
	tk.Refund()
	if _, _, ok := b.Take("alice"); !ok {
		t.Error("a refunded token was not given back")
	}
	if _, _, ok := b.Take("alice"); ok {
		t.Error("more tokens than the refill gave")
	}
}

func TestBucketsBoundedTable(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	b := NewBuckets(Rate{N: 1, Per: time.Minute}, 10)
	b.now = c.now
	for k := range 10 {
		b.Take(fmt.Sprint("user", k))
	}
	// The table is full of empty buckets: a new key is let through,
	// untracked, and the table does not grow.
	for k := range 5 {
		if _, _, ok := b.Take(fmt.Sprint("new", k)); !ok {
			t.Error("an untracked key was refused")
		}
	}
	if n := b.Len(); n != 10 {
		t.Errorf("table holds %d, want at most 10", n)
	}
	// Once the buckets have refilled, they are forgotten to make room.
	c.advance(2 * time.Minute)
	if _, _, ok := b.Take("late"); !ok {
		t.Error("refused after the refill")
	}
	if n := b.Len(); n != 1 {
		t.Errorf("table holds %d after the sweep, want 1", n)
	}
	if _, _, ok := b.Take("late"); ok {
		t.Error("the new key is not tracked")
	}
}

func TestUnlimitedBuckets(t *testing.T) {
	var nilBuckets *Buckets
	for _, b := range []*Buckets{nilBuckets, NewBuckets(Rate{}, 0)} {
		for range 100 {
			if _, _, ok := b.Take("x"); !ok {
				t.Fatal("an unlimited bucket refused")
			}
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"10/min", Rate{10, time.Minute}, true},
		{"2/s", Rate{2, time.Second}, true},
		{"100/h", Rate{100, time.Hour}, true},
		{" 5 / 30s ", Rate{5, 30 * time.Second}, true},
		{"off", Rate{}, true},
		{"0", Rate{}, true},
		{"", Rate{}, false},
		{"10", Rate{}, false},
		{"-1/min", Rate{}, false},
		{"10/fortnight", Rate{}, false},
		{"10/-5s", Rate{}, false},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err == nil {
			if back, _ := ParseRate(got.String()); back != got {
				t.Errorf("%v does not read back (%q)", got, got.String())
			}
		}
	}
}
