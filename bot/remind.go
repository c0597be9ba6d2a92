package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Reminders are opt-in messages the bot sends on its own: before the
// deadline of each voluntary-SI payment period, before a household HI card
// expires, and the staff notices to people who subscribed with /tintuc. A
// reminder is a schedule kept in the store (ReminderStore); the Scheduler
// turns each occurrence into one message in the outbox, in the transaction
// that moves the schedule on, so the transport's sender delivers it exactly
// like a reply.

// ReminderKind is what a reminder is about.
type ReminderKind string

// Reminder kinds; a chat has at most one reminder of each kind.
const (
	RemindPay  ReminderKind = "pay"  // voluntary SI payment deadlines
	RemindCard ReminderKind = "card" // household HI card expiry
	RemindNews ReminderKind = "news" // staff notices (content/notices.yaml)
)

// Valid reports a known kind.
func (k ReminderKind) Valid() bool { return k == RemindPay || k == RemindCard || k == RemindNews }

// Reminder is one chat's schedule of one kind. It holds the chat id and what
// the schedule needs, nothing about the person: for payments the method, the
// current period, the income and support group the amount is computed with
// (Income zero: the lowest income of the day, which follows the floor) and
// the agent to pay at; for a card its expiry date.
type Reminder struct {
	ID     int64
	ChatID int64
	Kind   ReminderKind

	Months  int             // RemindPay: 1, 3, 6 or 12 months a payment
	Start   calc.Month      // RemindPay: first month of the current period
	Income  decimal.Decimal // RemindPay: chosen monthly income; zero: the floor of the day
	Group   calc.Group      // RemindPay: support group
	AgentID string          // RemindPay: the agent the person chose or came through ("": none)
	Expiry  time.Time       // RemindCard: the card's last valid day (a date in Vietnam)

	NextAt    time.Time // next occurrence; zero: none scheduled (a card reminded for the last time, news with nothing new)
	Seq       int       // occurrences so far (sent or skipped): the schedule's version
	FiredAt   time.Time // last occurrence sent (zero: none)
	BlockedAt time.Time // the chat refused the bot's messages then; zero: reachable
	CreatedAt time.Time
}

// Period is the payment period a RemindPay reminder is in.
func (r Reminder) Period() PayPeriod { return PayPeriod{Start: r.Start, Months: r.Months} }

// LogValue keeps the schedule out of logs: id, chat and kind only.
func (r Reminder) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", r.ID), slog.Int64("chat_id", r.ChatID), slog.String("kind", string(r.Kind)))
}

// Reminder events, counted for staff (faqctl reminders stats). Events carry
// the kind and the day, never the chat.
const (
	EventSet     = "set"     // turned on or changed
	EventSent    = "sent"    // an occurrence queued for delivery
	EventMissed  = "missed"  // an occurrence skipped: its period ended before it could be sent
	EventPaid    = "paid"    // "Đã đóng" / "Đã gia hạn"
	EventSnoozed = "snoozed" // "Nhắc lại sau 3 ngày"
	EventOff     = "off"     // "Tắt nhắc"
	EventDeleted = "deleted" // /xoa
	EventBlocked = "blocked" // the chat refused a message: reminders paused
)

// ReminderFire is one occurrence decided by the Scheduler: the message to
// queue (nil: nothing to send, the schedule only moves on) and the schedule
// after it. The store applies it only while Owner holds the lease and the
// reminder's Seq is still Claimed.Seq, so an occurrence is applied once.
type ReminderFire struct {
	Claimed    Reminder // as claimed (ID, Seq)
	Next       Reminder // the schedule after this occurrence (Start, Expiry, NextAt)
	Occurrence string   // unique per reminder: what was sent ("2026-10#1", "card-30", "n:<notice>")
	Message    *Message // queued in the outbox in the same transaction; nil: none
	Event      string   // EventSent or EventMissed
	At         time.Time
}

// ReminderClaim is one round of the Scheduler.
type ReminderClaim struct {
	Now   time.Time
	Owner string        // who takes the lease: one scheduling process
	Lease time.Duration // how long the claimed reminders are reserved
	Limit int           // most reminders taken
	// Gap is the least time between two messages to one chat: a chat with
	// a reminder fired within Gap, or with anything still waiting in the
	// outbox, is left for a later round.
	Gap time.Duration
}

