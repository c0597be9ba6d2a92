-- Lead cards to clear after their lead was deleted (/xoa or the retention
-- purge): the message in the agent's or staff chat still shows the person's
-- name and phone until the outbox edits it into a short notice. Only chat and
-- message ids are kept here, never personal data; a row goes once the card is
-- edited (or the chat is gone, or after the outbox gives up).
CREATE TABLE card_redactions (
    id           INTEGER PRIMARY KEY,
    lead_id      INTEGER NOT NULL, -- the deleted lead's number, shown in the notice
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    reason       TEXT    NOT NULL CHECK (reason IN ('deleted', 'expired')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX card_redactions_due ON card_redactions(next_attempt);
