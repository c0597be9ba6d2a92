package telegram

// Telegram's faults, one test each, against the fake Bot API with the real
// outbox (SQLite in a temp dir) and the sender's clock in the test's hands:
// every update is answered exactly once, in order per chat, late rather
// than never, and never with an apology for Telegram's trouble.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// faultBot runs the adapter (echo handler: one reply per message, "Bạn hỏi:
// <text>") on the fake with a settable clock.
func faultBot(t *testing.T, fake *telegramtest.Server) (*testAdapter, *clock, *outcomes) {
	clk := newClock()
	a := newAdapter(t, fake, echo)
	a.now = clk.Now
	out := a.watchOutcomes()
	a.run(t)
	return a, clk, out
}

// ask pushes one message from each chat, text "q<chat>-<i>".
func ask(fake *telegramtest.Server, chats []int64, i int) {
	var us []telegramtest.Update
	for _, c := range chats {
		us = append(us, telegramtest.Update{Message: fake.IncomingMessage(c, fmt.Sprintf("q%d-%d", c, i))})
	}
	fake.PushUpdates(us...)
}

func chatRange(from, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(from + i)
	}
	return out
}

// answeredOnce checks that each chat got exactly the replies to its
// messages 0..n-1, in order, and nothing else (no apology, no duplicate).
func answeredOnce(t *testing.T, fake *telegramtest.Server, chats []int64, n int) {
	t.Helper()
	for _, c := range chats {
		want := make([]string, n)
		for i := range want {
			want[i] = fmt.Sprintf("Bạn hỏi: q%d-%d", c, i)
		}
		assert.Equal(t, want, fake.Sent(c), "chat %d", c)
	}
}

// allStored waits until Telegram has no update left to deliver: each was
// stored with its reply, whatever became of the sending.
func allStored(t *testing.T, fake *telegramtest.Server) {
	t.Helper()
	require.NoError(t, fake.WaitUntil(wait, func() bool { return fake.Pending() == 0 }), "updates confirmed to Telegram")
}

// outageThenRecovery: while sends fail in some way, updates are still
// taken and stored (and confirmed to Telegram), no reply gets through and
// none is dropped; once Telegram is back every reply goes out once.
func outageThenRecovery(t *testing.T, start, stop func(fake *telegramtest.Server)) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	a, clk, out := faultBot(t, fake)
	chats := chatRange(100, 40)
	start(fake)
	ask(fake, chats[:20], 0)
	ask(fake, chats[20:], 0)
	allStored(t, fake)
	out.Wait(t, outRetry, len(chats)) // every chat's reply tried once and rescheduled
	for range 3 {                     // the outage lasts: retries fail too, nothing is lost
		n := out.count(outRetry)
		clk.Add(time.Minute)
		a.out.wake()
		out.Wait(t, outRetry, n+len(chats))
	}
	ask(fake, chats, 1) // people keep asking during the outage
	allStored(t, fake)
	assert.Zero(t, out.count(outDelivered))
	assert.Equal(t, 2*len(chats), countQueued(t, a), "every reply waits in the outbox")

	stop(fake)
	clk.Add(time.Minute)
	a.out.wake()
	out.Wait(t, outDelivered, 2*len(chats))
	answeredOnce(t, fake, chats, 2)
	assert.Zero(t, countQueued(t, a), "the outbox is empty")
	for _, c := range fake.Calls("sendMessage") {
		assert.NotEqual(t, msgTrouble, c.Text(), "no apology for Telegram's trouble")
	}
}

func countQueued(t *testing.T, a *testAdapter) int {
	t.Helper()
	var n int
	require.NoError(t, a.store.DB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&n))
	return n
}

func TestFaultHTML502FromAProxy(t *testing.T) {
	outageThenRecovery(t,
		func(f *telegramtest.Server) {
			f.SetOutage(telegramtest.Outage{Status: http.StatusBadGateway, HTML: true})
		},
		func(f *telegramtest.Server) { f.SetOutage(telegramtest.Outage{}) })
}

