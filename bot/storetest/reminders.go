package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

func dueReminder(chat int64, at time.Time) bot.Reminder {
	return bot.Reminder{ChatID: chat, Kind: bot.RemindPay, Months: 1, Start: calc.Month{Year: 2026, Month: 12}, NextAt: at}
}

func testReminderRoundTrip(t *testing.T, a Adapter) {
	s := a.open1(t)
	pay := bot.Reminder{ChatID: 9, Kind: bot.RemindPay, Months: 3, Start: calc.Month{Year: 2026, Month: 10},
		Income: decimal.NewFromInt(3_000_000), Group: calc.Group("near-poor"), AgentID: "hyn-bd-thaithuy", NextAt: base}
	got, err := s.SetReminder(ctx, pay, nil, base)
	require.NoError(t, err)
	assert.Positive(t, got.ID)
	assert.Zero(t, got.Seq)
	card := bot.Reminder{ChatID: 9, Kind: bot.RemindCard, Expiry: time.Date(2027, 1, 31, 0, 0, 0, 0, calc.Vietnam)}
	_, err = s.SetReminder(ctx, card, []string{"seen"}, base)
	require.NoError(t, err)

	rs, err := s.ChatReminders(ctx, 9)
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, bot.RemindCard, rs[0].Kind, "by kind")
	assert.True(t, rs[0].Expiry.Equal(card.Expiry))
	assert.True(t, rs[0].NextAt.IsZero(), "nothing scheduled")
	p := rs[1]
	assert.Equal(t, calc.Month{Year: 2026, Month: 10}, p.Start)
	assert.Equal(t, 3, p.Months)
	assert.Equal(t, "3000000", p.Income.String())
	assert.Equal(t, calc.Group("near-poor"), p.Group)
	assert.Equal(t, "hyn-bd-thaithuy", p.AgentID)
	assert.True(t, p.NextAt.Equal(base))
	assert.True(t, p.CreatedAt.Equal(base))

	sent, err := s.SentOccurrences(ctx, rs[0].ID, []string{"seen", "other"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"seen": true, "other": false}, sent)

	again, err := s.SetReminder(ctx, pay, nil, base)
	require.NoError(t, err)
	assert.Equal(t, 1, again.Seq, "set again: the schedule starts over at the next version")
	found, err := s.StopReminder(ctx, 9, bot.RemindCard, base)
	require.NoError(t, err)
	assert.True(t, found)
	found, err = s.StopReminder(ctx, 9, bot.RemindCard, base)
	require.NoError(t, err)
	assert.False(t, found)

	news, err := s.SetReminder(ctx, bot.Reminder{ChatID: 10, Kind: bot.RemindNews}, []string{"n:a"}, base)
	require.NoError(t, err)
	due, err := s.DueReminders(ctx, base.Add(-time.Hour))
	require.NoError(t, err)
	require.Len(t, due, 1, "news subscriptions are always listed; the payment is not due yet")
	require.NoError(t, s.WakeNews(ctx, base, []string{"n:a"}))
	assert.True(t, must(s.ChatReminders(ctx, 10))[0].NextAt.IsZero(), "nothing new for it")
	require.NoError(t, s.WakeNews(ctx, base, []string{"n:a", "n:b"}))
	assert.True(t, must(s.ChatReminders(ctx, 10))[0].NextAt.Equal(base), "a notice it has not sent wakes it")
	assert.Equal(t, news.ID, must(s.ChatReminders(ctx, 10))[0].ID)

	require.NoError(t, s.MarkUnreachable(ctx, 9, base))
	assert.True(t, must(s.ChatReminders(ctx, 9))[0].BlockedAt.Equal(base))
	claimed := must(s.ClaimReminders(ctx, bot.ReminderClaim{Now: base, Owner: "a", Lease: time.Minute, Limit: 10}))
	require.Len(t, claimed, 1)
	assert.EqualValues(t, 10, claimed[0].ChatID, "chat 9 refused the bot: its reminder waits")
	require.NoError(t, s.ReachableChat(ctx, 9))
	assert.True(t, must(s.ChatReminders(ctx, 9))[0].BlockedAt.IsZero(), "it wrote again")
	assert.Len(t, must(s.ClaimReminders(ctx, bot.ReminderClaim{Now: base, Owner: "a", Lease: time.Minute, Limit: 10})), 1)
}

