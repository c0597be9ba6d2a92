-- Outbox ids are never reused (AUTOINCREMENT): a sender deletes the reply
-- it delivered by id, and with reused ids a reply queued after an older one
-- was deleted (/xoa deletes a chat's undelivered replies) could take the
-- deleted reply's id and be deleted in its place, unsent.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id      INTEGER NOT NULL,
    update_id    INTEGER NOT NULL DEFAULT 0,
    message      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT    NOT NULL DEFAULT '',
    last_error   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO outbox_new SELECT id, chat_id, update_id, message, created_at, next_attempt, attempts, lease_until, lease_owner, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_chat ON outbox(chat_id, id);
CREATE INDEX outbox_due ON outbox(next_attempt);
