package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/calc"
)

func vnTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calc.Vietnam)
}

// fakeNotices is a settable list of notices in force.
type fakeNotices struct {
	mu sync.Mutex
	ns []bot.Notice
}

func (f *fakeNotices) Notices(time.Time) []bot.Notice {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Notice(nil), f.ns...)
}

func (f *fakeNotices) set(ns ...bot.Notice) { f.mu.Lock(); f.ns = ns; f.mu.Unlock() }

// fakeAgents knows one agent, chosen by user 7.
type fakeAgents struct{}

func (fakeAgents) Agent(id string) (bot.AgentInfo, bool) {
	if id != "a1" {
		return bot.AgentInfo{}, false
	}
	return bot.AgentInfo{ID: "a1", Name: "Bưu điện xã Mẫu", Address: "1 Đường Mẫu", Phone: "0200 000 0001"}, true
}

func (fakeAgents) ChosenAgent(_ context.Context, userID int64) (string, error) {
	if userID == 7 {
		return "a1", nil
	}
	return "", nil
}

// delivered is a message the fake sender took out of the outbox.
type delivered struct {
	chat int64
	at   time.Time
	msg  bot.Message
}

// remindWorld is the engine, the scheduler and a fake sender on one real
// SQLite store, all on one fake clock.
type remindWorld struct {
	*fixture
	sched   *bot.Scheduler
	notices *fakeNotices
	sent    []delivered
	forbid  map[int64]bool
}

func newRemindWorld(t testing.TB, start time.Time) *remindWorld {
	t.Helper()
	ix, ca := realDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: start}
	w := &remindWorld{notices: &fakeNotices{}, forbid: map[int64]bool{}}
	e, err := bot.New(bot.Config{}, bot.Deps{
		FAQ: faqIndex{ix}, Calc: ca, Store: st, Now: clk.Now,
		Reminders: st, Agents: fakeAgents{}, Notices: w.notices,
	})
	require.NoError(t, err)
	w.fixture = &fixture{e: e, store: st, clock: clk}
	w.sched = w.newScheduler(t, "test-scheduler")
	return w
}

func (w *remindWorld) newScheduler(t testing.TB, owner string) *bot.Scheduler {
	_, ca := realDeps(t)
	s, err := bot.NewScheduler(bot.SchedulerConfig{Owner: owner}, bot.SchedulerDeps{
		Store: w.store, Calc: ca, Notices: w.notices, Agents: fakeAgents{}, Now: w.clock.Now,
	})
	require.NoError(t, err)
	return s
}

// deliver drains the outbox like the transport's sender, at the clock's time.
func (w *remindWorld) deliver(t testing.TB) {
	t.Helper()
	for {
		chats, err := w.store.ClaimOutbox(context.Background(), bot.OutboxClaim{
			Now: w.clock.Now(), Owner: "fake-sender", Lease: 30 * time.Second, Chats: 1000, PerChat: 10,
		})
		require.NoError(t, err)
		if len(chats) == 0 {
			return
		}
		var done []int64
		for _, qs := range chats {
			for _, q := range qs {
				if w.forbid[q.ChatID] {
					require.NoError(t, w.store.MarkUnreachable(context.Background(), q.ChatID, w.clock.Now()))
				} else {
					checkResponse(t, bot.Response{Messages: []bot.Message{q.Message}})
					w.sent = append(w.sent, delivered{chat: q.ChatID, at: w.clock.Now(), msg: q.Message})
				}
				done = append(done, q.ID)
			}
		}
		require.NoError(t, w.store.DeleteOutbox(context.Background(), "fake-sender", done...))
	}
}

// round is one scheduler round and the deliveries it causes.
func (w *remindWorld) round(t testing.TB) int {
	t.Helper()
	n, err := w.sched.RunOnce(context.Background())
	require.NoError(t, err)
	w.deliver(t)
	return n
}

// runUntil steps the clock by step, running a round each time, until end.
func (w *remindWorld) runUntil(t testing.TB, end time.Time, step time.Duration) {
	t.Helper()
	for w.clock.Now().Before(end) {
		w.clock.Add(step)
		w.round(t)
	}
}

