package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

type faqIndex struct{ *faq.Index }

func (f faqIndex) Entry(id string) (*faq.Entry, bool) { return f.KB().Entry(id) }

// The real FAQ index and calculator are built once for all tests.
var (
	depsOnce sync.Once
	sharedIx *faq.Index
	sharedCa *calc.Calculator
	depsErr  error
)

func realDeps(t testing.TB) (*faq.Index, *calc.Calculator) {
	t.Helper()
	depsOnce.Do(func() {
		fsys := content.FS()
		sharedIx, depsErr = faq.Open(fsys)
		if depsErr != nil {
			return
		}
		var p *calc.Params
		p, depsErr = calc.LoadParams(fsys)
		if depsErr == nil {
			sharedCa = calc.New(p)
		}
	})
	require.NoError(t, depsErr)
	return sharedIx, sharedCa
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	e     *bot.Engine
	store *sqlite.Store
	clock *clock
	next  int64
}

func newFixture(t testing.TB, h bot.Handoff) *fixture {
	t.Helper()
	ix, _ := realDeps(t)
	return newFixtureWith(t, faqIndex{ix}, h)
}

// noneFAQ answers every question with "none" (the index under test is the
// real one elsewhere; here the point is what the engine stores).
type noneFAQ struct{}

func (noneFAQ) Search(_ context.Context, q string) (faq.Result, error) {
	return faq.Result{Query: q, Cleaned: q, Decision: faq.DecisionNone}, nil
}
func (noneFAQ) Entry(string) (*faq.Entry, bool)                  { return nil, false }
func (noneFAQ) AnswerHTML(*faq.Entry, time.Time) (string, error) { return "", nil }
func (noneFAQ) NoticesHTML(time.Time) []string                   { return nil }

func newFixtureWith(t testing.TB, fq bot.FAQ, h bot.Handoff) *fixture {
	t.Helper()
	_, ca := realDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
	e, err := bot.New(bot.Config{}, bot.Deps{FAQ: fq, Calc: ca, Store: st, Now: clk.Now, Handoff: h})
	require.NoError(t, err)
	return &fixture{e: e, store: st, clock: clk}
}

func (f *fixture) send(t testing.TB, ev bot.Event) bot.Response {
	t.Helper()
	f.next++
	if ev.UpdateID == 0 {
		ev.UpdateID = f.next
	}
	if ev.ChatID == 0 {
		ev.ChatID, ev.UserID = 7, 7
	}
	r, err := f.e.Handle(context.Background(), ev)
	require.NoError(t, err)
	checkResponse(t, r)
	return r
}

func text(s string) bot.Event     { return bot.Event{Kind: bot.KindText, Text: s} }
func cmd(c, arg string) bot.Event { return bot.Event{Kind: bot.KindCommand, Command: c, Text: arg} }
func press(data string) bot.Event {
	return bot.Event{Kind: bot.KindButton, Data: data, CallbackID: "cb"}
}
func firstHTML(r bot.Response) string { return r.Messages[0].HTML }

// checkResponse asserts what Telegram would refuse: bad HTML, long texts,
// callback data over 64 bytes or not decodable.
func checkResponse(t testing.TB, r bot.Response) {
	t.Helper()
	for _, m := range r.Messages {
		_, err := telegramtest.CheckHTML(m.HTML)
		assert.NoError(t, err, m.HTML)
		assert.LessOrEqual(t, len([]rune(m.HTML)), 4096)
		for _, row := range m.Buttons {
			for _, b := range row {
				assert.NotEmpty(t, b.Text)
				if b.URL == "" {
					assert.LessOrEqual(t, len(b.Data), bot.MaxCallbackLen)
					_, err := bot.DecodeCallback(b.Data)
					assert.NoError(t, err, b.Data)
				}
			}
		}
	}
}

func buttons(r bot.Response) map[string]string {
	out := map[string]string{}
	for _, m := range r.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				out[b.Text] = b.Data
			}
		}
	}
	return out
}

