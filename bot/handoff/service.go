package handoff

import (
	"context"
	"errors"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// DefaultEscalateAfter is how much opening time an unclaimed lead waits
// before it goes to the fallback chat.
const DefaultEscalateAfter = 4 * time.Hour

// DefaultOfficeHours is used for working-time sums when an agent has no
// schedule.
const DefaultOfficeHours = "T2-T6 07:30-11:30,13:30-17:00"

// Config tunes the hand-off service; zero fields take the defaults.
type Config struct {
	StaffChatID   int64         // BHXHBOT_STAFF_CHAT
	Retention     time.Duration // lead retention (default 90 days)
	EscalateAfter time.Duration // working time before escalation (default 4 h)
}

func (c Config) withDefaults() Config {
	if c.Retention <= 0 {
		c.Retention = DefaultRetention
	}
	if c.EscalateAfter <= 0 {
		c.EscalateAfter = DefaultEscalateAfter
	}
	return c
}

// RetentionDays is the retention in whole days, for texts.
func (c Config) RetentionDays() int { return int(c.withDefaults().Retention / (24 * time.Hour)) }

// Service creates leads and handles card buttons; the conversation flow and
// the outbox share it.
type Service struct {
	Dir   *agents.Directory
	store Store
	cfg   Config
}

// NewService builds the service.
func NewService(dir *agents.Directory, store Store, cfg Config) *Service {
	return &Service{Dir: dir, store: store, cfg: cfg.withDefaults()}
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// Request is a consented call-back request.
type Request struct {
	UserID, ChatID int64
	AgentID        string
	Commune        string
	Name, Phone    string
	Context        string
	PreferredTime  string
	ConsentVersion string // the version of the text the person saw
	ConsentAt      time.Time
}

// ErrNoRecipient means no chat can receive a lead for that agent.
var ErrNoRecipient = errors.New("handoff: nobody can receive leads for this agent")

// ErrAlreadySent means the person already has an open request (nobody has
// called yet) to the same agent; CreateLead returns that lead with it.
var ErrAlreadySent = errors.New("handoff: a call-back request to this agent is already open")

// openRequestWindow is how long an unanswered request to an agent stands for
// any new one to the same agent: a lost confirmation or a second tap must not
// put a second card in front of the agent.
const openRequestWindow = 7 * 24 * time.Hour

// RouteFor is the recipient of a lead for an agent (see Route).
func (s *Service) RouteFor(a *agents.Agent) (Recipient, bool) {
	var p *agents.Province
	if a != nil {
		p, _ = s.Dir.Province(a.ProvinceID)
	}
	return Route(a, p, s.cfg.StaffChatID)
}

// IsCardChat reports whether chatID receives lead cards: the staff chat, a
// province's staff group or an agent's chat.
func (s *Service) IsCardChat(chatID int64) bool {
	if chatID == 0 {
		return false
	}
	if chatID == s.cfg.StaffChatID {
		return true
	}
	for _, p := range s.Dir.Provinces {
		if p.StaffChatID == chatID {
			return true
		}
	}
	for _, a := range s.Dir.Agents {
		if a.ChatID == chatID {
			return true
		}
	}
	return false
}

// CreateLead stores a lead and queues its card in one transaction; only
// after it returns may the person be told the request was sent. Errors:
// ErrNotFound for an unknown agent, ErrNoRecipient, ErrAlreadySent (with the
// open lead) when the person's earlier request to that agent is still
// waiting for a call, or the store's.
func (s *Service) CreateLead(ctx context.Context, r Request, now time.Time) (Lead, error) {
	a, ok := s.Dir.Agent(r.AgentID)
	if !ok {
		return Lead{}, fmt.Errorf("handoff: agent %q: %w", r.AgentID, ErrNotFound)
	}
	rcp, ok := s.RouteFor(a)
	if !ok {
		return Lead{}, ErrNoRecipient
	}
	if r.ConsentVersion == "" || r.ConsentAt.IsZero() {
		return Lead{}, errors.New("handoff: a lead needs the consent version and time")
	}
	switch prev, err := s.store.LatestLead(ctx, r.UserID); {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return Lead{}, fmt.Errorf("handoff: earlier request: %w", err)
	case prev.AgentID == a.ID && (prev.Status == StatusNew || prev.Status == StatusClaimed) && now.Sub(prev.CreatedAt) < openRequestWindow:
		return prev, ErrAlreadySent
	}
	attr, err := s.store.AgentAttribution(ctx, r.UserID)
	if err != nil {
		return Lead{}, fmt.Errorf("handoff: attribution: %w", err)
	}
	phone := strings.TrimSpace(r.Phone)
	if d, err := agents.NormalizePhone(phone); err == nil {
		phone = d // "+84 912…" and "0912…" are stored alike; foreign numbers as given
	}
	hours := a.Hours
	if hours.IsZero() {
		hours, _ = agents.ParseHours(DefaultOfficeHours)
	}
	l := Lead{
		UserID: r.UserID, ChatID: r.ChatID, AgentID: a.ID, ProvinceID: a.ProvinceID,
		Commune: strings.TrimSpace(r.Commune), Name: strings.TrimSpace(r.Name), Phone: phone,
		Context: shorten(r.Context, 500), PreferredTime: shorten(r.PreferredTime, 100), Attribution: attr,
		ConsentVersion: r.ConsentVersion, ConsentAt: r.ConsentAt,
		RecipientChatID: rcp.ChatID, RecipientName: rcp.Name, FallbackChatID: rcp.FallbackChat, FallbackName: rcp.FallbackName,
		Status: StatusNew, CreatedAt: now, UpdatedAt: now,
		EscalateAt: hours.AddWorking(now, s.cfg.EscalateAfter),
	}
	item := OutboxItem{Kind: ItemCard, ChatID: rcp.ChatID, WithPhone: true, State: StatePending, NextAttempt: now, CreatedAt: now}
	return s.store.CreateLeadWithOutbox(ctx, l, item)
}

// ExpectedCallAt says when the person can expect the call from a recipient
// open during h, in the part of the day they chose (pref: "sang", "chieu"
// or "any"): "trong giờ làm việc hôm nay", "trong chiều nay", or the next
// opening in that part of the day.
func ExpectedCallAt(h agents.Hours, now time.Time, pref string) string {
	from, to, part := 0, 24*60, ""
	switch pref {
	case "sang":
		to, part = 12*60, "sáng"
	case "chieu":
		from, part = 12*60, "chiều"
	}
	next := h.NextOpeningWithin(now, from, to)
	switch {
	case h.IsZero() || next.IsZero():
		return "trong giờ hành chính"
	case !next.After(now) && part == "":
		return "trong giờ làm việc hôm nay"
	case !next.After(now):
		return "trong " + part + " nay"
	case part == "":
		return "từ " + agents.WhenText(now, next) + " (giờ mở cửa tiếp theo)"
	}
	return "từ " + agents.WhenText(now, next) + " (buổi " + part + ", như bạn chọn)"
}

// ExpectedCall is ExpectedCallAt for an agent's hours, any time of day.
func ExpectedCall(a *agents.Agent, now time.Time) string {
	if a == nil {
		return "trong giờ hành chính"
	}
	return ExpectedCallAt(a.Hours, now, "any")
}

// PressCard handles a press on a card button, pressed in chatID by userID.
// It returns the toast for the presser and the card to edit in place (nil
// when nothing changes). Presses from a chat that did not receive the card
// change nothing.
func (s *Service) PressCard(ctx context.Context, id int64, action string, chatID, userID int64, messageID int, now time.Time) (string, *bot.Message, error) {
	return s.PressCardBy(ctx, id, action, chatID, userID, "", messageID, now)
}

// PressCardBy is PressCard that names the presser (their Telegram first
// name) on the card, so a group sees who took the request.
func (s *Service) PressCardBy(ctx context.Context, id int64, action string, chatID, userID int64, name string, messageID int, now time.Time) (string, *bot.Message, error) {
	st, ok := actionStatus(action)
	if !ok || id <= 0 {
		return "Nút không hợp lệ", nil, nil
	}
	before, _ := s.store.Lead(ctx, id)
	l, withPhone, err := s.store.SetLeadStatus(ctx, id, chatID, userID, st, now)
	switch {
	case errors.Is(err, ErrNotFound):
		return "Yêu cầu này đã bị xoá", nil, nil
	case errors.Is(err, ErrNotRecipient):
		return "Phiếu này không gửi cho nhóm này", nil, nil
	case err != nil:
		return "", nil, err
	}
	if before.Status == l.Status {
		// Nothing changed (the same button again, or a late "Nhận"); editing
		// the card to the same text would fail.
		return toastAlreadyRecorded + l.Status.Label(), nil, nil
	}
	in := CardInput{Lead: l, ChatID: chatID, WithPhone: withPhone, Now: now, By: strings.TrimSpace(name)}
	in.Agent, _ = s.Dir.Agent(l.AgentID)
	in.Province, _ = s.Dir.Province(l.ProvinceID)
	m := CardMessage(in)
	m.EditMessageID = messageID
	return toastRecorded + st.Label(), &m, nil
}

// Attribute routes a user's hand-offs to the agent whose code they came
// with, and returns that agent (nil for an unknown code).
func (s *Service) Attribute(ctx context.Context, userID int64, code string, now time.Time) (*agents.Agent, error) {
	a, ok := s.Dir.Agent(strings.ToLower(strings.TrimSpace(code)))
	if !ok {
		return nil, nil
	}
	return a, s.store.SetAgentAttribution(ctx, userID, a.ID, now)
}

// AttributedAgent returns the agent a user came through, if it is still in
// the directory.
func (s *Service) AttributedAgent(ctx context.Context, userID int64) (*agents.Agent, error) {
	id, err := s.store.AgentAttribution(ctx, userID)
	if err != nil || id == "" {
		return nil, err
	}
	a, _ := s.Dir.Agent(id)
	return a, nil
}

// DeleteUser removes the user's leads, their queued cards and attribution.
func (s *Service) DeleteUser(ctx context.Context, userID int64) error {
	return s.store.DeleteUserLeads(ctx, userID)
}