func TestFaultJSON500ForAPeriod(t *testing.T) {
	outageThenRecovery(t,
		func(f *telegramtest.Server) { f.SetOutage(telegramtest.Outage{Status: http.StatusInternalServerError}) },
		func(f *telegramtest.Server) { f.SetOutage(telegramtest.Outage{}) })
}

func TestFaultConnectionRefused(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	a, clk, out := faultBot(t, fake)
	chats := chatRange(200, 10)
	fake.SetOutage(telegramtest.Outage{Status: http.StatusServiceUnavailable})
	ask(fake, chats, 0)
	allStored(t, fake)
	out.Wait(t, outRetry, len(chats))
	fake.SetOutage(telegramtest.Outage{})
	fake.Refuse() // nothing listens any more: getUpdates and sends are refused
	n := out.count(outRetry)
	clk.Add(time.Minute)
	a.out.wake()
	out.Wait(t, outRetry, n+len(chats))
	assert.Zero(t, out.count(outDelivered))

	require.NoError(t, fake.Accept())
	ask(fake, chats, 1)
	clk.Add(time.Minute)
	a.out.wake()
	out.Wait(t, outDelivered, 2*len(chats))
	answeredOnce(t, fake, chats, 2)
}

// TestFault429OnOneChat: one chat is rate-limited for 25 s; the others,
// asking meanwhile, are answered at once; the limited chat's replies wait
// their turn, in order.
func TestFault429OnOneChat(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	a, clk, out := faultBot(t, fake)
	const limited = 300
	fake.RateLimitChat(limited, 1, 25)
	others := chatRange(301, 10)
	ask(fake, []int64{limited}, 0)
	out.Wait(t, outRateLimited, 1)
	ask(fake, []int64{limited}, 1) // asks again while limited
	ask(fake, others, 0)
	out.Wait(t, outDelivered, len(others))
	answeredOnce(t, fake, others, 1)
	assert.Empty(t, fake.Sent(limited), "the limited chat waits (the clock has not moved)")
	allStored(t, fake)

	clk.Add(25 * time.Second)
	a.out.wake()
	out.Wait(t, outDelivered, len(others)+2)
	answeredOnce(t, fake, []int64{limited}, 2)
	assert.Zero(t, out.count(outRetry))
}

// TestFaultFlood: one chat sends 1,000 messages; ten others asking right
// after are answered while the flood's replies are still going out, and the
// flood is answered in full, in order.
func TestFaultFlood(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	_, _, out := faultBot(t, fake)
	const flooder, n = 400, 1000
	var us []telegramtest.Update
	for i := range n {
		us = append(us, telegramtest.Update{Message: fake.IncomingMessage(flooder, fmt.Sprintf("q%d-%d", flooder, i))})
	}
	fake.PushUpdates(us...)
	others := chatRange(401, 10)
	ask(fake, others, 0)
	out.WaitFor(t, outDelivered, n+len(others), time.Minute) // 1,000 sends one after the other: slow under -race
	answeredOnce(t, fake, others, 1)
	answeredOnce(t, fake, []int64{flooder}, n)

	// Where the others' replies came among the flood's.
	lastOther, floodDone := 0, 0
	for i, c := range fake.Calls("sendMessage") {
		switch {
		case c.ChatID() == flooder:
			floodDone = i
		case c.ChatID() > flooder:
			lastOther = i
		}
	}
	assert.Less(t, lastOther, floodDone, "the others did not wait for the flood's replies")
	t.Logf("the 10 others answered by send #%d; the flood's last reply was send #%d", lastOther+1, floodDone+1)
}

