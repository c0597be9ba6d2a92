package handoff_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// End-to-end: the real engine, the real Telegram adapter long-polling the
// fake Bot API, the real SQLite store in a temp dir, the hand-off flow and
// its outbox driven by RunOnce with an explicit clock (no sleeps).

const (
	user      = int64(501)
	agentChat = int64(-100)
	staffChat = int64(-900)
	wait      = 20 * time.Second
)

// t0 is Monday 23/11/2026 09:00 in Vietnam: offices are open.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// noFAQ answers every question with "none": these tests are about the hand-off.
type noFAQ struct{}

func (noFAQ) Search(_ context.Context, q string) (faq.Result, error) {
	return faq.Result{Query: q, Decision: faq.DecisionNone}, nil
}
func (noFAQ) Entry(string) (*faq.Entry, bool)                  { return nil, false }
func (noFAQ) AnswerHTML(*faq.Entry, time.Time) (string, error) { return "", nil }
func (noFAQ) NoticesHTML(time.Time) []string                   { return nil }

// contentWithAgentChat is the shipped content, with the Thái Thụy sample
// post office given its own Telegram group (agentChat).
func contentWithAgentChat(t *testing.T) fs.FS {
	t.Helper()
	places, err := fs.ReadFile(content.FS(), agents.PlacesFile)
	require.NoError(t, err)
	rows, err := fs.ReadFile(content.FS(), agents.AgentsFile)
	require.NoError(t, err)
	csv := strings.Replace(string(rows), "20.5600,106.5600,,true,true", fmt.Sprintf("20.5600,106.5600,%d,true,true", agentChat), 1)
	require.NotEqual(t, string(rows), csv)
	rates, err := fs.ReadFile(content.FS(), "rates.yaml")
	require.NoError(t, err)
	return fstest.MapFS{
		agents.PlacesFile: {Data: places},
		agents.AgentsFile: {Data: []byte(csv)},
		"rates.yaml":      {Data: rates},
	}
}

type world struct {
	t      *testing.T
	fake   *telegramtest.Server
	clock  *clock
	dbPath string
	store  *sqlite.Store
	dir    *agents.Directory
	tg     *telegram.Adapter
	stop   func()
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, fake: telegramtest.New(t), clock: &clock{t: t0}, dbPath: filepath.Join(t.TempDir(), "bot.db")}
	w.fake.PollWait = 50 * time.Millisecond
	fsys := contentWithAgentChat(t)
	var err error
	w.dir, err = agents.LoadDirectory(fsys)
	require.NoError(t, err)
	w.start()
	return w
}

// start opens the store and runs engine + adapter, as the program does.
func (w *world) start() {
	t := w.t
	ctx, cancel := context.WithCancel(context.Background())
	var err error
	w.store, err = sqlite.Open(ctx, w.dbPath)
	require.NoError(t, err)
	params, err := calc.LoadParams(content.FS())
	require.NoError(t, err)
	svc := handoff.NewService(w.dir, w.store, handoff.Config{StaffChatID: staffChat})
	engine, err := bot.New(bot.Config{QueueReplies: true}, bot.Deps{FAQ: noFAQ{}, Calc: calc.New(params), Store: w.store,
		Handoff: handoff.NewFlow(svc, w.clock.Now, nil), Now: w.clock.Now})
	require.NoError(t, err)
	w.tg, err = telegram.New(telegram.Config{Token: w.fake.Token, APIURL: w.fake.URL, Outbox: w.store}, engine)
	require.NoError(t, err)
	done := make(chan struct{})
	go func() { defer close(done); _ = w.tg.Run(ctx) }()
	w.stop = func() {
		cancel()
		<-done
		require.NoError(t, w.store.Close())
	}
	t.Cleanup(func() {
		if w.stop != nil {
			w.stop()
		}
	})
}

// restart stops everything ("the process was killed") and starts again on
// the same database file.
func (w *world) restart() {
	w.stop()
	w.stop = nil
	w.start()
}

