package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
)

// store is what the program needs from its database: the SQLite file
// (bot/sqlite, one process) or PostgreSQL (bot/postgres, shared by several
// replicas), chosen by BHXHBOT_DB / -db.
type store interface {
	bot.Store
	bot.ReminderStore
	handoff.Store
	telegram.Outbox
	storeChecks
	Prune(ctx context.Context, now time.Time, r bot.Retention) (bot.PruneStats, error)
	Close() error
}

var (
	_ store = (*sqlite.Store)(nil)
	_ store = (*postgres.Store)(nil)
)

// checkpointer is the SQLite store's WAL upkeep; PostgreSQL keeps its own
// write-ahead log.
type checkpointer interface {
	Checkpoint(ctx context.Context, now time.Time) (sqlite.CheckpointResult, error)
}

// outboxTakeOver is the SQLite store ending the leases of a run that died
// (bhxhbot holds the file's lock, so no other sender is alive). PostgreSQL
// has no such method: there the other replicas' leases are live.
type outboxTakeOver interface {
	TakeOverOutbox(ctx context.Context) (int, error)
}

var _ outboxTakeOver = (*sqlite.Store)(nil)

// openStore opens the database dsn names: a postgres:// or postgresql://
// URL, or else a SQLite file (created when missing). For SQLite it marks
// the file as used by a running bot and reports (loudly, in the log) a -wal
// file lost after an unclean stop.
func openStore(ctx context.Context, dsn string, log *slog.Logger) (store, sqlite.Startup, error) {
	if postgres.IsURL(dsn) {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, sqlite.Startup{}, err
		}
		return s, sqlite.Startup{}, nil
	}
	s, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, sqlite.Startup{}, err
	}
	su, err := s.Start(ctx)
	if err != nil {
		s.Close()
		return nil, su, err
	}
	if su.WALLost {
		// The data up to the last checkpoint is intact: the bot goes on,
		// loudly, rather than stay down until someone acts.
		log.Error("the database's -wal file is missing although the bot did not stop cleanly last time: what was written after the last checkpoint is lost (replies not yet sent, leads, conversation steps); restore the -wal file beside the .db before writing anything if you still have it",
			slog.String("db", dsn), slog.Time("last_checkpoint", su.LastCheckpoint))
	}
	return s, su, nil
}
