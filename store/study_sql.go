package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The study mode's tables (migration 0002). Nothing here is cached by
// replicas, so no change is logged: every replica reads them afresh.

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const answerColumns = `guild_id, item_key, user_id, round_id, entry_id, sentence, blank, correct, choice, name, at`

func scanAnswer(row interface{ Scan(...any) error }) (Answer, error) {
	var a Answer
	var correct int
	var at int64
	err := row.Scan(&a.Guild, &a.Item, &a.User, &a.Round, &a.Fact.Entry, &a.Fact.Sentence, &a.Fact.Blank, &correct, &a.Choice, &a.Name, &at)
	a.Correct, a.At = correct == 1, fromMillis(at)
	return a, err
}

func (s *sqlStore) RecordAnswer(ctx context.Context, a Answer, schedule func(prev *Card) *Card) (AnswerResult, error) {
	if a.Guild == "" || a.User == "" || a.Item == "" {
		return AnswerResult{}, errors.New("recording an answer: the server, the member and the item are required")
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	var out AnswerResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO study_answers (`+answerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (guild_id, item_key, user_id) DO NOTHING`),
			a.Guild, a.Item, a.User, a.Round, a.Fact.Entry, a.Fact.Sentence, a.Fact.Blank, boolInt(a.Correct), a.Choice, a.Name, millis(a.At))
		if err != nil {
			return fmt.Errorf("recording an answer in server %s: %w", a.Guild, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("recording an answer in server %s: %w", a.Guild, err)
		}
		if n == 0 {
			prior, err := scanAnswer(tx.QueryRowContext(ctx, s.q(`SELECT `+answerColumns+` FROM study_answers WHERE guild_id = ? AND item_key = ? AND user_id = ?`), a.Guild, a.Item, a.User))
			if err != nil {
				return fmt.Errorf("reading an earlier answer in server %s: %w", a.Guild, err)
			}
			out.Prior = prior
			out.Score, err = s.readScore(ctx, tx, a.Guild, a.User)
			return err
		}
		out.First = true
		right := boolInt(a.Correct)
		row := tx.QueryRowContext(ctx, s.q(`INSERT INTO study_scores (guild_id, user_id, name, answered, correct, streak, best_streak, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)
			ON CONFLICT (guild_id, user_id) DO UPDATE SET
				name = excluded.name,
				answered = study_scores.answered + 1,
				correct = study_scores.correct + excluded.correct,
				streak = CASE WHEN excluded.correct = 1 THEN study_scores.streak + 1 ELSE 0 END,
				best_streak = CASE WHEN excluded.correct = 1 AND study_scores.streak + 1 > study_scores.best_streak THEN study_scores.streak + 1 ELSE study_scores.best_streak END,
				updated_at = excluded.updated_at
			RETURNING user_id, name, answered, correct, streak, best_streak, updated_at`),
			a.Guild, a.User, a.Name, right, right, right, millis(a.At))
		if out.Score, err = scanScore(row); err != nil {
			return fmt.Errorf("updating the score of a member of server %s: %w", a.Guild, err)
		}
		if schedule == nil {
			return nil
		}
		k := CardKey{Guild: a.Guild, User: a.User, Fact: a.Fact}
		prev, err := s.readCard(ctx, tx, k)
		if err != nil && !errors.Is(err, ErrNoCard) {
			return err
		}
		var prevp *Card
		if err == nil {
			prevp = &prev
		}
		next := schedule(prevp)
		if next == nil {
			out.Card = prevp
			return nil
		}
		next.CardKey = k
		if err := s.writeCard(ctx, tx, *next); err != nil {
			return err
		}
		out.Card = next
		return nil
	})
	if err != nil {
		return AnswerResult{}, err
	}
	return out, nil
}