func TestStartGreetsAndKeepsAttribution(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, bot.Event{Kind: bot.KindCommand, Command: "start", Text: "agent_QN01", ChatID: 9, UserID: 9, FirstName: "Lan"})
	require.Len(t, r.Messages, 1)
	assert.Contains(t, firstHTML(r), "Chào Lan")
	assert.Contains(t, firstHTML(r), "không bao giờ")
	b := buttons(r)
	for _, label := range []string{bot.BtnFAQ, bot.BtnVSI, bot.BtnHI, bot.BtnPension, bot.BtnAgent} {
		assert.Contains(t, b, label)
	}
	p, err := f.store.Attribution(context.Background(), 9)
	require.NoError(t, err)
	assert.Equal(t, "agent_QN01", p)
}

func TestInjectionIsEscaped(t *testing.T) {
	f := newFixture(t, nil)
	evil := `<b>x</b> & a\b`
	r := f.send(t, bot.Event{Kind: bot.KindCommand, Command: "start", FirstName: evil})
	assert.Contains(t, firstHTML(r), "&lt;b&gt;x&lt;/b&gt; &amp; a\\b")
	plain, err := telegramtest.CheckHTML(firstHTML(r))
	require.NoError(t, err)
	assert.Contains(t, plain, evil)

	r = f.send(t, text(evil))
	assert.NotContains(t, firstHTML(r), "<b>x</b>")

	// Inside a flow, calc's error message quotes the typed text: still escaped.
	f.send(t, cmd("tinh", ""))
	r = f.send(t, text(evil))
	assert.NotContains(t, firstHTML(r), "<b>x</b>")
}

func TestQuestionAnswerRelatedFeedback(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu"))
	html := firstHTML(r)
	assert.Contains(t, html, "Nguồn:")
	assert.Contains(t, html, "Kiểm tra lần cuối")
	b := buttons(r)
	require.Contains(t, b, bot.BtnDown)
	require.Contains(t, b, bot.BtnAgentS)
	var related string
	for label, data := range b {
		if len(data) > 2 && data[:2] == "r:" {
			related = b[label]
			break
		}
	}
	require.NotEmpty(t, related, "answer has related buttons")
	r2 := f.send(t, press(related))
	assert.Contains(t, firstHTML(r2), "Nguồn:")
	r3 := f.send(t, press(buttons(r2)[bot.BtnDown]))
	assert.NotEmpty(t, r3.CallbackText)
	require.Len(t, r3.Messages, 1, "👎 offers a way on")
	assert.Contains(t, firstHTML(r3), "hỏi lại")
	assert.Contains(t, buttons(r3), bot.BtnAgentS)
	assert.Contains(t, buttons(r3), bot.BtnHotline)

	rows, err := f.store.Report(context.Background(), time.Time{}, 10)
	require.NoError(t, err)
	var down int
	for _, row := range rows {
		if row.Kind == "thumbs-down" {
			down += row.Count
		}
	}
	assert.Equal(t, 1, down)
}

func TestUnansweredIsStoredScrubbed(t *testing.T) {
	f := newFixtureWith(t, noneFAQ{}, nil)
	r := f.send(t, text("tên tôi là Trần Thị Mai sdt 0912345678 cho hỏi giá vé máy bay đi Đà Lạt"))
	assert.Contains(t, firstHTML(r), bot.Hotline)
	rows, err := f.store.Report(context.Background(), time.Time{}, 10)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for _, row := range rows {
		assert.NotContains(t, row.Text, "0912345678")
		assert.NotContains(t, row.Text, "Mai")
	}
}

func TestEmojiOnlyIsNotRecorded(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("👍👍 😀"))
	assert.Contains(t, firstHTML(r), "Bạn cứ gõ câu hỏi")
	var n int
	require.NoError(t, f.store.DB().QueryRowContext(context.Background(), "SELECT count(*) FROM questions").Scan(&n))
	assert.Zero(t, n, "emoji alone must not show up in faqctl report")
}