func (w *world) outbox() *handoff.Outbox {
	return handoff.NewOutbox(w.store, w.tg, w.dir, handoff.OutboxConfig{StaffChatID: staffChat}, nil, w.clock.Now)
}

// say pushes text and waits for n more messages in the user's chat.
func (w *world) say(text string, n int) []string {
	before := len(w.fake.Sent(user))
	w.fake.PushMessage(user, text)
	return w.waitMore(user, before, n)
}

func (w *world) waitMore(chat int64, before, n int) []string {
	sent, err := w.fake.WaitSent(chat, before+n, wait)
	require.NoError(w.t, err)
	return sent[before:]
}

// press finds the newest bot message in chat with a button whose data has
// prefix, presses it and waits for the callback to be answered.
func (w *world) press(chat int64, dataPrefix string) {
	msgs := w.fake.Messages(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].ReplyMarkup == nil {
			continue
		}
		for _, row := range msgs[i].ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.HasPrefix(b.CallbackData, dataPrefix) {
					answered := len(w.fake.Calls("answerCallbackQuery"))
					w.fake.PushCallback(chat, b.CallbackData, msgs[i].MessageID)
					_, err := w.fake.WaitForCalls("answerCallbackQuery", answered+1, wait)
					require.NoError(w.t, err)
					return
				}
			}
		}
	}
	w.t.Fatalf("no button %q in chat %d", dataPrefix, chat)
}

func (w *world) pressAndWait(chat int64, dataPrefix string, n int) []string {
	before := len(w.fake.Sent(chat))
	w.press(chat, dataPrefix)
	if n == 0 {
		return nil
	}
	return w.waitMore(chat, before, n)
}

func (w *world) rejected() []telegramtest.Call {
	var bad []telegramtest.Call
	for _, c := range append(w.fake.Calls("sendMessage"), w.fake.Calls("editMessageText")...) {
		if !c.OK() && c.Error != "" && !strings.Contains(c.Error, "blocked") {
			bad = append(bad, c)
		}
	}
	return bad
}

func (w *world) count(q string, args ...any) int {
	var n int
	require.NoError(w.t, w.store.DB().QueryRow(q, args...).Scan(&n))
	return n
}

// requestCallback goes from /daily to the stored lead for the Thái Thụy agent.
func (w *world) requestCallback(startMessages int) {
	w.say("/daily", startMessages)
	w.say("thai thuy", 1)
	w.pressAndWait(user, "k:hyn-bd-thaithuy", 1)
	consent := w.pressAndWait(user, "t:any", 1)
	require.Contains(w.t, consent[0], "[MẪU] Bưu điện xã Thái Thụy")
	require.Zero(w.t, w.count(`SELECT count(*) FROM leads`), "nothing stored before the tap")
	before := len(w.fake.Sent(user))
	w.fake.PushContact(user, "+84912345678", user)
	confirm := w.waitMore(user, before, 1)
	require.Contains(w.t, confirm[0], "Đã gửi yêu cầu gọi lại")
}

func TestE2E_locationToAgents(t *testing.T) {
	w := newWorld(t)
	w.say("/daily", 2)
	got := w.fake.Calls("sendMessage")
	markup, err := got[len(got)-2].Markup()
	require.NoError(t, err)
	require.NotNil(t, markup)
	require.True(t, markup.Keyboard[0][0].RequestLocation, "private chat: a share-location button")

	before := len(w.fake.Sent(user))
	w.fake.PushLocation(user, 20.5655, 106.5611) // Diêm Điền, former huyện Thái Thụy
	sent := w.waitMore(user, before, 2)
	assert.Contains(t, sent[1], "[MẪU] Bưu điện xã Thái Thụy")
	assert.Contains(t, sent[1], "cách khoảng")
	assert.Contains(t, sent[1], "1900 9068")
	assert.Contains(t, sent[1], "google.com/maps?q=")
	assert.Empty(t, w.rejected())
	assert.Zero(t, w.count(`SELECT count(*) FROM chat_state WHERE vals LIKE '%20.56%' OR vals LIKE '%106.56%'`), "location not stored")
}

