-- The outbox of replies (issue 10): every message the bot sends in answer to
-- an update is written here in the transaction that records the update as
-- handled, and deleted once Telegram accepted it (or the sender gave up:
-- chat unreachable, message refused, too old to be useful). Messages of one
-- chat go out in id order: only a chat's oldest row (its head) may be
-- claimed, and a claim leases the chat's rows to one sender until
-- lease_until, so several processes on one database never send a message
-- twice (the claim maps to FOR UPDATE SKIP LOCKED on PostgreSQL). Times are
-- unix milliseconds.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    update_id    INTEGER NOT NULL DEFAULT 0, -- the update answered (0: none)
    message      TEXT    NOT NULL,           -- JSON of bot.Message
    created_at   INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0, -- failed attempts so far
    lease_until  INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT    NOT NULL DEFAULT '',
    last_error   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_chat ON outbox(chat_id, id);
CREATE INDEX outbox_due ON outbox(next_attempt);
