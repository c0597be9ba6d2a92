package handoff

import (
	"bytes"
	"context"
	"errors"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// fakeSender records what it sent; fail decides an error per chat.
type fakeSender struct {
	mu   sync.Mutex
	sent []bot.Message
	fail func(chatID int64) error
}

func (s *fakeSender) Send(_ context.Context, m bot.Message) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(m.ChatID); err != nil {
			return 0, err
		}
	}
	s.sent = append(s.sent, m)
	return 1000 + len(s.sent), nil
}

func (s *fakeSender) to(chat int64) []bot.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Message
	for _, m := range s.sent {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

const (
	agentChat    = int64(-100)
	provinceChat = int64(-500)
	staffChat    = int64(-900)
	userID       = int64(42)
)

// fixture: agent a1 with its own chat in Hưng Yên (province group -500),
// agent a2 without a chat.
func fixture(t *testing.T) (*Service, *memStore, *fakeSender, *Outbox) {
	t.Helper()
	rows := `a1,Bưu điện Thái Thụy,buu-dien,hung-yen,xã Thái Thụy|huyện Thái Thụy,Số 1,0227 000 0401,"T2-T6 07:30-11:30,13:30-17:00",20.56,106.56,-100,true,false
a2,Hội Nông dân Đông Thụy Anh,hoi-doan-the,hung-yen,xã Đông Thụy Anh,Số 2,0227 000 0402,T2-T6 07:30-11:00,20.60,106.58,,true,false
a3,Bưu điện Rạch Giá,buu-dien,an-giang,phường Rạch Giá,Số 3,0297 000 0503,T2-T6 07:30-11:00,10.01,105.08,,true,false
`
	d, err := agents.LoadDirectory(testFS(rows))
	require.NoError(t, err)
	st := newMemStore()
	svc := NewService(d, st, Config{StaffChatID: staffChat})
	snd := &fakeSender{}
	ob := NewOutbox(st, snd, d, OutboxConfig{StaffChatID: staffChat}, nil, nil)
	return svc, st, snd, ob
}

func request(agent string) Request {
	return Request{UserID: userID, ChatID: userID, AgentID: agent, Commune: "xã Thái Thụy", Name: "Nguyễn Văn <A>",
		Phone: "+84912345678", Context: "Đóng BHXH tự nguyện 1,5 triệu mỗi tháng", ConsentVersion: ConsentVersion,
		ConsentAt: ict(23, 9, 0)}
}

// requestFrom is request for another person.
func requestFrom(user int64, agent string) Request {
	r := request(agent)
	r.UserID, r.ChatID = user, user
	return r
}

func TestRoute(t *testing.T) {
	svc, _, _, _ := fixture(t)
	a1, _ := svc.Dir.Agent("a1")
	a2, _ := svc.Dir.Agent("a2")
	a3, _ := svc.Dir.Agent("a3")
	r, ok := svc.RouteFor(a1)
	require.True(t, ok)
	assert.Equal(t, Recipient{ChatID: agentChat, Name: "Bưu điện Thái Thụy", FallbackChat: provinceChat, FallbackName: "Bảo hiểm xã hội tỉnh Hưng Yên"}, r)
	r, _ = svc.RouteFor(a2)
	assert.Equal(t, Recipient{ChatID: provinceChat, Name: "Bảo hiểm xã hội tỉnh Hưng Yên", FallbackChat: staffChat, FallbackName: "Bảo hiểm xã hội tỉnh Hưng Yên"}, r)
	r, _ = svc.RouteFor(a3)
	assert.Equal(t, Recipient{ChatID: staffChat, Name: "Bảo hiểm xã hội tỉnh An Giang"}, r, "no chat of its own: the staff chat, named as the office")
	_, ok = Route(a3, nil, 0)
	assert.False(t, ok)
}

func TestOutbox_deliversOnceWithPhone(t *testing.T) {
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	l, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	assert.Equal(t, StatusNew, l.Status)
	assert.True(t, ict(23, 15, 0).Equal(l.EscalateAt), "4 working hours across lunch: %v", l.EscalateAt)

	n, err := ob.RunOnce(context.Background(), now)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	cards := snd.to(agentChat)
	require.Len(t, cards, 1)
	assert.Contains(t, cards[0].HTML, "0912 345 678")
	assert.Contains(t, cards[0].HTML, "Nguyễn Văn &lt;A&gt;")
	assert.Contains(t, cards[0].HTML, "xã Thái Thụy, Hưng Yên")
	assert.Contains(t, cards[0].HTML, "1,5 triệu")
	assert.Equal(t, "l:1:claim", cards[0].Buttons[0][0].Data)

	n, err = ob.RunOnce(context.Background(), now.Add(time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "nothing sent twice")
	assert.Len(t, snd.sent, 1)
	it := st.items[2]
	assert.Equal(t, StateSent, it.State)
	assert.Equal(t, 1001, it.MessageID)
}

func TestOutbox_retriesWithBackoff(t *testing.T) {
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	down := true
	snd.fail = func(int64) error {
		if down {
			return errors.New("connection refused")
		}
		return nil
	}
	for i, wait := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute} {
		n, err := ob.RunOnce(context.Background(), now)
		require.NoError(t, err)
		assert.Zero(t, n)
		it := st.items[2]
		assert.Equal(t, StatePending, it.State)
		assert.True(t, now.Add(wait).Equal(it.NextAttempt), "attempt %d: next %v", i+1, it.NextAttempt)
		n, _ = ob.RunOnce(context.Background(), now.Add(wait-time.Second))
		assert.Zero(t, n, "not before the backoff")
		now = now.Add(wait)
	}
	down = false
	n, err := ob.RunOnce(context.Background(), now)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, snd.to(agentChat), 1)
}

