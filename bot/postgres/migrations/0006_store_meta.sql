-- What the store knows about itself, as bot/sqlite's 0006_store_meta.sql:
-- on PostgreSQL only the row /healthz rewrites to prove the database can be
-- written (health); the server keeps its own write-ahead log.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
