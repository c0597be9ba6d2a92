-- bot/sqlite's 0005_outbox_ids.sql makes outbox ids never reused
-- (AUTOINCREMENT). An identity column never reuses values: nothing to
-- change here; the file keeps the two stores at the same schema version.
SELECT 1;