func (w *remindWorld) at(t time.Time) { w.clock.mu.Lock(); w.clock.t = t; w.clock.mu.Unlock() }

// pressLabel presses the button whose label contains label in r.
func (w *remindWorld) pressLabel(t testing.TB, r bot.Response, label string, chat int64) bot.Response {
	t.Helper()
	for _, m := range r.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					ev := press(b.Data)
					ev.ChatID, ev.UserID = chat, chat
					return w.send(t, ev)
				}
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, r.Messages)
	return bot.Response{}
}

func (w *remindWorld) on(chat int64, ev bot.Event) bot.Event {
	ev.ChatID, ev.UserID = chat, chat
	return ev
}

func plain(t testing.TB, html string) string {
	t.Helper()
	p, err := telegramtest.CheckHTML(html)
	require.NoError(t, err)
	return p
}

func sentTo(sent []delivered, chat int64) []delivered {
	var out []delivered
	for _, d := range sent {
		if d.chat == chat {
			out = append(out, d)
		}
	}
	return out
}

func TestReminderQuarterlyAcrossNewYear(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	assert.Contains(t, firstHTML(r), "chưa bật")
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	r = w.pressLabel(t, r, "3 tháng", 7)
	r = w.pressLabel(t, r, "10/2026–12/2026", 7)
	conf := plain(t, firstHTML(r))
	assert.Contains(t, conf, "Kỳ 10/2026–12/2026: hạn đóng 31/12/2026")
	assert.Contains(t, conf, "9:00 ngày 24/12/2026, và 29/12/2026")
	assert.Contains(t, conf, "792.000 đ", "3 × 264.000 at today's floor, group other")
	assert.Contains(t, conf, "mức thấp nhất, nhóm Đối tượng khác", "no calculation: the assumption is said")

	w.runUntil(t, vnTime(2027, 4, 1, 0, 0), time.Hour)
	got := sentTo(w.sent, 7)
	require.Len(t, got, 4)
	wantAt := []time.Time{vnTime(2026, 12, 24, 9, 0), vnTime(2026, 12, 29, 9, 0), vnTime(2027, 3, 24, 9, 0), vnTime(2027, 3, 29, 9, 0)}
	wantAmount := []string{"792.000 đ", "792.000 đ", "1.161.600 đ", "1.161.600 đ"}
	wantLeft := []string{"còn 7 ngày", "còn 2 ngày", "còn 7 ngày", "còn 2 ngày"}
	for i, d := range got {
		assert.True(t, wantAt[i].Equal(d.at), "reminder %d at %s, want %s", i, d.at, wantAt[i])
		p := plain(t, d.msg.HTML)
		assert.Contains(t, p, wantAmount[i])
		assert.Contains(t, p, wantLeft[i])
		assert.Contains(t, p, "Bưu điện xã Mẫu", "the agent the person chose")
		b := buttons(bot.Response{Messages: []bot.Message{d.msg}})
		assert.Contains(t, b, bot.BtnPaid)
		assert.Contains(t, b, bot.BtnLater)
		assert.Contains(t, b, bot.BtnOff)
	}
	assert.Contains(t, plain(t, got[2].msg.HTML), "Kỳ 01/2027–03/2027")
	assert.Contains(t, plain(t, got[2].msg.HTML), "thu nhập 2.200.000 đ (mức thấp nhất)", "the 2027 floor")
	assert.Contains(t, plain(t, got[2].msg.HTML), "mức dự kiến, chưa được xác nhận", "hedged: the 2027 floor is only planned")
	assert.NotContains(t, plain(t, got[0].msg.HTML), "dự kiến", "10–12/2026 paid on 24/12: neither planned nor changing")
}