func TestRedeliveredUpdateAnsweredOnce(t *testing.T) {
	f := newFixture(t, nil)
	ev := text("Thu nhập thấp nhất để đóng BHXH tự nguyện là bao nhiêu?")
	ev.UpdateID, ev.ChatID, ev.UserID = 555, 3, 3
	r1, err := f.e.Handle(context.Background(), ev)
	require.NoError(t, err)
	require.NotEmpty(t, r1.Messages)
	r2, err := f.e.Handle(context.Background(), ev)
	require.NoError(t, err)
	assert.Empty(t, r2.Messages)
	assert.Empty(t, r2.CallbackText)
}

func TestForgedAndStaleButtons(t *testing.T) {
	f := newFixture(t, nil)
	for _, data := range []string{"zz", "c:vsi:inc:1500000", "a:no-such-entry", "f:+:no-such-entry", "c:vsi:grp:rich", "x:boom", "h:whatever", string(make([]byte, 200))} {
		r := f.send(t, press(data))
		require.NotEmpty(t, r.Messages, data)
		assert.Contains(t, firstHTML(r), "Nút này đã cũ hoặc không hợp lệ", data)
		assert.Contains(t, buttons(r), bot.BtnVSI, data)
	}
	// A forged value for the right step is refused too.
	f.send(t, cmd("tinh", ""))
	r := f.send(t, press("c:vsi:inc:12"))
	assert.Contains(t, firstHTML(r), "Thu nhập", "below-floor value from a forged button gets the calc message")
}

func TestVSIFlowPressedAndTyped(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, press("m:vsi"))
	r := f.send(t, text("3tr"))
	require.Contains(t, buttons(r), calc.GroupNearPoor.Label())
	r = f.send(t, press(buttons(r)[calc.GroupNearPoor.Label()]))
	html := firstHTML(r)
	// 22 % × 3.000.000 = 660.000; near-poor support 40 % × 330.000 = 132.000 → 528.000.
	assert.Contains(t, html, "528.000 đ")
	assert.Contains(t, html, "12 tháng: <b>6.336.000 đ</b>") // 12 × 528.000, no period step
	require.Contains(t, buttons(r), bot.BtnDetails)
	d := f.send(t, press(buttons(r)[bot.BtnDetails]))
	assert.Contains(t, firstHTML(d), "120 tháng", "the support cap is in the details")
	assert.Contains(t, firstHTML(d), "Nguồn:")
}

func TestRulesFollowTheDateInVietnam(t *testing.T) {
	f := newFixture(t, nil)
	// 31/12/2026 20:00 UTC is already 01/01/2027 03:00 in Vietnam: the planned
	// 2.200.000 đ poverty line applies, so the same income gets 2027 support.
	f.clock.mu.Lock()
	f.clock.t = time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	f.clock.mu.Unlock()
	r := f.send(t, text("thu nhap 3 trieu ho can ngheo dong bao nhieu"))
	// 40 % × 22 % × 2.200.000 = 193.600 (it was 132.000 with the 1.500.000 line).
	assert.Contains(t, firstHTML(r), "193.600 đ")
}

func TestBackAndCancel(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("luonghuu", ""))
	r := f.send(t, text("nữ"))
	assert.Contains(t, firstHTML(r), "sinh tháng nào")
	r = f.send(t, press("x:back"))
	assert.Contains(t, firstHTML(r), "nam hay nữ")
	r = f.send(t, press("x:cancel"))
	assert.Contains(t, firstHTML(r), "Đã hủy")
	// After cancel, an old step button is stale.
	r = f.send(t, press("c:pen:sex:male"))
	assert.Contains(t, firstHTML(r), "Nút này đã cũ")
}

