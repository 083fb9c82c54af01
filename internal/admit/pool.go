package admit

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Errors of Pool.Acquire.
var (
	// ErrFull: every worker is busy and the queue is full.
	ErrFull = errors.New("admit: every worker is busy and the queue is full")
	// ErrQueueTimeout: the wait in the queue reached the pool's limit.
	ErrQueueTimeout = errors.New("admit: waited too long for a worker")
)

// Pool bounds work: at most Workers jobs hold a slot at once, and at most
// Queue more wait for one, each for at most MaxWait. Whoever finds the
// queue full is refused at once, so that waiting never piles up: the
// memory and goroutines held by waiting work stay bounded however much
// arrives. Waiters get slots in the order they came (a channel's senders
// are served first in, first out). It is safe for concurrent use.
type Pool struct {
	slots   chan struct{}
	queue   int64
	maxWait time.Duration
	waiting atomic.Int64
}

// NewPool returns a pool of workers slots (>= 1) with a queue of queue
// waiters (>= 0), each waiting at most maxWait (> 0).
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
		return p.release, nil
	default:
	}
	if p.waiting.Add(1) > p.queue {
		p.waiting.Add(-1)
		return nil, ErrFull
	}
	defer p.waiting.Add(-1)
	t := time.NewTimer(p.maxWait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return p.release, nil
	case <-t.C:
		return nil, ErrQueueTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Pool) release() { <-p.slots }

// Workers is the number of worker slots.
func (p *Pool) Workers() int { return cap(p.slots) }

// Running is how many slots are taken now.
func (p *Pool) Running() int { return len(p.slots) }

// Waiting is how many callers wait in the queue now.
func (p *Pool) Waiting() int { return int(p.waiting.Load()) }
