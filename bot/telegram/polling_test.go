package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestPollingConversation(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	a.run(t)

	fake.PushMessage(42, "/start ref_fb")
	texts, err := fake.WaitSent(42, 1, wait)
	require.NoError(t, err)
	assert.Equal(t, "Lệnh /start ref_fb", texts[0])
	assert.Equal(t, []telegramtest.BotCommand{{Command: "start", Description: "Bắt đầu"}, {Command: "xoa", Description: "Xóa dữ liệu của tôi"}}, fake.Commands())

	t.Run("user input comes back escaped and accepted", func(t *testing.T) {
		fake.PushMessage(42, `<b>x</b> & a\b`)
		texts, err := fake.WaitSent(42, 2, wait)
		require.NoError(t, err)
		assert.Equal(t, `Bạn hỏi: &lt;b&gt;x&lt;/b&gt; &amp; a\b`, texts[1])
		msgs := fake.Messages(42)
		assert.Equal(t, `Bạn hỏi: <b>x</b> & a\b`, msgs[1].Text, "Telegram shows the text literally")
		call := fake.Calls("sendMessage")[1]
		assert.Equal(t, "HTML", call.Params["parse_mode"])
		m, err := call.Markup()
		require.NoError(t, err)
		assert.Equal(t, [][]telegramtest.InlineButton{{{Text: "Có", CallbackData: "yes"}, {Text: "Không", CallbackData: "no"}}}, m.InlineKeyboard)
	})

	t.Run("button press is acknowledged and edits the message", func(t *testing.T) {
		msgID := fake.Messages(42)[1].MessageID
		upd := fake.PushCallback(42, "yes", msgID)
		calls, err := fake.WaitForCalls("editMessageText", 1, wait)
		require.NoError(t, err)
		assert.True(t, calls[0].OK(), calls[0].Error)
		acks, err := fake.WaitForCalls("answerCallbackQuery", 1, wait)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("cb%d", upd), acks[0].Params["callback_query_id"])
		assert.Equal(t, "Đã chọn", acks[0].Params["text"])
		assert.True(t, acks[0].OK(), acks[0].Error)
		assert.Equal(t, "Bạn chọn yes", fake.Messages(42)[1].Text)
	})

	t.Run("every call was accepted", func(t *testing.T) {
		for _, c := range fake.Calls("") {
			assert.True(t, c.OK(), "%s: %s", c.Method, c.Error)
		}
	})
}

// TestPerChatOrder sends a burst of interleaved updates from many chats and
// checks that each chat's updates were handled, and answered, in order.
func TestPerChatOrder(t *testing.T) {
	const chats, perChat = 40, 15
	fake := telegramtest.New(t)
	var mu sync.Mutex
	seen := map[int64][]string{}
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		mu.Lock()
		seen[ev.ChatID] = append(seen[ev.ChatID], ev.Text)
		mu.Unlock()
		return bot.Response{Messages: []bot.Message{{HTML: ev.Text}}}, nil
	})
	a := newAdapter(t, fake, h, func(c *Config) { c.Workers = 8 })
	a.run(t)

	var us []telegramtest.Update
	for i := range perChat {
		for c := range chats {
			us = append(us, telegramtest.Update{Message: fake.IncomingMessage(int64(1000+c), fmt.Sprintf("m%02d", i))})
		}
	}
	fake.PushUpdates(us...)
	require.NoError(t, fake.WaitUntil(wait, func() bool { return len(fake.Calls("sendMessage")) >= chats*perChat }))

	mu.Lock()
	defer mu.Unlock()
	for c := range chats {
		id := int64(1000 + c)
		want := make([]string, perChat)
		for i := range want {
			want[i] = fmt.Sprintf("m%02d", i)
		}
		assert.Equal(t, want, seen[id], "handled in order, chat %d", id)
		assert.Equal(t, want, fake.Sent(id), "answered in order, chat %d", id)
	}
}