func TestHalfFinishedFlowExpiresQuietly(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("bhyt", ""))
	f.clock.Add(31 * time.Minute)
	r := f.send(t, text("4 người"))
	assert.NotContains(t, firstHTML(r), "bao lâu", "the HI flow expired")
}

func TestDeleteRemovesEverything(t *testing.T) {
	h := &fakeHandoff{}
	f := newFixture(t, h)
	ctx := context.Background()
	f.send(t, cmd("start", "qr_code1"))
	f.send(t, text("cho hỏi giá vé máy bay"))
	r := f.send(t, text("thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu"))
	f.send(t, press(buttons(r)[bot.BtnUp]))
	r = f.send(t, cmd("xoa", ""))
	require.Contains(t, buttons(r), bot.BtnDelete)
	r = f.send(t, press(buttons(r)[bot.BtnDelete]))
	assert.Contains(t, firstHTML(r), "Đã xóa")
	assert.Equal(t, []int64{7}, h.deleted)

	db := f.store.DB()
	for _, table := range []string{"chat_state", "feedback", "questions", "attribution"} {
		var n int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		assert.Zero(t, n, table)
	}
}

func TestDeleteButtonWithoutConfirmationIsRefused(t *testing.T) {
	h := &fakeHandoff{}
	f := newFixture(t, h)
	f.send(t, cmd("start", "qr_code1"))
	r := f.send(t, press("x:"+bot.NavDelete))
	assert.Contains(t, firstHTML(r), "Nút này đã cũ hoặc không hợp lệ")
	assert.Empty(t, h.deleted, "a forged or stale delete button must not delete without /xoa's question")
	var n int
	require.NoError(t, f.store.DB().QueryRowContext(context.Background(), "SELECT count(*) FROM attribution").Scan(&n))
	assert.Equal(t, 1, n)

	// "Giữ lại" ends the pending question: the old delete button no longer acts.
	r = f.send(t, cmd("xoa", ""))
	f.send(t, press(buttons(r)[bot.BtnKeep]))
	r = f.send(t, press(buttons(r)[bot.BtnDelete]))
	assert.Contains(t, firstHTML(r), "Nút này đã cũ hoặc không hợp lệ")
	assert.Empty(t, h.deleted)
}

// fakeHandoff records what the engine asks of the hand-off hook.
type fakeHandoff struct {
	mu       sync.Mutex
	topics   []bot.Topic
	links    []string
	deleted  []int64
	consumed int
}

func (h *fakeHandoff) Handle(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	if ev.Kind == bot.KindLocation || (ev.Kind == bot.KindButton && len(ev.Data) > 2 && strings.ContainsRune("pvoktl", rune(ev.Data[0])) && ev.Data[1] == ':') || st.Flow == "handoff" {
		h.mu.Lock()
		h.consumed++
		h.mu.Unlock()
		st.Enter("handoff", "near")
		return bot.Response{Messages: []bot.Message{{HTML: "đại lý gần bạn"}}}, true, nil
	}
	return bot.Response{}, false, nil
}

func (h *fakeHandoff) Start(ctx context.Context, ev bot.Event, st *bot.ChatState, topic bot.Topic) (bot.Response, error) {
	h.mu.Lock()
	h.topics = append(h.topics, topic)
	h.mu.Unlock()
	st.Enter("handoff", "province")
	return bot.Response{Messages: []bot.Message{{HTML: "chọn tỉnh"}}}, nil
}

func (h *fakeHandoff) DeepLink(ctx context.Context, ev bot.Event, payload string) (string, error) {
	h.mu.Lock()
	h.links = append(h.links, payload)
	h.mu.Unlock()
	return "Bưu điện xã Mẫu", nil
}

func (h *fakeHandoff) DeleteUser(ctx context.Context, userID int64) error {
	h.mu.Lock()
	h.deleted = append(h.deleted, userID)
	h.mu.Unlock()
	return nil
}

