package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// filled is a closed database of several pages of conversation state.
func filled(t *testing.T) string {
	t.Helper()
	s, path := open(t)
	ctx := context.Background()
	for i := range 300 {
		st := &bot.ChatState{ChatID: int64(i + 1), UserID: int64(i + 1), Flow: "vsi", Step: strings.Repeat("x", 100), Updated: base}
		require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: int64(i + 1), At: base, State: st}))
	}
	require.NoError(t, s.Close())
	return path
}

func TestOpenRefusesADamagedDatabase(t *testing.T) {
	t.Run("pages overwritten", func(t *testing.T) {
		path := filled(t)
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		require.NoError(t, err)
		st, err := f.Stat()
		require.NoError(t, err)
		require.Greater(t, st.Size(), int64(8*4096))
		junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
		for _, page := range []int64{3, 5, 7} {
			_, err = f.WriteAt(junk, page*4096)
			require.NoError(t, err)
		}
		require.NoError(t, f.Close())

		_, err = sqlite.Open(context.Background(), path)
		require.ErrorIs(t, err, sqlite.ErrDamaged)
		assert.Contains(t, err.Error(), path)
		assert.Contains(t, err.Error(), ".recover", "the message says what to do")
	})
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bot.db")
		require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("this is not sqlite ", 1000)), 0o600))
		_, err := sqlite.Open(context.Background(), path)
		require.ErrorIs(t, err, sqlite.ErrDamaged)
	})
}

// TestHealthFollowsWrites: a database that cannot grow (as on a full disk)
// makes the bot's writes fail with bot.ErrUnavailable and Health fail until
// a write succeeds again.
func TestHealthFollowsWrites(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	require.NoError(t, s.Health(ctx, base))

	db := s.DB()
	var pages int
	require.NoError(t, db.QueryRow(`PRAGMA page_count`).Scan(&pages))
	maxPages := func(n int) { // a per-connection setting: set it on every connection of the pool
		t.Helper()
		var conns []*sql.Conn
		for range 8 {
			c, err := db.Conn(ctx)
			require.NoError(t, err)
			_, err = c.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, n))
			require.NoError(t, err)
			conns = append(conns, c)
		}
		for _, c := range conns {
			require.NoError(t, c.Close())
		}
	}
	maxPages(pages)

	big := strings.Repeat("một câu trả lời dài ", 2000)
	var failed error
	for i := range 50 {
		failed = s.Commit(ctx, bot.Commit{UpdateID: int64(1000 + i), At: base, Outbox: []bot.Message{{ChatID: 1, HTML: big}}})
		if failed != nil {
			break
		}
	}
	require.ErrorIs(t, failed, bot.ErrUnavailable, "the full database refuses the write")
	assert.Error(t, s.Health(ctx, base), "unhealthy while writes fail")

	maxPages(1000000)
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 2000, At: base, Outbox: []bot.Message{{ChatID: 1, HTML: "ok"}}}))
	assert.NoError(t, s.Health(ctx, base), "healthy again once a write succeeds")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.Create(to)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// TestStartTellsALostWAL: the bot killed (the process never closed the
// database) and its -wal file gone: Start says so and when the main file
// was last brought up to date. A clean stop, or a kill with the -wal file
// kept, is not a loss.
func TestStartTellsALostWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "bot.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	su, err := s.Start(ctx)
	require.NoError(t, err)
	assert.False(t, su.WALLost, "a new database")
	_, err = s.Checkpoint(ctx, base)
	require.NoError(t, err)
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 7, At: base, State: &bot.ChatState{ChatID: 7, UserID: 7, Updated: base}}))

	// "kill -9": copy the files while the store is still open.
	killedWithWAL := filepath.Join(dir, "with-wal.db")
	copyFile(t, path, killedWithWAL)
	copyFile(t, path+"-wal", killedWithWAL+"-wal")
	killedNoWAL := filepath.Join(dir, "no-wal.db")
	copyFile(t, path, killedNoWAL)
	require.NoError(t, s.Close())

	t.Run("kill -9 with the -wal file", func(t *testing.T) {
		s, err := sqlite.Open(ctx, killedWithWAL)
		require.NoError(t, err)
		defer s.Close()
		su, err := s.Start(ctx)
		require.NoError(t, err)
		assert.False(t, su.WALLost)
		seen, err := s.Handled(ctx, 7)
		require.NoError(t, err)
		assert.True(t, seen, "the WAL is replayed")
	})
	t.Run("kill -9 and the -wal file lost", func(t *testing.T) {
		s, err := sqlite.Open(ctx, killedNoWAL)
		require.NoError(t, err)
		defer s.Close()
		su, err := s.Start(ctx)
		require.NoError(t, err)
		assert.True(t, su.WALLost)
		assert.Equal(t, base.Unix(), su.LastCheckpoint.Unix(), "the last checkpoint is in the main file")
		seen, err := s.Handled(ctx, 7)
		require.NoError(t, err)
		assert.False(t, seen, "written after the checkpoint: lost")
	})
	t.Run("a clean stop", func(t *testing.T) {
		s, err := sqlite.Open(ctx, path)
		require.NoError(t, err)
		defer s.Close()
		su, err := s.Start(ctx)
		require.NoError(t, err)
		assert.False(t, su.WALLost)
		seen, err := s.Handled(ctx, 7)
		require.NoError(t, err)
		assert.True(t, seen)
	})
}
