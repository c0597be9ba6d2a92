package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/content"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam) // a Monday morning

func openAt(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func newLead(user int64) handoff.Lead {
	return handoff.Lead{UserID: user, ChatID: user, AgentID: "hyn-bd-thaithuy", ProvinceID: "hung-yen", Commune: "xã Thái Thụy",
		Name: "Lan", Phone: "0912345678", Context: "đóng bao nhiêu", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0,
		RecipientChatID: -100, RecipientName: "Bưu điện", FallbackChatID: -500, FallbackName: "BHXH tỉnh",
		Status: handoff.StatusNew, CreatedAt: t0, UpdatedAt: t0, EscalateAt: t0.Add(4 * time.Hour)}
}

func card(chat int64) handoff.OutboxItem {
	return handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: chat, WithPhone: true, NextAttempt: t0, CreatedAt: t0}
}

func TestHandoffStore_leadRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
	l, err := s.CreateLeadWithOutbox(ctx, newLead(1), card(-100))
	require.NoError(t, err)
	require.Positive(t, l.ID)
	got, err := s.Lead(ctx, l.ID)
	require.NoError(t, err)
	assert.Equal(t, "Lan", got.Name)
	assert.Equal(t, "0912345678", got.Phone)
	assert.True(t, t0.Equal(got.ConsentAt))
	assert.True(t, t0.Add(4*time.Hour).Equal(got.EscalateAt))
	assert.Equal(t, int64(-500), got.FallbackChatID)
	_, err = s.Lead(ctx, 999)
	assert.ErrorIs(t, err, handoff.ErrNotFound)
}

func TestHandoffStore_claimLeaseAndStates(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
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
}

