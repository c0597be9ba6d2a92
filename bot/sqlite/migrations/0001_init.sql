-- Conversation engine tables (issue 4).

CREATE TABLE chat_state (
    chat_id    INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    flow       TEXT    NOT NULL DEFAULT '',
    step       TEXT    NOT NULL DEFAULT '',
    vals       TEXT    NOT NULL DEFAULT '{}', -- JSON object of short strings
    updated_at INTEGER NOT NULL               -- unix seconds
);
CREATE INDEX chat_state_updated ON chat_state(updated_at);
CREATE INDEX chat_state_user ON chat_state(user_id);

CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    seen_at   INTEGER NOT NULL
);
CREATE INDEX processed_updates_seen ON processed_updates(seen_at);

CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    faq_id     TEXT    NOT NULL,
    vote       INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question   TEXT    NOT NULL DEFAULT '', -- scrubbed
    folded     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX feedback_user ON feedback(user_id);
CREATE INDEX feedback_created ON feedback(created_at);

CREATE TABLE questions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    text       TEXT    NOT NULL, -- scrubbed
    folded     TEXT    NOT NULL,
    decision   TEXT    NOT NULL,
    top_id     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX questions_user ON questions(user_id);
CREATE INDEX questions_created ON questions(created_at);

CREATE TABLE attribution (
    user_id    INTEGER PRIMARY KEY,
    payload    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