func TestPanicAndErrorGetCalmReply(t *testing.T) {
	fake := telegramtest.New(t)
	h := handlerFunc(func(ctx context.Context, ev bot.Event) (bot.Response, error) {
		switch {
		case ev.Data == "boom" || ev.Text == "boom":
			var m map[string]int
			//lint:ignore SA5000 the point is a runtime panic inside the handler
			m["x"]++ // nil map write: panics
		case ev.Text == "fail":
			return bot.Response{}, errors.New("store: disk full 0912345678")
		case ev.Text == "slow":
			<-ctx.Done()
			return bot.Response{}, ctx.Err()
		}
		return bot.Response{CallbackText: "ok", Messages: []bot.Message{{HTML: "ok " + ev.Text + ev.Data}}}, nil
	})
	a := newAdapter(t, fake, h)
	a.cfg.UpdateTimeout = 200 * 1e6 // 200ms: the "slow" handler hits it
	a.run(t)

	upd := fake.PushCallback(7, "boom", 1)
	fake.PushMessage(7, "fail")
	fake.PushMessage(7, "slow")
	fake.PushMessage(7, "boom")
	fake.PushMessage(7, "after")
	texts, err := fake.WaitSent(7, 5, wait)
	require.NoError(t, err)
	assert.Equal(t, []string{msgTrouble, msgTrouble, msgTrouble, msgTrouble, "ok after"}, texts)

	acks := fake.Calls("answerCallbackQuery")
	require.Len(t, acks, 1, "a panicking button press is still acknowledged")
	assert.Equal(t, fmt.Sprintf("cb%d", upd), acks[0].Params["callback_query_id"])
	assert.True(t, acks[0].OK())

	logs := a.logs.String()
	assert.Contains(t, logs, "handler panicked")
	assert.Contains(t, logs, "ran out of time")
	assert.NotContains(t, logs, "0912", "no personal data from errors... is the handler's job, but texts are never logged")
	assert.NotContains(t, logs, fake.Token)
}

func TestIgnoredUpdatesAreSafe(t *testing.T) {
	fake := telegramtest.New(t)
	var mu sync.Mutex
	var got []bot.Event
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
		return bot.Response{Messages: []bot.Message{{HTML: "ok"}}}, nil
	})
	a := newAdapter(t, fake, h)
	a.run(t)

	edited := fake.IncomingMessage(5, "sửa")
	fake.PushUpdate(telegramtest.Update{EditedMessage: edited})
	fake.PushUpdate(telegramtest.Update{ChannelPost: &telegramtest.Message{MessageID: 1, Date: 1, Chat: telegramtest.Chat{ID: -100, Type: "channel"}, Text: "x"}})
	fake.PushContact(5, "0912345678", 99) // someone else's number
	photo := fake.IncomingMessage(5, "")
	photo.Photo = []telegramtest.PhotoSize{{FileID: "f", FileUniqueID: "u", Width: 1, Height: 1}}
	fake.PushUpdate(telegramtest.Update{Message: photo})
	fake.PushUpdate(telegramtest.Update{}) // an update kind the bot does not know
	fake.PushContact(5, "0912345678", 5)   // own number
	fake.PushLocation(5, 21.59, 105.84)

	texts, err := fake.WaitSent(5, 4, wait)
	require.NoError(t, err)
	assert.Equal(t, []string{msgNotOwnContact, msgTextOnly, "ok", "ok"}, texts)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.Equal(t, bot.KindContact, got[0].Kind)
	assert.Equal(t, "0912345678", got[0].Contact.Phone)
	assert.Equal(t, bot.KindLocation, got[1].Kind)
	assert.InDelta(t, 21.59, got[1].Location.Lat, 1e-9)
	assert.False(t, strings.Contains(a.logs.String(), "0912345678"), "phone numbers are never logged")
}

// TestShutdownFinishesInFlight cancels Run while an update is being handled:
// the reply still goes out and Run returns nil.
func TestShutdownFinishesInFlight(t *testing.T) {
	fake := telegramtest.New(t)
	started, release := make(chan struct{}), make(chan struct{})
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		close(started)
		<-release
		return bot.Response{Messages: []bot.Message{{HTML: "xong"}}}, nil
	})
	a := newAdapter(t, fake, h)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	fake.PushMessage(9, "hi")
	<-started
	cancel()
	close(release)
	require.NoError(t, <-done)
	assert.Equal(t, []string{"xong"}, fake.Sent(9))
}

func TestRejectedToken(t *testing.T) {
	fake := telegramtest.New(t)
	a, err := New(Config{Token: "1:wrong-token-abcdefgh", APIURL: fake.URL, Outbox: testOutbox(t)}, echo)
	require.NoError(t, err)
	err = a.Run(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "token was rejected")
	assert.NotContains(t, err.Error(), "wrong-token-abcdefgh")
}