func TestHandoffHook(t *testing.T) {
	h := &fakeHandoff{}
	f := newFixture(t, h)
	f.send(t, cmd("start", "BD-QN-001"))
	assert.Equal(t, []string{"BD-QN-001"}, h.links)

	r := f.send(t, text("thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu"))
	agent := buttons(r)[bot.BtnAgentS]
	r = f.send(t, press(agent))
	assert.Equal(t, "chọn tỉnh", firstHTML(r))
	r = f.send(t, text("Quảng Ngãi"))
	assert.Equal(t, "đại lý gần bạn", firstHTML(r), "text in the hand-off flow goes to the hook")
	f.send(t, cmd("huy", ""))
	f.send(t, cmd("daily", ""))
	f.send(t, bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 15.12, Lon: 108.8}})

	// From a calculation the topic is its summary.
	f.send(t, cmd("huy", ""))
	f.send(t, text("thu nhap 5 trieu dong bao nhieu"))
	f.send(t, press("g:"))
	require.Len(t, h.topics, 3)
	assert.NotEmpty(t, h.topics[0].FAQID)
	assert.NotEmpty(t, h.topics[0].Question, "the scrubbed question travels in the typed topic")
	assert.True(t, h.topics[1].IsZero())
	require.NotNil(t, h.topics[2].Calc)
	require.NotNil(t, h.topics[2].Calc.VSI)
	assert.Equal(t, "5000000", h.topics[2].Calc.VSI.Income.String())
	assert.Equal(t, calc.GroupOther, h.topics[2].Calc.VSI.Group)
}

func TestWithoutHandoffAgentButtonGivesHotline(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, press("m:agent"))
	assert.Contains(t, firstHTML(r), bot.Hotline)
	assert.Contains(t, firstHTML(r), "BHXH cơ sở")
	r = f.send(t, bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678"}})
	assert.NotEmpty(t, r.Messages)
}