func (s *sqlStore) RoundAnswers(ctx context.Context, guild, round string) ([]Answer, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+answerColumns+` FROM study_answers WHERE guild_id = ? AND round_id = ? ORDER BY at, user_id`), guild, round)
	if err != nil {
		return nil, fmt.Errorf("reading the answers of a round in server %s: %w", guild, err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		a, err := scanAnswer(rows)
		if err != nil {
			return nil, fmt.Errorf("reading the answers of a round in server %s: %w", guild, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the answers of a round in server %s: %w", guild, err)
	}
	return out, nil
}

const scoreColumns = `user_id, name, answered, correct, streak, best_streak, updated_at`

func scanScore(row interface{ Scan(...any) error }) (Score, error) {
	var sc Score
	var at int64
	err := row.Scan(&sc.User, &sc.Name, &sc.Answered, &sc.Correct, &sc.Streak, &sc.Best, &at)
	sc.UpdatedAt = fromMillis(at)
	return sc, err
}

func (s *sqlStore) readScore(ctx context.Context, db querier, guild, user string) (Score, error) {
	sc, err := scanScore(db.QueryRowContext(ctx, s.q(`SELECT `+scoreColumns+` FROM study_scores WHERE guild_id = ? AND user_id = ?`), guild, user))
	if errors.Is(err, sql.ErrNoRows) {
		return Score{User: user}, nil
	}
	if err != nil {
		return Score{}, fmt.Errorf("reading a score in server %s: %w", guild, err)
	}
	return sc, nil
}

func (s *sqlStore) Leaderboard(ctx context.Context, guild string, limit int) ([]Score, error) {
	if limit <= 0 {
		limit = 10
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+scoreColumns+` FROM study_scores WHERE guild_id = ?
		ORDER BY correct DESC, best_streak DESC, answered, user_id LIMIT ?`), guild, limit)
	if err != nil {
		return nil, fmt.Errorf("reading the leaderboard of server %s: %w", guild, err)
	}
	defer rows.Close()
	var out []Score
	for rows.Next() {
		sc, err := scanScore(rows)
		if err != nil {
			return nil, fmt.Errorf("reading the leaderboard of server %s: %w", guild, err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the leaderboard of server %s: %w", guild, err)
	}
	return out, nil
}

func (s *sqlStore) MemberScore(ctx context.Context, guild, user string) (Score, int, int, error) {
	var members int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM study_scores WHERE guild_id = ?`), guild).Scan(&members); err != nil {
		return Score{}, 0, 0, fmt.Errorf("counting the scores of server %s: %w", guild, err)
	}
	sc, err := s.readScore(ctx, s.db, guild, user)
	if err != nil || sc.Answered == 0 {
		return sc, 0, members, err
	}
	// The rank is one more than the members ordered before: the order of
	// Leaderboard.
	var before int
	err = s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM study_scores WHERE guild_id = ? AND (
			correct > ?
			OR (correct = ? AND best_streak > ?)
			OR (correct = ? AND best_streak = ? AND answered < ?)
			OR (correct = ? AND best_streak = ? AND answered = ? AND user_id < ?))`),
		guild, sc.Correct, sc.Correct, sc.Best, sc.Correct, sc.Best, sc.Answered, sc.Correct, sc.Best, sc.Answered, user).Scan(&before)
	if err != nil {
		return Score{}, 0, 0, fmt.Errorf("ranking a member of server %s: %w", guild, err)
	}
	return sc, before + 1, members, nil
}

// --- cards -----------------------------------------------------------------

const cardColumns = `guild_id, user_id, entry_id, sentence, blank, sentence_check, due, stability, difficulty, scheduled_days, reps, lapses, state, last_review, remaining_steps, added_at`

func scanCard(row interface{ Scan(...any) error }) (Card, error) {
	var c Card
	var due, last, added int64
	err := row.Scan(&c.Guild, &c.User, &c.Fact.Entry, &c.Fact.Sentence, &c.Fact.Blank, &c.Check, &due, &c.Stability, &c.Difficulty,
		&c.ScheduledDays, &c.Reps, &c.Lapses, &c.State, &last, &c.RemainingSteps, &added)
	c.Due, c.AddedAt = fromMillis(due), fromMillis(added)
	if last != 0 {
		c.LastReview = fromMillis(last)
	}
	return c, err
}

func (s *sqlStore) readCard(ctx context.Context, db querier, k CardKey) (Card, error) {
	c, err := scanCard(db.QueryRowContext(ctx, s.q(`SELECT `+cardColumns+` FROM study_cards WHERE guild_id = ? AND user_id = ? AND entry_id = ? AND sentence = ? AND blank = ?`),
		k.Guild, k.User, k.Fact.Entry, k.Fact.Sentence, k.Fact.Blank))
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNoCard
	}
	if err != nil {
		return Card{}, fmt.Errorf("reading a review card in server %s: %w", k.Guild, err)
	}
	return c, nil
}

