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