func TestBurstFromManyChats(t *testing.T) {
	f := newFixture(t, nil)
	const chats = 60
	script := []bot.Event{cmd("start", ""), text("bhyt ho gia dinh 4 nguoi bao nhieu"), cmd("tinh", ""), text("3tr"), press("c:vsi:grp:other")}
	var wg sync.WaitGroup
	errs := make(chan error, chats)
	for c := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, ev := range script {
				ev.ChatID, ev.UserID, ev.UpdateID = int64(1000+c), int64(1000+c), int64(c*100+i+1)
				r, err := f.e.Handle(context.Background(), ev)
				if err != nil {
					errs <- err
					return
				}
				if len(r.Messages) == 0 || r.Messages[0].ChatID != ev.ChatID {
					errs <- fmt.Errorf("chat %d step %d: bad response %+v", ev.ChatID, i, r)
					return
				}
			}
			errs <- nil
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestCommandsDescribed(t *testing.T) {
	names := map[string]bool{}
	for _, c := range bot.Commands() {
		assert.NotEmpty(t, c.Description)
		names[c.Name] = true
	}
	for _, want := range []string{"start", "help", "tinh", "bhyt", "luonghuu", "daily", "hotline", "baomat", "huy", "xoa"} {
		assert.True(t, names[want], want)
	}
}

// BenchmarkHandleQuestion measures one question → answer through the real
// index, calculator and SQLite store, and reports the p99.
func BenchmarkHandleQuestion(b *testing.B) {
	f := newFixture(b, nil)
	qs := []string{"thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu", "bhyt ho gia dinh giam tru the nao", "rut bhxh 1 lan duoc khong", "luong huu tinh sao"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := text(qs[i%len(qs)])
		ev.UpdateID, ev.ChatID, ev.UserID = int64(i+1), int64(i%500+1), int64(i%500+1)
		t0 := time.Now()
		if _, err := f.e.Handle(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkDistinctChats sends each event from a new chat and prunes as the
// main loop does, to show that memory stays flat (state lives in SQLite and
// is pruned).
func BenchmarkDistinctChats(b *testing.B) {
	f := newFixture(b, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := cmd("tinh", "")
		ev.UpdateID, ev.ChatID, ev.UserID = int64(i+1), int64(i+1), int64(i+1)
		if _, err := f.e.Handle(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			f.clock.Add(time.Hour)
			if _, err := f.store.Prune(context.Background(), f.clock.Now(), bot.DefaultRetention()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
}

func TestPersonalDataNotLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	ev := bot.Event{UpdateID: 1, ChatID: 2, Kind: bot.KindContact, FirstName: "Mai", Text: "0912345678",
		Contact: &bot.Contact{Phone: "0912345678", FirstName: "Mai"}, Location: &bot.Location{Lat: 15.1, Lon: 108.8}}
	log.Info("x", slog.Any("event", ev), slog.Any("contact", *ev.Contact), slog.Any("loc", *ev.Location))
	assert.NotContains(t, buf.String(), "0912345678")
	assert.NotContains(t, buf.String(), "Mai")
	assert.NotContains(t, buf.String(), "108.8")
}

func TestNothingLostAcrossRestart(t *testing.T) {
	ix, ca := realDeps(t)
	path := filepath.Join(t.TempDir(), "bot.db")
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }
	start := func() (*bot.Engine, *sqlite.Store) {
		st, err := sqlite.Open(ctx, path)
		require.NoError(t, err)
		e, err := bot.New(bot.Config{}, bot.Deps{FAQ: faqIndex{ix}, Calc: ca, Store: st, Now: now})
		require.NoError(t, err)
		return e, st
	}
	ev := func(id int64, e bot.Event) bot.Event {
		e.UpdateID, e.ChatID, e.UserID = id, 77, 77
		return e
	}

	e1, st1 := start()
	_, err := e1.Handle(ctx, ev(1, cmd("tinh", "")))
	require.NoError(t, err)
	r, err := e1.Handle(ctx, ev(2, text("3 triệu")))
	require.NoError(t, err)
	require.Contains(t, firstHTML(r), "nhóm nào")
	require.NoError(t, st1.Close())

	e2, st2 := start()
	defer st2.Close()
	r, err = e2.Handle(ctx, ev(2, text("3 triệu")))
	require.NoError(t, err)
	assert.Empty(t, r.Messages, "update 2 was answered before the restart")
	r, err = e2.Handle(ctx, ev(3, press("c:vsi:grp:other")))
	require.NoError(t, err)
	assert.Contains(t, firstHTML(r), "Hằng tháng: <b>594.000 đ</b>", "the flow continues after the restart")
}

func TestQuestionTypedMidFlowIsAnswered(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("tinh", ""))
	r := f.send(t, text("Thu nhập thấp nhất để đóng BHXH tự nguyện là bao nhiêu?"))
	assert.Contains(t, firstHTML(r), "Nguồn:", "a real question gets its answer")
	require.Len(t, r.Messages, 2, "and the step is asked again")
	assert.Contains(t, r.Messages[1].HTML, "mức <b>thu nhập</b>")
	r = f.send(t, cmd("tinh", ""))
	r = f.send(t, text("abc"))
	assert.Contains(t, firstHTML(r), "⚠️", "a short unreadable answer gets a hint")
	assert.Contains(t, buttons(r), bot.BtnCancel)
}

func TestStepAttemptIsNotTakenForAQuestion(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("luonghuu", ""))
	f.send(t, press("c:pen:sex:female"))
	r := f.send(t, text("tôi sinh năm 1995"))
	assert.Contains(t, firstHTML(r), "đã đóng", "a year alone is a birth year: the next step is asked")
}

// Every FAQ entry renders to valid Telegram HTML, and every button under it
// (related questions, 👍/👎, Gặp đại lý) decodes and works.
func TestEveryAnswerAndItsButtons(t *testing.T) {
	f := newFixture(t, nil)
	ix, _ := realDeps(t)
	entries := ix.KB().Entries()
	require.NotEmpty(t, entries)
	for _, e := range entries {
		r := f.send(t, press(bot.AnswerCb(e.ID).EncodeOrEmpty()))
		require.NotEmpty(t, r.Messages, e.ID)
		assert.Contains(t, firstHTML(r), "Nguồn:", e.ID)
		for label, data := range buttons(r) {
			if data == "" || data[0] == 'g' || data[0] == 'm' {
				continue
			}
			rr := f.send(t, press(data))
			if len(rr.Messages) > 0 {
				assert.NotContains(t, firstHTML(rr), "Nút này đã cũ", "%s: button %q", e.ID, label)
			}
		}
	}
}

func TestQuestionWithNumbersGoesStraightToResult(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"thu nhap 3tr ho can ngheo dong 6 thang bao nhieu", "6 tháng: <b>3.168.000 đ</b> ✅"},
		{"thu nhập 5 triệu đóng bao nhiêu", "Hằng tháng: <b>1.034.000 đ</b> ✅"},
		{"thu nhap 2tr dong truoc 3 nam thi bao nhieu", "Đóng trước 3 năm"},
		{"dong bhxh 3tr 1 nam het bao nhieu", "12 tháng: <b>7.128.000 đ</b> ✅"},
		{"nha 4 nguoi mua bhyt 12 thang het bao nhieu", "12 tháng: <b>3.825.360 đ</b> ✅"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			f := newFixture(t, nil)
			got := firstHTML(f.send(t, text(tc.q)))
			assert.Contains(t, got, tc.want)
			if strings.Contains(tc.want, "trước 3 năm") {
				assert.Regexp(t, `trước 3 năm[^\n]*✅`, got)
			}
		})
	}
}

