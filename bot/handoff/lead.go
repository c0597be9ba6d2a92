package handoff

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Status is where a lead is in the funnel.
type Status string

// Lead statuses.
const (
	StatusNew           Status = "new"
	StatusClaimed       Status = "claimed"
	StatusContacted     Status = "contacted"
	StatusEnrolled      Status = "enrolled"
	StatusNotInterested Status = "not-interested"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusNew, StatusClaimed, StatusContacted, StatusEnrolled, StatusNotInterested:
		return true
	}
	return false
}

// Label is the status in Vietnamese for the card.
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "Mới, chưa ai nhận"
	case StatusClaimed:
		return "Đã có người nhận"
	case StatusContacted:
		return "Đã liên hệ"
	case StatusEnrolled:
		return "Đã tham gia"
	case StatusNotInterested:
		return "Không quan tâm"
	}
	return string(s)
}

// Lead is a person's consented request to be called back by an agent.
// Name and Phone are personal data: Lead redacts them in logs.
type Lead struct {
	ID         int64
	UserID     int64 // Telegram user who asked
	ChatID     int64 // their private chat with the bot
	AgentID    string
	ProvinceID string
	Commune    string
	Name       string
	Phone      string
	Context    string // the question or calculation that led here
	// PreferredTime is when the person would like the call ("" = giờ hành chính).
	PreferredTime string
	Attribution   string // agent code of the deep link the user came with, if any

	ConsentVersion string
	ConsentAt      time.Time
	// RecipientChatID and RecipientName are who the consent named; the phone
	// goes only to them and to FallbackChatID, which the consent also named.
	RecipientChatID int64
	RecipientName   string
	FallbackChatID  int64
	FallbackName    string

	Status      Status
	ClaimedBy   int64 // Telegram user id of the staff member who pressed Nhận
	CreatedAt   time.Time
	UpdatedAt   time.Time
	EscalateAt  time.Time // when an unclaimed lead goes to the fallback
	EscalatedAt time.Time // zero until escalated
	ContactedAt time.Time
	EnrolledAt  time.Time
}

// LogValue keeps the name and phone number out of logs.
func (l Lead) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("lead_id", l.ID),
		slog.String("agent", l.AgentID),
		slog.String("province", l.ProvinceID),
		slog.String("status", string(l.Status)),
		slog.String("name", "[redacted]"),
		slog.String("phone", "[redacted]"),
	)
}

// Consented reports whether the consent covers showing the phone in chat.
func (l Lead) Consented(chatID int64) bool {
	return chatID != 0 && (chatID == l.RecipientChatID || chatID == l.FallbackChatID)
}

// Outbox item kinds and states.
const (
	ItemCard       = "card"       // the lead card for the consented recipient
	ItemEscalation = "escalation" // the card again, for the fallback, when unclaimed

	StatePending = "pending"
	StateSending = "sending"
	StateSent    = "sent"
	StateDead    = "dead" // no chat could take it; kept for the funnel
)

// OutboxItem is one card to deliver.
type OutboxItem struct {
	ID          int64
	LeadID      int64
	Kind        string
	ChatID      int64
	WithPhone   bool
	State       string
	Attempts    int
	NextAttempt time.Time
	LeaseUntil  time.Time
	MessageID   int
	LastError   string // short, never personal data
	CreatedAt   time.Time
	SentAt      time.Time
}

// Redaction is a delivered lead card to clear because its lead was deleted
// (Reason RedactDeleted: /xoa; RedactExpired: the retention period ended).
type Redaction struct {
	ID        int64
	LeadID    int64
	ChatID    int64
	MessageID int
	Reason    string
	Attempts  int
}

// Redaction reasons.
const (
	RedactDeleted = "deleted"
	RedactExpired = "expired"
)

// Store errors.
var (
	ErrNotFound     = errors.New("handoff: not found")
	ErrNotRecipient = errors.New("handoff: this chat did not receive the card")
)

// Store is the durable state the hand-off needs; bot/sqlite implements it.
// Every method is safe for concurrent use.
type Store interface {
	// CreateLeadWithOutbox stores the lead and its first outbox item in one
	// transaction and returns the lead with its ID (item.LeadID is filled in).
	CreateLeadWithOutbox(ctx context.Context, l Lead, item OutboxItem) (Lead, error)
	// Lead returns a lead, or ErrNotFound.
	Lead(ctx context.Context, id int64) (Lead, error)
	// LatestLead returns the user's most recent lead, or ErrNotFound.
	LatestLead(ctx context.Context, userID int64) (Lead, error)
	// ClaimDue atomically moves up to limit items that are pending and due at
	// now — or stuck in "sending" past their lease (a crash) — to "sending"
	// with LeaseUntil = now+lease and Attempts+1, and returns them.
	ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// MarkSent records the delivered message.
	MarkSent(ctx context.Context, id int64, messageID int, now time.Time) error
	// MarkFailed puts the item back to pending for nextAttempt.
	MarkFailed(ctx context.Context, id int64, nextAttempt time.Time, errText string) error
	// Reroute sends the item to another chat from nextAttempt on.
	Reroute(ctx context.Context, id int64, chatID int64, withPhone bool, nextAttempt time.Time, errText string) error
	// MarkDead gives up on the item.
	MarkDead(ctx context.Context, id int64, errText string) error
	// DueEscalations returns leads still new whose EscalateAt ≤ now and that
	// were not escalated yet.
	DueEscalations(ctx context.Context, now time.Time, limit int) ([]Lead, error)
	// Escalate marks the lead escalated and, when item.ChatID ≠ 0, queues the
	// item, in one transaction.
	Escalate(ctx context.Context, leadID int64, item OutboxItem, now time.Time) error
	// SetLeadStatus changes the status when fromChat received the lead's card
	// (ErrNotRecipient otherwise; ErrNotFound for an unknown lead); claiming
	// leaves a lead already contacted, enrolled or not interested as it is.
	// It returns the lead and whether the card in that chat showed the phone.
	SetLeadStatus(ctx context.Context, leadID, fromChat, byUser int64, st Status, now time.Time) (Lead, bool, error)
	// PurgeLeads deletes leads created before cutoff with their outbox items,
	// queueing a Redaction (RedactExpired) for every card delivered.
	PurgeLeads(ctx context.Context, cutoff time.Time) (int, error)
	// DeleteUserLeads deletes every lead, outbox item and attribution of a
	// user, queueing a Redaction (RedactDeleted) for every card delivered.
	DeleteUserLeads(ctx context.Context, userID int64) error
	// DueRedactions returns up to limit redactions due at now.
	DueRedactions(ctx context.Context, now time.Time, limit int) ([]Redaction, error)
	// RedactionDone forgets a redaction.
	RedactionDone(ctx context.Context, id int64) error
	// RedactionFailed counts an attempt and sets the next one.
	RedactionFailed(ctx context.Context, id int64, next time.Time) error
	// SetAgentAttribution routes the user's hand-offs to agentID.
	SetAgentAttribution(ctx context.Context, userID int64, agentID string, now time.Time) error
	// AgentAttribution returns the agent the user came through, or "".
	AgentAttribution(ctx context.Context, userID int64) (string, error)
}
