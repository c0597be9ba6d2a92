package bot

import "time"

// What the stores report to the staff tools and the main loop. The types are
// declared here so that every store adapter (bot/sqlite, bot/postgres)
// returns the same ones.

// ReportRow is one group of similar questions (same folded text), for
// faqctl report.
type ReportRow struct {
	Kind   string    `json:"kind"`   // "unanswered", "clarify", "rejected" (none of the choices) or "thumbs-down"
	Text   string    `json:"text"`   // one example, scrubbed
	FAQID  string    `json:"faq_id"` // for thumbs-down: the answer; otherwise the best candidate
	Count  int       `json:"count"`
	Users  int       `json:"users"`
	LastAt time.Time `json:"last_at"`
}

// PruneStats says how many rows a store's Prune removed. Skipped is true
// when another process sharing the database was pruning at that moment
// (PostgreSQL with several replicas), so this one removed nothing.
type PruneStats struct {
	Updates, States, Questions, Feedback, Attribution int64
	Skipped                                           bool
}

// OutboxStats is how much waits in the outbox of replies.
type OutboxStats struct {
	Depth  int       // replies not yet delivered
	Oldest time.Time // creation of the oldest (zero when empty)
}

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

// AddEvents counts n events of kind in month; the store reads the counts
// ordered by month and kind.
func (st *ReminderStats) AddEvents(month, kind, event string, n int) {
	if len(st.Months) == 0 || st.Months[len(st.Months)-1].Month != month || st.Months[len(st.Months)-1].Kind != kind {
		st.Months = append(st.Months, ReminderMonth{Month: month, Kind: kind})
	}
	m := &st.Months[len(st.Months)-1]
	switch event {
	case EventSet:
		m.Set += n
	case EventSent:
		m.Sent += n
	case EventPaid:
		m.Paid += n
	case EventSnoozed:
		m.Snoozed += n
	case EventOff:
		m.Off += n
	case EventDeleted:
		m.Deleted += n
	case EventBlocked:
		m.Blocked += n
	case EventMissed:
		m.Missed += n
	}
}
