package telegram_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
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

// remindClock is the fake clock of the engine and the scheduler; the
// sender keeps the wall clock (the reminders are in its past).
type remindClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *remindClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *remindClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func ict(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, calc.Vietnam)
}

// TestRemindersThroughTheBotAPI sets a quarterly and a card reminder by
// pressing buttons and typing in a chat on the fake Bot API, lets the
// scheduler queue them at their moments, and checks they arrive through
// the sender, buttons working; a chat that blocked the bot is marked and
// skipped.
func TestRemindersThroughTheBotAPI(t *testing.T) {
	idx, params := knowledge(t)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	clk := &remindClock{t: ict(2026, 12, 6, 10)}
	ca := calc.New(params)
	e, err := bot.New(bot.Config{QueueReplies: true}, bot.Deps{
		FAQ: faqIndex{idx}, Calc: ca, Store: store, Reminders: store,
		Logger: slog.New(slog.DiscardHandler), Now: clk.Now,
	})
	require.NoError(t, err)
	sched, err := bot.NewScheduler(bot.SchedulerConfig{Owner: "e2e"}, bot.SchedulerDeps{Store: store, Calc: ca, Now: clk.Now})
	require.NoError(t, err)

	fake := telegramtest.New(t)
	a, err := telegram.New(telegram.Config{Token: fake.Token, APIURL: fake.URL, Workers: 4, Outbox: store,
		MaxReplyAge: 400 * 24 * time.Hour}, e)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })

	p := &person{t: t, fake: fake, chat: 4242}
	p.say("/nhacnho")
	p.expect("Bạn chưa bật nhắc nào")
	p.press(bot.BtnSetPay)
	p.expect("phương thức nào")
	p.press("3 tháng")
	p.expect("Kỳ đóng hiện tại")
	p.press("10/2026–12/2026")
	conf := p.expect("Đã bật nhắc đóng BHXH tự nguyện")
	assert.Contains(t, conf.plain, "9:00 ngày 24/12/2026")
	assert.Contains(t, conf.plain, "792.000 đ")
	p.say("/nhacnho")
	p.expect("Đang bật")
	p.press(bot.BtnSetCard)
	p.expect("hết hạn ngày nào")
	p.say("04/02/2027")
	p.expect("05/01/2027 (30 ngày trước)")

	// Another chat with a reminder, which then blocks the bot.
	blocked := &person{t: t, fake: fake, chat: 4343}
	blocked.say("/nhacnho")
	blocked.expect("chưa bật")
	blocked.press(bot.BtnSetPay)
	blocked.expect("phương thức nào")
	blocked.press(bot.BtnMonthly)
	blocked.expect("Đã bật")
	fake.BlockChat(blocked.chat)

	// round runs scheduler rounds at the moment at (as the bot does every
	// 200 ms) until the person got a message containing want ("": one round).
	round := func(at time.Time, want string) {
		clk.Set(at)
		seen := len(p.outputs())
		require.NoError(t, fake.WaitUntil(e2eWait, func() bool {
			clk.Set(clk.Now().Add(200 * time.Millisecond))
			_, err := sched.RunOnce(context.Background())
			require.NoError(t, err)
			if want == "" {
				return true
			}
			for _, o := range p.outputs()[seen:] {
				if strings.Contains(o.plain, want) {
					return true
				}
			}
			return false
		}), "waiting for %q", want)
	}
	round(ict(2026, 12, 24, 9), "Nhắc đóng BHXH tự nguyện")
	r := p.expect("Nhắc đóng BHXH tự nguyện")
	assert.Contains(t, r.plain, "Kỳ 10/2026–12/2026")
	assert.Contains(t, r.plain, "792.000 đ")
	require.NoError(t, fake.WaitUntil(e2eWait, func() bool {
		// Rounds go on (as every 200 ms in the bot): the chat's last reply
		// may still be in the outbox for a moment, which holds its reminder.
		// The clock moves with them: the rate limit refills by the clock,
		// and a round that found it empty waited forever on a frozen clock
		// (failed 2 of 7 runs under -race).
		clk.Set(clk.Now().Add(200 * time.Millisecond))
		_, err := sched.RunOnce(context.Background())
		require.NoError(t, err)
		rs, err := store.ChatReminders(context.Background(), blocked.chat)
		return err == nil && len(rs) == 1 && !rs[0].BlockedAt.IsZero()
	}), "the blocked chat is marked")

	clk.Set(ict(2026, 12, 24, 10))
	p.press(bot.BtnPaid)
	p.expect("Kỳ tới 01/2027–03/2027 hạn đóng 31/03/2027")

	round(ict(2026, 12, 29, 9), "")                   // paid: no last call
	round(ict(2027, 1, 5, 9), "Thẻ BHYT sắp hết hạn") // the card, 30 days before
	p.expect("Thẻ BHYT sắp hết hạn")
	round(ict(2027, 1, 28, 9), "còn 7 ngày") // and 7 days before
	p.expect("còn 7 ngày")
	round(ict(2027, 3, 24, 9), "Kỳ 01/2027–03/2027") // the next quarter, at the 2027 floor
	r = p.expect("Kỳ 01/2027–03/2027")
	assert.Contains(t, r.plain, "1.161.600 đ")
	// Every call accepted, but the one reminder to the blocked chat
	// (refused once, then the chat is skipped).
	refused := 0
	for _, c := range fake.Calls("") {
		if c.ChatID() == blocked.chat && !c.OK() {
			refused++
			continue
		}
		assert.True(t, c.OK(), "%s rejected: %s", c.Method, c.Error)
	}
	assert.Equal(t, 1, refused)

	texts := 0
	for _, o := range p.outputs() {
		if o.method == "sendMessage" && (strings.Contains(o.plain, "🔔 Nhắc đóng BHXH") || strings.Contains(o.plain, "Thẻ BHYT sắp hết hạn")) {
			texts++
		}
	}
	assert.Equal(t, 4, texts, "the 24/12 and 24/03 payment reminders and the card's two, each once")
}