func TestReminderFromACalculationKeepsItsIncomeAndGroup(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	w.send(t, cmd("tinh", ""))
	w.send(t, text("3 triệu"))
	r := w.send(t, text("cận nghèo"))
	r = w.pressLabel(t, r, bot.BtnRemindPay, 7)
	r = w.pressLabel(t, r, bot.BtnMonthly, 7)
	conf := plain(t, firstHTML(r))
	// 22 % × 3.000.000 − 40 % × 22 % × 1.500.000 = 660.000 − 132.000.
	assert.Contains(t, conf, "528.000 đ")
	assert.Contains(t, conf, "nhóm Hộ cận nghèo")
	assert.NotContains(t, conf, "mức thấp nhất, nhóm Đối tượng khác")
	assert.Contains(t, conf, "Mình lưu thu nhập và nhóm bạn chọn", "the group (poor, ethnic minority) is kept: said so")
	w.runUntil(t, vnTime(2027, 1, 25, 0, 0), time.Hour)
	got := sentTo(w.sent, 7)
	require.Len(t, got, 3) // 24/12, 29/12, 24/01
	// In 2027: 660.000 − 40 % × 22 % × 2.200.000 = 660.000 − 193.600.
	assert.Contains(t, plain(t, got[2].msg.HTML), "466.400 đ")
}

func TestReminderIncomeBelowTheNewFloorIsRaised(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	_, err := w.store.SetReminder(context.Background(), bot.Reminder{ChatID: 3, Kind: bot.RemindPay, Months: 1,
		Start: calc.Month{Year: 2027, Month: 1}, Income: decimal.NewFromInt(1_800_000), Group: calc.GroupOther,
		NextAt: vnTime(2027, 1, 24, 9, 0)}, nil, w.clock.Now())
	require.NoError(t, err)
	w.at(vnTime(2027, 1, 24, 9, 0))
	w.round(t)
	require.Len(t, w.sent, 1)
	p := plain(t, w.sent[0].msg.HTML)
	assert.Contains(t, p, "Thu nhập bạn chọn (1.800.000 đ) nay thấp hơn mức thấp nhất")
	assert.Contains(t, p, "387.200 đ")
}

func TestReminderSixMonthsWarnsOfTheFloorChange(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	_, err := w.store.SetReminder(context.Background(), bot.Reminder{ChatID: 3, Kind: bot.RemindPay, Months: 6,
		Start: calc.Month{Year: 2026, Month: 9}, NextAt: vnTime(2026, 12, 24, 9, 0)}, nil, w.clock.Now())
	require.NoError(t, err)
	w.at(vnTime(2026, 12, 24, 9, 0))
	w.round(t)
	require.Len(t, w.sent, 1)
	p := plain(t, w.sent[0].msg.HTML)
	assert.Contains(t, p, "1.584.000 đ", "6 × 264.000 at the payment day's rules")
	assert.Contains(t, p, "Từ 01/01/2027 mức thu nhập thấp nhất là 2.200.000 đ")
}

