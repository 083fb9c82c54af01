package admit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Buckets keeps one token bucket per key, each of size Rate.N refilled
// at Rate.N per Rate.Per. A bucket that has refilled completely is the
// same as a new one, so the table forgets such buckets when it needs room:
// it holds at most maxKeys, and a key it has no room for is let through
// rather than tracked (the pool still bounds the work). It is safe for
// concurrent use.
type Buckets struct {
	rate    Rate
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	nextSweep time.Time
}

// DefaultMaxKeys is the size of a Buckets table when NewBuckets is given 0.
const DefaultMaxKeys = 100_000

// NewBuckets returns buckets of rate r for at most maxKeys keys at a time
// (0 means DefaultMaxKeys). An unlimited r lets everything through.
func NewBuckets(r Rate, maxKeys int) *Buckets {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Buckets{rate: r, maxKeys: maxKeys, now: time.Now, buckets: map[string]*rate.Limiter{}}
}

// Ticket is a token taken from a bucket; Refund gives it back (when the
// work it was taken for did not happen after all).
type Ticket struct {
	r  *rate.Reservation
	at time.Time
}

// Refund gives the token back. It is safe on the zero Ticket.
func (t Ticket) Refund() {
	if t.r != nil {
		// As of the moment it was taken: the limiter gives back nothing
		// for a reservation cancelled after its time to act.
		t.r.CancelAt(t.at)
	}
}

// Take takes a token from key's bucket. When the bucket is empty it
// returns ok false and how long until a token is there.
func (b *Buckets) Take(key string) (t Ticket, retryAfter time.Duration, ok bool) {
	if b == nil || b.rate.Unlimited() {
		return Ticket{}, 0, true
	}
	now := b.now()
	lim := b.bucket(key, now)
	if lim == nil {
		return Ticket{}, 0, true // no room to track it
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return Ticket{}, d, false
	}
	return Ticket{r: r, at: now}, 0, true
}

// bucket returns key's bucket, creating it if there is room.
func (b *Buckets) bucket(key string, now time.Time) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if lim, ok := b.buckets[key]; ok {
		return lim
	}
	if len(b.buckets) >= b.maxKeys {
		if now.Before(b.nextSweep) {
			return nil
		}
		b.sweep(now)
		// Sweep again no sooner than a bucket takes to gain a token:
		// before then, no bucket that was not full can have become full.
		b.nextSweep = now.Add(b.rate.Per / time.Duration(b.rate.N))
		if len(b.buckets) >= b.maxKeys {
			return nil
		}
	}
	lim := rate.NewLimiter(rate.Limit(float64(b.rate.N)/b.rate.Per.Seconds()), b.rate.N)
	b.buckets[key] = lim
	return lim
}

// sweep forgets the buckets that are full again. Callers hold b.mu.
func (b *Buckets) sweep(now time.Time) {
	for key, lim := range b.buckets {
		if lim.TokensAt(now) >= float64(b.rate.N) {
			delete(b.buckets, key)
		}
	}
}

// Len is how many buckets the table holds now.
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buckets)
}