func TestHandoffStore_concurrentClaimsNeverShareAnItem(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
	for i := range 30 {
		_, err := s.CreateLeadWithOutbox(ctx, newLead(int64(i+1)), card(-100))
		require.NoError(t, err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				items, err := s.ClaimDue(ctx, t0, time.Minute, 3)
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

func TestHandoffStore_statusOnlyFromReceivingChat(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
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
	got, _, err = s.SetLeadStatus(ctx, l.ID, -100, 9, handoff.StatusClaimed, t0.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, handoff.StatusEnrolled, got.Status, "a late Nhận does not undo Đã tham gia")
	_, _, err = s.SetLeadStatus(ctx, 999, -100, 7, handoff.StatusClaimed, t0)
	assert.ErrorIs(t, err, handoff.ErrNotFound)
}

func TestHandoffStore_escalation(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
	l := must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	assert.Empty(t, must(s.DueEscalations(ctx, t0.Add(3*time.Hour), 10)))
	due := must(s.DueEscalations(ctx, t0.Add(4*time.Hour), 10))
	require.Len(t, due, 1)
	esc := handoff.OutboxItem{Kind: handoff.ItemEscalation, ChatID: -500, WithPhone: true, NextAttempt: t0.Add(4 * time.Hour), CreatedAt: t0}
	require.NoError(t, s.Escalate(ctx, l.ID, esc, t0.Add(4*time.Hour)))
	require.NoError(t, s.Escalate(ctx, l.ID, esc, t0.Add(4*time.Hour)), "a second escalation is a no-op")
	assert.Empty(t, must(s.DueEscalations(ctx, t0.Add(48*time.Hour), 10)))
	items := must(s.ClaimDue(ctx, t0.Add(4*time.Hour), time.Minute, 10))
	require.Len(t, items, 2, "the card and one escalation")
	assert.Equal(t, handoff.ItemEscalation, items[1].Kind)
}

func TestHandoffStore_deleteUserAndPurgeLeaveNoTrace(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
	must(s.CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
	require.NoError(t, s.SetAgentAttribution(ctx, 1, "hyn-bd-thaithuy", t0))
	assert.Equal(t, "hyn-bd-thaithuy", must(s.AgentAttribution(ctx, 1)))
	require.NoError(t, s.DeleteUserLeads(ctx, 1))
	for table, want := range map[string]int{"leads": 1, "lead_outbox": 1, "agent_attribution": 0} {
		assert.Equal(t, want, count(t, s, table, ""), table)
	}
	assert.Zero(t, count(t, s, "leads", "user_id = 1"))
	assert.Equal(t, "", must(s.AgentAttribution(ctx, 1)))

	n := must(s.PurgeLeads(ctx, t0))
	assert.Zero(t, n)
	n = must(s.PurgeLeads(ctx, t0.Add(time.Second)))
	assert.Equal(t, 1, n)
	assert.Zero(t, count(t, s, "leads", ""))
	assert.Zero(t, count(t, s, "lead_outbox", ""), "outbox rows go with their lead")
}

func TestHandoffStore_exportAndFunnel(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
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

	assert.Len(t, must(s.ExportLeads(ctx, time.Time{}, "")), 4)
	assert.Len(t, must(s.ExportLeads(ctx, time.Time{}, "hung-yen")), 3)
	assert.Len(t, must(s.ExportLeads(ctx, t0.Add(time.Hour), "")), 1)
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

// TestOutbox_deliveredAfterRestartExactlyOnce runs the real outbox on a
// database file, with Telegram down, "restarts" (closes the store and opens
// a new one on the same file with a new Outbox) and checks that the card
// arrives once.
func TestOutbox_deliveredAfterRestartExactlyOnce(t *testing.T) {
	ctx := context.Background()
	dir, err := agents.LoadDirectory(content.FS())
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "b.db")
	s1, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	svc := handoff.NewService(dir, s1, handoff.Config{StaffChatID: -900})
	req := handoff.Request{UserID: 1, ChatID: 1, AgentID: "hyn-bd-thaithuy", Commune: "xã Thái Thụy", Name: "Lan",
		Phone: "0912345678", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0}
	l, err := svc.CreateLead(ctx, req, t0)
	require.NoError(t, err)

	snd := &flakySender{down: true}
	ob1 := handoff.NewOutbox(s1, snd, dir, handoff.OutboxConfig{StaffChatID: -900}, nil, nil)
	n, err := ob1.RunOnce(ctx, t0)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, s1.Close())

	s2 := openAt(t, path)
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
	assert.Contains(t, snd.sent[0].HTML, "#"+itoa(l.ID))
	assert.Contains(t, snd.sent[0].HTML, "0912 345 678")
}

func count(t *testing.T, s *sqlite.Store, table, where string) int {
	t.Helper()
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	var n int
	require.NoError(t, s.DB().QueryRow(q).Scan(&n))
	return n
}

// must fails loudly on an unexpected store error (tests only).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func must3[A, B any](a A, b B, err error) {
	if err != nil {
		panic(err)
	}
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// fileHas reports whether the database file or its WAL still holds b
// anywhere in their bytes (free pages included).
func fileHas(t *testing.T, path string, b string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		if bytes.Contains(data, []byte(b)) {
			return true
		}
	}
	return false
}

// A deleted phone number must be gone from the file itself, not only from
// the tables: SQLite leaves deleted rows in free pages and in the WAL
// unless told otherwise.
func TestHandoffStore_deletedPhoneGoneFromTheFile(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"xoa", "purge"} {
		t.Run(how, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.db")
			s := openAt(t, path)
			l := newLead(1)
			l.Phone, l.Name = "0987654321", "Tran Thi Hoa"
			must(s.CreateLeadWithOutbox(ctx, l, card(-100)))
			must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
			require.True(t, fileHas(t, path, "0987654321"), "precondition: the phone is written")
			if how == "xoa" {
				require.NoError(t, s.DeleteUserLeads(ctx, 1))
			} else {
				must(s.PurgeLeads(ctx, t0.Add(time.Second)))
			}
			assert.False(t, fileHas(t, path, "0987654321"), "phone left in the database file")
			assert.False(t, fileHas(t, path, "Tran Thi Hoa"), "name left in the database file")
			require.NoError(t, s.Close())
			assert.False(t, fileHas(t, path, "0987654321"), "phone left after close")
		})
	}
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

// TestOutbox_killedMidSendOnlyThatCardWaits: a process killed while sending
// one card holds that card for the lease only (the default configuration),
// and the other due cards go out at once from the restarted process.
func TestOutbox_killedMidSendOnlyThatCardWaits(t *testing.T) {
	ctx := context.Background()
	dir, err := agents.LoadDirectory(content.FS())
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "b.db")
	s1, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
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
	t.Cleanup(func() { close(hang.release); <-dead; s1.Close() })

	s2 := openAt(t, path) // the restarted process
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

func TestHandoffStore_latestLead(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "b.db"))
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
