package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// TakeOverOutbox is SQLite's alone: one bot per database file (a lock file
// in cmd/bhxhbot), so the leases found at start are those of a run that died.
func TestTakeOverEndsEveryLease(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	require.NoError(t, s.Commit(ctx, bot.Commit{At: base, Outbox: []bot.Message{{ChatID: 1, HTML: "a"}, {ChatID: 2, HTML: "b"}}}))
	c := bot.OutboxClaim{Now: base, Owner: "dead", Lease: 30 * time.Second, Chats: 10, PerChat: 10}
	got, err := s.ClaimOutbox(ctx, c)
	require.NoError(t, err)
	require.Len(t, got, 2)
	n, err := s.TakeOverOutbox(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	c.Owner = "new"
	got, err = s.ClaimOutbox(ctx, c)
	require.NoError(t, err)
	assert.Len(t, got, 2, "taken at once, not after the lease")
}
