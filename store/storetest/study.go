package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/store"
)

// runStudy checks the study mode's part of the contract: answers, scores,
// review cards and the questions members ask.
func runStudy(t *testing.T, fresh func(*testing.T) store.Store, open func(*testing.T, string) store.Store, newLocation func(testing.TB) string) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	answer := func(item, user string, right bool) store.Answer {
		return store.Answer{Guild: "g1", Item: item, User: user, Name: "name of " + user, Fact: store.FactRef{Entry: "aid-soviet", Sentence: 3, Blank: 1},
			Correct: right, Choice: fmt.Sprint(right), At: at}
	}

	t.Run("study: a member answers an item once; the score and streak follow", func(t *testing.T) {
		s := fresh(t)
		res, err := s.RecordAnswer(ctx(t), answer("q/a", "u1", true), nil)
		if err != nil || !res.First || res.Score.Answered != 1 || res.Score.Correct != 1 || res.Score.Streak != 1 || res.Score.Best != 1 {
			t.Fatalf("first answer: %+v, %v", res, err)
		}
		again, err := s.RecordAnswer(ctx(t), answer("q/a", "u1", false), nil)
		if err != nil || again.First || !again.Prior.Correct || again.Prior.Choice != "true" || again.Score.Answered != 1 || again.Score.Correct != 1 {
			t.Fatalf("second answer to the same item: %+v, %v; want it refused, the first kept", again, err)
		}
		for k, right := range []bool{true, true, false, true} {
			res, err = s.RecordAnswer(ctx(t), answer(fmt.Sprintf("q/%d", k), "u1", right), nil)
			if err != nil {
				t.Fatal(err)
			}
		}
		if sc := res.Score; sc.Answered != 5 || sc.Correct != 4 || sc.Streak != 1 || sc.Best != 3 || sc.Name != "name of u1" {
			t.Fatalf("after right, right, right, wrong, right: %+v; want 5 answered, 4 right, streak 1, best 3", sc)
		}
		if res, _ := s.RecordAnswer(ctx(t), store.Answer{Guild: "g2", Item: "q/a", User: "u1", Correct: true}, nil); !res.First || res.Score.Answered != 1 {
			t.Fatalf("the same item key in another server is another item: %+v", res)
		}
		if _, err := s.RecordAnswer(ctx(t), store.Answer{Guild: "g1", Item: "", User: "u1"}, nil); err == nil {
			t.Error("an answer without an item was recorded")
		}
	})

	t.Run("study: concurrent clicks of one member count once", func(t *testing.T) {
		s := fresh(t)
		var wg sync.WaitGroup
		firsts := make(chan bool, 8)
		for k := 0; k < 8; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.RecordAnswer(ctx(t), answer("r/x/0", "u1", k%2 == 0), nil)
				if err != nil {
					t.Error(err)
					return
				}
				firsts <- res.First
			}()
		}
		wg.Wait()
		close(firsts)
		n := 0
		for f := range firsts {
			if f {
				n++
			}
		}
		if sc, rank, _, _ := s.MemberScore(ctx(t), "g1", "u1"); n != 1 || sc.Answered != 1 || rank != 1 {
			t.Fatalf("%d first answers, score %+v rank %d; want exactly one", n, sc, rank)
		}
	})

	t.Run("study: the leaderboard and a member's rank", func(t *testing.T) {
		s := fresh(t)
		// u1: 3 right of 3; u2: 3 right of 4 (best streak 3); u3: 1 of 1; u4: 0 of 2.
		plan := map[string][]bool{"u1": {true, true, true}, "u2": {true, true, true, false}, "u3": {true}, "u4": {false, false}}
		for user, answers := range plan {
			for k, right := range answers {
				if _, err := s.RecordAnswer(ctx(t), answer(fmt.Sprintf("q/%s/%d", user, k), user, right), nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		top, err := s.Leaderboard(ctx(t), "g1", 10)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, sc := range top {
			order = append(order, sc.User)
		}
		if fmt.Sprint(order) != "[u1 u2 u3 u4]" {
			t.Fatalf("leaderboard %v, want [u1 u2 u3 u4] (right answers, best streak, fewer answers)", order)
		}
		if two, _ := s.Leaderboard(ctx(t), "g1", 2); len(two) != 2 {
			t.Errorf("limit 2 gave %d", len(two))
		}
		for user, want := range map[string]int{"u1": 1, "u2": 2, "u3": 3, "u4": 4, "nobody": 0} {
			_, rank, members, err := s.MemberScore(ctx(t), "g1", user)
			if err != nil || rank != want || members != 4 {
				t.Errorf("%s: rank %d of %d, %v; want %d of 4", user, rank, members, err, want)
			}
		}
		if top, _ := s.Leaderboard(ctx(t), "g2", 10); len(top) != 0 {
			t.Errorf("another server's leaderboard: %+v", top)
		}
	})

	t.Run("study: a round's answers, in order", func(t *testing.T) {
		s := fresh(t)
		for k, user := range []string{"u2", "u1", "u3"} {
			a := answer("r/R1/0", user, user != "u3")
			a.Round, a.At = "R1", at.Add(time.Duration(k)*time.Second)
			if _, err := s.RecordAnswer(ctx(t), a, nil); err != nil {
				t.Fatal(err)
			}
		}
		other := answer("r/R2/0", "u1", true)
		other.Round = "R2"
		s.RecordAnswer(ctx(t), other, nil)
		got, err := s.RoundAnswers(ctx(t), "g1", "R1")
		if err != nil || len(got) != 3 || got[0].User != "u2" || got[1].User != "u1" || got[2].Correct || got[0].Fact.Sentence != 3 || !got[0].At.Equal(at) {
			t.Fatalf("round answers %+v, %v", got, err)
		}
	})

	t.Run("study: review cards are scheduled with the answer and reviewed once", func(t *testing.T) {
		s := fresh(t)
		due := at.Add(time.Minute)
		schedule := func(prev *store.Card) *store.Card {
			c := &store.Card{Check: "abcd", Due: due, Stability: 0.4, Difficulty: 6.5, Reps: 1, Lapses: 0, State: 1, LastReview: at, RemainingSteps: 1}
			if prev != nil {
				c.Reps, c.AddedAt = prev.Reps+1, prev.AddedAt
			}
			return c
		}
		res, err := s.RecordAnswer(ctx(t), answer("q/miss", "u1", false), schedule)
		if err != nil || res.Card == nil || res.Card.Reps != 1 {
			t.Fatalf("a missed answer: %+v, %v", res, err)
		}
		k := store.CardKey{Guild: "g1", User: "u1", Fact: store.FactRef{Entry: "aid-soviet", Sentence: 3, Blank: 1}}
		if cards, _ := s.DueCards(ctx(t), "g1", "u1", at, 10); len(cards) != 0 {
			t.Fatalf("due before its time: %+v", cards)
		}
		cards, err := s.DueCards(ctx(t), "g1", "u1", due, 10)
		if err != nil || len(cards) != 1 {
			t.Fatalf("DueCards = %+v, %v", cards, err)
		}
		c := cards[0]
		if c.CardKey != k || c.Check != "abcd" || !c.Due.Equal(due) || c.Stability != 0.4 || c.Difficulty != 6.5 || c.State != 1 || !c.LastReview.Equal(at) || c.RemainingSteps != 1 || c.AddedAt.IsZero() {
			t.Fatalf("card read back: %+v", c)
		}
		if d, err := s.Deck(ctx(t), "g1", "u1", at); err != nil || d.Cards != 1 || d.Due != 0 || !d.Next.Equal(due) {
			t.Fatalf("deck before due: %+v, %v", d, err)
		}
		later := at.Add(48 * time.Hour)
		reviewed, err := s.ReviewCard(ctx(t), k, 1, func(c *store.Card) error { c.Reps, c.Due, c.State = 2, later, 2; return nil })
		if err != nil || reviewed.Reps != 2 || !reviewed.Due.Equal(later) {
			t.Fatalf("ReviewCard = %+v, %v", reviewed, err)
		}
		if _, err := s.ReviewCard(ctx(t), k, 1, func(c *store.Card) error { c.Reps = 9; return nil }); !errors.Is(err, store.ErrStale) {
			t.Fatalf("a second review of the card as shown: %v, want ErrStale", err)
		}
		if _, err := s.ReviewCard(ctx(t), k, 2, func(c *store.Card) error { c.Reps = 9; return errors.New("no") }); err == nil {
			t.Fatal("update's error did not abort")
		}
		if d, _ := s.Deck(ctx(t), "g1", "u1", later); d.Cards != 1 || d.Due != 1 {
			t.Fatalf("deck when due: %+v", d)
		}
		// A right answer in a quiz to a fact in the deck reviews it too.
		res, _ = s.RecordAnswer(ctx(t), answer("q/again", "u1", true), schedule)
		if res.Card == nil || res.Card.Reps != 3 {
			t.Fatalf("the card after another answer: %+v", res.Card)
		}
		other := k
		other.Fact.Entry = "never"
		if _, err := s.ReviewCard(ctx(t), other, 0, func(*store.Card) error { return nil }); !errors.Is(err, store.ErrNoCard) {
			t.Fatalf("ReviewCard of a missing card: %v, want ErrNoCard", err)
		}
		if err := s.DropCard(ctx(t), k); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Deck(ctx(t), "g1", "u1", later); d.Cards != 0 || !d.Next.IsZero() {
			t.Fatalf("deck after dropping its card: %+v", d)
		}
		if err := s.DropCard(ctx(t), k); err != nil {
			t.Fatalf("dropping a missing card: %v", err)
		}
	})

	t.Run("questions: gaps are the abstentions and the answers voted down, most asked first", func(t *testing.T) {
		s := fresh(t)
		ask := func(guild, key, text string, answered bool) {
			t.Helper()
			if err := s.RecordQuestion(ctx(t), store.Question{Guild: guild, Key: key, Text: text, Answered: answered, At: at}); err != nil {
				t.Fatal(err)
			}
		}
		for k := 0; k < 3; k++ {
			ask("g1", "who-sent-films", "Who sent films?", false)
		}
		ask("g1", "how-many-cameras", "How many cameras?", true)
		ask("g1", "how-many-cameras", "how many cameras", true)
		ask("g1", "when-radio", "When did Radio Moscow start?", true)
		ask("g2", "other", "Another server's question", false)

		if gaps, _ := s.Gaps(ctx(t), "g1", 10); len(gaps) != 1 || gaps[0].Key != "who-sent-films" || gaps[0].Asked != 3 || gaps[0].Abstained != 3 || gaps[0].LastAnswered {
			t.Fatalf("gaps before any vote: %+v", gaps)
		}
		vote := func(key, user string, v int) store.Gap {
			t.Helper()
			g, err := s.Vote(ctx(t), store.Vote{Guild: "g1", Key: key, User: user, Value: v, At: at}, "fallback")
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		vote("how-many-cameras", "u1", -1)
		vote("how-many-cameras", "u1", -1) // the same vote again counts once
		if g := vote("how-many-cameras", "u2", -1); g.Unhelpful != 2 || g.Helpful != 0 || g.Text != "how many cameras" || g.Asked != 2 {
			t.Fatalf("after two members voted down: %+v", g)
		}
		if g := vote("when-radio", "u1", -1); g.Unhelpful != 1 {
			t.Fatalf("%+v", g)
		}
		if g := vote("when-radio", "u1", 1); g.Unhelpful != 0 || g.Helpful != 1 {
			t.Fatalf("a changed vote moves: %+v", g)
		}
		gaps, err := s.Gaps(ctx(t), "g1", 10)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, g := range gaps {
			keys = append(keys, g.Key)
		}
		if fmt.Sprint(keys) != "[who-sent-films how-many-cameras]" {
			t.Fatalf("gaps %v, want the abstained one (asked 3 times), then the one voted down (2); not the one voted up", keys)
		}
		if one, _ := s.Gaps(ctx(t), "g1", 1); len(one) != 1 {
			t.Errorf("limit 1 gave %d", len(one))
		}
		all, _ := s.Gaps(ctx(t), store.AllGuilds, 10)
		if len(all) != 3 {
			t.Errorf("every server's gaps: %d, want 3", len(all))
		}
		// A vote on a question whose asking was never recorded records it.
		if g := vote("never-recorded", "u1", -1); g.Text != "fallback" || g.Asked != 1 || g.Unhelpful != 1 {
			t.Fatalf("a vote on an unrecorded question: %+v", g)
		}
		if _, err := s.Vote(ctx(t), store.Vote{Guild: "g1", Key: "k", User: "u", Value: 2}, ""); err == nil {
			t.Error("a vote of 2 was accepted")
		}
		// Answered again later: still listed, shown as answered since.
		ask("g1", "who-sent-films", "Who sent films?", true)
		gaps, _ = s.Gaps(ctx(t), "g1", 10)
		if gaps[0].Key != "who-sent-films" || !gaps[0].LastAnswered || gaps[0].Asked != 4 {
			t.Fatalf("after an answer: %+v", gaps[0])
		}
	})

	t.Run("study: scores, cards and questions survive closing and opening again", func(t *testing.T) {
		loc := newLocation(t)
		s := open(t, loc)
		if _, err := s.RecordAnswer(ctx(t), answer("q/keep", "u1", true), nil); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordQuestion(ctx(t), store.Question{Guild: "g1", Key: "k", Text: "Kept?", At: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		again := open(t, loc)
		sc, rank, _, err := again.MemberScore(ctx(t), "g1", "u1")
		if err != nil || sc.Correct != 1 || rank != 1 {
			t.Fatalf("after reopening: %+v rank %d, %v", sc, rank, err)
		}
		if res, _ := again.RecordAnswer(ctx(t), answer("q/keep", "u1", false), nil); res.First {
			t.Fatal("after reopening, the same member answered the same item again")
		}
	})
}