func TestResumeContinuesAHalfFinishedFlow(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("tinh", ""))
	f.send(t, text("3tr"))
	r := f.send(t, cmd(bot.CmdResume, ""))
	assert.Contains(t, firstHTML(r), "Bạn thuộc nhóm nào?", "the step in progress is asked again")
	r = f.send(t, text("ho ngheo"))
	assert.Contains(t, firstHTML(r), "Nhóm: Hộ nghèo")

	t.Run("without a flow it greets", func(t *testing.T) {
		f := newFixture(t, nil)
		r := f.send(t, cmd(bot.CmdResume, ""))
		assert.Contains(t, firstHTML(r), "Chào bạn")
	})
	t.Run("an expired flow is not resumed", func(t *testing.T) {
		f := newFixture(t, nil)
		f.send(t, cmd("tinh", ""))
		f.clock.Add(31 * time.Minute)
		r := f.send(t, cmd(bot.CmdResume, ""))
		assert.Contains(t, firstHTML(r), "Chào bạn")
	})
}

func TestPensionQuestionWithNumbersAsksOnlyWhatIsMissing(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("dong 20 nam luong 5tr thi luong huu bao nhieu"))
	assert.Contains(t, firstHTML(r), "20 năm")
	assert.Contains(t, firstHTML(r), "5.000.000 đ")
	assert.Contains(t, firstHTML(r), "Bạn là nam hay nữ?")
	f.send(t, text("nam"))
	r = f.send(t, text("05/1995"))
	got := firstHTML(r)
	assert.Contains(t, got, "Dừng ngay (20 năm): <b>2.250.000 đ</b>", "man, 20 years, 5 triệu: 45%")
	assert.Contains(t, got, "3.750.000 đ", "paying on until 62 reaches 75%")
	assert.Contains(t, got, "không rút một lần khi dừng đóng", "20 years: the withdrawal after stopping is closed (L41 Art. 102(1)(đ))")
	assert.NotContains(t, got, "192.080.000 đ")
}

