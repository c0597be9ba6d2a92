-- Reminders (issue 13): opt-in schedules of payment deadlines, household HI
-- card expiry and staff notices. A row holds the chat id and the schedule,
-- nothing about the person. The scheduler claims due rows with a lease
-- (lease_until, lease_owner: FOR UPDATE SKIP LOCKED on PostgreSQL) and, in
-- one transaction per batch, queues each occurrence's message in outbox,
-- records the occurrence in reminder_sent and moves the row on (seq + 1):
-- an occurrence is queued once, whatever crashes. Times are unix
-- milliseconds; next_at NULL means nothing scheduled.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('pay', 'card', 'news')),
    months      INTEGER NOT NULL DEFAULT 0,  -- pay: 1, 3, 6 or 12
    start_month TEXT    NOT NULL DEFAULT '', -- pay: first month of the current period, YYYY-MM
    income      INTEGER NOT NULL DEFAULT 0,  -- pay: chosen income in đồng; 0: the floor of the day
    grp         TEXT    NOT NULL DEFAULT '', -- pay: support group
    agent_id    TEXT    NOT NULL DEFAULT '', -- pay: agent to pay at
    expiry      TEXT    NOT NULL DEFAULT '', -- card: last valid day, YYYY-MM-DD
    next_at     INTEGER,
    seq         INTEGER NOT NULL DEFAULT 0,
    fired_at    INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT    NOT NULL DEFAULT '',
    blocked_at  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (chat_id, kind)
);
CREATE INDEX reminders_due ON reminders(next_at) WHERE next_at IS NOT NULL;

-- What each reminder already sent (or skipped): one row per occurrence.
CREATE TABLE reminder_sent (
    reminder_id INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    occurrence  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, occurrence)
) WITHOUT ROWID;

-- Counts for staff (faqctl reminders stats): kind, event and time only, no
-- chat, so they are not personal data and outlive /xoa.
CREATE TABLE reminder_events (
    id    INTEGER PRIMARY KEY,
    kind  TEXT    NOT NULL,
    event TEXT    NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX reminder_events_at ON reminder_events(at);