// ReminderStore keeps the reminders; bot/sqlite implements it (and a
// PostgreSQL store can: the claim is an UPDATE … SET lease_until on due
// rows, FOR UPDATE SKIP LOCKED there). Errors are the store's named errors.
type ReminderStore interface {
	// SetReminder inserts or replaces the chat's reminder of r.Kind (the
	// schedule starts again: Seq moves on, lease and block cleared),
	// records the occurrence keys seen as already sent (the notices the
	// person just read) and counts EventSet. It returns the stored reminder.
	SetReminder(ctx context.Context, r Reminder, seen []string, at time.Time) (Reminder, error)
	// ChatReminders returns the chat's reminders, by kind.
	ChatReminders(ctx context.Context, chatID int64) ([]Reminder, error)
	// ChangeReminder applies a person's press on a reminder (Đã đóng, Nhắc
	// lại, Đã gia hạn): it stores r's schedule (Start, Expiry, NextAt)
	// when the reminder still has r.Seq, and counts the event once per
	// occurrence key (a redelivered press counts once). ErrNotFound: gone;
	// ErrConflict: it moved on meanwhile (nothing changed).
	ChangeReminder(ctx context.Context, r Reminder, event, occurrence string, at time.Time) error
	// StopReminder deletes the chat's reminder of kind and counts EventOff;
	// false when there was none.
	StopReminder(ctx context.Context, chatID int64, kind ReminderKind, at time.Time) (bool, error)
	// DeleteChatReminders deletes every reminder of the chat (/xoa),
	// counting EventDeleted for each.
	DeleteChatReminders(ctx context.Context, chatID int64, at time.Time) error
	// ReachableChat clears the chat's block (the person wrote again).
	ReachableChat(ctx context.Context, chatID int64) error
	// ClaimReminders leases to c.Owner, until c.Now+c.Lease, at most
	// c.Limit reminders due at c.Now (NextAt ≤ Now), not leased, not
	// blocked, at most one per chat and none for a chat within c.Gap of its
	// last reminder or with replies waiting in the outbox; oldest due first.
	ClaimReminders(ctx context.Context, c ReminderClaim) ([]Reminder, error)
	// FireReminders applies the occurrences in one transaction: for each
	// whose reminder owner still leases at Claimed.Seq it queues the
	// message in the outbox, records the occurrence, stores Next (Seq+1,
	// lease released) and counts the event; the others are left out. It
	// returns how many were applied.
	FireReminders(ctx context.Context, owner string, fires []ReminderFire) (int, error)
	// ReleaseReminders gives back owner's leases on ids (nil: all of them).
	ReleaseReminders(ctx context.Context, owner string, ids []int64) error
	// WakeNews makes due at now every news subscription that has not sent
	// one of the occurrences keys (the notices in force changed).
	WakeNews(ctx context.Context, now time.Time, keys []string) error
	// WaitingReplies counts the messages waiting in the outbox: reminders
	// are not claimed while Telegram is slow to take them.
	WaitingReplies(ctx context.Context) (int, error)
	// SentOccurrences returns which of keys reminder id already sent.
	SentOccurrences(ctx context.Context, id int64, keys []string) (map[string]bool, error)
	// DueReminders returns, without leasing, the reminders due at now
	// (NextAt ≤ now) and every news subscription, for a dry run.
	DueReminders(ctx context.Context, now time.Time) ([]Reminder, error)
}

// ReminderPruner is a ReminderStore that deletes what has nothing left to
// remind (optional: the Scheduler prunes when its store implements it):
// card reminders sent for the last time whose card expired more than
// cardDone ago, and the reminders of chats that refused the bot for longer
// than blocked, counting EventDeleted for each. It returns how many it
// deleted.
type ReminderPruner interface {
	PruneReminders(ctx context.Context, now time.Time, cardDone, blocked time.Duration) (int, error)
}

// Notice is a staff notice in force, rendered for a day, with a key that
// stays the same while its text and start do.
type Notice struct {
	Key  string
	HTML string
}

// NoticeSource gives the staff notices in force on a day (*faq.Index,
// adapted in cmd/bhxhbot).
type NoticeSource interface {
	Notices(d time.Time) []Notice
}

// AgentInfo is what a reminder says about the agent to pay at.
type AgentInfo struct {
	ID, Name, Kind, Address, Phone string
}

// AgentBook finds agents for reminders (the hand-off's directory and leads,
// adapted in cmd/bhxhbot).
type AgentBook interface {
	// Agent returns an agent of the directory by id.
	Agent(id string) (AgentInfo, bool)
	// ChosenAgent returns the id of the agent the user asked to call back
	// or came through (a QR code), or "".
	ChosenAgent(ctx context.Context, userID int64) (string, error)
}
