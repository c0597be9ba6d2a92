package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
)

// The hand-off store (issue 5): leads, their outbox and the agent
// attribution of deep links, on the same database as the engine.

var _ handoff.Store = (*Store)(nil)

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateLeadWithOutbox stores the lead and its first outbox item in one
// transaction.
func (s *Store) CreateLeadWithOutbox(ctx context.Context, l handoff.Lead, it handoff.OutboxItem) (handoff.Lead, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return l, fmt.Errorf("sqlite: create lead: %w", normalize(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO leads(user_id, chat_id, agent_id, province_id, commune, name, phone,
		context, preferred_time, attribution, consent_version, consent_at, recipient_chat, recipient_name,
		fallback_chat, fallback_name, status, claimed_by, created_at, updated_at, escalate_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		l.UserID, l.ChatID, l.AgentID, l.ProvinceID, l.Commune, l.Name, l.Phone,
		l.Context, l.PreferredTime, l.Attribution, l.ConsentVersion, unix(l.ConsentAt), l.RecipientChatID, l.RecipientName,
		l.FallbackChatID, l.FallbackName, string(l.Status), l.ClaimedBy, unix(l.CreatedAt), unix(l.UpdatedAt), unix(l.EscalateAt))
	if err != nil {
		return l, fmt.Errorf("sqlite: create lead: %w", normalize(err))
	}
	if l.ID, err = res.LastInsertId(); err != nil {
		return l, fmt.Errorf("sqlite: create lead: %w", normalize(err))
	}
	it.LeadID = l.ID
	if err := insertItem(ctx, tx, it); err != nil {
		return l, err
	}
	if err := tx.Commit(); err != nil {
		return l, fmt.Errorf("sqlite: create lead: %w", normalize(err))
	}
	return l, nil
}

func insertItem(ctx context.Context, tx *sql.Tx, it handoff.OutboxItem) error {
	state := it.State
	if state == "" {
		state = handoff.StatePending
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO lead_outbox(lead_id, kind, chat_id, with_phone, state, next_attempt, created_at)
		VALUES (?,?,?,?,?,?,?)`, it.LeadID, it.Kind, it.ChatID, b2i(it.WithPhone), state, unix(it.NextAttempt), unix(it.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: queue lead card: %w", normalize(err))
	}
	return nil
}

const leadCols = `id, user_id, chat_id, agent_id, province_id, commune, name, phone, context, preferred_time,
	attribution, consent_version, consent_at, recipient_chat, recipient_name, fallback_chat, fallback_name,
	status, claimed_by, created_at, updated_at, escalate_at, escalated_at, contacted_at, enrolled_at`

type scanner interface{ Scan(dest ...any) error }

func scanLead(r scanner) (handoff.Lead, error) {
	var (
		l                                                           handoff.Lead
		status                                                      string
		consent, created, updated, escAt, escd, contacted, enrolled int64
	)
	err := r.Scan(&l.ID, &l.UserID, &l.ChatID, &l.AgentID, &l.ProvinceID, &l.Commune, &l.Name, &l.Phone, &l.Context,
		&l.PreferredTime, &l.Attribution, &l.ConsentVersion, &consent, &l.RecipientChatID, &l.RecipientName,
		&l.FallbackChatID, &l.FallbackName, &status, &l.ClaimedBy, &created, &updated, &escAt, &escd, &contacted, &enrolled)
	if err != nil {
		return l, err
	}
	l.Status = handoff.Status(status)
	l.ConsentAt, l.CreatedAt, l.UpdatedAt = fromUnix(consent), fromUnix(created), fromUnix(updated)
	l.EscalateAt, l.EscalatedAt = fromUnix(escAt), fromUnix(escd)
	l.ContactedAt, l.EnrolledAt = fromUnix(contacted), fromUnix(enrolled)
	return l, nil
}

// Lead returns a lead or handoff.ErrNotFound.
func (s *Store) Lead(ctx context.Context, id int64) (handoff.Lead, error) {
	l, err := scanLead(s.db.QueryRowContext(ctx, `SELECT `+leadCols+` FROM leads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, handoff.ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("sqlite: lead: %w", normalize(err))
	}
	return l, nil
}

// LatestLead returns the user's most recent lead or handoff.ErrNotFound.
func (s *Store) LatestLead(ctx context.Context, userID int64) (handoff.Lead, error) {
	l, err := scanLead(s.db.QueryRowContext(ctx, `SELECT `+leadCols+` FROM leads WHERE user_id = ? ORDER BY id DESC LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return l, handoff.ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("sqlite: latest lead: %w", normalize(err))
	}
	return l, nil
}

const itemCols = `id, lead_id, kind, chat_id, with_phone, state, attempts, next_attempt, lease_until, message_id, last_error, created_at, sent_at`

func scanItem(r scanner) (handoff.OutboxItem, error) {
	var (
		it                           handoff.OutboxItem
		withPhone                    int
		next, lease, created, sentAt int64
	)
	err := r.Scan(&it.ID, &it.LeadID, &it.Kind, &it.ChatID, &withPhone, &it.State, &it.Attempts, &next, &lease,
		&it.MessageID, &it.LastError, &created, &sentAt)
	it.WithPhone = withPhone != 0
	it.NextAttempt, it.LeaseUntil, it.CreatedAt, it.SentAt = fromUnix(next), fromUnix(lease), fromUnix(created), fromUnix(sentAt)
	return it, err
}

// ClaimDue moves due items (pending and due, or sending with an expired
// lease) to "sending" in one statement and returns them in id order.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]handoff.OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, `UPDATE lead_outbox SET state = 'sending', lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM lead_outbox
			WHERE (state = 'pending' AND next_attempt <= ?) OR (state = 'sending' AND lease_until <= ?)
			ORDER BY id LIMIT ?)
		RETURNING `+itemCols, now.Add(lease).Unix(), now.Unix(), now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim outbox: %w", normalize(err))
	}
	defer rows.Close()
	var out []handoff.OutboxItem
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: claim outbox: %w", normalize(err))
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claim outbox: %w", normalize(err))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) execItem(ctx context.Context, what, q string, args ...any) error {
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, normalize(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: %s: %w", what, handoff.ErrNotFound)
	}
	return nil
}

// MarkSent records the delivered message id.
func (s *Store) MarkSent(ctx context.Context, id int64, messageID int, now time.Time) error {
	return s.execItem(ctx, "mark sent", `UPDATE lead_outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = '' WHERE id = ?`,
		messageID, now.Unix(), id)
}

// MarkFailed puts the item back to pending for nextAttempt.
func (s *Store) MarkFailed(ctx context.Context, id int64, nextAttempt time.Time, errText string) error {
	return s.execItem(ctx, "mark failed", `UPDATE lead_outbox SET state = 'pending', next_attempt = ?, last_error = ? WHERE id = ? AND state = 'sending'`,
		nextAttempt.Unix(), errText, id)
}

// Reroute sends the item to another chat, with fresh attempts.
func (s *Store) Reroute(ctx context.Context, id int64, chatID int64, withPhone bool, nextAttempt time.Time, errText string) error {
	return s.execItem(ctx, "reroute", `UPDATE lead_outbox SET state = 'pending', chat_id = ?, with_phone = ?, attempts = 0,
		next_attempt = ?, last_error = ? WHERE id = ?`, chatID, b2i(withPhone), nextAttempt.Unix(), errText, id)
}

// MarkDead gives up on the item.
func (s *Store) MarkDead(ctx context.Context, id int64, errText string) error {
	return s.execItem(ctx, "mark dead", `UPDATE lead_outbox SET state = 'dead', last_error = ? WHERE id = ?`, errText, id)
}

// DueEscalations returns new, not yet escalated leads whose time has come.
func (s *Store) DueEscalations(ctx context.Context, now time.Time, limit int) ([]handoff.Lead, error) {
	return s.queryLeads(ctx, "due escalations", `SELECT `+leadCols+` FROM leads
		WHERE status = 'new' AND escalated_at = 0 AND escalate_at <= ? ORDER BY id LIMIT ?`, now.Unix(), limit)
}

func (s *Store) queryLeads(ctx context.Context, what, q string, args ...any) ([]handoff.Lead, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, normalize(err))
	}
	defer rows.Close()
	var out []handoff.Lead
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, normalize(err))
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, normalize(err))
	}
	return out, nil
}

// Escalate marks the lead escalated and queues item (when it has a chat) in
// one transaction. A lead escalated meanwhile is left alone.
func (s *Store) Escalate(ctx context.Context, leadID int64, it handoff.OutboxItem, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: escalate: %w", normalize(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE leads SET escalated_at = ? WHERE id = ? AND escalated_at = 0`, now.Unix(), leadID)
	if err != nil {
		return fmt.Errorf("sqlite: escalate: %w", normalize(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if it.ChatID != 0 {
		it.LeadID = leadID
		if err := insertItem(ctx, tx, it); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: escalate: %w", normalize(err))
	}
	return nil
}

// SetLeadStatus changes the status when fromChat received a card of the lead.
func (s *Store) SetLeadStatus(ctx context.Context, leadID, fromChat, byUser int64, st handoff.Status, now time.Time) (handoff.Lead, bool, error) {
	if !st.Valid() {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: invalid status %q", st)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE id = ?`, leadID).Scan(&exists); err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	if exists == 0 {
		return handoff.Lead{}, false, handoff.ErrNotFound
	}
	var cards, withPhone int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(with_phone), 0) FROM lead_outbox
		WHERE lead_id = ? AND chat_id = ? AND state = 'sent'`, leadID, fromChat).Scan(&cards, &withPhone); err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	if cards == 0 {
		return handoff.Lead{}, false, handoff.ErrNotRecipient
	}
	t := now.Unix()
	q := `UPDATE leads SET status = ?, updated_at = ?`
	args := []any{string(st), t}
	if st == handoff.StatusClaimed {
		// A late "Nhận" does not undo "Đã liên hệ" or what came after.
		q = `UPDATE leads SET status = CASE WHEN status IN ('new', 'claimed') THEN ? ELSE status END, updated_at = ?`
	}
	switch st {
	case handoff.StatusClaimed:
		q += `, claimed_by = CASE WHEN claimed_by = 0 THEN ? ELSE claimed_by END, claimed_at = CASE WHEN claimed_at = 0 THEN ? ELSE claimed_at END`
		args = append(args, byUser, t)
	case handoff.StatusContacted:
		q += `, contacted_at = CASE WHEN contacted_at = 0 THEN ? ELSE contacted_at END`
		args = append(args, t)
	case handoff.StatusEnrolled:
		q += `, contacted_at = CASE WHEN contacted_at = 0 THEN ? ELSE contacted_at END, enrolled_at = CASE WHEN enrolled_at = 0 THEN ? ELSE enrolled_at END`
		args = append(args, t, t)
	}
	if st != handoff.StatusNew && st != handoff.StatusClaimed {
		// Anyone acting on the lead stops its escalation too.
		q += `, claimed_at = CASE WHEN claimed_at = 0 THEN ? ELSE claimed_at END`
		args = append(args, t)
	}
	q += ` WHERE id = ?`
	args = append(args, leadID)
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	l, err := scanLead(tx.QueryRowContext(ctx, `SELECT `+leadCols+` FROM leads WHERE id = ?`, leadID))
	if err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	if err := tx.Commit(); err != nil {
		return handoff.Lead{}, false, fmt.Errorf("sqlite: set lead status: %w", normalize(err))
	}
	return l, withPhone != 0, nil
}

// queueRedactions queues the delivered cards of the leads selected by
// leadsWhere (an SQL condition on leads, with args) for clearing.
func queueRedactions(ctx context.Context, tx *sql.Tx, reason string, leadsWhere string, args ...any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO card_redactions(lead_id, chat_id, message_id, reason, created_at)
		SELECT lead_id, chat_id, message_id, ?, CAST(strftime('%s', 'now') AS INTEGER) FROM lead_outbox
		WHERE state = 'sent' AND message_id > 0 AND lead_id IN (SELECT id FROM leads WHERE `+leadsWhere+`)`,
		append([]any{reason}, args...)...)
	if err != nil {
		return fmt.Errorf("sqlite: queue card redactions: %w", normalize(err))
	}
	return nil
}

// PurgeLeads deletes leads created before cutoff, with their outbox rows,
// and queues their delivered cards for clearing.
func (s *Store) PurgeLeads(ctx context.Context, cutoff time.Time) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge leads: %w", normalize(err))
	}
	defer tx.Rollback()
	if err := queueRedactions(ctx, tx, handoff.RedactExpired, `created_at < ?`, cutoff.Unix()); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM leads WHERE created_at < ?`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge leads: %w", normalize(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: purge leads: %w", normalize(err))
	}
	n, _ := res.RowsAffected()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM agent_attribution WHERE created_at < ?`, cutoff.Unix()); err != nil {
		return int(n), fmt.Errorf("sqlite: purge attribution: %w", normalize(err))
	}
	if n > 0 {
		s.wipeWAL(ctx)
	}
	return int(n), nil
}

