-- Each server's own corpus: its files, byte for byte as uploaded.
CREATE TABLE guild_files (
    guild_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    content  BYTEA NOT NULL,
    size     BIGINT NOT NULL,
    entries  BIGINT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL, -- Unix milliseconds
    PRIMARY KEY (guild_id, name)
);

-- The version of each server's corpus, one more at every change.
CREATE TABLE guild_corpora (
    guild_id   TEXT PRIMARY KEY,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Each server's settings; a server without a row has the defaults.
CREATE TABLE guild_settings (
    guild_id        TEXT PRIMARY KEY,
    private_answers BIGINT NOT NULL CHECK (private_answers IN (0, 1)),
    sources         TEXT NOT NULL CHECK (sources IN ('both', 'own', 'shared')),
    min_confidence  DOUBLE PRECISION CHECK (min_confidence BETWEEN 0 AND 1),
    version         BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- The channels a server answers in (none: every channel).
CREATE TABLE guild_channels (
    guild_id   TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

-- The change log replicas follow. Writers take an advisory lock first, so
-- that changes commit in the order of their seq.
CREATE TABLE changes (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    version  BIGINT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX changes_at ON changes (at);
