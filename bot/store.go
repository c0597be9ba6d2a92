package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Store keeps what the engine needs between events. It is declared here, by
// its consumer; bot/sqlite and bot/postgres implement it. Implementations
// must be safe for concurrent use.
type Store interface {
	// LockChat keeps every other process sharing the store (replicas on one
	// PostgreSQL) from handling an event of the chat until unlock is
	// called; the engine serialises the chats of its own process itself. A
	// store only one process uses (SQLite) may do nothing. Errors:
	// ErrUnavailable when the lock could not be taken (the database is
	// unreachable, or another process held the chat until ctx ended).
	LockChat(ctx context.Context, chatID int64) (unlock func(), err error)
	// Handled reports whether the update id was already recorded as handled
	// (a redelivery that must not be answered again).
	Handled(ctx context.Context, updateID int64) (bool, error)
	// LoadState returns the chat's state, or ErrNotFound.
	LoadState(ctx context.Context, chatID int64) (*ChatState, error)
	// Commit writes everything handling one event changed in one
	// transaction: the update id recorded as handled, the chat's state and
	// the replies appended to the outbox. Errors: ErrDuplicate when the
	// update id was recorded meanwhile (nothing is written);
	// ErrUnavailable when the database cannot be written (disk full,
	// read-only, I/O error, damaged): the caller may try again later.
	Commit(ctx context.Context, c Commit) error
	// AddFeedback records a 👍/👎 on an answer.
	AddFeedback(ctx context.Context, f Feedback) error
	// AddQuestion records an unanswered or low-confidence question, already scrubbed.
	AddQuestion(ctx context.Context, q Question) error
	// SetAttribution keeps the deep-link payload a user came with.
	SetAttribution(ctx context.Context, userID int64, payload string, at time.Time) error
	// DeleteUser removes everything stored about the user and their chat,
	// replies not yet delivered to the chat included.
	DeleteUser(ctx context.Context, userID, chatID int64) error
}

// Commit is what handling one event changes, written at once by
// Store.Commit: either all of it is stored or none of it.
type Commit struct {
	UpdateID int64      // recorded as handled when not 0
	At       time.Time  // when the event was handled, by the wall clock (replies age from it)
	State    *ChatState // saved (insert or replace) when not nil
	// Outbox holds the replies, in order, each with its ChatID set. They
	// stay in the store until the transport's sender has delivered them
	// (or given up on them), so a crash or Telegram's trouble loses none.
	Outbox []Message
}

// Queued is a reply waiting in the outbox, as the transport's sender takes it.
type Queued struct {
	ID        int64 // order of sending within the chat
	ChatID    int64
	UpdateID  int64 // the update it answers (0: none)
	Message   Message
	CreatedAt time.Time
	Attempts  int // failed attempts so far
}

// OutboxClaim is what a sender asks for in one round (Outbox.ClaimOutbox
// in bot/telegram).
type OutboxClaim struct {
	Now     time.Time
	Owner   string        // who takes the lease: one sending process
	Lease   time.Duration // how long the claimed replies are reserved
	Chats   int           // most chats taken
	PerChat int           // most replies taken per chat
	Skip    []int64       // chats the sender is busy with
}

// Named store errors; adapters map driver errors onto these.
var (
	ErrNotFound    = errors.New("bot: not found")
	ErrConflict    = errors.New("bot: conflict")
	ErrUnavailable = errors.New("bot: store unavailable")
	ErrDuplicate   = errors.New("bot: update already handled")
	// ErrNewerSchema: the database was brought to a schema version this
	// program does not know (a newer bhxhbot ran on it).
	ErrNewerSchema = errors.New("bot: database from a newer version")
)

// CheckSchema returns ErrNewerSchema, naming them, when applied (the
// migrations recorded in a database) holds names that known (this
// program's migrations) does not: a newer bhxhbot migrated the database,
// and this one would read and write tables it does not understand.
func CheckSchema(db string, applied, known []string) error {
	have := make(map[string]bool, len(known))
	for _, k := range known {
		have[k] = true
	}
	var unknown []string
	for _, a := range applied {
		if !have[a] {
			unknown = append(unknown, a)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s has migrations this program does not know (%s). "+
		"Run the newer bhxhbot (and faqctl) on it, or restore a backup made before the upgrade",
		ErrNewerSchema, db, strings.Join(unknown, ", "))
}

// Feedback is a 👍 (Vote=1) or 👎 (Vote=-1) on an answer.
type Feedback struct {
	UserID   int64
	ChatID   int64
	FAQID    string
	Vote     int
	Question string // the question that led to the answer, scrubbed; may be empty
	At       time.Time
}

// Question is a question the bot could not answer confidently.
type Question struct {
	UserID   int64
	ChatID   int64
	Text     string // scrubbed
	Folded   string // vitext.Fold of Text, for grouping
	Decision string // "none" or "clarify"
	TopID    string // best candidate, may be empty
	At       time.Time
}
