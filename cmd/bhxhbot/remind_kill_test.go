package main

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// TestKillHelperProcess is the bot itself, run as a child process by
// TestKill9DuringAReminderBatch (skipped otherwise).
func TestKillHelperProcess(t *testing.T) {
	if os.Getenv("BHXHBOT_KILL_HELPER") != "1" {
		t.Skip("the child process of TestKill9DuringAReminderBatch")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, nil, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr))
}

// TestKill9DuringAReminderBatch starts the real bot (polling, a fake Bot
// API) on a database with 600 card reminders due, kills it with SIGKILL
// the instant a quarter of them reached Telegram, starts it again, and
// checks that every occurrence was queued exactly once and every chat got
// its reminder. A message Telegram accepted in the milliseconds before the
// kill, which the sender had not yet forgotten, goes again after the
// restart (the Bot API has no idempotency key): at most one per send in
// flight; the test logs how many.
func TestKill9DuringAReminderBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the bot twice as a process: not in -short")
	}
	const n = 600
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	st, err := sqlite.Open(ctx, dbPath)
	require.NoError(t, err)
	now := time.Now()
	today := now.In(calc.Vietnam)
	expiry := time.Date(today.Year(), today.Month(), today.Day()+10, 0, 0, 0, 0, calc.Vietnam)
	for chat := int64(1); chat <= n; chat++ {
		_, err := st.SetReminder(ctx, bot.Reminder{ChatID: chat, Kind: bot.RemindCard, Expiry: expiry, NextAt: now.Add(-time.Minute)}, nil, now)
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())

	fake := telegramtest.New(t)
	delivered := func() (chats, total int) {
		for chat := int64(1); chat <= n; chat++ {
			if c := fake.SentCount(chat); c > 0 {
				chats++
				total += c
			}
		}
		return chats, total
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$")
		cmd.Env = append(os.Environ(), "BHXHBOT_KILL_HELPER=1",
			"TELEGRAM_BOT_TOKEN="+fake.Token, "TELEGRAM_API_URL="+fake.URL, "BHXHBOT_DB="+dbPath,
			"BHXHBOT_ADMIN_ADDR=off", "BHXHBOT_REMINDER_HOURS=0-24", "BHXHBOT_REMINDER_RATE=30")
		require.NoError(t, cmd.Start())
		return cmd
	}

	first := start()
	require.NoError(t, fake.WaitUntil(90*time.Second, func() bool { c, _ := delivered(); return c >= n/4 }), "the first process sends")
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	atKill, _ := delivered()

	second := start()
	t.Cleanup(func() {
		_ = second.Process.Signal(syscall.SIGTERM)
		_ = second.Wait()
	})
	// Every chat reached, and nothing left in the outbox or due (what the
	// killed process had leased waits for its lease, 30 s).
	require.NoError(t, fake.WaitUntil(150*time.Second, func() bool {
		c, _ := delivered()
		return c == n
	}), "every reminder delivered after the restart")
	st, err = sqlite.Open(ctx, dbPath)
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, fake.WaitUntil(60*time.Second, func() bool {
		waiting, err := st.WaitingReplies(ctx)
		if err != nil || waiting > 0 {
			return false
		}
		due, err := st.DueReminders(ctx, time.Now())
		return err == nil && len(due) == 0
	}), "outbox drained, nothing due")
	chats, total := delivered()
	var twice []int64
	for chat := int64(1); chat <= n; chat++ {
		if fake.SentCount(chat) > 1 {
			twice = append(twice, chat)
		}
	}
	t.Logf("killed with %d of %d chats reached; after the restart %d reached, %d messages, sent twice to %v", atKill, n, chats, total, twice)
	assert.Equal(t, n, chats, "none lost")
	var queued int
	require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM reminder_events WHERE event = ?`, bot.EventSent).Scan(&queued))
	assert.Equal(t, n, queued, "each occurrence queued once")
	assert.LessOrEqual(t, len(twice), telegram.DefaultSenders, "repeats only what was in flight at the kill")
}