func TestPensionYesNoQuestionStaysAnFAQ(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("dong 15 nam duoc luong huu khong"))
	assert.NotContains(t, firstHTML(r), "Bạn là nam hay nữ?")
}

func TestLetterAboutPayingAndPensionIsNotAnEstimate(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("Chào ad, em 25 tuổi, thu nhập khoảng 5-7 triệu một tháng. Nếu em đóng bhxh tự nguyện thì mỗi tháng phải đóng bao nhiêu, sau này có được lương hưu không ạ?"))
	assert.NotContains(t, firstHTML(r), "Bạn là nam hay nữ?")
}

// TestLatencyIsWallClock: the handler latency metric measures real time,
// not the injected clock (which tests and replays set to another day).
func TestLatencyIsWallClock(t *testing.T) {
	ix, ca := realDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	m, err := bot.NewMetrics(nil)
	require.NoError(t, err)
	then := func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }
	e, err := bot.New(bot.Config{}, bot.Deps{FAQ: faqIndex{ix}, Calc: ca, Store: st, Now: then, Metrics: m})
	require.NoError(t, err)
	_, err = e.Handle(context.Background(), bot.Event{Kind: bot.KindCommand, Command: "hotline", ChatID: 1, UserID: 1, UpdateID: 1})
	require.NoError(t, err)
	var pb dto.Metric
	require.NoError(t, m.Latency.Write(&pb))
	assert.Equal(t, uint64(1), pb.GetHistogram().GetSampleCount())
	assert.Less(t, pb.GetHistogram().GetSampleSum(), 60.0, "seconds observed for one /hotline")
}

// keyboardHandoff shows Telegram's share-contact keyboard when it starts,
// like the consent screen does.
type keyboardHandoff struct{ fakeHandoff }

func (h *keyboardHandoff) Start(ctx context.Context, ev bot.Event, st *bot.ChatState, topic bot.Topic) (bot.Response, error) {
	st.Enter("handoff", "consent")
	return bot.Response{Messages: []bot.Message{{HTML: "đồng ý?", Keyboard: [][]bot.KeyButton{{{Text: "Gửi số", RequestContact: true}}}}}}, nil
}

// Handle takes only text typed during its flow, like the real hook (whose
// buttons are its own callback kinds).
func (h *keyboardHandoff) Handle(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	if ev.Kind == bot.KindText && st.Flow == "handoff" {
		return bot.Response{Messages: []bot.Message{{HTML: "bấm nút bên dưới"}}}, true, nil
	}
	return bot.Response{}, false, nil
}

func removes(r bot.Response) bool {
	for _, m := range r.Messages {
		if m.RemoveKeyboard {
			return true
		}
	}
	return false
}

// TestLeavingAFlowRemovesItsKeyboard: a cancelled or abandoned step that
// showed a reply keyboard (share contact, share location) must not leave
// the button on screen, where a later tap would share the number for
// nothing. A flow that goes on keeps it, and a chat without one gets no
// removal.
func TestLeavingAFlowRemovesItsKeyboard(t *testing.T) {
	for _, leave := range []bot.Event{cmd("huy", ""), press("x:" + bot.NavCancel), cmd("start", ""), press("m:main"), cmd("tinh", "")} {
		f := newFixture(t, &keyboardHandoff{})
		r := f.send(t, cmd("daily", ""))
		require.NotEmpty(t, r.Messages[0].Keyboard)
		r = f.send(t, text("Quảng Ngãi"))
		assert.False(t, removes(r), "the flow goes on: keyboard kept")
		r = f.send(t, leave)
		assert.True(t, removes(r), "%+v leaves the keyboard on screen", leave)
		for _, m := range r.Messages {
			if m.RemoveKeyboard {
				assert.Empty(t, m.Buttons, "Telegram takes one reply_markup per message")
				assert.Zero(t, m.EditMessageID)
			}
		}
		r = f.send(t, leave)
		assert.False(t, removes(r), "%+v: nothing left to remove", leave)
	}
}
