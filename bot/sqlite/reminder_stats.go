package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// ReminderMonth counts the reminder events of one kind in one month
// (Vietnam time).
type ReminderMonth struct {
	Month   string `json:"month"` // YYYY-MM
	Kind    string `json:"kind"`
	Set     int    `json:"set"`
	Sent    int    `json:"sent"`
	Paid    int    `json:"paid"` // "Đã đóng" / "Đã gia hạn"
	Snoozed int    `json:"snoozed"`
	Off     int    `json:"off"`
	Deleted int    `json:"deleted"`
	Blocked int    `json:"blocked"`
	Missed  int    `json:"missed"`
}

// ReminderStats is what faqctl reminders stats shows.
type ReminderStats struct {
	Active  map[string]int  `json:"active"`  // reminders on, by kind
	Blocked map[string]int  `json:"blocked"` // of those, paused: the chat refuses messages
	Months  []ReminderMonth `json:"months"`
}

// ReminderStats counts the reminders on now and the events since since
// (zero: all), by month and kind. Events hold no chat, so the counts
// include people who deleted their data since.
func (s *Store) ReminderStats(ctx context.Context, since time.Time) (ReminderStats, error) {
	st := ReminderStats{Active: map[string]int{}, Blocked: map[string]int{}, Months: []ReminderMonth{}}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, count(*), sum(blocked_at <> 0) FROM reminders GROUP BY kind`)
	if err != nil {
		return st, fmt.Errorf("sqlite: reminder stats: %w", normalize(err))
	}
	for rows.Next() {
		var kind string
		var n, blocked int
		if err := rows.Scan(&kind, &n, &blocked); err != nil {
			rows.Close()
			return st, fmt.Errorf("sqlite: reminder stats: %w", err)
		}
		st.Active[kind], st.Blocked[kind] = n, blocked
	}
	rows.Close()
	// Months in Vietnam (UTC+7, no daylight saving).
	rows, err = s.db.QueryContext(ctx, `SELECT strftime('%Y-%m', at / 1000, 'unixepoch', '+7 hours') AS m, kind, event, count(*)
		FROM reminder_events WHERE at >= ? GROUP BY m, kind, event ORDER BY m, kind`, since.UnixMilli())
	if err != nil {
		return st, fmt.Errorf("sqlite: reminder stats: %w", normalize(err))
	}
	defer rows.Close()
	for rows.Next() {
		var month, kind, event string
		var n int
		if err := rows.Scan(&month, &kind, &event, &n); err != nil {
			return st, fmt.Errorf("sqlite: reminder stats: %w", err)
		}
		if len(st.Months) == 0 || st.Months[len(st.Months)-1].Month != month || st.Months[len(st.Months)-1].Kind != kind {
			st.Months = append(st.Months, ReminderMonth{Month: month, Kind: kind})
		}
		m := &st.Months[len(st.Months)-1]
		switch event {
		case bot.EventSet:
			m.Set += n
		case bot.EventSent:
			m.Sent += n
		case bot.EventPaid:
			m.Paid += n
		case bot.EventSnoozed:
			m.Snoozed += n
		case bot.EventOff:
			m.Off += n
		case bot.EventDeleted:
			m.Deleted += n
		case bot.EventBlocked:
			m.Blocked += n
		case bot.EventMissed:
			m.Missed += n
		}
	}
	return st, rows.Err()
}
