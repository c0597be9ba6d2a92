package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// ReminderMonth and ReminderStats are declared in package bot, for both stores.
type (
	ReminderMonth = bot.ReminderMonth
	ReminderStats = bot.ReminderStats
)

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
		st.AddEvents(month, kind, event, n)
	}
	return st, rows.Err()
}