func (s *sqlStore) writeCard(ctx context.Context, tx *sql.Tx, c Card) error {
	if c.AddedAt.IsZero() {
		c.AddedAt = time.Now()
	}
	var last int64
	if !c.LastReview.IsZero() {
		last = millis(c.LastReview)
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO study_cards (`+cardColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id, user_id, entry_id, sentence, blank) DO UPDATE SET
			sentence_check = excluded.sentence_check, due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
			scheduled_days = excluded.scheduled_days, reps = excluded.reps, lapses = excluded.lapses, state = excluded.state,
			last_review = excluded.last_review, remaining_steps = excluded.remaining_steps`),
		c.Guild, c.User, c.Fact.Entry, c.Fact.Sentence, c.Fact.Blank, c.Check, millis(c.Due), c.Stability, c.Difficulty,
		c.ScheduledDays, c.Reps, c.Lapses, c.State, last, c.RemainingSteps, millis(c.AddedAt))
	if err != nil {
		return fmt.Errorf("writing a review card in server %s: %w", c.Guild, err)
	}
	return nil
}

func (s *sqlStore) DueCards(ctx context.Context, guild, user string, t time.Time, limit int) ([]Card, error) {
	if limit <= 0 {
		limit = 10
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+cardColumns+` FROM study_cards WHERE guild_id = ? AND user_id = ? AND due <= ?
		ORDER BY due, entry_id, sentence, blank LIMIT ?`), guild, user, millis(t), limit)
	if err != nil {
		return nil, fmt.Errorf("reading the review cards due in server %s: %w", guild, err)
	}
	defer rows.Close()
	var out []Card
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, fmt.Errorf("reading the review cards due in server %s: %w", guild, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the review cards due in server %s: %w", guild, err)
	}
	return out, nil
}

func (s *sqlStore) Deck(ctx context.Context, guild, user string, t time.Time) (Deck, error) {
	var d Deck
	var next sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN due <= ? THEN 1 ELSE 0 END), 0) AS BIGINT), MIN(CASE WHEN due > ? THEN due END)
		FROM study_cards WHERE guild_id = ? AND user_id = ?`), millis(t), millis(t), guild, user).Scan(&d.Cards, &d.Due, &next)
	if err != nil {
		return Deck{}, fmt.Errorf("reading a review deck in server %s: %w", guild, err)
	}
	if next.Valid {
		d.Next = fromMillis(next.Int64)
	}
	return d, nil
}

func (s *sqlStore) ReviewCard(ctx context.Context, k CardKey, reps int64, update func(*Card) error) (Card, error) {
	var out Card
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.readCard(ctx, tx, k)
		if err != nil {
			return err
		}
		if c.Reps != reps {
			return ErrStale
		}
		if err := update(&c); err != nil {
			return err
		}
		c.CardKey = k
		if err := s.writeCard(ctx, tx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Card{}, err
	}
	return out, nil
}

func (s *sqlStore) DropCard(ctx context.Context, k CardKey) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM study_cards WHERE guild_id = ? AND user_id = ? AND entry_id = ? AND sentence = ? AND blank = ?`),
		k.Guild, k.User, k.Fact.Entry, k.Fact.Sentence, k.Fact.Blank)
	if err != nil {
		return fmt.Errorf("removing a review card in server %s: %w", k.Guild, err)
	}
	return nil
}

// --- questions -------------------------------------------------------------

// maxQuestionText bounds the wording kept of a question.
const maxQuestionText = 1000

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

