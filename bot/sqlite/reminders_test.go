package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

func dueReminder(chat int64, at time.Time) bot.Reminder {
	return bot.Reminder{ChatID: chat, Kind: bot.RemindPay, Months: 1, Start: calc.Month{Year: 2026, Month: 12}, NextAt: at}
}

func TestClaimRemindersOnePerChatAndNotTwice(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
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
}

func TestFireRemindersConcurrentOwnersQueueEachOnce(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	const n = 200
	for chat := int64(1); chat <= n; chat++ {
		_, err := s.SetReminder(ctx, dueReminder(chat, base), nil, base)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(owner string) {
			defer wg.Done()
			for {
				got, err := s.ClaimReminders(ctx, bot.ReminderClaim{Now: base, Owner: owner, Lease: time.Minute, Limit: 7, Gap: time.Second})
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
				applied, err := s.FireReminders(ctx, owner, fires)
				assert.NoError(t, err)
				assert.Equal(t, len(fires), applied)
			}
		}(fmt.Sprintf("owner-%d", w))
	}
	wg.Wait()
	var rows, chats int
	require.NoError(t, s.DB().QueryRow(`SELECT count(*), count(DISTINCT chat_id) FROM outbox`).Scan(&rows, &chats))
	assert.Equal(t, n, rows)
	assert.Equal(t, n, chats)
	// Firing the same occurrence again (a stale batch) queues nothing.
	r, err := s.ChatReminders(ctx, 1)
	require.NoError(t, err)
	applied, err := s.FireReminders(ctx, "owner-0", []bot.ReminderFire{{Claimed: r[0], Next: r[0], Message: &bot.Message{HTML: "x"}, At: base}})
	require.NoError(t, err)
	assert.Zero(t, applied)
}

func TestReminderEventsOutliveDeletion(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	r, err := s.SetReminder(ctx, dueReminder(5, base), nil, base)
	require.NoError(t, err)
	require.NoError(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2026-12", base))
	require.NoError(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2026-12", base), "a redelivered press")
	require.NoError(t, s.MarkUnreachable(ctx, 5, base))
	require.NoError(t, s.DeleteChatReminders(ctx, 5, base))
	rs, err := s.ChatReminders(ctx, 5)
	require.NoError(t, err)
	assert.Empty(t, rs)
	var sent int
	require.NoError(t, s.DB().QueryRow(`SELECT count(*) FROM reminder_sent`).Scan(&sent))
	assert.Zero(t, sent, "occurrences go with the reminder")
	rows, err := s.DB().Query(`SELECT event, count(*) FROM reminder_events GROUP BY event ORDER BY event`)
	require.NoError(t, err)
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var e string
		var n int
		require.NoError(t, rows.Scan(&e, &n))
		got[e] = n
	}
	assert.Equal(t, map[string]int{"set": 1, "paid": 1, "blocked": 1, "deleted": 1}, got)
	assert.ErrorIs(t, s.ChangeReminder(ctx, r, bot.EventPaid, "paid:2027-01", base), bot.ErrNotFound)
}
