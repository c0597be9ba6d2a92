package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

func TestPruneRemindersKeepsWhatStillReminds(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calc.Vietnam) }
	now := day(2027, 6, 1)
	keep := 90 * 24 * time.Hour
	for _, r := range []bot.Reminder{
		{ChatID: 1, Kind: bot.RemindCard, Expiry: day(2027, 2, 4)},                                        // done, expired 117 days ago: deleted
		{ChatID: 2, Kind: bot.RemindCard, Expiry: day(2027, 4, 1)},                                        // done, expired 61 days ago: kept
		{ChatID: 3, Kind: bot.RemindCard, Expiry: day(2027, 2, 4), NextAt: day(2027, 1, 28)},              // still scheduled: kept
		{ChatID: 4, Kind: bot.RemindPay, Months: 1, Start: calc.Month{Year: 2027, Month: 6}, NextAt: now}, // blocked long ago: deleted
		{ChatID: 5, Kind: bot.RemindNews},                                                                 // blocked lately: kept
	} {
		_, err := s.SetReminder(ctx, r, nil, now)
		require.NoError(t, err)
	}
	require.NoError(t, s.MarkUnreachable(ctx, 4, now.AddDate(-1, 0, 0)))
	require.NoError(t, s.MarkUnreachable(ctx, 5, now.AddDate(0, -1, 0)))
	n, err := s.PruneReminders(ctx, now, keep, 180*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for chat, want := range map[int64]int{1: 0, 2: 1, 3: 1, 4: 0, 5: 1} {
		rs, err := s.ChatReminders(ctx, chat)
		require.NoError(t, err)
		assert.Len(t, rs, want, "chat %d", chat)
	}
}