func testClaimReminders(t *testing.T, a Adapter) {
	s := a.open1(t)
	for chat := int64(1); chat <= 3; chat++ {
		_, err := s.SetReminder(ctx, dueReminder(chat, base), nil, base)
		require.NoError(t, err)
	}
	card := bot.Reminder{ChatID: 1, Kind: bot.RemindCard, Expiry: time.Date(2027, 1, 1, 0, 0, 0, 0, calc.Vietnam), NextAt: base}
	_, err := s.SetReminder(ctx, card, nil, base)
	require.NoError(t, err)
	c := bot.ReminderClaim{Now: base, Owner: "a", Lease: 30 * time.Second, Limit: 10, Gap: time.Second}
	got, err := s.ClaimReminders(ctx, c)
	require.NoError(t, err)
	assert.Len(t, got, 3, "one per chat")
	c.Owner = "b"
	again, err := s.ClaimReminders(ctx, c)
	require.NoError(t, err)
	assert.Empty(t, again, "leased, and chat 1's other reminder waits for its chat")

	// A chat with a reply waiting in the outbox is left alone.
	queue(t, s, base, msg(2, "reply"))
	require.NoError(t, s.ReleaseReminders(ctx, "a", nil))
	got, err = s.ClaimReminders(ctx, c)
	require.NoError(t, err)
	var chats []int64
	for _, r := range got {
		chats = append(chats, r.ChatID)
	}
	assert.ElementsMatch(t, []int64{1, 3}, chats)
	require.NoError(t, s.ReleaseReminders(ctx, "b", []int64{got[0].ID}))
	c.Owner = "c"
	assert.Len(t, must(s.ClaimReminders(ctx, c)), 1, "the released one")

	n, err := s.WaitingReplies(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// testFireReminders: four schedulers, each on a store of its own on the
// same database (four processes), claim and fire at once; each
// occurrence is queued once.
func testFireReminders(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	const n = 200
	for chat := int64(1); chat <= n; chat++ {
		_, err := s.SetReminder(ctx, dueReminder(chat, base), nil, base)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		sw := open(t)
		owner := fmt.Sprintf("owner-%d", w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := sw.ClaimReminders(ctx, bot.ReminderClaim{Now: base, Owner: owner, Lease: time.Minute, Limit: 7, Gap: time.Second})
				if !assert.NoError(t, err) || len(got) == 0 {
					return
				}
				var fires []bot.ReminderFire
				for _, r := range got {
					next := r
					next.NextAt = base.Add(48 * time.Hour)
					fires = append(fires, bot.ReminderFire{Claimed: r, Next: next, Occurrence: fmt.Sprintf("x#%d", r.Seq+1),
						Message: &bot.Message{HTML: "nhắc"}, Event: bot.EventSent, At: base})
				}
				applied, err := sw.FireReminders(ctx, owner, fires)
				assert.NoError(t, err)
				assert.Equal(t, len(fires), applied)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, n, a.Count(t, s, "outbox", ""))
	assert.Equal(t, n, a.Count(t, s, "outbox", "chat_id IN (SELECT DISTINCT chat_id FROM outbox)"))
	for chat := int64(1); chat <= n; chat += 50 {
		assert.Equal(t, 1, a.Count(t, s, "outbox", fmt.Sprint("chat_id = ", chat)))
	}
	assert.Equal(t, n, a.Count(t, s, "reminder_events", "event = 'sent'"))
	// Firing the same occurrence again (a stale batch) queues nothing.
	r, err := s.ChatReminders(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, 1, r[0].Seq)
	assert.True(t, r[0].FiredAt.Equal(base))
	applied, err := s.FireReminders(ctx, "owner-0", []bot.ReminderFire{{Claimed: r[0], Next: r[0], Message: &bot.Message{HTML: "x"}, At: base}})
	require.NoError(t, err)
	assert.Zero(t, applied)
}

func testReminderEvents(t *testing.T, a Adapter) {
	s := a.open1(t)
	r, err := s.SetReminder(ctx, dueReminder(5, base), nil, base)
	require.NoError(t, err)
	require.NoError(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2026-12", base))
	require.NoError(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2026-12", base), "a redelivered press")
	stale := r
	stale.Seq--
	assert.ErrorIs(t, s.ChangeReminder(ctx, stale, bot.EventPaid, "paid:2027-01", base), bot.ErrConflict)
	require.NoError(t, s.MarkUnreachable(ctx, 5, base))
	require.NoError(t, s.DeleteChatReminders(ctx, 5, base))
	rs, err := s.ChatReminders(ctx, 5)
	require.NoError(t, err)
	assert.Empty(t, rs)
	assert.Zero(t, a.Count(t, s, "reminder_sent", ""), "occurrences go with the reminder")
	for event, want := range map[string]int{"set": 1, "paid": 1, "blocked": 1, "deleted": 1} {
		assert.Equal(t, want, a.Count(t, s, "reminder_events", "event = '"+event+"'"), event)
	}
	assert.Equal(t, 4, a.Count(t, s, "reminder_events", ""))
	assert.ErrorIs(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2027-01", base), bot.ErrNotFound)
}

func testReminderStats(t *testing.T, a Adapter) {
	s := a.open1(t)
	nov := time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC) // 23:59 on 30/11 in Vietnam
	dec := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)  // 00:00 on 01/12 in Vietnam
	for chat, at := range map[int64]time.Time{1: nov, 2: dec, 3: dec} {
		_, err := s.SetReminder(ctx, dueReminder(chat, at), nil, at)
		require.NoError(t, err)
	}
	_, err := s.SetReminder(ctx, bot.Reminder{ChatID: 4, Kind: bot.RemindNews}, nil, dec)
	require.NoError(t, err)
	require.NoError(t, s.MarkUnreachable(ctx, 3, dec))
	_, err = s.StopReminder(ctx, 2, bot.RemindPay, dec)
	require.NoError(t, err)

	st, err := s.ReminderStats(ctx, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, bot.ReminderStats{
		Active:  map[string]int{"pay": 2, "news": 1},
		Blocked: map[string]int{"pay": 1, "news": 0},
		Months: []bot.ReminderMonth{
			{Month: "2026-11", Kind: "pay", Set: 1},
			{Month: "2026-12", Kind: "news", Set: 1},
			{Month: "2026-12", Kind: "pay", Set: 2, Off: 1, Blocked: 1},
		},
	}, st)
	st, err = s.ReminderStats(ctx, dec)
	require.NoError(t, err)
	assert.Len(t, st.Months, 2, "since 01/12")
}