func TestOutbox_retryAfter(t *testing.T) {
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	snd.fail = func(int64) error { return &bot.RetryAfterError{After: 17 * time.Second} }
	_, err = ob.RunOnce(context.Background(), now)
	require.NoError(t, err)
	assert.True(t, now.Add(17*time.Second).Equal(st.items[2].NextAttempt))
}

func TestOutbox_forbiddenGoesToProvinceThenStaff(t *testing.T) {
	svc, st, snd, _ := fixture(t)
	var outcomes []string
	ob := NewOutbox(st, snd, svc.Dir, OutboxConfig{StaffChatID: staffChat, Observe: func(o string) { outcomes = append(outcomes, o) }}, nil, nil)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	blocked := map[int64]bool{agentChat: true, provinceChat: true}
	snd.fail = func(c int64) error {
		if blocked[c] {
			return bot.ErrForbidden
		}
		return nil
	}
	// Agent chat refused → province group refused → staff chat, in one round.
	n, _ := ob.RunOnce(context.Background(), now)
	assert.Equal(t, 1, n)
	assert.Equal(t, staffChat, st.items[2].ChatID)
	assert.False(t, st.items[2].WithPhone, "the staff chat was not named in the consent")
	n, _ = ob.RunOnce(context.Background(), now)
	assert.Zero(t, n)
	cards := snd.to(staffChat)
	require.Len(t, cards, 1)
	assert.NotContains(t, cards[0].HTML, "0912", "the staff chat was not named in the consent")
	assert.Contains(t, cards[0].HTML, "chỉ gửi cho Bưu điện Thái Thụy")

	blocked[staffChat] = true
	_, err = svc.CreateLead(context.Background(), requestFrom(userID+1, "a1"), now)
	require.NoError(t, err)
	for range 3 {
		_, _ = ob.RunOnce(context.Background(), now)
	}
	assert.Equal(t, StateDead, st.items[4].State)
	assert.Equal(t, []string{"rerouted", "rerouted", "sent", "rerouted", "rerouted", "dead"}, outcomes)
}

func TestOutbox_tooManyFailuresReroutes(t *testing.T) {
	svc, st, snd, _ := fixture(t)
	ob := NewOutbox(st, snd, svc.Dir, OutboxConfig{StaffChatID: staffChat, MaxAttempts: 2}, nil, nil)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	snd.fail = func(c int64) error {
		if c == agentChat {
			return errors.New("timeout")
		}
		return nil
	}
	_, _ = ob.RunOnce(context.Background(), now)
	assert.Empty(t, snd.sent)
	n, _ := ob.RunOnce(context.Background(), now.Add(time.Hour))
	assert.Equal(t, 1, n, "second failure: rerouted and sent in the same round")
	assert.Equal(t, provinceChat, st.items[2].ChatID)
	assert.True(t, st.items[2].WithPhone, "the consent named the province office as fallback")
	assert.Len(t, snd.to(provinceChat), 1)
}