func TestReminderPaidAndSnooze(t *testing.T) {
	w := newRemindWorld(t, vnTime(2027, 1, 2, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	w.pressLabel(t, r, bot.BtnMonthly, 7)
	w.runUntil(t, vnTime(2027, 1, 24, 10, 0), time.Hour)
	require.Len(t, w.sent, 1)
	first := bot.Response{Messages: []bot.Message{w.sent[0].msg}}

	r = w.pressLabel(t, first, bot.BtnLater, 7)
	assert.Contains(t, plain(t, firstHTML(r)), "9:00 ngày 27/01/2027")
	r = w.pressLabel(t, first, bot.BtnLater, 7) // a second tap changes nothing
	assert.Contains(t, plain(t, firstHTML(r)), "27/01/2027")
	w.runUntil(t, vnTime(2027, 1, 27, 10, 0), time.Hour)
	require.Len(t, w.sent, 2)
	assert.True(t, vnTime(2027, 1, 27, 9, 0).Equal(w.sent[1].at))
	assert.Contains(t, plain(t, w.sent[1].msg.HTML), "còn 4 ngày")

	r = w.pressLabel(t, bot.Response{Messages: []bot.Message{w.sent[1].msg}}, bot.BtnPaid, 7)
	assert.Contains(t, plain(t, firstHTML(r)), "Kỳ tới 02/2027 hạn đóng 28/02/2027; mình nhắc lúc 9:00 ngày 21/02/2027")
	assert.Equal(t, "Cảm ơn bạn!", r.CallbackText)
	w.runUntil(t, vnTime(2027, 2, 22, 0, 0), time.Hour)
	require.Len(t, w.sent, 3, "no last call for January once paid; February's first")
	assert.True(t, vnTime(2027, 2, 21, 9, 0).Equal(w.sent[2].at))

	// Tắt nhắc from the message: nothing more.
	r = w.pressLabel(t, bot.Response{Messages: []bot.Message{w.sent[2].msg}}, bot.BtnOff, 7)
	assert.Contains(t, firstHTML(r), "Đã tắt")
	w.runUntil(t, vnTime(2027, 4, 1, 0, 0), time.Hour)
	assert.Len(t, w.sent, 3)
}

func TestReminderCard(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetCard, 7)
	assert.Contains(t, firstHTML(r), "hết hạn ngày nào")
	r = w.send(t, text("the het han 04/02/2027"))
	conf := plain(t, firstHTML(r))
	assert.Contains(t, conf, "05/01/2027 (30 ngày trước) và 28/01/2027 (7 ngày trước)")
	assert.Contains(t, conf, "90 ngày")

	w.runUntil(t, vnTime(2027, 2, 10, 0, 0), time.Hour)
	require.Len(t, w.sent, 2)
	assert.True(t, vnTime(2027, 1, 5, 9, 0).Equal(w.sent[0].at))
	assert.True(t, vnTime(2027, 1, 28, 9, 0).Equal(w.sent[1].at))
	p := plain(t, w.sent[0].msg.HTML)
	assert.Contains(t, p, "còn 30 ngày")
	assert.Contains(t, p, "90 ngày")
	assert.Contains(t, p, "30 ngày kể từ ngày đóng đủ tiền")

	r = w.pressLabel(t, bot.Response{Messages: []bot.Message{w.sent[1].msg}}, bot.BtnRenewed, 7)
	assert.Contains(t, firstHTML(r), "Thẻ mới")
	r = w.send(t, text("04/02/2028"))
	assert.Contains(t, plain(t, firstHTML(r)), "05/01/2028 (30 ngày trước)")
}

func TestReminderCardDatesRefused(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	for _, tt := range []struct{ typed, want string }{
		{"30/02/2027", "chưa đọc được"},
		{"01/12/2026", "trước ngày 01/03/2027"}, // lapsed 5 days: renew within 90
		{"01/06/2026", "30 ngày"},               // lapsed long ago: the wait
		{"01/06/2029", "xa quá"},
		{"10/12/2026", "gia hạn ngay"}, // too near for a reminder
	} {
		t.Run(tt.typed, func(t *testing.T) {
			w.send(t, cmd("nhacnho", ""))
			w.send(t, press(bot.RemindCb(bot.RemindSetCard, 0).EncodeOrEmpty()))
			r := w.send(t, text(tt.typed))
			assert.Contains(t, plain(t, firstHTML(r)), tt.want)
		})
	}
	rs, err := w.store.ChatReminders(context.Background(), 7)
	require.NoError(t, err)
	assert.Empty(t, rs, "no reminder stored for a date it cannot remind before")
}

func TestReminderWindow(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 10, 5, 0))
	ctx := context.Background()
	_, err := w.store.SetReminder(ctx, bot.Reminder{ChatID: 1, Kind: bot.RemindCard, Expiry: time.Date(2027, 1, 9, 0, 0, 0, 0, calc.Vietnam),
		NextAt: vnTime(2026, 12, 10, 6, 0)}, nil, w.clock.Now())
	require.NoError(t, err)
	_, err = w.store.SetReminder(ctx, bot.Reminder{ChatID: 2, Kind: bot.RemindCard, Expiry: time.Date(2027, 1, 9, 0, 0, 0, 0, calc.Vietnam),
		NextAt: vnTime(2026, 12, 10, 19, 59)}, nil, w.clock.Now())
	require.NoError(t, err)
	w.runUntil(t, vnTime(2026, 12, 11, 12, 0), time.Minute)
	require.Len(t, w.sent, 2)
	assert.True(t, vnTime(2026, 12, 10, 8, 0).Equal(w.sent[0].at), "06:00 waits for 08:00: %s", w.sent[0].at)
	assert.Equal(t, int64(1), w.sent[0].chat)
	assert.True(t, vnTime(2026, 12, 10, 19, 59).Equal(w.sent[1].at), "19:59 is inside the window")
	for _, d := range w.sent {
		assert.True(t, w.sched.InWindow(d.at))
	}
	// One due at 20:00 waits for the next morning.
	_, err = w.store.SetReminder(ctx, bot.Reminder{ChatID: 3, Kind: bot.RemindCard, Expiry: time.Date(2027, 1, 9, 0, 0, 0, 0, calc.Vietnam),
		NextAt: vnTime(2026, 12, 11, 20, 0)}, nil, w.clock.Now())
	require.NoError(t, err)
	w.runUntil(t, vnTime(2026, 12, 12, 12, 0), time.Minute)
	require.Len(t, w.sent, 3)
	assert.True(t, vnTime(2026, 12, 12, 8, 0).Equal(w.sent[2].at), "%s", w.sent[2].at)
}