func TestE2E_unaccentedOldCommuneName(t *testing.T) {
	w := newWorld(t)
	w.say("/daily", 2)
	sent := w.say("thai thuy", 1)
	assert.Contains(t, sent[0], "xã Thái Thụy")
	assert.Contains(t, sent[0], "Hưng Yên")
	assert.Contains(t, sent[0], "[MẪU] Bưu điện xã Thái Thụy")
	assert.Contains(t, sent[0], "Bảo hiểm xã hội tỉnh Hưng Yên")
	sent = w.say("rach gia", 1)
	assert.Contains(t, sent[0], "phường Rạch Giá", "former Kiên Giang city, found across provinces")
	assert.Empty(t, w.rejected())
}

func TestE2E_consentContactLeadCard(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)
	require.Equal(t, 1, w.count(`SELECT count(*) FROM leads WHERE user_id = ? AND phone = '0912345678' AND consent_version = ?`, user, handoff.ConsentVersion))

	n, err := w.outbox().RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	cards := w.fake.Sent(agentChat)
	require.Len(t, cards, 1)
	assert.Contains(t, cards[0], "0912 345 678")
	assert.Contains(t, cards[0], "xã Thái Thụy")

	// The agent presses "Nhận" in its group: the card is edited in place.
	w.press(agentChat, "l:1:claim")
	assert.Equal(t, 1, w.count(`SELECT count(*) FROM leads WHERE id = 1 AND status = 'claimed'`))
	edits, err := w.fake.WaitForCalls("editMessageText", 1, wait)
	require.NoError(t, err)
	assert.Contains(t, edits[len(edits)-1].Text(), "Đã có người nhận")
	// The same button pressed from another chat changes nothing.
	w.fake.PushCallback(user, "h:lead:1:enrolled", 1) // a card button sent before the typed codec
	_, err = w.fake.WaitForCalls("answerCallbackQuery", len(w.fake.Calls("answerCallbackQuery"))+1, wait)
	require.NoError(t, err)
	assert.Equal(t, 1, w.count(`SELECT count(*) FROM leads WHERE id = 1 AND status = 'claimed'`))
	assert.Empty(t, w.rejected())
}

func TestE2E_telegramDownThenRestartDeliversExactlyOnce(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)

	w.fake.SetDown(telegramtest.CloseConn)
	n, err := w.outbox().RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, n)
	w.fake.SetDown(telegramtest.Up)
	require.Empty(t, w.fake.Sent(agentChat))

	w.restart() // killed and started again: a new Outbox on the same database file
	w.clock.Add(time.Minute)
	ob := w.outbox()
	for range 3 {
		_, err := ob.RunOnce(context.Background(), w.clock.Now())
		require.NoError(t, err)
		w.clock.Add(time.Minute)
	}
	assert.Len(t, w.fake.Sent(agentChat), 1, "delivered exactly once")
	assert.Equal(t, 1, w.count(`SELECT count(*) FROM lead_outbox WHERE state = 'sent'`))
}

