package storetest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
)

func testStateRoundTrip(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	require.NoError(t, s.SaveState(ctx, &bot.ChatState{ChatID: 1, UserID: 1, Flow: "vsi", Step: "inc",
		Data: bot.StateData{VSI: &bot.VSIState{Income: decimal.NewFromInt(1_500_000)}}, Updated: base}))
	require.NoError(t, s.Close())

	st, err := open(t).LoadState(ctx, 1)
	require.NoError(t, err, "state survives a restart")
	require.NotNil(t, st.Data.VSI)
	assert.Equal(t, "1500000", st.Data.VSI.Income.String(), "typed state round-trips as JSON")
	assert.Equal(t, "inc", st.Step)
	assert.Equal(t, base.Unix(), st.Updated.Unix())
}

func outboxRows(t *testing.T, a Adapter, s Store) int { return a.Count(t, s, "outbox", "") }

func testCommitTogether(t *testing.T, a Adapter) {
	s := a.open1(t)
	st := &bot.ChatState{ChatID: 7, UserID: 7, Flow: "vsi", Step: "inc", Updated: base}
	msgs := []bot.Message{{ChatID: 7, HTML: "một"}, {ChatID: 7, HTML: "hai"}}
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 10, At: base, State: st, Outbox: msgs}))
	seen, err := s.Handled(ctx, 10)
	require.NoError(t, err)
	assert.True(t, seen)
	got, err := s.LoadState(ctx, 7)
	require.NoError(t, err)
	assert.Equal(t, "inc", got.Step)
	assert.Equal(t, 2, outboxRows(t, a, s))

	t.Run("a redelivered update writes nothing", func(t *testing.T) {
		st2 := &bot.ChatState{ChatID: 7, UserID: 7, Flow: "hi", Updated: base}
		err := s.Commit(ctx, bot.Commit{UpdateID: 10, At: base, State: st2, Outbox: msgs})
		assert.ErrorIs(t, err, bot.ErrDuplicate)
		got, err := s.LoadState(ctx, 7)
		require.NoError(t, err)
		assert.Equal(t, "vsi", got.Flow)
		assert.Equal(t, 2, outboxRows(t, a, s))
	})
	t.Run("a failure half-way writes nothing", func(t *testing.T) {
		err := s.Commit(ctx, bot.Commit{UpdateID: 11, At: base, State: st, Outbox: []bot.Message{{ChatID: 7, HTML: "ok"}, {HTML: "no chat"}}})
		require.Error(t, err)
		seen, err := s.Handled(ctx, 11)
		require.NoError(t, err)
		assert.False(t, seen, "the update stays unhandled, so a redelivery answers it")
		assert.Equal(t, 2, outboxRows(t, a, s))
	})
}

func testLoadStateNotFound(t *testing.T, a Adapter) {
	_, err := a.open1(t).LoadState(ctx, 99)
	assert.ErrorIs(t, err, bot.ErrNotFound)
}

func testPrune(t *testing.T, a Adapter) {
	s := a.open1(t)
	r := bot.DefaultRetention()
	for i := int64(1); i <= 10; i++ {
		require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: i, At: base, State: &bot.ChatState{ChatID: i, UserID: i, Updated: base}}))
	}
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 1, ChatID: 1, Text: "old", Decision: "none", At: base.Add(-400 * 24 * time.Hour)}))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 1, ChatID: 1, Text: "new", Decision: "none", At: base}))
	require.NoError(t, s.SaveState(ctx, &bot.ChatState{ChatID: 11, UserID: 11, Updated: base.Add(3 * time.Hour)}))

	ps, err := s.Prune(ctx, base.Add(3*time.Hour), r)
	require.NoError(t, err)
	assert.False(t, ps.Skipped)
	assert.EqualValues(t, 10, ps.States, "idle states go")
	assert.EqualValues(t, 0, ps.Updates, "update ids stay for the redelivery window")
	assert.EqualValues(t, 1, ps.Questions)
	_, err = s.LoadState(ctx, 11)
	assert.NoError(t, err, "a fresh state stays")

	ps, err = s.Prune(ctx, base.Add(72*time.Hour), r)
	require.NoError(t, err)
	assert.EqualValues(t, 10, ps.Updates)
}