// manyDue stores n payment reminders due at `at`, for chats 1..n.
func manyDue(t testing.TB, s *sqlite.Store, n int, at time.Time) {
	t.Helper()
	for i := 1; i <= n; i++ {
		_, err := s.SetReminder(context.Background(), bot.Reminder{ChatID: int64(i), Kind: bot.RemindPay, Months: 3,
			Start: calc.Month{Year: 2026, Month: 10}, NextAt: at}, nil, at.Add(-time.Hour))
		require.NoError(t, err)
	}
}

// exactlyOnce checks that chats 1..n got exactly one message each.
func exactlyOnce(t testing.TB, sent []delivered, n int) {
	t.Helper()
	count := map[int64]int{}
	for _, d := range sent {
		count[d.chat]++
	}
	for i := 1; i <= n; i++ {
		if count[int64(i)] != 1 {
			t.Errorf("chat %d got %d messages, want 1", i, count[int64(i)])
		}
	}
	assert.Len(t, count, n)
}

func TestReminderRestartInTheMiddleOfABatch(t *testing.T) {
	start := vnTime(2026, 12, 24, 9, 0)
	w := newRemindWorld(t, start)
	ctx := context.Background()
	manyDue(t, w.store, 60, start)

	// Process A claims 25 and is killed before its transaction: nothing
	// was queued, the 25 stay leased to A for 30 s.
	claimed, err := w.store.ClaimReminders(ctx, bot.ReminderClaim{Now: start, Owner: "A", Lease: 30 * time.Second, Limit: 25, Gap: time.Second})
	require.NoError(t, err)
	require.Len(t, claimed, 25)

	// Process B, started after the kill, sends the others at once and A's
	// after their lease.
	w.sched = w.newScheduler(t, "B")
	w.runUntil(t, start.Add(10*time.Second), 200*time.Millisecond)
	assert.Len(t, w.sent, 35)
	w.runUntil(t, start.Add(40*time.Second), 200*time.Millisecond)
	exactlyOnce(t, w.sent, 60)

	// A comes back from a pause and fires what it had claimed: its lease
	// was taken over, so nothing is applied.
	n, err := w.store.FireReminders(ctx, "A", []bot.ReminderFire{{Claimed: claimed[0], Next: claimed[0], Occurrence: "pay:2026-10#1",
		Message: &bot.Message{HTML: "late"}, Event: bot.EventSent, At: start.Add(41 * time.Second)}})
	require.NoError(t, err)
	assert.Zero(t, n)
	w.deliver(t)
	exactlyOnce(t, w.sent, 60)
}