// wipeWAL copies the WAL into the database file and truncates it, so that
// earlier versions of deleted rows (still in WAL frames) leave the disk;
// secure_delete (set on every connection in Open) zeroes the freed space in
// the database file itself. It is best effort: a reader holding an old
// snapshot makes the checkpoint partial, and the next one finishes the job.
func (s *Store) wipeWAL(ctx context.Context) {
	_, _ = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
}

// DeleteUserLeads deletes the user's leads, their outbox rows and the
// user's agent attribution in one transaction.
func (s *Store) DeleteUserLeads(ctx context.Context, userID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: delete leads: %w", normalize(err))
	}
	defer tx.Rollback()
	if err := queueRedactions(ctx, tx, handoff.RedactDeleted, `user_id = ?`, userID); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM lead_outbox WHERE lead_id IN (SELECT id FROM leads WHERE user_id = ?)`,
		`DELETE FROM leads WHERE user_id = ?`,
		`DELETE FROM agent_attribution WHERE user_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return fmt.Errorf("sqlite: delete leads: %w", normalize(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: delete leads: %w", normalize(err))
	}
	s.wipeWAL(ctx)
	return nil
}

// DueRedactions returns up to limit card redactions due at now, oldest first.
func (s *Store) DueRedactions(ctx context.Context, now time.Time, limit int) ([]handoff.Redaction, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, lead_id, chat_id, message_id, reason, attempts FROM card_redactions
		WHERE next_attempt <= ? ORDER BY id LIMIT ?`, now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due redactions: %w", normalize(err))
	}
	defer rows.Close()
	var out []handoff.Redaction
	for rows.Next() {
		var r handoff.Redaction
		if err := rows.Scan(&r.ID, &r.LeadID, &r.ChatID, &r.MessageID, &r.Reason, &r.Attempts); err != nil {
			return nil, fmt.Errorf("sqlite: due redactions: %w", normalize(err))
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: due redactions: %w", normalize(err))
	}
	return out, nil
}

// RedactionDone forgets a redaction.
func (s *Store) RedactionDone(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM card_redactions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("sqlite: redaction done: %w", normalize(err))
	}
	return nil
}

// RedactionFailed counts an attempt and sets the next one.
func (s *Store) RedactionFailed(ctx context.Context, id int64, next time.Time) error {
	return s.execItem(ctx, "redaction failed", `UPDATE card_redactions SET attempts = attempts + 1, next_attempt = ? WHERE id = ?`, next.Unix(), id)
}

// SetAgentAttribution routes the user's hand-offs to agentID.
func (s *Store) SetAgentAttribution(ctx context.Context, userID int64, agentID string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO agent_attribution(user_id, agent_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT(user_id) DO UPDATE SET agent_id = excluded.agent_id, created_at = excluded.created_at`,
		userID, agentID, now.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: set agent attribution: %w", normalize(err))
	}
	return nil
}

