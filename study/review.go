package study

import (
	"fmt"
	"time"

	// go-fsrs is the Go port of FSRS kept by the Open Spaced Repetition
	// group, the authors of the algorithm (the one Anki ships): v4
	// implements FSRS-6 with learning steps, MIT-licensed, no
	// dependencies.
	fsrs "github.com/open-spaced-repetition/go-fsrs/v4"

	"github.com/footnote-bot/footnote/store"
)

// LearnAhead is how early a card still in its learning steps (due again
// minutes after a miss) may be reviewed when nothing else is due: Anki's
// default "learn ahead limit".
const LearnAhead = 20 * time.Minute

// scheduler returns FSRS with its default parameters (retention 0.9,
// learning steps of 1 and 10 minutes). A new one each time: go-fsrs's
// scheduler writes a seed into its parameters, so one must not be shared
// between goroutines.
func scheduler() *fsrs.FSRS { return fsrs.NewFSRS(fsrs.DefaultParam()) }

func toFSRS(c store.Card) fsrs.Card {
	return fsrs.Card{Due: c.Due, Stability: c.Stability, Difficulty: c.Difficulty, ScheduledDays: uint64(max(c.ScheduledDays, 0)),
		Reps: uint64(max(c.Reps, 0)), Lapses: uint64(max(c.Lapses, 0)), State: fsrs.State(c.State), LastReview: c.LastReview,
		RemainingSteps: c.RemainingSteps}
}

func fromFSRS(f fsrs.Card, into *store.Card) {
	into.Due, into.Stability, into.Difficulty = f.Due, f.Stability, f.Difficulty
	into.ScheduledDays, into.Reps, into.Lapses = int64(f.ScheduledDays), int64(f.Reps), int64(f.Lapses)
	into.State, into.LastReview, into.RemainingSteps = int(f.State), f.LastReview, f.RemainingSteps
}

// rating is a quiz answer as an FSRS rating: a miss is Again, a right
// answer Good (a multiple choice says nothing of Hard or Easy).
func rating(right bool) fsrs.Rating {
	if right {
		return fsrs.Good
	}
	return fsrs.Again
}

// Review applies an answer at now to c (reviewed with Good when right,
// Again when not) and returns the card as it is after.
func Review(c store.Card, right bool, now time.Time) (store.Card, error) {
	info, err := scheduler().Next(toFSRS(c), now, rating(right))
	if err != nil {
		return c, fmt.Errorf("scheduling a review: %w", err)
	}
	fromFSRS(info.Card, &c)
	return c, nil
}

// AfterQuiz is the schedule RecordAnswer applies for a quiz answer: a
// missed fact becomes a new card, reviewed once (Again: due again within
// minutes); a fact already in the deck is reviewed with the answer; a fact
// known and not in the deck stays out of it.
func AfterQuiz(it Item, right bool, now time.Time) func(prev *store.Card) *store.Card {
	return func(prev *store.Card) *store.Card {
		if prev == nil && right {
			return nil
		}
		var c store.Card
		if prev != nil {
			c = *prev
		} else {
			fc := fsrs.NewCard(now)
			fromFSRS(fc, &c)
			c.AddedAt = now
		}
		c.Check = it.Check
		next, err := Review(c, right, now)
		if err != nil {
			return prev // keep what was there rather than lose it
		}
		return &next
	}
}

// Interval says when a card is due next, from now, in words: "in 10
// minutes", "in 3 days".
func Interval(due, now time.Time) string {
	d := due.Sub(now)
	switch {
	case d <= time.Minute:
		return "in a minute"
	case d < time.Hour:
		return fmt.Sprintf("in %d minutes", int(d.Round(time.Minute)/time.Minute))
	case d < 36*time.Hour:
		h := int(d.Round(time.Hour) / time.Hour)
		if h == 1 {
			return "in an hour"
		}
		return fmt.Sprintf("in %d hours", h)
	case d < 60*24*time.Hour:
		return fmt.Sprintf("in %d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
	}
	return fmt.Sprintf("in %d months", int(d/(30*24*time.Hour)))
}
