package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

func open(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "bot.db")
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

var base = time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)

func TestMigrationsAppliedOnceAndReopen(t *testing.T) {
	s, path := open(t)
	ctx := context.Background()
	require.NoError(t, s.SaveState(ctx, &bot.ChatState{ChatID: 1, UserID: 1, Flow: "vsi", Step: "inc", Data: bot.StateData{VSI: &bot.VSIState{Income: decimal.NewFromInt(1_500_000)}}, Updated: base}))
	require.NoError(t, s.Close())

	s2, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer s2.Close()
	names, err := sqlite.Migrations()
	require.NoError(t, err)
	var n int
	require.NoError(t, s2.DB().QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n))
	assert.Equal(t, len(names), n)
	st, err := s2.LoadState(ctx, 1)
	require.NoError(t, err, "state survives a restart")
	require.NotNil(t, st.Data.VSI)
	assert.Equal(t, "1500000", st.Data.VSI.Income.String(), "typed state round-trips as JSON")
	assert.Equal(t, base.Unix(), st.Updated.Unix())

	var mode string
	require.NoError(t, s2.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
}

// A database a newer bhxhbot migrated (a rollback to the old binary, a
// staff tool older than the bot) is refused before anything is applied:
// this program would read and write tables it does not know.
func TestOpenRefusesADatabaseOfANewerVersion(t *testing.T) {
	s, path := open(t)
	ctx := context.Background()
	_, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_from_the_future.sql', 1)`)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	_, err = sqlite.Open(ctx, path)
	require.ErrorIs(t, err, bot.ErrNewerSchema)
	assert.Contains(t, err.Error(), "9999_from_the_future.sql")
	assert.Contains(t, err.Error(), path)
}

// A SQLite file of another program given as -db by mistake is refused and
// left as it was: the migrations would have added the bot's tables to it.
func TestOpenRefusesAnotherProgramsDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "customers.db")
	db, err := sql.Open("sqlite", path) // the driver bot/sqlite registers
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `CREATE TABLE customers(id INTEGER, name TEXT)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	_, err = sqlite.Open(ctx, path)
	require.ErrorIs(t, err, sqlite.ErrNotBotDatabase)
	assert.Contains(t, err.Error(), "customers")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the file is left as it was")

	s, err := sqlite.Open(ctx, path+".new") // a new file is still created
	require.NoError(t, err)
	require.NoError(t, s.Close())
}
