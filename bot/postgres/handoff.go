package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
)

// The hand-off store: leads, their outbox of cards, card redactions and the
// agent attribution of deep links, on the same database as the engine.

var _ handoff.Store = (*Store)(nil)

// redactionLease is how long DueRedactions keeps the redactions it returns
// from the other replicas (their caller settles them well within it).
const redactionLease = time.Minute

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
	err := s.write(ctx, "create lead", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO leads(user_id, chat_id, agent_id, province_id, commune, name, phone,
			context, preferred_time, attribution, consent_version, consent_at, recipient_chat, recipient_name,
			fallback_chat, fallback_name, status, claimed_by, created_at, updated_at, escalate_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21) RETURNING id`,
			l.UserID, l.ChatID, l.AgentID, l.ProvinceID, l.Commune, l.Name, l.Phone,
			l.Context, l.PreferredTime, l.Attribution, l.ConsentVersion, unix(l.ConsentAt), l.RecipientChatID, l.RecipientName,
			l.FallbackChatID, l.FallbackName, string(l.Status), l.ClaimedBy, unix(l.CreatedAt), unix(l.UpdatedAt), unix(l.EscalateAt)).Scan(&l.ID)
		if err != nil {
			return err
		}
		it.LeadID = l.ID
		return insertItem(ctx, tx, it)
	})
	return l, err
}

func insertItem(ctx context.Context, tx pgx.Tx, it handoff.OutboxItem) error {
	state := it.State
	if state == "" {
		state = handoff.StatePending
	}
	_, err := tx.Exec(ctx, `INSERT INTO lead_outbox(lead_id, kind, chat_id, with_phone, state, next_attempt, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, it.LeadID, it.Kind, it.ChatID, b2i(it.WithPhone), state, unix(it.NextAttempt), unix(it.CreatedAt))
	if err != nil {
		return fmt.Errorf("queue lead card: %w", err)
	}
	return nil
}

const leadCols = `id, user_id, chat_id, agent_id, province_id, commune, name, phone, context, preferred_time,
	attribution, consent_version, consent_at, recipient_chat, recipient_name, fallback_chat, fallback_name,
	status, claimed_by, created_at, updated_at, escalate_at, escalated_at, contacted_at, enrolled_at`