func TestOutbox_crashAfterClaimResendsAfterLease(t *testing.T) {
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(context.Background(), request("a1"), now)
	require.NoError(t, err)
	// A worker claimed the item and died before sending.
	items, err := st.ClaimDue(context.Background(), now, 2*time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, items, 1)
	n, _ := ob.RunOnce(context.Background(), now.Add(time.Minute))
	assert.Zero(t, n, "still leased: no second worker takes it")
	n, _ = ob.RunOnce(context.Background(), now.Add(3*time.Minute))
	assert.Equal(t, 1, n)
	assert.Len(t, snd.sent, 1)
}

func TestOutbox_escalation(t *testing.T) {
	ctx := context.Background()
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	l, err := svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)
	_, _ = ob.RunOnce(ctx, now)
	n, _ := ob.RunOnce(ctx, ict(23, 14, 59))
	assert.Zero(t, n, "not yet four working hours")
	n, _ = ob.RunOnce(ctx, ict(23, 15, 0))
	assert.Equal(t, 1, n)
	cards := snd.to(provinceChat)
	require.Len(t, cards, 1)
	assert.Contains(t, cards[0].HTML, "Chưa có ai nhận")
	assert.Contains(t, cards[0].HTML, "0912 345 678")
	n, _ = ob.RunOnce(ctx, ict(24, 15, 0))
	assert.Zero(t, n, "escalated once")

	// A claimed lead is not escalated.
	l2, err := svc.CreateLead(ctx, requestFrom(userID+1, "a1"), now)
	require.NoError(t, err)
	_, _ = ob.RunOnce(ctx, now)
	toast, edit, err := svc.PressCard(ctx, l2.ID, bot.LeadClaim, agentChat, 7, 55, now)
	require.NoError(t, err)
	assert.Equal(t, "Đã ghi: Đã có người nhận", toast)
	require.NotNil(t, edit)
	assert.Equal(t, 55, edit.EditMessageID)
	n, _ = ob.RunOnce(ctx, ict(25, 9, 0))
	assert.Zero(t, n)
	assert.Equal(t, StatusClaimed, st.leads[l2.ID].Status)
	_ = l
}

func TestPressCard(t *testing.T) {
	ctx := context.Background()
	svc, st, _, ob := fixture(t)
	now := ict(23, 9, 0)
	l, err := svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)

	toast, edit, err := svc.PressCard(ctx, l.ID, bot.LeadContacted, agentChat, 7, 5, now)
	require.NoError(t, err)
	assert.Equal(t, "Phiếu này không gửi cho nhóm này", toast, "not delivered yet")
	assert.Nil(t, edit)

	_, _ = ob.RunOnce(ctx, now)
	toast, _, err = svc.PressCard(ctx, l.ID, bot.LeadContacted, -12345, 7, 5, now)
	require.NoError(t, err)
	assert.Equal(t, "Phiếu này không gửi cho nhóm này", toast, "another chat cannot change it")
	assert.Equal(t, StatusNew, st.leads[l.ID].Status)

	for _, c := range []struct {
		action string
		want   Status
	}{{"claim", StatusClaimed}, {"contacted", StatusContacted}, {"enrolled", StatusEnrolled}, {"no", StatusNotInterested}} {
		_, edit, err = svc.PressCard(ctx, l.ID, c.action, agentChat, 7, 5, now)
		require.NoError(t, err)
		assert.Equal(t, c.want, st.leads[l.ID].Status)
		require.NotNil(t, edit)
		assert.Contains(t, edit.HTML, "0912 345 678")
		assert.Contains(t, edit.HTML, c.want.Label())
	}
	toast, edit, _ = svc.PressCard(ctx, l.ID, bot.LeadNo, agentChat, 7, 5, now)
	assert.Equal(t, "Đã ghi rồi: Không quan tâm", toast)
	assert.Nil(t, edit, "pressing the same status twice edits nothing")
	// "Nhận" pressed late (by a colleague, or by mistake) does not undo
	// what was already recorded.
	_, _, err = svc.PressCard(ctx, l.ID, bot.LeadContacted, agentChat, 7, 5, now)
	require.NoError(t, err)
	toast, edit, err = svc.PressCard(ctx, l.ID, bot.LeadClaim, agentChat, 8, 5, now)
	require.NoError(t, err)
	assert.Equal(t, StatusContacted, st.leads[l.ID].Status)
	assert.Equal(t, "Đã ghi rồi: Đã liên hệ", toast)
	assert.Nil(t, edit)
	toast, _, _ = svc.PressCard(ctx, 999, bot.LeadClaim, agentChat, 7, 5, now)
	assert.Equal(t, "Yêu cầu này đã bị xoá", toast)
	toast, _, _ = svc.PressCard(ctx, 1, "delete", agentChat, 7, 5, now)
	assert.Equal(t, "Nút không hợp lệ", toast)
}