func (s *sqlStore) RecordQuestion(ctx context.Context, q Question) error {
	if q.Key == "" {
		return errors.New("recording a question: no key")
	}
	if q.At.IsZero() {
		q.At = time.Now()
	}
	abstained := boolInt(!q.Answered)
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO asked_questions (guild_id, question_key, text, asked, abstained, helpful, unhelpful, last_answered, first_at, last_at)
		VALUES (?, ?, ?, 1, ?, 0, 0, ?, ?, ?)
		ON CONFLICT (guild_id, question_key) DO UPDATE SET
			text = excluded.text, asked = asked_questions.asked + 1, abstained = asked_questions.abstained + excluded.abstained,
			last_answered = excluded.last_answered, last_at = excluded.last_at`),
		q.Guild, q.Key, clipText(q.Text, maxQuestionText), abstained, boolInt(q.Answered), millis(q.At), millis(q.At))
	if err != nil {
		return fmt.Errorf("recording a question in server %q: %w", q.Guild, err)
	}
	return nil
}

const gapColumns = `guild_id, question_key, text, asked, abstained, helpful, unhelpful, last_answered, first_at, last_at`

func scanGap(row interface{ Scan(...any) error }) (Gap, error) {
	var g Gap
	var answered int
	var first, last int64
	err := row.Scan(&g.Guild, &g.Key, &g.Text, &g.Asked, &g.Abstained, &g.Helpful, &g.Unhelpful, &answered, &first, &last)
	g.LastAnswered, g.FirstAsked, g.LastAsked = answered == 1, fromMillis(first), fromMillis(last)
	return g, err
}

func (s *sqlStore) Vote(ctx context.Context, v Vote, text string) (Gap, error) {
	if v.Value != 1 && v.Value != -1 {
		return Gap{}, fmt.Errorf("a vote of %d: want 1 or -1", v.Value)
	}
	if v.Key == "" || v.User == "" {
		return Gap{}, errors.New("recording a vote: the question and the member are required")
	}
	if v.At.IsZero() {
		v.At = time.Now()
	}
	var out Gap
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// A question whose asking was not recorded (it failed) is
		// recorded now, once, from the answer's wording.
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO asked_questions (guild_id, question_key, text, asked, abstained, helpful, unhelpful, last_answered, first_at, last_at)
			VALUES (?, ?, ?, 1, 0, 0, 0, 1, ?, ?) ON CONFLICT (guild_id, question_key) DO NOTHING`),
			v.Guild, v.Key, clipText(text, maxQuestionText), millis(v.At), millis(v.At))
		if err != nil {
			return fmt.Errorf("recording a vote in server %q: %w", v.Guild, err)
		}
		var prev int
		err = tx.QueryRowContext(ctx, s.q(`SELECT vote FROM answer_votes WHERE guild_id = ? AND question_key = ? AND user_id = ?`), v.Guild, v.Key, v.User).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reading a vote in server %q: %w", v.Guild, err)
		}
		if prev != v.Value {
			_, err = tx.ExecContext(ctx, s.q(`INSERT INTO answer_votes (guild_id, question_key, user_id, vote, at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (guild_id, question_key, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`), v.Guild, v.Key, v.User, v.Value, millis(v.At))
			if err != nil {
				return fmt.Errorf("recording a vote in server %q: %w", v.Guild, err)
			}
			// The counts follow the change: a new vote adds one, a changed
			// one moves one from the other side.
			up, down := 0, 0
			if v.Value == 1 {
				up = 1
			} else {
				down = 1
			}
			if prev == 1 {
				up--
			} else if prev == -1 {
				down--
			}
			_, err = tx.ExecContext(ctx, s.q(`UPDATE asked_questions SET helpful = helpful + ?, unhelpful = unhelpful + ? WHERE guild_id = ? AND question_key = ?`), up, down, v.Guild, v.Key)
			if err != nil {
				return fmt.Errorf("counting a vote in server %q: %w", v.Guild, err)
			}
		}
		out, err = scanGap(tx.QueryRowContext(ctx, s.q(`SELECT `+gapColumns+` FROM asked_questions WHERE guild_id = ? AND question_key = ?`), v.Guild, v.Key))
		if err != nil {
			return fmt.Errorf("reading a question in server %q: %w", v.Guild, err)
		}
		return nil
	})
	if err != nil {
		return Gap{}, err
	}
	return out, nil
}

func (s *sqlStore) Gaps(ctx context.Context, guild string, limit int) ([]Gap, error) {
	if limit <= 0 {
		limit = 25
	}
	where, args := `guild_id = ? AND`, []any{guild}
	if guild == AllGuilds {
		where, args = ``, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+gapColumns+` FROM asked_questions WHERE `+where+` (abstained > 0 OR unhelpful > 0)
		ORDER BY asked DESC, abstained + unhelpful DESC, last_at DESC, question_key LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("reading the gaps of the corpus: %w", err)
	}
	defer rows.Close()
	var out []Gap
	for rows.Next() {
		g, err := scanGap(rows)
		if err != nil {
			return nil, fmt.Errorf("reading the gaps of the corpus: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the gaps of the corpus: %w", err)
	}
	return out, nil
}
