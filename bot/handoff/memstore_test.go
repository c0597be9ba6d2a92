package handoff

import (
	"context"
	"sync"
	"time"
)

// memStore is an in-memory Store for unit tests; bot/sqlite has the real one
// and its own tests against the same contract.
type memStore struct {
	mu     sync.Mutex
	leads  map[int64]Lead
	items  map[int64]OutboxItem
	attr   map[int64]string
	redact map[int64]Redaction
	// redactNext is when each redaction is due (zero: now).
	redactNext map[int64]time.Time
	nextID     int64
}

func newMemStore() *memStore {
	return &memStore{leads: map[int64]Lead{}, items: map[int64]OutboxItem{}, attr: map[int64]string{},
		redact: map[int64]Redaction{}, redactNext: map[int64]time.Time{}}
}

func (m *memStore) id() int64 { m.nextID++; return m.nextID }

func (m *memStore) CreateLeadWithOutbox(_ context.Context, l Lead, it OutboxItem) (Lead, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.ID = m.id()
	m.leads[l.ID] = l
	it.ID, it.LeadID = m.id(), l.ID
	m.items[it.ID] = it
	return l, nil
}

func (m *memStore) Lead(_ context.Context, id int64) (Lead, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leads[id]
	if !ok {
		return Lead{}, ErrNotFound
	}
	return l, nil
}

func (m *memStore) LatestLead(_ context.Context, userID int64) (Lead, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id := m.nextID; id > 0; id-- {
		if l, ok := m.leads[id]; ok && l.UserID == userID {
			return l, nil
		}
	}
	return Lead{}, ErrNotFound
}

func (m *memStore) ClaimDue(_ context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []OutboxItem
	for id := int64(1); id <= m.nextID && len(out) < limit; id++ {
		it, ok := m.items[id]
		if !ok {
			continue
		}
		due := (it.State == StatePending && !it.NextAttempt.After(now)) || (it.State == StateSending && !it.LeaseUntil.After(now))
		if !due {
			continue
		}
		it.State, it.LeaseUntil, it.Attempts = StateSending, now.Add(lease), it.Attempts+1
		m.items[id] = it
		out = append(out, it)
	}
	return out, nil
}

func (m *memStore) update(id int64, f func(*OutboxItem)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[id]
	if !ok {
		return ErrNotFound
	}
	f(&it)
	m.items[id] = it
	return nil
}

func (m *memStore) MarkSent(_ context.Context, id int64, msgID int, now time.Time) error {
	return m.update(id, func(it *OutboxItem) { it.State, it.MessageID, it.SentAt = StateSent, msgID, now })
}

func (m *memStore) MarkFailed(_ context.Context, id int64, next time.Time, e string) error {
	return m.update(id, func(it *OutboxItem) { it.State, it.NextAttempt, it.LastError = StatePending, next, e })
}

func (m *memStore) Reroute(_ context.Context, id, chat int64, withPhone bool, next time.Time, e string) error {
	return m.update(id, func(it *OutboxItem) {
		it.State, it.ChatID, it.WithPhone, it.NextAttempt, it.LastError, it.Attempts = StatePending, chat, withPhone, next, e, 0
	})
}

func (m *memStore) MarkDead(_ context.Context, id int64, e string) error {
	return m.update(id, func(it *OutboxItem) { it.State, it.LastError = StateDead, e })
}

func (m *memStore) DueEscalations(_ context.Context, now time.Time, limit int) ([]Lead, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Lead
	for id := int64(1); id <= m.nextID && len(out) < limit; id++ {
		l, ok := m.leads[id]
		if ok && l.Status == StatusNew && l.EscalatedAt.IsZero() && !l.EscalateAt.After(now) {
			out = append(out, l)
		}
	}
	return out, nil
}

func (m *memStore) Escalate(_ context.Context, leadID int64, it OutboxItem, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leads[leadID]
	if !ok {
		return ErrNotFound
	}
	l.EscalatedAt = now
	m.leads[leadID] = l
	if it.ChatID != 0 {
		it.ID, it.LeadID = m.id(), leadID
		m.items[it.ID] = it
	}
	return nil
}

func (m *memStore) SetLeadStatus(_ context.Context, leadID, fromChat, byUser int64, st Status, now time.Time) (Lead, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leads[leadID]
	if !ok {
		return Lead{}, false, ErrNotFound
	}
	found, withPhone := false, false
	for _, it := range m.items {
		if it.LeadID == leadID && it.ChatID == fromChat && it.State == StateSent {
			found, withPhone = true, withPhone || it.WithPhone
		}
	}
	if !found {
		return Lead{}, false, ErrNotRecipient
	}
	if st != StatusClaimed || l.Status == StatusNew {
		l.Status = st
	}
	l.UpdatedAt = now
	if st == StatusClaimed && l.ClaimedBy == 0 {
		l.ClaimedBy = byUser
	}
	m.leads[leadID] = l
	return l, withPhone, nil
}

func (m *memStore) PurgeLeads(_ context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, l := range m.leads {
		if l.CreatedAt.Before(cutoff) {
			m.dropLead(id, RedactExpired)
			n++
		}
	}
	return n, nil
}

func (m *memStore) dropLead(id int64, reason string) {
	delete(m.leads, id)
	for iid, it := range m.items {
		if it.LeadID == id {
			if it.State == StateSent && it.MessageID > 0 {
				rid := m.id()
				m.redact[rid] = Redaction{ID: rid, LeadID: id, ChatID: it.ChatID, MessageID: it.MessageID, Reason: reason}
			}
			delete(m.items, iid)
		}
	}
}

func (m *memStore) DueRedactions(_ context.Context, now time.Time, limit int) ([]Redaction, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Redaction
	for id := int64(1); id <= m.nextID && len(out) < limit; id++ {
		if r, ok := m.redact[id]; ok && !m.redactNext[id].After(now) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) RedactionDone(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.redact, id)
	return nil
}

func (m *memStore) RedactionFailed(_ context.Context, id int64, next time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.redact[id]
	if !ok {
		return ErrNotFound
	}
	r.Attempts++
	m.redact[id] = r
	m.redactNext[id] = next
	return nil
}

func (m *memStore) DeleteUserLeads(_ context.Context, userID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, l := range m.leads {
		if l.UserID == userID {
			m.dropLead(id, RedactDeleted)
		}
	}
	delete(m.attr, userID)
	return nil
}

func (m *memStore) SetAgentAttribution(_ context.Context, userID int64, agentID string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attr[userID] = agentID
	return nil
}

func (m *memStore) AgentAttribution(_ context.Context, userID int64) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.attr[userID], nil
}

var _ Store = (*memStore)(nil)
