package store

import (
	"context"
	"errors"
	"time"
)

// Study is what the study mode remembers: each member's answer to each
// quiz item posted (one at most), their score in each server, and their
// review cards, the facts they missed scheduled by spaced repetition. The
// store keeps the schedule; the algorithm that computes it is the
// caller's (package study).
type Study interface {
	// RecordAnswer records a's answer and, in the same transaction,
	// updates the member's score and lets schedule change the member's
	// card for the fact (prev is nil when there is none; schedule returns
	// the card to keep, or nil to leave it as it is). A member who had
	// already answered the item changes nothing: the result has First
	// false and Prior holds the first answer.
	RecordAnswer(ctx context.Context, a Answer, schedule func(prev *Card) *Card) (AnswerResult, error)
	// RoundAnswers returns the answers given in a round, oldest first.
	RoundAnswers(ctx context.Context, guild, round string) ([]Answer, error)
	// Leaderboard returns the best scores of guild, best first (more
	// right answers, then the longer best streak, then fewer answers),
	// at most limit.
	Leaderboard(ctx context.Context, guild string, limit int) ([]Score, error)
	// MemberScore returns user's score in guild and rank (1 for the
	// best), and how many members have a score; rank is 0 for a member
	// who never answered.
	MemberScore(ctx context.Context, guild, user string) (s Score, rank, members int, err error)
	// DueCards returns user's cards due at or before t, soonest first, at
	// most limit.
	DueCards(ctx context.Context, guild, user string, t time.Time, limit int) ([]Card, error)
	// Deck describes user's cards at t: how many, how many are due, and
	// when the next one not yet due is.
	Deck(ctx context.Context, guild, user string, t time.Time) (Deck, error)
	// ReviewCard lets update change the card k, if it still has reps
	// reviews (else ErrStale: it was reviewed meanwhile; ErrNoCard: it is
	// not in the deck), in one transaction, and returns what was written.
	ReviewCard(ctx context.Context, k CardKey, reps int64, update func(*Card) error) (Card, error)
	// DropCard removes the card k (the fact it asks is no longer in the
	// corpus); a missing card is no error.
	DropCard(ctx context.Context, k CardKey) error
}

// Answer is one member's answer to one quiz item.
type Answer struct {
	Guild string
	// Item names the item as posted (a round's k-th item, or an item
	// posted alone with its seed): one answer per member and Item.
	Item string
	User string
	// Name is how the member was shown when they answered.
	Name string
	// Round is the round the item belongs to; "" for an item alone.
	Round string
	// Fact is the entry, sentence and blank the item asks.
	Fact    FactRef
	Correct bool
	// Choice is the option the member chose, as shown.
	Choice string
	At     time.Time
}

// FactRef names a blank of a sentence of an entry.
type FactRef struct {
	Entry    string
	Sentence int
	Blank    int
}

// AnswerResult is what RecordAnswer did.
type AnswerResult struct {
	// First is false when the member had already answered the item:
	// nothing was recorded, and Prior is that answer.
	First bool
	Prior Answer
	// Score is the member's score after the answer.
	Score Score
	// Card is the member's card for the fact after the answer (nil: none).
	Card *Card
}

// Score is a member's score in a server.
type Score struct {
	User string
	Name string
	// Answered and Correct count the member's answers and the right ones.
	Answered, Correct int64
	// Streak counts the right answers since the last wrong one; Best is
	// the longest streak.
	Streak, Best int64
	UpdatedAt    time.Time
}

// CardKey names a member's card.
type CardKey struct {
	Guild, User string
	Fact        FactRef
}

// Card is a review card: a fact a member missed, with its memory state
// (FSRS: stability, difficulty, state, learning steps left) and when it
// is due.
type Card struct {
	CardKey
	// Check tells the fact's sentence apart from an edited one.
	Check          string
	Due            time.Time
	Stability      float64
	Difficulty     float64
	ScheduledDays  int64
	Reps, Lapses   int64
	State          int
	LastReview     time.Time
	RemainingSteps int
	AddedAt        time.Time
}

// Deck describes a member's cards.
type Deck struct {
	Cards, Due int
	// Next is when the next card not yet due is (zero: none).
	Next time.Time
}

// Questions are the questions members ask with /ask, kept by server and
// folded text, never with who asked: how often each is asked, how often
// the corpus could not answer it, and the members' votes on the answers.
// Those abstained from and voted down are the gaps of the corpus.
type Questions interface {
	// RecordQuestion counts one more asking of q.
	RecordQuestion(ctx context.Context, q Question) error
	// Vote records a member's vote on the answer to a question (up or
	// down; a second vote replaces the first) and returns the question's
	// counts after it. text is the question's wording, used when the
	// question was not recorded (its recording failed).
	Vote(ctx context.Context, v Vote, text string) (Gap, error)
	// Gaps returns the questions of guild the corpus abstained from or
	// members voted down, most asked first, at most limit; AllGuilds
	// lists every server's.
	Gaps(ctx context.Context, guild string, limit int) ([]Gap, error)
}

// AllGuilds asks Gaps for every server's questions.
const AllGuilds = "*"

// Question is one asking of a question.
type Question struct {
	// Guild is "" in a direct message.
	Guild string
	// Key identifies the question whatever its case, accents, spacing
	// and final punctuation; Text is its wording.
	Key, Text string
	// Answered is false when the corpus abstained.
	Answered bool
	At       time.Time
}

// Vote is a member's verdict on an answer: +1 helpful, -1 not.
type Vote struct {
	Guild, Key, User string
	Value            int
	At               time.Time
}

// Gap is a question and its counts.
type Gap struct {
	Guild, Key, Text      string
	Asked, Abstained      int64
	Helpful, Unhelpful    int64
	LastAnswered          bool
	FirstAsked, LastAsked time.Time
}

// Errors of the study store.
var (
	// ErrStale: the card was reviewed since it was shown.
	ErrStale = errors.New("the card was reviewed meanwhile")
	// ErrNoCard: the member has no such card.
	ErrNoCard = errors.New("no such card")
)