func testReport(t *testing.T, a Adapter) {
	s := a.open1(t)
	for i, q := range []string{"Giá vé máy bay?", "gia ve may bay?", "GIÁ VÉ MÁY BAY?", "thời tiết"} {
		require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: int64(i), ChatID: int64(i), Text: q, Decision: "none", At: base}))
	}
	require.NoError(t, s.AddFeedback(ctx, bot.Feedback{UserID: 1, ChatID: 1, FAQID: "a", Vote: -1, Question: "rút một lần", At: base}))
	require.NoError(t, s.AddFeedback(ctx, bot.Feedback{UserID: 2, ChatID: 2, FAQID: "a", Vote: -1, Question: "rut mot lan", At: base}))
	require.NoError(t, s.AddFeedback(ctx, bot.Feedback{UserID: 3, ChatID: 3, FAQID: "a", Vote: 1, At: base}))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 9, ChatID: 9, Text: "cũ", Decision: "none", At: base.Add(-40 * 24 * time.Hour)}))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 4, ChatID: 4, Text: "không phải", Decision: "rejected", TopID: "b", At: base}))

	rows, err := s.Report(ctx, base.Add(-30*24*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, bot.ReportRow{Kind: "unanswered", Text: "GIÁ VÉ MÁY BAY?", Count: 3, Users: 3, LastAt: base}, rows[0],
		"the same example on every store: the least text byte by byte")
	assert.Equal(t, 1, rows[1].Count)
	assert.Equal(t, bot.ReportRow{Kind: "rejected", Text: "không phải", FAQID: "b", Count: 1, Users: 1, LastAt: base}, rows[2])
	assert.Equal(t, bot.ReportRow{Kind: "thumbs-down", Text: "rut mot lan", FAQID: "a", Count: 2, Users: 2, LastAt: base}, rows[3])
}

func testDeleteUser(t *testing.T, a Adapter) {
	s := a.open1(t)
	require.NoError(t, s.SaveState(ctx, &bot.ChatState{ChatID: 5, UserID: 5, Updated: base}))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 5, ChatID: 5, Text: "x", Decision: "none", At: base}))
	require.NoError(t, s.AddFeedback(ctx, bot.Feedback{UserID: 5, ChatID: 5, FAQID: "a", Vote: 1, At: base}))
	require.NoError(t, s.SetAttribution(ctx, 5, "qr1", base))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 6, ChatID: 6, Text: "other user", Decision: "none", At: base}))
	require.NoError(t, s.Commit(ctx, bot.Commit{At: base, Outbox: []bot.Message{{ChatID: 5, HTML: "for 5"}, {ChatID: 6, HTML: "for 6"}}}))
	p, err := s.Attribution(ctx, 5)
	require.NoError(t, err)
	require.Equal(t, "qr1", p)

	require.NoError(t, s.DeleteUser(ctx, 5, 5))
	assert.Equal(t, 1, outboxRows(t, a, s), "replies not yet delivered to the chat go too")
	_, err = s.LoadState(ctx, 5)
	assert.ErrorIs(t, err, bot.ErrNotFound)
	_, err = s.Attribution(ctx, 5)
	assert.ErrorIs(t, err, bot.ErrNotFound)
	assert.Zero(t, a.Count(t, s, "feedback", ""))
	rows, err := s.Report(ctx, time.Time{}, 10)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "other user", rows[0].Text)
}

func testConcurrentWriters(t *testing.T, a Adapter) {
	s := a.open1(t)
	done := make(chan error, 16)
	for w := range 16 {
		go func() {
			for i := range 50 {
				id := int64(w*1000 + i + 1)
				c := bot.Commit{UpdateID: id, At: base, State: &bot.ChatState{ChatID: id, UserID: id, Updated: base},
					Outbox: []bot.Message{{ChatID: id, HTML: "ok"}}}
				if err := s.Commit(ctx, c); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 16 {
		require.NoError(t, <-done)
	}
	assert.Equal(t, 800, outboxRows(t, a, s))
}

func testLockChat(t *testing.T, a Adapter) {
	s := a.open1(t)
	unlock, err := s.LockChat(ctx, 42)
	require.NoError(t, err)
	unlock()
	unlock, err = s.LockChat(ctx, 42)
	require.NoError(t, err, "an unlocked chat can be locked again")
	unlock()
}

func testHealth(t *testing.T, a Adapter) {
	s := a.open1(t)
	require.NoError(t, s.Health(ctx, base))
	assert.Equal(t, 1, a.Count(t, s, "store_meta", "key = 'health'"), "a row of its own proves the database takes writes")
}