func scanLead(r pgx.Row) (handoff.Lead, error) {
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

// lead reads one lead with q; handoff.ErrNotFound when there is none.
func (s *Store) lead(ctx context.Context, what, q string, args ...any) (handoff.Lead, error) {
	l, err := scanLead(s.pool.QueryRow(ctx, q, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return l, handoff.ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	return l, nil
}

// Lead returns a lead or handoff.ErrNotFound.
func (s *Store) Lead(ctx context.Context, id int64) (handoff.Lead, error) {
	return s.lead(ctx, "lead", `SELECT `+leadCols+` FROM leads WHERE id = $1`, id)
}

// LatestLead returns the user's most recent lead or handoff.ErrNotFound.
func (s *Store) LatestLead(ctx context.Context, userID int64) (handoff.Lead, error) {
	return s.lead(ctx, "latest lead", `SELECT `+leadCols+` FROM leads WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, userID)
}

const itemCols = `id, lead_id, kind, chat_id, with_phone, state, attempts, next_attempt, lease_until, message_id, last_error, created_at, sent_at`

func scanItem(r pgx.Row) (handoff.OutboxItem, error) {
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
// lease) to "sending" in one statement and returns them in id order. Items
// another replica is claiming at the same moment are skipped (FOR UPDATE
// SKIP LOCKED), so each is taken by one replica.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]handoff.OutboxItem, error) {
	rows, err := s.pool.Query(ctx, `UPDATE lead_outbox SET state = 'sending', lease_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM lead_outbox
			WHERE (state = 'pending' AND next_attempt <= $2) OR (state = 'sending' AND lease_until <= $2)
			ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+itemCols, now.Add(lease).Unix(), now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim lead cards: %w", normalize(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.OutboxItem, error) { return scanItem(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: claim lead cards: %w", normalize(err))
	}
	slices.SortFunc(out, func(a, b handoff.OutboxItem) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// execItem runs an update of one row; handoff.ErrNotFound when none matched.
func (s *Store) execItem(ctx context.Context, what, q string, args ...any) error {
	tag, err := s.pool.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", what, handoff.ErrNotFound)
	}
	return nil
}

// MarkSent records the delivered message id.
func (s *Store) MarkSent(ctx context.Context, id int64, messageID int, now time.Time) error {
	return s.execItem(ctx, "mark sent", `UPDATE lead_outbox SET state = 'sent', message_id = $1, sent_at = $2, last_error = '' WHERE id = $3`,
		messageID, now.Unix(), id)
}

// MarkFailed puts the item back to pending for nextAttempt.
func (s *Store) MarkFailed(ctx context.Context, id int64, nextAttempt time.Time, errText string) error {
	return s.execItem(ctx, "mark failed", `UPDATE lead_outbox SET state = 'pending', next_attempt = $1, last_error = $2 WHERE id = $3 AND state = 'sending'`,
		nextAttempt.Unix(), errText, id)
}

// Reroute sends the item to another chat, with fresh attempts.
func (s *Store) Reroute(ctx context.Context, id int64, chatID int64, withPhone bool, nextAttempt time.Time, errText string) error {
	return s.execItem(ctx, "reroute", `UPDATE lead_outbox SET state = 'pending', chat_id = $1, with_phone = $2, attempts = 0,
		next_attempt = $3, last_error = $4 WHERE id = $5`, chatID, b2i(withPhone), nextAttempt.Unix(), errText, id)
}

// MarkDead gives up on the item.
func (s *Store) MarkDead(ctx context.Context, id int64, errText string) error {
	return s.execItem(ctx, "mark dead", `UPDATE lead_outbox SET state = 'dead', last_error = $1 WHERE id = $2`, errText, id)
}

// DueEscalations returns new, not yet escalated leads whose time has come.
func (s *Store) DueEscalations(ctx context.Context, now time.Time, limit int) ([]handoff.Lead, error) {
	return s.queryLeads(ctx, "due escalations", `SELECT `+leadCols+` FROM leads
		WHERE status = 'new' AND escalated_at = 0 AND escalate_at <= $1 ORDER BY id LIMIT $2`, now.Unix(), limit)
}

func (s *Store) queryLeads(ctx context.Context, what, q string, args ...any) ([]handoff.Lead, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.Lead, error) { return scanLead(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	return out, nil
}

// Escalate marks the lead escalated and queues item (when it has a chat) in
// one transaction. A lead escalated meanwhile, by this replica or another,
// is left alone: the escalation card is queued once.
func (s *Store) Escalate(ctx context.Context, leadID int64, it handoff.OutboxItem, now time.Time) error {
	return s.write(ctx, "escalate", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE leads SET escalated_at = $1 WHERE id = $2 AND escalated_at = 0`, now.Unix(), leadID)
		if err != nil || tag.RowsAffected() == 0 || it.ChatID == 0 {
			return err
		}
		it.LeadID = leadID
		return insertItem(ctx, tx, it)
	})
}

// SetLeadStatus changes the status when fromChat received a card of the lead.
func (s *Store) SetLeadStatus(ctx context.Context, leadID, fromChat, byUser int64, st handoff.Status, now time.Time) (handoff.Lead, bool, error) {
	if !st.Valid() {
		return handoff.Lead{}, false, fmt.Errorf("postgres: set lead status: invalid status %q", st)
	}
	var (
		l         handoff.Lead
		withPhone int
	)
	err := s.write(ctx, "set lead status", func(tx pgx.Tx) error {
		var one int
		// The row lock orders two presses on the same card.
		if err := tx.QueryRow(ctx, `SELECT 1 FROM leads WHERE id = $1 FOR UPDATE`, leadID).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return handoff.ErrNotFound
			}
			return err
		}
		var cards int
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(max(with_phone), 0) FROM lead_outbox
			WHERE lead_id = $1 AND chat_id = $2 AND state = 'sent'`, leadID, fromChat).Scan(&cards, &withPhone); err != nil {
			return err
		}
		if cards == 0 {
			return handoff.ErrNotRecipient
		}
		t := now.Unix()
		args := []any{string(st), t}
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		q := `UPDATE leads SET status = $1, updated_at = $2`
		if st == handoff.StatusClaimed {
			// A late "Nhận" does not undo "Đã liên hệ" or what came after.
			q = `UPDATE leads SET status = CASE WHEN status IN ('new', 'claimed') THEN $1 ELSE status END, updated_at = $2`
		}
		switch st {
		case handoff.StatusClaimed:
			q += `, claimed_by = CASE WHEN claimed_by = 0 THEN ` + arg(byUser) + ` ELSE claimed_by END, claimed_at = CASE WHEN claimed_at = 0 THEN $2 ELSE claimed_at END`
		case handoff.StatusContacted:
			q += `, contacted_at = CASE WHEN contacted_at = 0 THEN $2 ELSE contacted_at END`
		case handoff.StatusEnrolled:
			q += `, contacted_at = CASE WHEN contacted_at = 0 THEN $2 ELSE contacted_at END, enrolled_at = CASE WHEN enrolled_at = 0 THEN $2 ELSE enrolled_at END`
		}
		if st != handoff.StatusNew && st != handoff.StatusClaimed {
			// Anyone acting on the lead stops its escalation too.
			q += `, claimed_at = CASE WHEN claimed_at = 0 THEN $2 ELSE claimed_at END`
		}
		q += ` WHERE id = ` + arg(leadID) + ` RETURNING ` + leadCols
		var err error
		l, err = scanLead(tx.QueryRow(ctx, q, args...))
		return err
	})
	switch {
	case errors.Is(err, handoff.ErrNotFound):
		return handoff.Lead{}, false, handoff.ErrNotFound
	case errors.Is(err, handoff.ErrNotRecipient):
		return handoff.Lead{}, false, handoff.ErrNotRecipient
	case err != nil:
		return handoff.Lead{}, false, err
	}
	return l, withPhone != 0, nil
}

// deleteLeads deletes the leads whose ids the query sel returns (locking
// them first, so that /xoa and the purge never queue a card's redaction
// twice), with their outbox items, and queues a redaction (reason) for each
// card delivered. It returns how many leads went.
func deleteLeads(ctx context.Context, tx pgx.Tx, reason, sel string, args ...any) (int, error) {
	rows, err := tx.Query(ctx, sel+` ORDER BY id FOR UPDATE`, args...)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO card_redactions(lead_id, chat_id, message_id, reason, created_at)
		SELECT lead_id, chat_id, message_id, $1, extract(epoch FROM now())::bigint FROM lead_outbox
		WHERE state = 'sent' AND message_id > 0 AND lead_id = ANY($2)`, reason, ids); err != nil {
		return 0, fmt.Errorf("queue card redactions: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM lead_outbox WHERE lead_id = ANY($1)`, ids); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM leads WHERE id = ANY($1)`, ids)
	return int(tag.RowsAffected()), err
}

// PurgeLeads deletes leads created before cutoff, with their outbox rows,
// queues their delivered cards for clearing, and forgets agent attributions
// as old. One replica purges at a time: when another one is at it, PurgeLeads
// deletes nothing and returns 0.
func (s *Store) PurgeLeads(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	_, err := s.exclusive(ctx, "purge leads", lockPurge, func(tx pgx.Tx) error {
		var err error
		n, err = deleteLeads(ctx, tx, handoff.RedactExpired, `SELECT id FROM leads WHERE created_at < $1`, cutoff.Unix())
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM agent_attribution WHERE created_at < $1`, cutoff.Unix())
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// DeleteUserLeads deletes the user's leads, their outbox rows and the
// user's agent attribution in one transaction.
func (s *Store) DeleteUserLeads(ctx context.Context, userID int64) error {
	return s.write(ctx, "delete leads", func(tx pgx.Tx) error {
		if _, err := deleteLeads(ctx, tx, handoff.RedactDeleted, `SELECT id FROM leads WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM agent_attribution WHERE user_id = $1`, userID)
		return err
	})
}

// DueRedactions returns up to limit card redactions due at now, oldest
// first, and keeps them from the other replicas for a minute (their next
// attempt moves on): RedactionDone or RedactionFailed settles them.
func (s *Store) DueRedactions(ctx context.Context, now time.Time, limit int) ([]handoff.Redaction, error) {
	rows, err := s.pool.Query(ctx, `UPDATE card_redactions SET next_attempt = $1
		WHERE id IN (SELECT id FROM card_redactions WHERE next_attempt <= $2 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING id, lead_id, chat_id, message_id, reason, attempts`, now.Add(redactionLease).Unix(), now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: due redactions: %w", normalize(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.Redaction, error) {
		var x handoff.Redaction
		err := r.Scan(&x.ID, &x.LeadID, &x.ChatID, &x.MessageID, &x.Reason, &x.Attempts)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: due redactions: %w", normalize(err))
	}
	slices.SortFunc(out, func(a, b handoff.Redaction) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// RedactionDone forgets a redaction.
func (s *Store) RedactionDone(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM card_redactions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: redaction done: %w", normalize(err))
	}
	return nil
}

// RedactionFailed counts an attempt and sets the next one.
func (s *Store) RedactionFailed(ctx context.Context, id int64, next time.Time) error {
	return s.execItem(ctx, "redaction failed", `UPDATE card_redactions SET attempts = attempts + 1, next_attempt = $1 WHERE id = $2`, next.Unix(), id)
}

// SetAgentAttribution routes the user's hand-offs to agentID.
func (s *Store) SetAgentAttribution(ctx context.Context, userID int64, agentID string, now time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO agent_attribution(user_id, agent_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET agent_id = excluded.agent_id, created_at = excluded.created_at`,
		userID, agentID, now.Unix())
	if err != nil {
		return fmt.Errorf("postgres: set agent attribution: %w", normalize(err))
	}
	return nil
}

// AgentAttribution returns the agent the user came through, or "".
func (s *Store) AgentAttribution(ctx context.Context, userID int64) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT agent_id FROM agent_attribution WHERE user_id = $1`, userID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: agent attribution: %w", normalize(err))
	}
	return id, nil
}

// ExportLeads returns leads created at or after since (zero: all), in one
// province when provinceID is not "", oldest first. For faqctl leads export.
func (s *Store) ExportLeads(ctx context.Context, since time.Time, provinceID string) ([]handoff.Lead, error) {
	q := `SELECT ` + leadCols + ` FROM leads WHERE created_at >= $1`
	args := []any{unix(since)}
	if provinceID != "" {
		q += ` AND province_id = $2`
		args = append(args, provinceID)
	}
	return s.queryLeads(ctx, "export leads", q+` ORDER BY created_at, id`, args...)
}

// LeadFunnel counts leads per province and agent: asked, handed off (a card
// reached a chat), contacted, enrolled, not interested.
func (s *Store) LeadFunnel(ctx context.Context, since time.Time) ([]handoff.FunnelRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT l.province_id, l.agent_id, count(*),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lead_outbox o WHERE o.lead_id = l.id AND o.state = 'sent')),
		count(*) FILTER (WHERE l.contacted_at > 0 OR l.status IN ('contacted', 'enrolled')),
		count(*) FILTER (WHERE l.status = 'enrolled'),
		count(*) FILTER (WHERE l.status = 'not-interested')
		FROM leads l WHERE l.created_at >= $1 GROUP BY l.province_id, l.agent_id
		ORDER BY l.province_id COLLATE "C", l.agent_id COLLATE "C"`, unix(since))
	if err != nil {
		return nil, fmt.Errorf("postgres: lead funnel: %w", normalize(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoff.FunnelRow, error) {
		var f handoff.FunnelRow
		err := r.Scan(&f.ProvinceID, &f.AgentID, &f.Asked, &f.HandedOff, &f.Contacted, &f.Enrolled, &f.NotInterested)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: lead funnel: %w", normalize(err))
	}
	return out, nil
}
