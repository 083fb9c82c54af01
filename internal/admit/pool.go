package admit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Errors of Pool.Acquire.
var (
	// ErrFull: every worker is busy and the queue is full, or would not
	// reach a new waiter within the pool's wait.
	ErrFull = errors.New("admit: every worker is busy and the queue is full")
	// ErrQueueTimeout: a waiter waited twice the pool's wait (the pace of
	// the work fell after it was queued).
	ErrQueueTimeout = errors.New("admit: waited too long for a worker")
)

// Pool bounds work: at most Workers jobs hold a slot at once, and the
// others wait in a queue that is short in time: a newcomer is queued only
// if, at the pace of the recent jobs (a moving average of how long a slot
// is held), its turn would come within maxWait, and if fewer than queue
// wait already. Whoever cannot be queued is refused at once, not after a
// wait, so waiting never piles up: the memory and goroutines held by
// waiting work stay bounded however much arrives. Waiters get slots in the
// order they came (a channel's senders are served first in, first out).
// It is safe for concurrent use.
type Pool struct {
	slots   chan struct{}
	queue   int64
	maxWait time.Duration
	waiting atomic.Int64
	hold    atomic.Int64 // moving average of how long a slot is held, in ns
}

// holdWeight is the weight of the newest hold time in the moving average
// (1/8: the last dozen jobs or so).
const holdWeight = 8

// NewPool returns a pool of workers slots (>= 1) with a queue of at most
// queue waiters (>= 0), each expected to wait at most maxWait (> 0).
func NewPool(workers, queue int, maxWait time.Duration) (*Pool, error) {
	switch {
	case workers < 1:
		return nil, fmt.Errorf("admit: %d workers: want at least 1", workers)
	case queue < 0:
		return nil, fmt.Errorf("admit: a queue of %d: want 0 or more", queue)
	case maxWait <= 0:
		return nil, fmt.Errorf("admit: a queue wait of %v: want more than 0", maxWait)
	}
	return &Pool{slots: make(chan struct{}, workers), queue: int64(queue), maxWait: maxWait}, nil
}

// Acquire takes a worker slot, waiting in the queue when there is room
// there. It returns the function that gives the slot back (call it exactly
// once), or ErrFull, ErrQueueTimeout or ctx's error.
func (p *Pool) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.slots <- struct{}{}:
		return p.releaser(), nil
	default:
	}
	n := p.waiting.Add(1)
	if n > p.queue || p.ExpectedWait(int(n)) > p.maxWait {
		p.waiting.Add(-1)
		return nil, ErrFull
	}
	defer p.waiting.Add(-1)
	t := time.NewTimer(2 * p.maxWait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return p.releaser(), nil
	case <-t.C:
		return nil, ErrQueueTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// releaser returns the release of a slot taken now: it frees the slot and
// feeds the time it was held into the moving average.
func (p *Pool) releaser() func() {
	start := time.Now()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.observeHold(time.Since(start))
			<-p.slots
		})
	}
}

func (p *Pool) observeHold(d time.Duration) {
	for {
		old := p.hold.Load()
		avg := int64(d)
		if old > 0 {
			avg = old + (int64(d)-old)/holdWeight
		}
		if p.hold.CompareAndSwap(old, max(avg, 1)) {
			return
		}
	}
}

// ExpectedWait is how long the n-th waiter in the queue should wait for a
// slot at the recent pace: n jobs' worth of hold time shared by the
// workers. It is 0 before any job has finished.
func (p *Pool) ExpectedWait(n int) time.Duration {
	return time.Duration(int64(n) * p.hold.Load() / int64(cap(p.slots)))
}

// Workers is the number of worker slots.
func (p *Pool) Workers() int { return cap(p.slots) }

// Running is how many slots are taken now.
func (p *Pool) Running() int { return len(p.slots) }

// Waiting is how many callers wait in the queue now.
func (p *Pool) Waiting() int { return int(p.waiting.Load()) }
