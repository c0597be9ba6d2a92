package main

import (
	"context"
	"errors"
	"fmt"
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
	Transport(ctx context.Context) (string, error)
	SetTransport(ctx context.Context, name string) error
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

// transportTelegram is what the Telegram bot records in its database.
const transportTelegram = "telegram"

// errTelegramDB: the console was pointed at the Telegram bot's database.
var errTelegramDB = errors.New("the Telegram bot runs on this database")

// openStore opens the database dsn names: a postgres:// or postgresql://
// URL, or else a SQLite file (created when missing). The Telegram bot
// records itself in it; the console refuses a database the Telegram bot ran
// on (its sender would print the replies and call-back cards queued for
// Telegram, names and phones included, and mark them sent; its pruner,
// with -clock, would delete by a false date). For SQLite it marks the file
// as used by a running bot and reports (loudly, in the log) a -wal file
// lost after an unclean stop.
func openStore(ctx context.Context, dsn string, console bool, log *slog.Logger) (store, sqlite.Startup, error) {
	var s store
	var err error
	if postgres.IsURL(dsn) {
		s, err = postgres.Open(ctx, dsn)
	} else {
		s, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		return nil, sqlite.Startup{}, err
	}
	if err := claimTransport(ctx, s, dsn, console); err != nil {
		s.Close()
		return nil, sqlite.Startup{}, err
	}
	lite, ok := s.(*sqlite.Store)
	if !ok {
		return s, sqlite.Startup{}, nil
	}
	su, err := lite.Start(ctx)
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

// claimTransport records the Telegram bot in its database, or refuses the
// console on a database the Telegram bot ran on (before it writes anything).
func claimTransport(ctx context.Context, s store, dsn string, console bool) error {
	if !console {
		return s.SetTransport(ctx, transportTelegram)
	}
	t, err := s.Transport(ctx)
	if err != nil {
		return err
	}
	if t == transportTelegram {
		return fmt.Errorf("%w (%s): the console would print the replies and call-back requests waiting for Telegram here, names and phones included, and mark them sent. Try the console on a file of its own: -console -db data/console.db",
			errTelegramDB, redactDB(dsn))
	}
	return nil
}
