package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
