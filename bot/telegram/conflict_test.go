package telegram

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// okPolls counts the getUpdates calls the fake answered normally.
func okPolls(fake *telegramtest.Server) int {
	n := 0
	for _, c := range fake.Calls("getUpdates") {
		if c.OK() {
			n++
		}
	}
	return n
}

// A second replica started in polling mode meets Telegram's 409 (one
// consumer per bot): it stops with a message that says to use the webhook,
// and the replica that was running carries on.
func TestSecondPollerStopsWithConflict(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 200 * time.Millisecond
	first := newAdapter(t, fake, echo)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Run(ctx) }()
	require.NoError(t, fake.WaitUntil(wait, func() bool { return okPolls(fake) >= 1 }))

	second := newAdapter(t, fake, echo)
	sctx, scancel := context.WithTimeout(context.Background(), wait)
	defer scancel()
	err := second.Run(sctx)
	require.ErrorIs(t, err, ErrPollConflict)
	assert.Contains(t, err.Error(), "BHXHBOT_WEBHOOK_URL", "it says to use the webhook")
	assert.Contains(t, err.Error(), "terminated by other getUpdates request")
	assert.Contains(t, second.logs.String(), "polling stopped")

	fake.PushMessage(42, "còn đó không")
	_, err = fake.WaitSent(42, 1, wait)
	require.NoError(t, err, "the first replica still answers")
	cancel()
	require.NoError(t, <-firstDone)
}

// A replica that has been receiving updates takes a few 409s in a row (a
// restart elsewhere that settles) and stops on the third.
func TestRunningPollerStopsAfterRepeatedConflicts(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	ta := newAdapter(t, fake, echo)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ta.Run(ctx) }()
	require.NoError(t, fake.WaitUntil(wait, func() bool { return okPolls(fake) >= 1 }))

	fake.ServerError("getUpdates", maxConflicts-1, http.StatusConflict)
	fake.PushMessage(7, "xin chào")
	_, err := fake.WaitSent(7, 1, wait)
	require.NoError(t, err, "two conflicts in a row: still polling")
	fake.ServerError("getUpdates", maxConflicts, http.StatusConflict)
	err = <-done
	require.ErrorIs(t, err, ErrPollConflict)
}

// A webhook registered for the bot (replicas in webhook mode) is left in
// place: polling would take their updates. The poller stops and says so.
func TestPollerLeavesAWebhookAlone(t *testing.T) {
	fake := telegramtest.New(t)
	hook := newAdapter(t, fake, echo, func(c *Config) {
		c.WebhookURL, c.WebhookSecret, c.ListenAddr = "https://bot.example.vn/tg/hook", "s3cret", "127.0.0.1:0"
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hookDone := make(chan error, 1)
	go func() { hookDone <- hook.Run(ctx) }()
	require.NoError(t, fake.WaitUntil(wait, func() bool { u, _ := fake.Webhook(); return u != "" }))

	poller := newAdapter(t, fake, echo)
	pctx, pcancel := context.WithTimeout(context.Background(), wait)
	defer pcancel()
	err := poller.Run(pctx)
	require.ErrorIs(t, err, ErrPollConflict)
	assert.Contains(t, err.Error(), "https://bot.example.vn/tg/hook")
	assert.Contains(t, err.Error(), "deleteWebhook")
	u, _ := fake.Webhook()
	assert.Equal(t, "https://bot.example.vn/tg/hook", u, "the webhook replicas keep their updates")
	assert.Zero(t, fake.CallCount("deleteWebhook"))
	cancel()
	require.NoError(t, <-hookDone)
}