func TestE2E_unclaimedLeadEscalated(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)
	ob := w.outbox()
	_, err := ob.RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	require.Len(t, w.fake.Sent(agentChat), 1)

	n, err := ob.RunOnce(context.Background(), t0.Add(3*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "less than four working hours")
	n, err = ob.RunOnce(context.Background(), t0.Add(24*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	esc := w.fake.Sent(staffChat)
	require.Len(t, esc, 1)
	assert.Contains(t, esc[0], "Chưa có ai nhận")
	assert.Contains(t, esc[0], "0912 345 678", "the consent named the provincial office as fallback")
}

func TestE2E_xoaLeavesNoTrace(t *testing.T) {
	w := newWorld(t)
	w.fake.PushMessage(user, "/start hyn-bd-thaithuy")
	w.waitMore(user, 0, 1)
	w.requestCallback(1) // the agent of the QR code, in one message with "Tìm nơi khác"
	require.Equal(t, 1, w.count(`SELECT count(*) FROM leads WHERE attribution = 'hyn-bd-thaithuy'`))
	_, err := w.outbox().RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	w.say("/xoa", 1)
	w.pressAndWait(user, "x:delete", 1)
	// The reply to /xoa leaves the outbox once delivered: a stop waits for
	// the sends in flight to be settled.
	w.restart()

	rows, err := w.store.DB().Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, rows.Close())
	assert.Contains(t, tables, "leads")
	for _, table := range tables {
		assertNoTrace(t, w.store.DB(), table)
	}
	// Not in the file's free pages or the WAL either.
	for _, p := range []string{w.dbPath, w.dbPath + "-wal"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		assert.NotContains(t, string(data), "0912345678", p)
		assert.NotContains(t, string(data), "Nguyen", p)
	}
}

// assertNoTrace checks that no cell of table holds the user's id, phone or name.
func assertNoTrace(t *testing.T, db *sql.DB, table string) {
	rows, err := db.Query(`SELECT * FROM ` + table)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for i, v := range vals {
			assert.NotEqual(t, fmt.Sprint(user), v.String, "%s.%s", table, cols[i])
			assert.NotContains(t, v.String, "912345678", "%s.%s", table, cols[i])
			assert.NotContains(t, v.String, "Nguyen", "%s.%s", table, cols[i])
		}
	}
}

func TestE2E_blockedAgentChatGoesToFallback(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)
	w.fake.BlockChat(agentChat)
	ob := w.outbox()
	n, err := ob.RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, n, "refused by the agent chat, delivered to the fallback in the same round")
	n, err = ob.RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, n)
	got := w.fake.Sent(staffChat)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "0912 345 678", "the consent named the office as fallback")
	assert.Empty(t, w.fake.Sent(agentChat))
}

func TestE2E_rateLimitedCardWaitsRetryAfter(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)
	w.fake.RateLimit("sendMessage", 1, 60) // longer than the outbox waits for one card
	ob := w.outbox()
	n, err := ob.RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, n)
	n, err = ob.RunOnce(context.Background(), w.clock.Now().Add(59*time.Second))
	require.NoError(t, err)
	assert.Zero(t, n, "retry_after honoured")
	n, err = ob.RunOnce(context.Background(), w.clock.Now().Add(60*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, w.fake.Sent(agentChat), 1)
}

// /xoa also takes the name and phone out of the cards already delivered:
// each is edited into a short notice (no personal data, no buttons).
func TestE2E_xoaRedactsDeliveredCards(t *testing.T) {
	w := newWorld(t)
	w.requestCallback(2)
	ob := w.outbox()
	_, err := ob.RunOnce(context.Background(), w.clock.Now())
	require.NoError(t, err)
	_, err = ob.RunOnce(context.Background(), t0.Add(24*time.Hour)) // escalated to the staff chat too
	require.NoError(t, err)
	require.Len(t, w.fake.Messages(agentChat), 1)
	require.Len(t, w.fake.Messages(staffChat), 1)

	w.say("/xoa", 1)
	w.pressAndWait(user, "x:delete", 1)
	_, err = ob.RunOnce(context.Background(), t0.Add(24*time.Hour+time.Minute))
	require.NoError(t, err)
	for _, chat := range []int64{agentChat, staffChat} {
		msgs := w.fake.Messages(chat)
		require.Len(t, msgs, 1, "edited in place, not a new message")
		assert.NotContains(t, msgs[0].Text, "912", "chat %d", chat)
		assert.NotContains(t, msgs[0].Text, "Nguyen", "chat %d", chat)
		assert.Contains(t, msgs[0].Text, "đã xoá", "chat %d", chat)
		assert.Nil(t, msgs[0].ReplyMarkup, "no buttons left")
	}
	assert.Zero(t, w.count(`SELECT count(*) FROM card_redactions`), "nothing left to do")
	_, err = ob.RunOnce(context.Background(), t0.Add(25*time.Hour))
	require.NoError(t, err)
	assert.Empty(t, w.rejected())
}