// TestBlockedChatDoesNotStopOthers: a response for the user and another chat
// (e.g. an agent's) still reaches the user when the other chat blocked the bot.
func TestBlockedChatDoesNotStopOthers(t *testing.T) {
	fake := telegramtest.New(t)
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		return bot.Response{Messages: []bot.Message{
			{ChatID: -77, HTML: "Thẻ khách hàng"},
			{HTML: "Đã gửi cho đại lý"},
		}}, nil
	})
	a := newAdapter(t, fake, h)
	fake.BlockChat(-77)
	a.run(t)
	fake.PushMessage(12, "gọi lại cho tôi")
	texts, err := fake.WaitSent(12, 1, wait)
	require.NoError(t, err)
	assert.Equal(t, []string{"Đã gửi cho đại lý"}, texts)
}

// TestRejectedReplyBecomesApology: when Telegram refuses every message of a
// response (here: broken HTML), the person still gets the calm message.
func TestRejectedReplyBecomesApology(t *testing.T) {
	fake := telegramtest.New(t)
	h := handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
		return bot.Response{Messages: []bot.Message{{HTML: "<b>hỏng"}}}, nil
	})
	a := newAdapter(t, fake, h)
	a.run(t)
	fake.PushMessage(13, "hi")
	texts, err := fake.WaitSent(13, 1, wait)
	require.NoError(t, err)
	assert.Equal(t, []string{msgTrouble}, texts)
	assert.Contains(t, fake.Calls("sendMessage")[0].Error, "can't parse entities")
}

// TestPollingConfirmsOnlyHandledUpdates: Telegram forgets an update once
// getUpdates is called with a higher offset. The bot must not ask for the
// next batch while an update it took is still being handled, or a crash
// (SIGKILL, OOM, power) loses it for good.
func TestPollingConfirmsOnlyHandledUpdates(t *testing.T) {
	fake := telegramtest.New(t)
	release := make(chan struct{})
	h := handlerFunc(func(ctx context.Context, ev bot.Event) (bot.Response, error) {
		if ev.ChatID == 1 {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return bot.Response{Messages: []bot.Message{{HTML: "ok"}}}, nil
	})
	var us []telegramtest.Update
	for c := int64(1); c <= 10; c++ {
		us = append(us, telegramtest.Update{Message: fake.IncomingMessage(c, "hi")})
	}
	fake.PushUpdates(us...)
	a := newAdapter(t, fake, h, func(c *Config) { c.Workers = 4 })
	a.run(t)

	for c := int64(2); c <= 10; c++ {
		if c%4 == 1 {
			continue // same worker as chat 1, waiting behind it
		}
		_, err := fake.WaitSent(c, 1, wait)
		require.NoError(t, err)
	}
	assert.Equal(t, 10, fake.Pending(), "updates confirmed to Telegram while one was still being handled")
	close(release)
	_, err := fake.WaitSent(1, 1, wait)
	require.NoError(t, err)
	require.NoError(t, fake.WaitUntil(wait, func() bool { return fake.Pending() == 0 }), "handled updates are confirmed with the next poll")
}

// TestRateLimitedReplyWaitsAndGoesOut: Telegram asks to wait (429
// retry_after, twice in a row): the reply waits in the outbox for as long as
// asked, however long, and goes out; no apology, nothing dropped.
func TestRateLimitedReplyWaitsAndGoesOut(t *testing.T) {
	fake := telegramtest.New(t)
	clk := newClock()
	a := newAdapter(t, fake, echo)
	a.now = clk.Now
	out := a.watchOutcomes()
	fake.RateLimit("sendMessage", 2, 40)
	a.run(t)
	fake.PushMessage(14, "xin chào")
	for i := range 2 {
		out.Wait(t, outRateLimited, i+1)
		require.NoError(t, fake.WaitUntil(wait, func() bool { return fake.Pending() == 0 }), "the update is confirmed: its reply is stored")
		a.out.wake()
		a.out.wake()
		assert.Equal(t, i+1, fake.CallCount("sendMessage"), "nothing sent before retry_after")
		clk.Add(40 * time.Second)
		a.out.wake()
	}
	out.Wait(t, outDelivered, 1)
	assert.Equal(t, []string{"Bạn hỏi: xin chào"}, fake.Sent(14))
	assert.Equal(t, 3, fake.CallCount("sendMessage"))
	c := counts(t, a.reg)["bhxhbot_outbox_replies_total"]
	assert.Equal(t, 2.0, c["rate_limited/"])
	assert.Equal(t, 1.0, c["delivered/"])
}
