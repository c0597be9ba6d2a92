package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// botDB is what the staff tools read from the bot's database, SQLite or
// PostgreSQL.
type botDB interface {
	Report(ctx context.Context, since time.Time, limit int) ([]bot.ReportRow, error)
	ExportLeads(ctx context.Context, since time.Time, provinceID string) ([]handoff.Lead, error)
	LeadFunnel(ctx context.Context, since time.Time) ([]handoff.FunnelRow, error)
	ReminderStats(ctx context.Context, since time.Time) (bot.ReminderStats, error)
	bot.ReminderStore // reminders due: the schedules played forward
	LatestLead(ctx context.Context, userID int64) (handoff.Lead, error)
	AgentAttribution(ctx context.Context, userID int64) (string, error)
	Close() error
}

var (
	_ botDB = (*sqlite.Store)(nil)
	_ botDB = (*postgres.Store)(nil)
)

// openBotDB opens the bot's database: a postgres:// URL, or a SQLite file
// that must exist and not be empty (a mistyped path, or a file created by
// mistake, is reported, never turned into a new database).
func openBotDB(ctx context.Context, dsn string) (botDB, error) {
	if postgres.IsURL(dsn) {
		return postgres.Open(ctx, dsn)
	}
	st, err := os.Stat(dsn)
	switch {
	case err != nil:
		return nil, fmt.Errorf("không mở được cơ sở dữ liệu %s: %w (dùng -db hoặc BHXHBOT_DB)", dsn, err)
	case st.IsDir():
		return nil, fmt.Errorf("không mở được cơ sở dữ liệu %s: đây là thư mục; cần tệp cơ sở dữ liệu trong đó, ví dụ %s (dùng -db hoặc BHXHBOT_DB)", dsn, filepath.Join(dsn, "bhxhbot.db"))
	case st.Size() == 0:
		return nil, fmt.Errorf("không mở được cơ sở dữ liệu %s: tệp trống, không phải cơ sở dữ liệu của bot (dùng -db hoặc BHXHBOT_DB)", dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// defaultDB is -db's default: $BHXHBOT_DB, else the bot's default file.
func defaultDB() string {
	if db := os.Getenv("BHXHBOT_DB"); db != "" {
		return db
	}
	return "data/bhxhbot.db"
}

// dbFlagHelp describes -db in every subcommand that reads the database.
const dbFlagHelp = "cơ sở dữ liệu của bot: tệp SQLite hoặc URL postgres://… (mặc định $BHXHBOT_DB hoặc data/bhxhbot.db)"