// TestReplyOlderThanADayIsDropped: a reply that could not be delivered for
// 24 hours is dropped and counted, not sent a day late.
func TestReplyOlderThanADayIsDropped(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	a, clk, out := faultBot(t, fake)
	fake.SetOutage(telegramtest.Outage{Status: http.StatusBadGateway})
	ask(fake, []int64{600}, 0)
	out.Wait(t, outRetry, 1)
	fake.SetOutage(telegramtest.Outage{})
	clk.Add(DefaultMaxReplyAge + time.Minute)
	a.out.wake()
	out.Wait(t, outExpired, 1)
	assert.Empty(t, fake.Sent(600))
	assert.Zero(t, countQueued(t, a))
	assert.Equal(t, 1.0, counts(t, a.reg)["bhxhbot_outbox_replies_total"]["expired/"])
}

// failingClaims is the store with claims that fail on demand.
type failingClaims struct {
	Outbox
	fail atomic.Bool
}

func (f *failingClaims) ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error) {
	if f.fail.Load() {
		return nil, errors.New("disk I/O error")
	}
	return f.Outbox.ClaimOutbox(ctx, c)
}

// TestStuckSender: a sender that cannot claim for two minutes reports
// itself stuck (/healthz then fails), and recovers with the store.
func TestStuckSender(t *testing.T) {
	fake := telegramtest.New(t)
	store := &failingClaims{Outbox: testOutbox(t)}
	clk := newClock()
	a := newAdapter(t, fake, echo, func(c *Config) { c.Outbox = store })
	a.now = clk.Now
	out := a.watchOutcomes()
	a.run(t)
	stuck, _ := a.Stuck()
	assert.False(t, stuck)

	store.fail.Store(true)
	clk.Add(3 * time.Minute)
	a.out.wake()
	require.NoError(t, fake.WaitUntil(wait, func() bool { s, _ := a.Stuck(); return s }))
	_, d := a.Stuck()
	assert.Greater(t, d, stuckThreshold)

	store.fail.Store(false)
	fake.PushMessage(700, "còn đó không")
	out.Wait(t, outDelivered, 1)
	stuck, _ = a.Stuck()
	assert.False(t, stuck, "a delivered reply is progress")
}

// failingDeletes is the store with deletes that fail on demand (a full
// disk: the delete cannot be written).
type failingDeletes struct {
	Outbox
	fail atomic.Bool
}

func (f *failingDeletes) DeleteOutbox(ctx context.Context, owner string, ids ...int64) error {
	if f.fail.Load() {
		return fmt.Errorf("%w: database or disk is full", bot.ErrUnavailable)
	}
	return f.Outbox.DeleteOutbox(ctx, owner, ids...)
}

// TestDeliveredReplyNotSentAgainWhileItCannotBeForgotten: Telegram took
// the reply but the store cannot delete it (disk full): it is not sent
// again when its lease ends, and is deleted once the store can write.
func TestDeliveredReplyNotSentAgainWhileItCannotBeForgotten(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	inner := testOutbox(t)
	store := &failingDeletes{Outbox: inner}
	clk := newClock()
	a := newAdapter(t, fake, echo, func(c *Config) { c.Outbox = store })
	a.now = clk.Now
	out := a.watchOutcomes()
	a.run(t)
	store.fail.Store(true)
	fake.PushMessage(800, "chào")
	out.Wait(t, outDelivered, 1)
	for i := range 3 {
		clk.Add(time.Minute) // well past the lease
		a.out.wake()
		fake.PushMessage(int64(801+i), "ai đó khác") // rounds go on for others
		out.Wait(t, outDelivered, 2+i)
	}
	assert.Equal(t, []string{"Bạn hỏi: chào"}, fake.Sent(800), "sent once")
	var left int
	require.NoError(t, inner.DB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&left))
	assert.Equal(t, 4, left, "delivered, not forgotten yet")

	store.fail.Store(false)
	a.out.forgetAgain(context.Background()) // what the next round does
	require.NoError(t, inner.DB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&left))
	assert.Zero(t, left)
	assert.Equal(t, []string{"Bạn hỏi: chào"}, fake.Sent(800), "still once")
}
