package store

import (
	"context"
	"time"
)

// Follower options.
const (
	// DefaultPollInterval is how often a follower reads the change log
	// when nothing wakes it: the longest a change made by another
	// replica takes to be seen without notifications (SQLite).
	DefaultPollInterval = 2 * time.Second
	// changeLogKeep is how long changes stay in the log: far longer than
	// any follower lags behind.
	changeLogKeep = 24 * time.Hour
	pruneEvery    = time.Hour
	followBatch   = 500
)

// Follow reads the change log after seq and hands every new change to
// apply, in order, until ctx ends: each interval (0: DefaultPollInterval),
// and at once when the store announces a change (a Notifier). An error
// reading the log goes to onErr (which may be nil) and is retried at the
// next tick. Now and then it also prunes the changes older than a day.
func Follow(ctx context.Context, s Store, seq int64, interval time.Duration, apply func(Change), onErr func(error)) {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	if onErr == nil {
		onErr = func(error) {}
	}
	var wake <-chan struct{}
	if n, ok := s.(Notifier); ok {
		wake = n.Notifications(ctx)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	lastPrune := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case _, ok := <-wake:
			if !ok {
				wake = nil
			}
		}
		for {
			changes, err := s.ChangesSince(ctx, seq, followBatch)
			if err != nil {
				if ctx.Err() == nil {
					onErr(err)
				}
				break
			}
			for _, c := range changes {
				apply(c)
				seq = c.Seq
			}
			if len(changes) < followBatch {
				break
			}
		}
		if time.Since(lastPrune) > pruneEvery {
			lastPrune = time.Now()
			if err := s.PruneChanges(ctx, time.Now().Add(-changeLogKeep)); err != nil && ctx.Err() == nil {
				onErr(err)
			}
		}
	}
}