func TestDeleteUserAndPurge(t *testing.T) {
	ctx := context.Background()
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	require.NoError(t, svc.store.SetAgentAttribution(ctx, userID, "a1", now))
	_, err := svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)
	require.NoError(t, svc.DeleteUser(ctx, userID))
	assert.Empty(t, st.leads)
	assert.Empty(t, st.items)
	assert.Empty(t, st.attr)
	n, _ := ob.RunOnce(ctx, now)
	assert.Zero(t, n)
	assert.Empty(t, snd.sent)

	_, err = svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)
	purged, err := ob.PurgeExpired(ctx, now.Add(89*24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, purged)
	purged, err = ob.PurgeExpired(ctx, now.Add(91*24*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, purged)
	assert.Empty(t, st.leads)
}

func TestAttribution(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _ := fixture(t)
	got, err := svc.Attribute(ctx, userID, "A2", ict(23, 9, 0))
	require.NoError(t, err)
	require.NotNil(t, got)
	a, err := svc.AttributedAgent(ctx, userID)
	require.NoError(t, err)
	assert.Equal(t, "a2", a.ID)
	got, _ = svc.Attribute(ctx, userID, "nobody", ict(23, 9, 0))
	assert.Nil(t, got)
	l, err := svc.CreateLead(ctx, request("a1"), ict(23, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, "a2", l.Attribution)
}

func TestLeadLogValueRedacts(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	l := Lead{ID: 3, Name: "Nguyễn Văn A", Phone: "0912345678", AgentID: "a1"}
	log.Info("x", slog.Any("lead", l))
	assert.NotContains(t, buf.String(), "0912345678")
	assert.NotContains(t, buf.String(), "Nguyễn")
	assert.Contains(t, buf.String(), `"lead_id":3`)
}

func TestCreateLeadNeedsConsent(t *testing.T) {
	svc, st, _, _ := fixture(t)
	r := request("a1")
	r.ConsentVersion = ""
	_, err := svc.CreateLead(context.Background(), r, ict(23, 9, 0))
	require.Error(t, err)
	_, err = svc.CreateLead(context.Background(), request("nobody"), ict(23, 9, 0))
	require.ErrorIs(t, err, ErrNotFound)
	assert.Empty(t, st.leads)
}

// cancelingSender cancels the outbox's context while Telegram accepts the
// card, as a SIGTERM arriving mid-send would.
type cancelingSender struct {
	fakeSender
	cancel context.CancelFunc
}

func (c *cancelingSender) Send(ctx context.Context, m bot.Message) (int, error) {
	c.cancel()
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	return c.fakeSender.Send(ctx, m)
}

func TestOutbox_shutdownMidSendCompletesTheCard(t *testing.T) {
	svc, st, _, _ := fixture(t)
	now := ict(23, 9, 0)
	for i := range int64(3) {
		_, err := svc.CreateLead(context.Background(), requestFrom(userID+i, "a1"), now)
		require.NoError(t, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	snd := &cancelingSender{cancel: cancel}
	ob := NewOutbox(st, snd, svc.Dir, OutboxConfig{StaffChatID: staffChat}, nil, nil)
	n, err := ob.RunOnce(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the card in flight is finished and recorded")
	assert.Equal(t, StateSent, st.items[2].State)
	assert.Equal(t, StatePending, st.items[4].State, "the others are handed back, not left leased")
	assert.Equal(t, StatePending, st.items[6].State)
	n, err = ob.RunOnce(context.Background(), now)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Len(t, snd.sent, 3, "each card once")
}

// Cards already delivered lose the name and phone when their lead goes,
// by the retention purge or by /xoa, even while the card is on its way.
func TestOutbox_deletedLeadsCardsCleared(t *testing.T) {
	ctx := context.Background()
	svc, st, snd, ob := fixture(t)
	now := ict(23, 9, 0)
	_, err := svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)
	_, err = ob.RunOnce(ctx, now)
	require.NoError(t, err)
	require.Len(t, snd.sent, 1)
	msgID := 1001

	n, err := ob.PurgeExpired(ctx, now.Add(DefaultRetention+time.Second))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	_, err = ob.RunOnce(ctx, now.Add(DefaultRetention+time.Minute))
	require.NoError(t, err)
	require.Len(t, snd.sent, 2)
	edit := snd.sent[1]
	assert.Equal(t, agentChat, edit.ChatID)
	assert.Equal(t, msgID, edit.EditMessageID, "the card itself is edited")
	assert.Contains(t, edit.HTML, "#1")
	assert.Contains(t, edit.HTML, "hết thời hạn lưu 90 ngày")
	assert.NotContains(t, edit.HTML, "0912")
	assert.NotContains(t, edit.HTML, "Nguyễn")
	assert.Empty(t, edit.Buttons)
	assert.Empty(t, st.redact, "done")

	// /xoa while the card is being sent.
	later := now.Add(DefaultRetention + time.Hour)
	_, err = svc.CreateLead(ctx, request("a1"), later)
	require.NoError(t, err)
	snd.fail = func(int64) error {
		snd.mu.Unlock() // Send holds the lock; the store does not need it
		defer snd.mu.Lock()
		return st.DeleteUserLeads(ctx, userID)
	}
	_, _ = ob.RunOnce(ctx, later)
	snd.fail = nil
	_, err = ob.RunOnce(ctx, later)
	require.NoError(t, err)
	last := snd.sent[len(snd.sent)-1]
	assert.Contains(t, last.HTML, "đã xoá dữ liệu")
	assert.NotContains(t, last.HTML, "0912")
}

// TestClaimedCardSaysWhoAndDropsClaim: once someone takes a request, the
// card says who, and "✋ Nhận" is gone (it could only say "already taken").
func TestClaimedCardSaysWhoAndDropsClaim(t *testing.T) {
	ctx := context.Background()
	svc, _, _, ob := fixture(t)
	now := ict(23, 9, 0)
	l, err := svc.CreateLead(ctx, request("a1"), now)
	require.NoError(t, err)
	_, _ = ob.RunOnce(ctx, now)
	_, edit, err := svc.PressCardBy(ctx, l.ID, bot.LeadClaim, agentChat, 7, "Lan", 5, now)
	require.NoError(t, err)
	require.NotNil(t, edit)
	assert.Contains(t, edit.HTML, "(bởi Lan)")
	for _, row := range edit.Buttons {
		for _, b := range row {
			assert.NotContains(t, b.Text, "Nhận")
		}
	}
}

// A lead nobody claimed, with neither a fallback chat nor a staff chat, is
// marked escalated and logged as such; before, the log said "lead
// escalated" to chat 0, as if a card had been queued.
func TestOutbox_escalationWithNowhereToGoSaysSo(t *testing.T) {
	ctx := context.Background()
	svc, st, snd, _ := fixture(t)
	var buf bytes.Buffer
	ob := NewOutbox(st, snd, svc.Dir, OutboxConfig{}, slog.New(slog.NewJSONHandler(&buf, nil)), nil)
	now := ict(23, 9, 0)
	l, err := svc.CreateLead(ctx, request("a3"), now)
	require.NoError(t, err)
	_, _ = ob.RunOnce(ctx, now)
	require.Zero(t, st.leads[l.ID].FallbackChatID, "a3's province has no chat in this fixture")
	_, err = ob.RunOnce(ctx, ict(25, 15, 0))
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "no fallback or staff chat")
	assert.NotContains(t, buf.String(), `"msg":"lead escalated"`)
	assert.Empty(t, snd.to(0))
}
