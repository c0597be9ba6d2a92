package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam) // a Monday morning

func newLead(user int64) handoff.Lead {
	return handoff.Lead{UserID: user, ChatID: user, AgentID: "hyn-bd-thaithuy", ProvinceID: "hung-yen", Commune: "xã Thái Thụy",
		Name: "Lan", Phone: "0912345678", Context: "đóng bao nhiêu", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0,
		RecipientChatID: -100, RecipientName: "Bưu điện", FallbackChatID: -500, FallbackName: "BHXH tỉnh",
		Status: handoff.StatusNew, CreatedAt: t0, UpdatedAt: t0, EscalateAt: t0.Add(4 * time.Hour)}
}

func card(chat int64) handoff.OutboxItem {
	return handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: chat, WithPhone: true, NextAttempt: t0, CreatedAt: t0}
}

func must3[A, B any](a A, b B, err error) {
	if err != nil {
		panic(err)
	}
}

func testLeadRoundTrip(t *testing.T, a Adapter) {
	s := a.open1(t)
	l, err := s.CreateLeadWithOutbox(ctx, newLead(1), card(-100))
	require.NoError(t, err)
	require.Positive(t, l.ID)
	got, err := s.Lead(ctx, l.ID)
	require.NoError(t, err)
	want := newLead(1)
	want.ID = l.ID
	for _, tm := range []*time.Time{&got.ConsentAt, &got.CreatedAt, &got.UpdatedAt, &got.EscalateAt} {
		*tm = tm.In(calc.Vietnam)
	}
	assert.Equal(t, want, got, "every field round-trips")
	_, err = s.Lead(ctx, 999)
	assert.ErrorIs(t, err, handoff.ErrNotFound)
}