// AgentAttribution returns the agent the user came through, or "".
func (s *Store) AgentAttribution(ctx context.Context, userID int64) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT agent_id FROM agent_attribution WHERE user_id = ?`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: agent attribution: %w", normalize(err))
	}
	return id, nil
}

// ExportLeads returns leads created at or after since (zero: all), in one
// province when provinceID is not "", oldest first. For faqctl leads export.
func (s *Store) ExportLeads(ctx context.Context, since time.Time, provinceID string) ([]handoff.Lead, error) {
	q := `SELECT ` + leadCols + ` FROM leads WHERE created_at >= ?`
	args := []any{unix(since)}
	if provinceID != "" {
		q += ` AND province_id = ?`
		args = append(args, provinceID)
	}
	return s.queryLeads(ctx, "export leads", q+` ORDER BY created_at, id`, args...)
}

// LeadFunnel counts leads per province and agent: asked, handed off (a card
// reached a chat), contacted, enrolled, not interested.
func (s *Store) LeadFunnel(ctx context.Context, since time.Time) ([]handoff.FunnelRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.province_id, l.agent_id, count(*),
		sum(EXISTS (SELECT 1 FROM lead_outbox o WHERE o.lead_id = l.id AND o.state = 'sent')),
		sum(l.contacted_at > 0 OR l.status IN ('contacted', 'enrolled')),
		sum(l.status = 'enrolled'),
		sum(l.status = 'not-interested')
		FROM leads l WHERE l.created_at >= ? GROUP BY l.province_id, l.agent_id ORDER BY l.province_id, l.agent_id`, unix(since))
	if err != nil {
		return nil, fmt.Errorf("sqlite: lead funnel: %w", normalize(err))
	}
	defer rows.Close()
	var out []handoff.FunnelRow
	for rows.Next() {
		var r handoff.FunnelRow
		if err := rows.Scan(&r.ProvinceID, &r.AgentID, &r.Asked, &r.HandedOff, &r.Contacted, &r.Enrolled, &r.NotInterested); err != nil {
			return nil, fmt.Errorf("sqlite: lead funnel: %w", normalize(err))
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
