-- Each server's own corpus: its files, byte for byte as uploaded.
CREATE TABLE guild_files (
    guild_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    content  BLOB NOT NULL,
    size     INTEGER NOT NULL,
    entries  INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL, -- Unix milliseconds
    PRIMARY KEY (guild_id, name)
);

-- The version of each server's corpus, one more at every change.
CREATE TABLE guild_corpora (
    guild_id   TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Each server's settings; a server without a row has the defaults.
CREATE TABLE guild_settings (
    guild_id        TEXT PRIMARY KEY,
    private_answers INTEGER NOT NULL CHECK (private_answers IN (0, 1)),
    sources         TEXT NOT NULL CHECK (sources IN ('both', 'own', 'shared')),
    min_confidence  REAL CHECK (min_confidence BETWEEN 0 AND 1),
    version         INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- The channels a server answers in (none: every channel).
CREATE TABLE guild_channels (
    guild_id   TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

-- The change log replicas follow.
CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX changes_at ON changes (at);
