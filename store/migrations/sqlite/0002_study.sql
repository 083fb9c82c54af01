-- Study mode: each member's answer to each quiz item posted (one at most),
-- their score in each server, their review cards (spaced repetition of the
-- facts they missed), and the questions members ask, for the gaps of the
-- corpus.

-- One row per member and item posted: the key makes "one answer per
-- member per item" a primary key.
CREATE TABLE study_answers (
    guild_id TEXT NOT NULL,
    item_key TEXT NOT NULL, -- the posting: "r/ROUND/K" in a round, "q/SEED" alone
    user_id  TEXT NOT NULL,
    round_id TEXT NOT NULL, -- '' outside a round
    entry_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    blank    INTEGER NOT NULL,
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
    choice   TEXT NOT NULL,
    name     TEXT NOT NULL, -- the member's name when they answered
    at       INTEGER NOT NULL, -- Unix milliseconds
    PRIMARY KEY (guild_id, item_key, user_id)
);
CREATE INDEX study_answers_round ON study_answers (guild_id, round_id);

-- Each member's score in each server.
CREATE TABLE study_scores (
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    answered    INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    streak      INTEGER NOT NULL,
    best_streak INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX study_scores_rank ON study_scores (guild_id, correct DESC, best_streak DESC, answered);

-- A member's review cards: one per fact (entry, sentence, blank) missed,
-- with its FSRS memory state and due time.
CREATE TABLE study_cards (
    guild_id        TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    entry_id        TEXT NOT NULL,
    sentence        INTEGER NOT NULL,
    blank           INTEGER NOT NULL,
    sentence_check  TEXT NOT NULL, -- tells a sentence edited since
    due             INTEGER NOT NULL,
    stability       REAL NOT NULL,
    difficulty      REAL NOT NULL,
    scheduled_days  INTEGER NOT NULL,
    reps            INTEGER NOT NULL,
    lapses          INTEGER NOT NULL,
    state           INTEGER NOT NULL,
    last_review     INTEGER NOT NULL,
    remaining_steps INTEGER NOT NULL,
    added_at        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, entry_id, sentence, blank)
);
CREATE INDEX study_cards_due ON study_cards (guild_id, user_id, due);

-- The questions asked with /ask, by server and folded text (no member is
-- recorded): how often, how often the corpus abstained, and the votes.
CREATE TABLE asked_questions (
    guild_id      TEXT NOT NULL, -- '' in direct messages
    question_key  TEXT NOT NULL,
    text          TEXT NOT NULL, -- the latest wording
    asked         INTEGER NOT NULL,
    abstained     INTEGER NOT NULL,
    helpful       INTEGER NOT NULL,
    unhelpful     INTEGER NOT NULL,
    last_answered INTEGER NOT NULL CHECK (last_answered IN (0, 1)),
    first_at      INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_key)
);
CREATE INDEX asked_questions_asked ON asked_questions (guild_id, asked DESC);

-- One vote per member and question: a member may change it, not repeat it.
CREATE TABLE answer_votes (
    guild_id     TEXT NOT NULL,
    question_key TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    vote         INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    at           INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_key, user_id)
);
