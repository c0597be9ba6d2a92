package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
)

func openURL(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// One replica prunes (and purges leads) at a time: while one is at it, the
// others skip the round instead of deleting the same rows in parallel.
func TestPruneRunsOnOneReplicaAtATime(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	a, b := openURL(t, url), openURL(t, url)
	now := time.Now()
	require.NoError(t, b.Commit(ctx, bot.Commit{UpdateID: 1, At: now.Add(-72 * time.Hour)}))

	for _, key := range []int32{lockPrune, lockPurge} {
		inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			_, err := a.exclusive(ctx, "test", key, func(pgx.Tx) error { close(inside); <-release; return nil })
			done <- err
		}()
		<-inside
		if key == lockPrune {
			ps, err := b.Prune(ctx, now, bot.DefaultRetention())
			require.NoError(t, err)
			assert.True(t, ps.Skipped, "another replica is pruning")
			assert.Zero(t, ps.Updates)
		} else {
			ran, err := b.exclusive(ctx, "test", lockPurge, func(pgx.Tx) error { return nil })
			require.NoError(t, err)
			assert.False(t, ran, "another replica is purging")
		}
		close(release)
		require.NoError(t, <-done)
	}
	ps, err := b.Prune(ctx, now, bot.DefaultRetention())
	require.NoError(t, err)
	assert.False(t, ps.Skipped)
	assert.EqualValues(t, 1, ps.Updates)
}

// The database restarting under the bot (its connections terminated) is
// bot.ErrUnavailable, which the transport retries; the store then recovers
// by itself.
func TestConnectionsLostAreUnavailableThenRecover(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s, killer := openURL(t, url), openURL(t, url)
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 1, At: time.Now()}))
	_, err := killer.pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	require.NoError(t, err)
	var failed error
	for i := range 20 { // as many tries as the pool has idle connections to find dead
		if failed = s.Commit(ctx, bot.Commit{UpdateID: int64(100 + i), At: time.Now()}); failed != nil {
			break
		}
	}
	require.Error(t, failed, "a connection that was terminated fails")
	assert.ErrorIs(t, failed, bot.ErrUnavailable)
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 2, At: time.Now()}), "new connections are made")
	seen, err := s.Handled(ctx, 2)
	require.NoError(t, err)
	assert.True(t, seen)
}

func TestOpenUnreachableIsUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = Open(ctx, "postgres://bhxh:secret-pw@"+addr+"/bhxh?sslmode=disable&connect_timeout=2")
	require.Error(t, err)
	assert.ErrorIs(t, err, bot.ErrUnavailable)
	assert.NotContains(t, err.Error(), "secret-pw", "the password never shows")
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want error
	}{
		{pgx.ErrNoRows, bot.ErrNotFound},
		{&pgconn.PgError{Code: "23505"}, bot.ErrConflict},
		{&pgconn.PgError{Code: "40001"}, bot.ErrUnavailable},
		{&pgconn.PgError{Code: "40P01"}, bot.ErrUnavailable},
		{&pgconn.PgError{Code: "57P01"}, bot.ErrUnavailable},
		{&pgconn.PgError{Code: "53300"}, bot.ErrUnavailable},
		{&pgconn.PgError{Code: "25006"}, bot.ErrUnavailable},
		{fmt.Errorf("read: %w", net.ErrClosed), bot.ErrUnavailable},
	} {
		assert.ErrorIs(t, normalize(tc.err), tc.want, "%v", tc.err)
	}
	syntax := &pgconn.PgError{Code: "42601"}
	assert.Same(t, error(syntax), normalize(syntax), "a bug in a query stays what it is")
	assert.False(t, errors.Is(normalize(errors.New("x")), bot.ErrUnavailable))
}

// A replica that dies holding leases on replies (taken straight from its
// commits, or claimed) hands them on at once: its owner no longer shows
// itself alive, so another replica takes them without waiting for the
// lease to run out. While it lives, nobody takes them.
func TestDeadReplicasRepliesAreTakenAtOnce(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	a, b := openURL(t, url), openURL(t, url)
	now := time.Now()
	a.DirectOutbox("replica-a", 30*time.Second, func([]bot.Queued) {})
	require.NoError(t, a.Commit(ctx, bot.Commit{UpdateID: 1, At: now, Outbox: []bot.Message{{ChatID: 1, HTML: "một"}}}))
	claimed, err := a.ClaimOutbox(ctx, bot.OutboxClaim{Now: now, Owner: "replica-a2", Lease: 30 * time.Second, Chats: 5, PerChat: 5})
	require.NoError(t, err)
	require.Empty(t, claimed, "chat 1 is leased to replica-a already")
	require.NoError(t, a.Commit(ctx, bot.Commit{UpdateID: 2, At: now, Outbox: []bot.Message{{ChatID: 2, HTML: "hai"}}}))
	claimed, err = a.ClaimOutbox(ctx, bot.OutboxClaim{Now: now, Owner: "replica-a2", Lease: 30 * time.Second, Chats: 5, PerChat: 5})
	require.NoError(t, err)
	require.Empty(t, claimed, "chat 2 too (direct)")

	b.DirectOutbox("replica-b", 30*time.Second, func([]bot.Queued) {})
	claim := bot.OutboxClaim{Now: now.Add(time.Second), Owner: "replica-b", Lease: 30 * time.Second, Chats: 5, PerChat: 5}
	got, err := b.ClaimOutbox(ctx, claim)
	require.NoError(t, err)
	assert.Empty(t, got, "replica-a lives: its leases hold")

	require.NoError(t, a.Close()) // killed: its connections end
	// The server frees the dead session's locks as soon as it has seen the
	// connection go (a moment after Close returns).
	require.Eventually(t, func() bool {
		got, err = b.ClaimOutbox(ctx, claim)
		require.NoError(t, err)
		return len(got) > 0
	}, 10*time.Second, 10*time.Millisecond, "taken within the 30 s lease")
	require.Len(t, got, 2)
	assert.Equal(t, "một", got[0][0].Message.HTML)
	again, err := openURL(t, url).ClaimOutbox(ctx, bot.OutboxClaim{Now: now.Add(2 * time.Second), Owner: "replica-c", Lease: 30 * time.Second, Chats: 5, PerChat: 5})
	require.NoError(t, err)
	assert.Empty(t, again, "replica-b lives: a third replica takes nothing")
}

// A database a newer bhxhbot migrated is refused by this one (a replica
// rolled back, a staff tool older than the bots), before anything is applied.
func TestOpenRefusesADatabaseOfANewerVersion(t *testing.T) {
	url := pgtest.URL(t)
	s := openURL(t, url)
	ctx := context.Background()
	_, err := s.Pool().Exec(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_from_the_future.sql', 1)`)
	require.NoError(t, err)

	_, err = Open(ctx, url)
	require.ErrorIs(t, err, bot.ErrNewerSchema)
	assert.Contains(t, err.Error(), "9999_from_the_future.sql")
}