func testCardClaim(t *testing.T, a Adapter) {
	s := a.open1(t)
	_, err := s.CreateLeadWithOutbox(ctx, newLead(1), card(-100))
	require.NoError(t, err)

	items, err := s.ClaimDue(ctx, t0.Add(-time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "not due yet")
	items, err = s.ClaimDue(ctx, t0, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, handoff.StateSending, items[0].State)
	assert.Equal(t, 1, items[0].Attempts)
	assert.True(t, items[0].WithPhone)
	assert.EqualValues(t, -100, items[0].ChatID)
	again, err := s.ClaimDue(ctx, t0.Add(30*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again, "leased")

	require.NoError(t, s.MarkFailed(ctx, items[0].ID, t0.Add(time.Hour), "boom"))
	assert.Empty(t, must(s.ClaimDue(ctx, t0.Add(59*time.Minute), time.Minute, 10)))
	items = must(s.ClaimDue(ctx, t0.Add(time.Hour), time.Minute, 10))
	require.Len(t, items, 1)
	assert.Equal(t, 2, items[0].Attempts)
	assert.Equal(t, "boom", items[0].LastError)

	require.NoError(t, s.MarkSent(ctx, items[0].ID, 77, t0.Add(time.Hour)))
	assert.Empty(t, must(s.ClaimDue(ctx, t0.Add(48*time.Hour), time.Minute, 10)), "sent items never come back")
	assert.ErrorIs(t, s.MarkSent(ctx, 999, 1, t0), handoff.ErrNotFound)

	t.Run("a stuck send is taken over after its lease; reroute and dead", func(t *testing.T) {
		l := must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
		it := must(s.ClaimDue(ctx, t0, time.Minute, 10))[0]
		require.Equal(t, l.ID, it.LeadID)
		again := must(s.ClaimDue(ctx, t0.Add(time.Minute), time.Minute, 10))
		require.Len(t, again, 1, "the process sending it died: the lease ran out")
		assert.Equal(t, 2, again[0].Attempts)
		require.NoError(t, s.Reroute(ctx, it.ID, -500, false, t0.Add(2*time.Minute), "chat unreachable"))
		rr := must(s.ClaimDue(ctx, t0.Add(2*time.Minute), time.Minute, 10))
		require.Len(t, rr, 1)
		assert.EqualValues(t, -500, rr[0].ChatID)
		assert.False(t, rr[0].WithPhone)
		assert.Equal(t, 1, rr[0].Attempts, "fresh attempts in the new chat")
		require.NoError(t, s.MarkDead(ctx, it.ID, "no chat left"))
		assert.Empty(t, must(s.ClaimDue(ctx, t0.Add(time.Hour), time.Minute, 10)))
	})
}

// testCardConcurrentClaims: four processes (stores on one database) claim
// lead cards at once; each card is taken by one of them.
func testCardConcurrentClaims(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	for i := range 30 {
		_, err := s.CreateLeadWithOutbox(ctx, newLead(int64(i+1)), card(-100))
		require.NoError(t, err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		sw := open(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				items, err := sw.ClaimDue(ctx, t0, time.Minute, 3)
				if !assert.NoError(t, err) || len(items) == 0 {
					return
				}
				mu.Lock()
				for _, it := range items {
					seen[it.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 30)
	for id, n := range seen {
		assert.Equal(t, 1, n, "item %d claimed %d times", id, n)
	}
}

func testLeadStatus(t *testing.T, a Adapter) {
	s := a.open1(t)
	l := must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	_, _, err := s.SetLeadStatus(ctx, l.ID, -100, 7, handoff.StatusClaimed, t0)
	assert.ErrorIs(t, err, handoff.ErrNotRecipient, "card not delivered yet")
	it := must(s.ClaimDue(ctx, t0, time.Minute, 1))[0]
	require.NoError(t, s.MarkSent(ctx, it.ID, 5, t0))
	_, _, err = s.SetLeadStatus(ctx, l.ID, -999, 7, handoff.StatusClaimed, t0)
	assert.ErrorIs(t, err, handoff.ErrNotRecipient)
	got, withPhone, err := s.SetLeadStatus(ctx, l.ID, -100, 7, handoff.StatusClaimed, t0)
	require.NoError(t, err)
	assert.True(t, withPhone)
	assert.Equal(t, handoff.StatusClaimed, got.Status)
	assert.Equal(t, int64(7), got.ClaimedBy)
	got, _, err = s.SetLeadStatus(ctx, l.ID, -100, 8, handoff.StatusEnrolled, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(7), got.ClaimedBy, "the first claimer stays")
	assert.False(t, got.ContactedAt.IsZero(), "enrolled implies contacted")
	assert.True(t, got.EnrolledAt.Equal(t0.Add(time.Hour)))
	got, _, err = s.SetLeadStatus(ctx, l.ID, -100, 9, handoff.StatusClaimed, t0.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, handoff.StatusEnrolled, got.Status, "a late Nhận does not undo Đã tham gia")
	_, _, err = s.SetLeadStatus(ctx, 999, -100, 7, handoff.StatusClaimed, t0)
	assert.ErrorIs(t, err, handoff.ErrNotFound)
	_, _, err = s.SetLeadStatus(ctx, l.ID, -100, 7, handoff.Status("bogus"), t0)
	assert.Error(t, err)

	t.Run("not interested stops the escalation", func(t *testing.T) {
		l := must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
		it := must(s.ClaimDue(ctx, t0, time.Minute, 1))[0]
		require.NoError(t, s.MarkSent(ctx, it.ID, 6, t0))
		got, _, err := s.SetLeadStatus(ctx, l.ID, -100, 7, handoff.StatusNotInterested, t0)
		require.NoError(t, err)
		assert.Equal(t, handoff.StatusNotInterested, got.Status)
		assert.Empty(t, must(s.DueEscalations(ctx, t0.Add(48*time.Hour), 10)))
	})
}

func testEscalation(t *testing.T, a Adapter) {
	s := a.open1(t)
	l := must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	assert.Empty(t, must(s.DueEscalations(ctx, t0.Add(3*time.Hour), 10)))
	due := must(s.DueEscalations(ctx, t0.Add(4*time.Hour), 10))
	require.Len(t, due, 1)
	assert.Equal(t, l.ID, due[0].ID)
	esc := handoff.OutboxItem{Kind: handoff.ItemEscalation, ChatID: -500, WithPhone: true, NextAttempt: t0.Add(4 * time.Hour), CreatedAt: t0}
	require.NoError(t, s.Escalate(ctx, l.ID, esc, t0.Add(4*time.Hour)))
	require.NoError(t, s.Escalate(ctx, l.ID, esc, t0.Add(4*time.Hour)), "a second escalation is a no-op")
	assert.Empty(t, must(s.DueEscalations(ctx, t0.Add(48*time.Hour), 10)))
	items := must(s.ClaimDue(ctx, t0.Add(4*time.Hour), time.Minute, 10))
	require.Len(t, items, 2, "the card and one escalation")
	assert.Equal(t, handoff.ItemEscalation, items[1].Kind)
	assert.True(t, must(s.Lead(ctx, l.ID)).EscalatedAt.Equal(t0.Add(4*time.Hour)))
}

func testDeleteAndPurge(t *testing.T, a Adapter) {
	s := a.open1(t)
	must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
	require.NoError(t, s.SetAgentAttribution(ctx, 1, "hyn-bd-thaithuy", t0))
	assert.Equal(t, "hyn-bd-thaithuy", must(s.AgentAttribution(ctx, 1)))
	require.NoError(t, s.DeleteUserLeads(ctx, 1))
	for table, want := range map[string]int{"leads": 1, "lead_outbox": 1, "agent_attribution": 0} {
		assert.Equal(t, want, a.Count(t, s, table, ""), table)
	}
	assert.Zero(t, a.Count(t, s, "leads", "user_id = 1"))
	assert.Equal(t, "", must(s.AgentAttribution(ctx, 1)))

	n := must(s.PurgeLeads(ctx, t0))
	assert.Zero(t, n)
	n = must(s.PurgeLeads(ctx, t0.Add(time.Second)))
	assert.Equal(t, 1, n)
	assert.Zero(t, a.Count(t, s, "leads", ""))
	assert.Zero(t, a.Count(t, s, "lead_outbox", ""), "outbox rows go with their lead")
}

// testRedactions: the delivered cards of a deleted lead are queued for
// clearing, due at once, rescheduled on failure and forgotten when done.
func testRedactions(t *testing.T, a Adapter) {
	s := a.open1(t)
	for _, user := range []int64{1, 2} {
		must(s.CreateLeadWithOutbox(ctx, newLead(user), card(-100)))
	}
	for i, it := range must(s.ClaimDue(ctx, t0, time.Minute, 10)) {
		require.NoError(t, s.MarkSent(ctx, it.ID, 40+i, t0))
	}
	assert.Empty(t, must(s.DueRedactions(ctx, t0, 10)), "nothing deleted yet")

	require.NoError(t, s.DeleteUserLeads(ctx, 1))
	now := time.Now() // the redaction is queued at the wall clock's time
	rs := must(s.DueRedactions(ctx, now, 10))
	require.Len(t, rs, 1)
	assert.Equal(t, handoff.Redaction{ID: rs[0].ID, LeadID: 1, ChatID: -100, MessageID: 40, Reason: handoff.RedactDeleted}, rs[0])
	require.NoError(t, s.RedactionFailed(ctx, rs[0].ID, now.Add(time.Hour)))
	assert.Empty(t, must(s.DueRedactions(ctx, now.Add(59*time.Minute), 10)))
	rs = must(s.DueRedactions(ctx, now.Add(time.Hour), 10))
	require.Len(t, rs, 1)
	assert.Equal(t, 1, rs[0].Attempts)
	require.NoError(t, s.RedactionDone(ctx, rs[0].ID))
	assert.Empty(t, must(s.DueRedactions(ctx, now.Add(48*time.Hour), 10)))

	must(s.PurgeLeads(ctx, t0.Add(time.Second)))
	rs = must(s.DueRedactions(ctx, now.Add(48*time.Hour), 10))
	require.Len(t, rs, 1, "the purge clears the other card")
	assert.Equal(t, handoff.RedactExpired, rs[0].Reason)
	assert.Equal(t, 41, rs[0].MessageID)
	assert.ErrorIs(t, s.RedactionFailed(ctx, 999, now), handoff.ErrNotFound)
}

func testExportAndFunnel(t *testing.T, a Adapter) {
	s := a.open1(t)
	for i := range 3 {
		must(s.CreateLeadWithOutbox(ctx, newLead(int64(i+1)), card(-100)))
	}
	other := newLead(9)
	other.ProvinceID, other.AgentID, other.CreatedAt = "an-giang", "agg-bd-rachgia", t0.Add(24*time.Hour)
	must(s.CreateLeadWithOutbox(ctx, other, card(-100)))
	for _, it := range must(s.ClaimDue(ctx, t0.Add(48*time.Hour), time.Minute, 2)) {
		require.NoError(t, s.MarkSent(ctx, it.ID, 1, t0))
	}
	must3(s.SetLeadStatus(ctx, 1, -100, 7, handoff.StatusContacted, t0))
	must3(s.SetLeadStatus(ctx, 2, -100, 7, handoff.StatusEnrolled, t0))

	rows := must(s.LeadFunnel(ctx, time.Time{}))
	require.Len(t, rows, 2)
	assert.Equal(t, handoff.FunnelRow{ProvinceID: "an-giang", AgentID: "agg-bd-rachgia", Asked: 1}, rows[0])
	assert.Equal(t, handoff.FunnelRow{ProvinceID: "hung-yen", AgentID: "hyn-bd-thaithuy", Asked: 3, HandedOff: 2, Contacted: 2, Enrolled: 1}, rows[1])
	assert.Len(t, must(s.LeadFunnel(ctx, t0.Add(time.Hour))), 1)

	all := must(s.ExportLeads(ctx, time.Time{}, ""))
	require.Len(t, all, 4)
	assert.Equal(t, int64(9), all[3].UserID, "oldest first")
	assert.Len(t, must(s.ExportLeads(ctx, time.Time{}, "hung-yen")), 3)
	assert.Len(t, must(s.ExportLeads(ctx, t0.Add(time.Hour), "")), 1)
}

func testLatestLead(t *testing.T, a Adapter) {
	s := a.open1(t)
	_, err := s.LatestLead(ctx, 1)
	assert.ErrorIs(t, err, handoff.ErrNotFound)
	must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	second := newLead(1)
	second.AgentID = "agg-bd-phuquoc"
	want := must(s.CreateLeadWithOutbox(ctx, second, card(-100)))
	must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
	got := must(s.LatestLead(ctx, 1))
	assert.Equal(t, want.ID, got.ID)
	assert.Equal(t, "agg-bd-phuquoc", got.AgentID)
}

// flakySender fails while down and records every message it accepted.
type flakySender struct {
	mu   sync.Mutex
	down bool
	sent []bot.Message
}

func (f *flakySender) Send(_ context.Context, m bot.Message) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return 0, errors.New("telegram: connection refused")
	}
	f.sent = append(f.sent, m)
	return len(f.sent), nil
}

func directory(t *testing.T) *agents.Directory {
	t.Helper()
	dir, err := agents.LoadDirectory(content.FS())
	require.NoError(t, err)
	return dir
}

// testCardAfterRestart runs the real outbox with Telegram down, restarts
// (closes the store, opens a new one on the same database with a new
// Outbox) and checks that the card arrives once, after the backoff.
func testCardAfterRestart(t *testing.T, a Adapter) {
	dir := directory(t)
	open := a.New(t)
	s1 := open(t)
	svc := handoff.NewService(dir, s1, handoff.Config{StaffChatID: -900})
	req := handoff.Request{UserID: 1, ChatID: 1, AgentID: "hyn-bd-thaithuy", Commune: "xã Thái Thụy", Name: "Lan",
		Phone: "0912345678", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0}
	l, err := svc.CreateLead(ctx, req, t0)
	require.NoError(t, err)

	snd := &flakySender{down: true}
	n, err := handoff.NewOutbox(s1, snd, dir, handoff.OutboxConfig{StaffChatID: -900}, nil, nil).RunOnce(ctx, t0)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, s1.Close())

	s2 := open(t)
	snd.down = false
	ob2 := handoff.NewOutbox(s2, snd, dir, handoff.OutboxConfig{StaffChatID: -900}, nil, nil)
	n, err = ob2.RunOnce(ctx, t0.Add(10*time.Second))
	require.NoError(t, err)
	assert.Zero(t, n, "backoff survives the restart")
	n, err = ob2.RunOnce(ctx, t0.Add(30*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for i := range 5 {
		n, err = ob2.RunOnce(ctx, t0.Add(time.Duration(i+1)*time.Minute))
		require.NoError(t, err)
		assert.Zero(t, n)
	}
	require.Len(t, snd.sent, 1)
	assert.Equal(t, int64(-900), snd.sent[0].ChatID, "sample agents have no chat: the staff chat, as the consent said")
	assert.Contains(t, snd.sent[0].HTML, "#"+strconv.FormatInt(l.ID, 10))
	assert.Contains(t, snd.sent[0].HTML, "0912 345 678")
}

// hangingSender is a Telegram call that never returns: the process is
// killed while it is in flight.
type hangingSender struct {
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func (h *hangingSender) Send(context.Context, bot.Message) (int, error) {
	h.once.Do(func() { close(h.entered) })
	<-h.release
	return 0, errors.New("killed")
}

// testCardKilledMidSend: a process killed while sending one card holds that
// card for the lease only (the default configuration), and the other due
// cards go out at once from the restarted process.
func testCardKilledMidSend(t *testing.T, a Adapter) {
	dir := directory(t)
	open := a.New(t)
	s1 := open(t)
	svc := handoff.NewService(dir, s1, handoff.Config{StaffChatID: -900})
	for user := range int64(2) {
		_, err := svc.CreateLead(ctx, handoff.Request{UserID: user + 1, ChatID: user + 1, AgentID: "hyn-bd-thaithuy",
			Name: "Lan", Phone: "0912345678", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0}, t0)
		require.NoError(t, err)
	}
	hang := &hangingSender{entered: make(chan struct{}), release: make(chan struct{})}
	dead := make(chan struct{})
	go func() {
		defer close(dead)
		_, _ = handoff.NewOutbox(s1, hang, dir, handoff.OutboxConfig{StaffChatID: -900}, nil, nil).RunOnce(ctx, t0)
	}()
	<-hang.entered // the first card is on its way when the process dies
	t.Cleanup(func() { close(hang.release); <-dead })

	s2 := open(t) // the restarted process
	snd := &flakySender{}
	ob := handoff.NewOutbox(s2, snd, dir, handoff.OutboxConfig{StaffChatID: -900}, nil, nil)
	n, err := ob.RunOnce(ctx, t0.Add(5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the card that was not in flight goes out at once")
	n, err = ob.RunOnce(ctx, t0.Add(20*time.Second))
	require.NoError(t, err)
	assert.Zero(t, n, "the card in flight is still leased")
	n, err = ob.RunOnce(ctx, t0.Add(35*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "and is sent once its lease has run out")
	for i := range 5 {
		n, err = ob.RunOnce(ctx, t0.Add(time.Duration(i+1)*time.Minute))
		require.NoError(t, err)
		assert.Zero(t, n)
	}
	require.Len(t, snd.sent, 2, "one card per lead")
	assert.NotEqual(t, snd.sent[0].HTML, snd.sent[1].HTML)
}
