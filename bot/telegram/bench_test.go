package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// benchWebhook pushes b.N updates from distinct chats through the webhook
// handler, with up to 32 in flight as Telegram's connections would be, and
// waits until the fake API accepted every reply. It reports updates/s.
func benchWebhook(b *testing.B, h Handler, out Outbox, replies int) {
	fake := telegramtest.NewServer(telegramtest.DefaultToken)
	defer fake.Close()
	a := newAdapter(b, fake, h, func(c *Config) {
		c.WebhookURL, c.WebhookSecret, c.ListenAddr = "https://x.vn/hook", testSecret, "127.0.0.1:0"
		c.Workers = 8
		c.Logger = nil
		if out != nil {
			c.Outbox = out
		}
	})
	a.log = discardLogger()
	a.out.log = a.log
	a.pool.start()
	defer a.pool.stop(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan struct{})
	go func() { defer close(sent); a.out.run(ctx) }()
	defer func() { cancel(); <-sent }()
	hook := a.webhookHandler()

	bodies := make([][]byte, b.N)
	for i := range bodies {
		u := telegramtest.Update{UpdateID: int64(i + 1), Message: fake.IncomingMessage(int64(100000+i), "đóng bhxh tự nguyện bao nhiêu")}
		bodies[i], _ = json.Marshal(u)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(bodies[i]))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
				rec := httptest.NewRecorder()
				hook.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Errorf("status %d", rec.Code)
					return
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(b, fake.WaitUntil(5*time.Minute, func() bool { return fake.CallCount("sendMessage") >= b.N*replies }))
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	for _, c := range fake.Calls("sendMessage") {
		if !c.OK() {
			b.Fatalf("reply rejected: %s", c.Error)
		}
	}
}

func BenchmarkWebhookTrivialHandler(b *testing.B) {
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		return bot.Response{Messages: []bot.Message{{HTML: "Bạn hỏi: <b>ok</b>", Buttons: [][]bot.Button{{{Text: "Có", Data: "y"}}}}}}, nil
	})
	benchWebhook(b, h, nil, 1)
}
