-- What the store knows about itself (issue 10): whether the bot stopped
-- cleanly (run_state), when the WAL was last copied into this file
-- (last_checkpoint, unix seconds), and a row /healthz rewrites to prove the
-- database can be written (health).
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
