package telegram

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// failedCalls counts calls refused because the fake was down.
func failedCalls(fake *telegramtest.Server, method string) int {
	n := 0
	for _, c := range fake.Calls(method) {
		if c.Status == 0 {
			n++
		}
	}
	return n
}

func TestPollingSurvivesTelegramDown(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	a.run(t)
	_, err := fake.WaitForCalls("getUpdates", 1, wait)
	require.NoError(t, err)

	fake.SetDown(telegramtest.CloseConn)
	fake.PushMessage(3, "còn đó không")
	require.NoError(t, fake.WaitUntil(wait, func() bool { return failedCalls(fake, "getUpdates") >= 2 }))
	fake.SetDown(telegramtest.Up)

	texts, err := fake.WaitSent(3, 1, wait)
	require.NoError(t, err)
	assert.Equal(t, "Bạn hỏi: còn đó không", texts[0])
	assert.NotContains(t, a.logs.String(), fake.Token)
}

func TestSendWhileTelegramHangs(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.SetDown(telegramtest.Hang)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	_, err := a.Send(ctx, bot.Message{ChatID: 1, HTML: "x"})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	fake.SetDown(telegramtest.Up)
}

func TestWebhookRegistrationWaitsForTelegram(t *testing.T) {
	fake := telegramtest.New(t)
	a, url := webhookAdapter(t, fake, echo)
	fake.SetDown(telegramtest.CloseConn)
	a.run(t)
	require.NoError(t, fake.WaitUntil(wait, func() bool { return failedCalls(fake, "setWebhook") >= 2 }))
	fake.SetDown(telegramtest.Up)

	require.NoError(t, fake.WaitUntil(wait, func() bool { u, _ := fake.Webhook(); return u == url }))
	fake.PushMessage(8, "chào")
	_, err := fake.WaitSent(8, 1, wait)
	require.NoError(t, err)
}

func TestWebhookRefusedURLStopsRun(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo, func(c *Config) {
		addr := freeAddr(t)
		c.WebhookURL, c.WebhookSecret, c.ListenAddr = "http://"+addr+"/x", testSecret, addr
	})
	a.cfg.WebhookSecret = "bad secret!" // Telegram refuses it (New would have too)
	err := a.Run(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "secret token contains unallowed characters")
}