func TestReminderCrashAfterQueueingSendsOnce(t *testing.T) {
	start := vnTime(2026, 12, 24, 9, 0)
	w := newRemindWorld(t, start)
	manyDue(t, w.store, 10, start)
	// Two rounds queue some; the process dies before the sender ran.
	n, err := w.sched.RunOnce(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the first round starts with one token")
	w.clock.Add(200 * time.Millisecond)
	n, err = w.sched.RunOnce(context.Background())
	require.NoError(t, err)
	require.Equal(t, 5, n, "25/s × 200 ms")
	// The next process's scheduler and sender.
	w.sched = w.newScheduler(t, "after-restart")
	w.deliver(t)
	w.runUntil(t, start.Add(5*time.Second), 200*time.Millisecond)
	exactlyOnce(t, w.sent, 10)
	// Until the last call on 29/12, nothing more.
	w.runUntil(t, vnTime(2026, 12, 29, 8, 0), time.Hour)
	exactlyOnce(t, w.sent, 10)
}

func TestReminderBlockedChatIsSkippedUntilItComesBack(t *testing.T) {
	start := vnTime(2026, 12, 24, 9, 0)
	w := newRemindWorld(t, start)
	manyDue(t, w.store, 3, start)
	w.forbid[2] = true
	w.runUntil(t, start.Add(2*time.Second), 200*time.Millisecond)
	assert.Len(t, w.sent, 2)
	rs, err := w.store.ChatReminders(context.Background(), 2)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.False(t, rs[0].BlockedAt.IsZero(), "marked")

	w.runUntil(t, vnTime(2026, 12, 29, 10, 0), time.Hour)
	assert.Len(t, sentTo(w.sent, 1), 2)
	assert.Empty(t, sentTo(w.sent, 2), "skipped while blocked")

	// The person unblocks the bot and presses Start: the last call, still
	// before the deadline, goes out.
	w.forbid[2] = false
	w.send(t, w.on(2, cmd("start", "")))
	w.runUntil(t, vnTime(2026, 12, 29, 11, 0), time.Minute)
	require.Len(t, sentTo(w.sent, 2), 1)
	assert.Contains(t, plain(t, sentTo(w.sent, 2)[0].msg.HTML), "còn 2 ngày")
}

func TestReminderNewsOncePerNotice(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	w.notices.set(bot.Notice{Key: "a", HTML: "Tin A"})
	r := w.send(t, cmd("tintuc", ""))
	r = w.pressLabel(t, r, bot.BtnRemindNews, 7)
	assert.Contains(t, firstHTML(r), "mỗi tin một lần")
	w.runUntil(t, vnTime(2026, 12, 6, 11, 0), time.Minute)
	assert.Empty(t, w.sent, "what /tintuc showed is not sent again")

	w.notices.set(bot.Notice{Key: "a", HTML: "Tin A"}, bot.Notice{Key: "b", HTML: "Tin B"}, bot.Notice{Key: "c", HTML: "Tin C"})
	w.runUntil(t, vnTime(2026, 12, 6, 12, 0), time.Second)
	require.Len(t, w.sent, 2)
	assert.Contains(t, w.sent[0].msg.HTML, "Tin B")
	assert.Contains(t, w.sent[1].msg.HTML, "Tin C")
	assert.GreaterOrEqual(t, w.sent[1].at.Sub(w.sent[0].at), time.Second, "one a second to a chat")

	// A restart forgets what the scheduler saw: nothing is sent twice.
	w.sched = w.newScheduler(t, "after-restart")
	w.runUntil(t, vnTime(2026, 12, 7, 12, 0), time.Minute)
	assert.Len(t, w.sent, 2)
	r = w.pressLabel(t, bot.Response{Messages: []bot.Message{w.sent[1].msg}}, bot.BtnOffNews, 7)
	assert.Contains(t, firstHTML(r), "Đã tắt")
	r = w.send(t, cmd("tintuc", ""))
	assert.Contains(t, buttons(r), bot.BtnRemindNews, "off: the button offers it again")
}

func TestReminderXoaRemovesThemAndBaomatSaysSo(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	w.pressLabel(t, r, bot.BtnMonthly, 7)
	w.send(t, cmd("tintuc", ""))
	w.send(t, press(bot.RemindCb(bot.RemindSetNews, 0).EncodeOrEmpty()))
	r = w.send(t, cmd("nhacnho", ""))
	assert.Contains(t, plain(t, firstHTML(r)), "Đóng BHXH tự nguyện hằng tháng, kỳ 12/2026")
	assert.Contains(t, plain(t, firstHTML(r)), "Tin mới khi có")

	assert.Contains(t, firstHTML(w.send(t, cmd("baomat", ""))), "lịch nhắc")
	r = w.send(t, cmd("xoa", ""))
	assert.Contains(t, firstHTML(r), "lịch nhắc")
	w.send(t, press(bot.NavCb(bot.NavDelete).EncodeOrEmpty()))
	rs, err := w.store.ChatReminders(context.Background(), 7)
	require.NoError(t, err)
	assert.Empty(t, rs)
	w.runUntil(t, vnTime(2027, 1, 1, 0, 0), time.Hour)
	assert.Empty(t, w.sent)
}

func TestReminderButtonsUnderResultsAndAnswers(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	w.send(t, cmd("tinh", ""))
	w.send(t, text("2 triệu"))
	r := w.send(t, text("khác"))
	assert.Contains(t, buttons(r), bot.BtnRemindPay)
	r = w.send(t, text("đăng ký bhxh tự nguyện ở đâu"))
	assert.Contains(t, buttons(r), bot.BtnRemindPay, plain(t, firstHTML(r)))
	// An engine without reminders shows none.
	f := newFixture(t, nil)
	f.send(t, cmd("tinh", ""))
	f.send(t, text("2 triệu"))
	assert.NotContains(t, buttons(f.send(t, text("khác"))), bot.BtnRemindPay)
	assert.Contains(t, firstHTML(f.send(t, cmd("nhacnho", ""))), "tạm nghỉ")
}

func TestReminderForgedButtons(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 6, 10, 0))
	for _, data := range []string{
		bot.RemindCb(bot.RemindMethod, 3).EncodeOrEmpty(),      // not in the flow
		bot.RemindCb(bot.RemindPeriod, 202610).EncodeOrEmpty(), // not in the flow
		"n:paid:999999",
	} {
		r := w.send(t, press(data))
		assert.NotEmpty(t, r.Messages, data)
	}
	r := w.send(t, press(bot.RemindCb(bot.RemindPaid, 202612).EncodeOrEmpty()))
	assert.Contains(t, firstHTML(r), "đã tắt", "no reminder: said calmly")
	// A period that does not contain this month is refused.
	w.send(t, press(bot.RemindCb(bot.RemindSetPay, 0).EncodeOrEmpty()))
	w.send(t, press(bot.RemindCb(bot.RemindMethod, 3).EncodeOrEmpty()))
	r = w.send(t, press(bot.RemindCb(bot.RemindPeriod, 202601).EncodeOrEmpty()))
	assert.Contains(t, firstHTML(r), "Kỳ đóng hiện tại")
	r = w.send(t, text("11/2026"))
	assert.Contains(t, plain(t, firstHTML(r)), "Kỳ 11/2026–01/2027: hạn đóng 31/01/2027")
}

