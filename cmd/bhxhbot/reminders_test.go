package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// TestConsoleQuarterlyReminderArrives sets a quarterly reminder in the
// console started at 06/12/2026 (-clock), then starts the console again at
// 24/12/2026 09:00: the reminder prints, with the amount of that day.
func TestConsoleQuarterlyReminderArrives(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bot.db")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-console", "-db", db, "-clock", "2026-12-06T10:00"}, env(nil),
		strings.NewReader("/nhacnho\n1\n2\n10/2026\n"), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "Kỳ 10/2026–12/2026: hạn đóng 31/12/2026. Mình nhắc lúc 9:00 ngày 24/12/2026")

	st, err := sqlite.Open(context.Background(), db)
	require.NoError(t, err)
	rs, err := st.ChatReminders(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.True(t, time.Date(2026, 12, 24, 9, 0, 0, 0, calc.Vietnam).Equal(rs[0].NextAt))
	require.NoError(t, st.Close())

	out.Reset()
	code = run(context.Background(), []string{"-console", "-db", db, "-clock", "2026-12-24T09:00"}, env(nil),
		strings.NewReader("/help\n"), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "Nhắc đóng BHXH tự nguyện")
	assert.Contains(t, out.String(), "792.000 đ")
	assert.Contains(t, out.String(), "còn 7 ngày")

	errb.Reset()
	code = run(context.Background(), []string{"-db", db, "-clock", "2026-12-24T09:00"}, env(map[string]string{"TELEGRAM_BOT_TOKEN": "123:abc"}),
		strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code, "-clock is for the console only")
	assert.Contains(t, errb.String(), "-clock works only with -console")
}

// TestUpkeepPrunesByTheBotsClock: the store's upkeep pruned chat states by
// the wall clock while the console ran on -clock, so a step begun at a
// -clock moment more than 30 minutes before the real time was deleted when
// the upkeep's first round ran after it (on a busy machine), and the next
// button said "Nút đã cũ" (TestConsoleQuarterlyReminderArrives failed so).
// The upkeep now uses the bot's clock.
func TestUpkeepPrunesByTheBotsClock(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	defer st.Close()
	past := time.Date(2026, 3, 6, 10, 0, 0, 0, calc.Vietnam)
	require.NoError(t, st.SaveState(ctx, &bot.ChatState{ChatID: 1, UserID: 1, Flow: "remind", Step: "method", Updated: past}))
	require.NoError(t, st.SaveState(ctx, &bot.ChatState{ChatID: 2, UserID: 2, Flow: "remind", Step: "method", Updated: past.Add(-time.Hour)}))

	var logs syncBuffer
	a := &app{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), store: st,
		ret: bot.DefaultRetention(), now: func() time.Time { return past.Add(time.Minute) }}
	ctx2, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.maintain(ctx2) }()
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "pruned") }, 30*time.Second, 10*time.Millisecond)
	cancel()
	require.NoError(t, <-done)

	s1, err := st.LoadState(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "method", s1.Step, "a minute old by the bot's clock: kept")
	_, err = st.LoadState(ctx, 2)
	assert.ErrorIs(t, err, bot.ErrNotFound, "an hour old by the bot's clock: pruned")
}
