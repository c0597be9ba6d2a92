-- Hand-off to local agents (issue 5): call-back leads, the outbox of lead
-- cards, and the agent a user came through (QR deep link). Times are unix
-- seconds; 0 means "not yet". Name and phone are personal data: they are
-- deleted by /xoa (DeleteUserLeads) and after the retention period
-- (PurgeLeads), with the lead's outbox rows (ON DELETE CASCADE).

CREATE TABLE leads (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL,
    chat_id          INTEGER NOT NULL,
    agent_id         TEXT    NOT NULL,
    province_id      TEXT    NOT NULL,
    commune          TEXT    NOT NULL DEFAULT '',
    name             TEXT    NOT NULL DEFAULT '',
    phone            TEXT    NOT NULL,
    context          TEXT    NOT NULL DEFAULT '',
    preferred_time   TEXT    NOT NULL DEFAULT '',
    attribution      TEXT    NOT NULL DEFAULT '',
    consent_version  TEXT    NOT NULL,
    consent_at       INTEGER NOT NULL,
    recipient_chat   INTEGER NOT NULL,
    recipient_name   TEXT    NOT NULL,
    fallback_chat    INTEGER NOT NULL DEFAULT 0,
    fallback_name    TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'claimed', 'contacted', 'enrolled', 'not-interested')),
    claimed_by       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    escalate_at      INTEGER NOT NULL,
    escalated_at     INTEGER NOT NULL DEFAULT 0,
    claimed_at       INTEGER NOT NULL DEFAULT 0,
    contacted_at     INTEGER NOT NULL DEFAULT 0,
    enrolled_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX leads_user ON leads(user_id);
CREATE INDEX leads_created ON leads(created_at);
CREATE INDEX leads_escalate ON leads(status, escalated_at, escalate_at);

CREATE TABLE lead_outbox (
    id           INTEGER PRIMARY KEY,
    lead_id      INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('card', 'escalation')),
    chat_id      INTEGER NOT NULL,
    with_phone   INTEGER NOT NULL DEFAULT 0,
    state        TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    message_id   INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lead_outbox_due ON lead_outbox(state, next_attempt);
CREATE INDEX lead_outbox_lead ON lead_outbox(lead_id, chat_id);

CREATE TABLE agent_attribution (
    user_id    INTEGER PRIMARY KEY,
    agent_id   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
