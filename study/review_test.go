package study

import (
	"testing"
	"time"

	"github.com/footnote-bot/footnote/store"
)

// A missed fact becomes a card due again within minutes; right answers
// space it out to days, a miss brings it back within minutes; a fact
// known and not in the deck stays out.
func TestScheduleOfMissedFacts(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	it := Item{Check: "abcd"}
	if c := AfterQuiz(it, true, now)(nil); c != nil {
		t.Fatalf("a right answer to a fact not in the deck made a card: %+v", c)
	}
	c := AfterQuiz(it, false, now)(nil)
	if c == nil || c.Check != "abcd" || c.Reps != 1 || !c.AddedAt.Equal(now) {
		t.Fatalf("a missed fact: %+v", c)
	}
	if d := c.Due.Sub(now); d <= 0 || d > LearnAhead {
		t.Fatalf("a missed fact is due in %v, want within the learn-ahead limit (%v)", d, LearnAhead)
	}
	// Right at each due time: the intervals grow to days.
	at := c.Due
	var last time.Duration
	for k := 0; k < 4; k++ {
		next, err := Review(*c, true, at)
		if err != nil {
			t.Fatal(err)
		}
		gap := next.Due.Sub(at)
		if gap < last {
			t.Errorf("review %d: the interval shrank from %v to %v", k, last, gap)
		}
		last, c, at = gap, &next, next.Due
	}
	if last < 24*time.Hour {
		t.Fatalf("after four right reviews the card is due in %v, want days", last)
	}
	missed, err := Review(*c, false, at)
	if err != nil {
		t.Fatal(err)
	}
	if d := missed.Due.Sub(at); d > time.Hour || missed.Lapses != 1 {
		t.Fatalf("a miss of a card learnt: due in %v, %d lapses", d, missed.Lapses)
	}
	// A quiz answer to a fact in the deck reviews the card.
	prev := store.Card{Check: "old"}
	prev.Reps, prev.Due, prev.State, prev.LastReview, prev.Stability, prev.Difficulty = missed.Reps, missed.Due, missed.State, missed.LastReview, missed.Stability, missed.Difficulty
	again := AfterQuiz(it, true, missed.Due)(&prev)
	if again == nil || again.Reps != prev.Reps+1 || again.Check != "abcd" {
		t.Fatalf("a right quiz answer to a card: %+v", again)
	}
}

func TestInterval(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		30 * time.Second:    "in a minute",
		10 * time.Minute:    "in 10 minutes",
		time.Hour:           "in an hour",
		5 * time.Hour:       "in 5 hours",
		3 * 24 * time.Hour:  "in 3 days",
		90 * 24 * time.Hour: "in 3 months",
	} {
		if got := Interval(now.Add(d), now); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