func ExampleParseDay() {
	d, ok := bot.ParseDay("thẻ hết hạn 4/2/2027")
	fmt.Println(d.Format("02/01/2006"), ok)
	// Output: 04/02/2027 true
}

// TestReminderTenThousandDueAtOnce drains 10,000 payment reminders (and a
// card reminder for 500 of the chats) due at the same minute, on a fake
// clock stepped 200 ms at a time, and checks the limits:
// at most 25 messages in any second, at least a second between two
// messages to a chat, each occurrence once. It logs the simulated time to
// drain, the wall time and the memory (README: "Reminders").
func TestReminderTenThousandDueAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 reminders: not in -short")
	}
	chats, doubles := int64(10_000), int64(500)
	if raceOn {
		chats, doubles = 1_000, 50
	}
	start := vnTime(2026, 12, 24, 9, 0)
	w := newRemindWorld(t, start)
	ctx := context.Background()
	t0 := time.Now()
	for i := range chats {
		i++
		_, err := w.store.SetReminder(ctx, bot.Reminder{ChatID: i, Kind: bot.RemindPay, Months: 3,
			Start: calc.Month{Year: 2026, Month: 10}, NextAt: start}, nil, start.Add(-time.Hour))
		require.NoError(t, err)
		if i <= doubles { // right after: claimed next, but must wait a second
			_, err := w.store.SetReminder(ctx, bot.Reminder{ChatID: i, Kind: bot.RemindCard,
				Expiry: time.Date(2027, 1, 23, 0, 0, 0, 0, calc.Vietnam), NextAt: start}, nil, start.Add(-time.Hour))
			require.NoError(t, err)
		}
	}
	setup := time.Since(t0)

	var before, peak runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 = time.Now()
	rounds := 0
	for int64(len(w.sent)) < chats+doubles && rounds < 10_000 {
		w.clock.Add(200 * time.Millisecond)
		w.round(t)
		rounds++
		if rounds%250 == 0 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.HeapInuse {
				peak = m
			}
		}
	}
	wall := time.Since(t0)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	require.Len(t, w.sent, int(chats+doubles))
	drain := w.sent[len(w.sent)-1].at.Sub(start)
	// Limits: per second overall, per chat, once each.
	perSecond := map[int64]int{}
	last := map[int64]time.Time{}
	minGap := time.Hour
	perChat := map[int64]int{}
	for _, d := range w.sent {
		perSecond[d.at.Sub(start).Milliseconds()/1000]++
		if l, ok := last[d.chat]; ok {
			minGap = min(minGap, d.at.Sub(l))
		}
		last[d.chat] = d.at
		perChat[d.chat]++
	}
	maxPerSecond := 0
	for _, n := range perSecond {
		maxPerSecond = max(maxPerSecond, n)
	}
	// A sliding second: any 5 consecutive 200 ms steps.
	steps := map[int64]int{}
	for _, d := range w.sent {
		steps[d.at.Sub(start).Milliseconds()/200]++
	}
	maxSliding := 0
	for s := range steps {
		n := 0
		for i := s; i < s+5; i++ {
			n += steps[i]
		}
		maxSliding = max(maxSliding, n)
	}
	assert.LessOrEqual(t, maxSliding, bot.DefaultReminderRate)
	assert.GreaterOrEqual(t, minGap, time.Second)
	for i := int64(1); i <= chats; i++ {
		want := 1
		if i <= doubles {
			want = 2
		}
		assert.Equal(t, want, perChat[i], "chat %d", i)
	}
	want := time.Duration(float64(chats+doubles)/bot.DefaultReminderRate*float64(time.Second)) - time.Second
	assert.GreaterOrEqual(t, drain, want, "the rate limit holds")
	assert.Less(t, drain, want+30*time.Second, "and the queue drains close to it")
	var dbBytes int64
	require.NoError(t, w.store.DB().QueryRowContext(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&dbBytes))
	t.Logf("database %.1f MB after the drain (reminders, their occurrences and events; outbox empty)", float64(dbBytes)/1e6)
	t.Logf("%d messages (%d chats, %d with two): drained in %s of clock (%.1f msg/s), max %d in a second (sliding %d), min gap per chat %s; "+
		"%d rounds in %s wall (%.2f ms a round), setup %s; heap in use %.1f MB at peak (%.1f MB before), %.0f MB allocated in all",
		len(w.sent), chats, doubles, drain, float64(len(w.sent))/drain.Seconds(), maxPerSecond, maxSliding, minGap,
		rounds, wall.Round(time.Millisecond), float64(wall.Milliseconds())/float64(rounds), setup.Round(time.Millisecond),
		float64(peak.HeapInuse)/1e6, float64(before.HeapInuse)/1e6, float64(after.TotalAlloc-before.TotalAlloc)/1e6)
}
