package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Reminders (migration 0007): schedules claimed with a lease and fired into
// the outbox in the transaction that moves them on.

var (
	_ bot.ReminderStore  = (*Store)(nil)
	_ bot.ReminderPruner = (*Store)(nil)
)

const reminderCols = `id, chat_id, kind, months, start_month, income, grp, agent_id, expiry, next_at, seq, fired_at, blocked_at, created_at`

func scanReminder(sc scanner) (bot.Reminder, error) {
	var (
		r                         bot.Reminder
		kind, start, grp, expiry  string
		income                    int64
		next                      sql.NullInt64
		fired, blocked, createdAt int64
	)
	if err := sc.Scan(&r.ID, &r.ChatID, &kind, &r.Months, &start, &income, &grp, &r.AgentID, &expiry, &next, &r.Seq, &fired, &blocked, &createdAt); err != nil {
		return r, err
	}
	r.Kind, r.Group, r.Income = bot.ReminderKind(kind), calc.Group(grp), decimal.NewFromInt(income)
	if start != "" {
		m, err := calc.ParseMonth(start)
		if err != nil {
			return r, fmt.Errorf("reminder %d: start %q: %w", r.ID, start, err)
		}
		r.Start = m
	}
	if expiry != "" {
		d, err := time.ParseInLocation(time.DateOnly, expiry, calc.Vietnam)
		if err != nil {
			return r, fmt.Errorf("reminder %d: expiry %q: %w", r.ID, expiry, err)
		}
		r.Expiry = d
	}
	if next.Valid {
		r.NextAt = time.UnixMilli(next.Int64)
	}
	r.FiredAt, r.BlockedAt, r.CreatedAt = msTime(fired), msTime(blocked), time.UnixMilli(createdAt)
	return r, nil
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func msOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// schedule is the stored form of a reminder's schedule fields.
func schedule(r bot.Reminder) (start, expiry string) {
	if r.Start.Year != 0 {
		start = r.Start.String()
	}
	if !r.Expiry.IsZero() {
		expiry = r.Expiry.In(calc.Vietnam).Format(time.DateOnly)
	}
	return start, expiry
}

// reminderEvent counts an event for staff (no chat).
func (s *Store) reminderEvent(ctx context.Context, tx *sql.Tx, kind bot.ReminderKind, event string, at time.Time) error {
	_, err := s.txExec(ctx, tx, `INSERT INTO reminder_events(kind, event, at) VALUES (?, ?, ?)`, string(kind), event, at.UnixMilli())
	return err
}

// SetReminder inserts or replaces the chat's reminder of r.Kind, records
// seen as occurrences already sent (the notices the person just read), and
// counts bot.EventSet.
func (s *Store) SetReminder(ctx context.Context, r bot.Reminder, seen []string, at time.Time) (bot.Reminder, error) {
	if !r.Kind.Valid() || r.ChatID == 0 {
		return r, fmt.Errorf("sqlite: set reminder: bad kind %q or no chat", r.Kind)
	}
	var out bot.Reminder
	err := s.write(ctx, "set reminder", func(tx *sql.Tx) error {
		start, expiry := schedule(r)
		ms := at.UnixMilli()
		row := tx.QueryRowContext(ctx, `INSERT INTO reminders(chat_id, kind, months, start_month, income, grp, agent_id, expiry, next_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(chat_id, kind) DO UPDATE SET months = excluded.months, start_month = excluded.start_month,
				income = excluded.income, grp = excluded.grp, agent_id = excluded.agent_id, expiry = excluded.expiry,
				next_at = excluded.next_at, seq = seq + 1, lease_until = 0, lease_owner = '', blocked_at = 0,
				updated_at = excluded.updated_at
			RETURNING `+reminderCols,
			r.ChatID, string(r.Kind), r.Months, start, r.Income.IntPart(), string(r.Group), r.AgentID, expiry, msOrNull(r.NextAt), ms, ms)
		var err error
		if out, err = scanReminder(row); err != nil {
			return err
		}
		for _, k := range seen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, out.ID, k, ms); err != nil {
				return err
			}
		}
		return s.reminderEvent(ctx, tx, r.Kind, bot.EventSet, at)
	})
	return out, err
}

// ChatReminders returns the chat's reminders, by kind.
func (s *Store) ChatReminders(ctx context.Context, chatID int64) ([]bot.Reminder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reminderCols+` FROM reminders WHERE chat_id = ? ORDER BY kind`, chatID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: chat reminders: %w", normalize(err))
	}
	out, err := scanReminders(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: chat reminders: %w", normalize(err))
	}
	return out, nil
}

func scanReminders(rows *sql.Rows) ([]bot.Reminder, error) {
	defer rows.Close()
	var out []bot.Reminder
	for rows.Next() {
		r, err := scanReminder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ChangeReminder stores a person's change to r's schedule while the
// reminder still has r.Seq (releasing any lease, so an occurrence being
// fired from the old schedule is dropped), and counts event once per
// occurrence key. Errors: bot.ErrNotFound, bot.ErrConflict (moved on).
func (s *Store) ChangeReminder(ctx context.Context, r bot.Reminder, event, occurrence string, at time.Time) error {
	return s.write(ctx, "change reminder", func(tx *sql.Tx) error {
		var seq int
		err := tx.QueryRowContext(ctx, `SELECT seq FROM reminders WHERE id = ? AND chat_id = ?`, r.ID, r.ChatID).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		if seq != r.Seq {
			return bot.ErrConflict
		}
		start, expiry := schedule(r)
		if _, err := tx.ExecContext(ctx, `UPDATE reminders SET start_month = ?, expiry = ?, next_at = ?, lease_until = 0, lease_owner = '',
			blocked_at = 0, updated_at = ? WHERE id = ?`, start, expiry, msOrNull(r.NextAt), at.UnixMilli(), r.ID); err != nil {
			return err
		}
		if occurrence == "" {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			r.ID, occurrence, at.UnixMilli())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // the same press again (a redelivered update): counted once
		}
		return s.reminderEvent(ctx, tx, r.Kind, event, at)
	})
}

// StopReminder deletes the chat's reminder of kind ("Tắt nhắc").
func (s *Store) StopReminder(ctx context.Context, chatID int64, kind bot.ReminderKind, at time.Time) (bool, error) {
	var found bool
	err := s.write(ctx, "stop reminder", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE chat_id = ? AND kind = ?`, chatID, string(kind))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if found = n > 0; !found {
			return nil
		}
		return s.reminderEvent(ctx, tx, kind, bot.EventOff, at)
	})
	return found, err
}

// DeleteChatReminders deletes every reminder of the chat and what they sent (/xoa).
func (s *Store) DeleteChatReminders(ctx context.Context, chatID int64, at time.Time) error {
	return s.write(ctx, "delete reminders", func(tx *sql.Tx) error {
		kinds, err := deleteReturningKinds(ctx, tx, `DELETE FROM reminders WHERE chat_id = ? RETURNING kind`, chatID)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			if err := s.reminderEvent(ctx, tx, k, bot.EventDeleted, at); err != nil {
				return err
			}
		}
		return nil
	})
}

func deleteReturningKinds(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]bot.ReminderKind, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var kinds []bot.ReminderKind
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		kinds = append(kinds, bot.ReminderKind(k))
	}
	return kinds, rows.Err()
}

// ReachableChat clears the chat's block: the person wrote again.
func (s *Store) ReachableChat(ctx context.Context, chatID int64) error {
	return s.write(ctx, "reachable chat", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE reminders SET blocked_at = 0 WHERE chat_id = ? AND blocked_at <> 0`, chatID)
		return err
	})
}

// MarkUnreachable pauses the chat's reminders: Telegram refused a message
// to it (blocked, deleted, no right to write). The transport's sender calls
// it; a chat without reminders costs one indexed update.
func (s *Store) MarkUnreachable(ctx context.Context, chatID int64, at time.Time) error {
	return s.write(ctx, "mark unreachable", func(tx *sql.Tx) error {
		kinds, err := deleteReturningKinds(ctx, tx, `UPDATE reminders SET blocked_at = ?, lease_until = 0, lease_owner = ''
			WHERE chat_id = ? AND blocked_at = 0 RETURNING kind`, at.UnixMilli(), chatID)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			if err := s.reminderEvent(ctx, tx, k, bot.EventBlocked, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimReminders leases due reminders to c.Owner: at most c.Limit, one per
// chat, none for a chat fired within c.Gap or with replies waiting in the
// outbox, oldest due first.
func (s *Store) ClaimReminders(ctx context.Context, c bot.ReminderClaim) ([]bot.Reminder, error) {
	if c.Limit <= 0 {
		return nil, nil
	}
	var out []bot.Reminder
	err := s.write(ctx, "claim reminders", func(tx *sql.Tx) error {
		now := c.Now.UnixMilli()
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.chat_id FROM reminders r
			WHERE r.next_at IS NOT NULL AND r.next_at <= ? AND r.lease_until <= ? AND r.blocked_at = 0
				AND NOT EXISTS (SELECT 1 FROM reminders q WHERE q.chat_id = r.chat_id AND (q.fired_at > ? OR q.lease_until > ?))
				AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = r.chat_id)
			ORDER BY r.next_at, r.id LIMIT ?`, now, now, now-c.Gap.Milliseconds(), now, 4*c.Limit)
		if err != nil {
			return err
		}
		var ids []int64
		chats := map[int64]bool{}
		for rows.Next() {
			var id, chat int64
			if err := rows.Scan(&id, &chat); err != nil {
				rows.Close()
				return err
			}
			if !chats[chat] && len(ids) < c.Limit {
				chats[chat] = true
				ids = append(ids, id)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		until := c.Now.Add(c.Lease).UnixMilli()
		for _, id := range ids {
			r, err := scanReminder(tx.QueryRowContext(ctx, `UPDATE reminders SET lease_until = ?, lease_owner = ? WHERE id = ? AND lease_until <= ?
				RETURNING `+reminderCols, until, c.Owner, id, now))
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// FireReminders applies the occurrences owner decided, in one transaction:
// each one whose reminder owner still leases at Claimed.Seq queues its
// message in the outbox, records the occurrence, stores the next schedule
// (Seq+1, lease released) and counts its event. It returns how many were
// applied.
func (s *Store) FireReminders(ctx context.Context, owner string, fires []bot.ReminderFire) (int, error) {
	var (
		direct  []bot.Queued
		applied int
	)
	sink := s.direct.Load()
	err := s.write(ctx, "fire reminders", func(tx *sql.Tx) error {
		direct, applied = nil, 0
		for _, f := range fires {
			var (
				seq   int
				lease string
			)
			err := tx.QueryRowContext(ctx, `SELECT seq, lease_owner FROM reminders WHERE id = ?`, f.Claimed.ID).Scan(&seq, &lease)
			if errors.Is(err, sql.ErrNoRows) {
				continue // turned off or deleted meanwhile
			}
			if err != nil {
				return err
			}
			if seq != f.Claimed.Seq || lease != owner {
				continue // changed by the person or leased by another process meanwhile
			}
			ms := f.At.UnixMilli()
			send := f.Message != nil
			if f.Occurrence != "" {
				res, err := tx.ExecContext(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
					f.Claimed.ID, f.Occurrence, ms)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					send = false // already sent: never twice
				}
			}
			if send {
				m := *f.Message
				m.ChatID = f.Claimed.ChatID
				q, err := s.enqueue(ctx, tx, sink, 0, f.At, []bot.Message{m})
				if err != nil {
					return err
				}
				direct = append(direct, q...)
			}
			start, expiry := schedule(f.Next)
			firedAt := any(nil)
			if send {
				firedAt = ms
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reminders SET start_month = ?, expiry = ?, next_at = ?, seq = seq + 1,
				fired_at = coalesce(?, fired_at), lease_until = 0, lease_owner = '', updated_at = ? WHERE id = ?`,
				start, expiry, msOrNull(f.Next.NextAt), firedAt, ms, f.Claimed.ID); err != nil {
				return err
			}
			if f.Event != "" && (send || f.Event != bot.EventSent) {
				if err := s.reminderEvent(ctx, tx, f.Claimed.Kind, f.Event, f.At); err != nil {
					return err
				}
			}
			applied++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(direct) > 0 {
		sink.take(direct)
	}
	return applied, nil
}

// ReleaseReminders gives back owner's leases on ids (nil: all of them).
func (s *Store) ReleaseReminders(ctx context.Context, owner string, ids []int64) error {
	return s.write(ctx, "release reminders", func(tx *sql.Tx) error {
		if ids == nil {
			_, err := tx.ExecContext(ctx, `UPDATE reminders SET lease_until = 0, lease_owner = '' WHERE lease_owner = ?`, owner)
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE reminders SET lease_until = 0, lease_owner = '' WHERE id = ? AND lease_owner = ?`, id, owner); err != nil {
				return err
			}
		}
		return nil
	})
}

// WakeNews makes due at now every news subscription that has not sent one
// of the occurrence keys.
func (s *Store) WakeNews(ctx context.Context, now time.Time, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	js, err := json.Marshal(keys)
	if err != nil {
		return fmt.Errorf("sqlite: wake news: %w", err)
	}
	return s.write(ctx, "wake news", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE reminders SET next_at = ?
			WHERE kind = 'news' AND (next_at IS NULL OR next_at > ?)
				AND EXISTS (SELECT 1 FROM json_each(?) k WHERE NOT EXISTS (
					SELECT 1 FROM reminder_sent s WHERE s.reminder_id = reminders.id AND s.occurrence = k.value))`,
			now.UnixMilli(), now.UnixMilli(), string(js))
		return err
	})
}

// PruneReminders deletes finished card reminders whose card expired more
// than cardDone before now, and reminders paused longer than blocked.
func (s *Store) PruneReminders(ctx context.Context, now time.Time, cardDone, blocked time.Duration) (int, error) {
	var n int
	err := s.write(ctx, "prune reminders", func(tx *sql.Tx) error {
		kinds, err := deleteReturningKinds(ctx, tx, `DELETE FROM reminders
			WHERE (kind = 'card' AND next_at IS NULL AND expiry <> '' AND expiry < ?)
				OR (blocked_at <> 0 AND blocked_at < ?) RETURNING kind`,
			now.Add(-cardDone).In(calc.Vietnam).Format(time.DateOnly), now.Add(-blocked).UnixMilli())
		if err != nil {
			return err
		}
		n = len(kinds)
		for _, k := range kinds {
			if err := s.reminderEvent(ctx, tx, k, bot.EventDeleted, now); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// WaitingReplies counts the messages waiting in the outbox.
func (s *Store) WaitingReplies(ctx context.Context) (int, error) {
	var n int
	st, err := s.prepared(ctx, `SELECT count(*) FROM outbox`)
	if err == nil {
		err = st.QueryRowContext(ctx).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: waiting replies: %w", normalize(err))
	}
	return n, nil
}

// SentOccurrences returns which of keys reminder id already sent.
func (s *Store) SentOccurrences(ctx context.Context, id int64, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, k := range keys {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM reminder_sent WHERE reminder_id = ? AND occurrence = ?`, id, k).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: sent occurrences: %w", normalize(err))
		}
		out[k] = n > 0
	}
	return out, nil
}

// DueReminders returns, without leasing, the reminders due at now and
// every news subscription, reachable ones only.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]bot.Reminder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reminderCols+` FROM reminders
		WHERE blocked_at = 0 AND ((next_at IS NOT NULL AND next_at <= ?) OR kind = 'news')
		ORDER BY coalesce(next_at, 0), id`, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("sqlite: due reminders: %w", normalize(err))
	}
	out, err := scanReminders(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due reminders: %w", normalize(err))
	}
	return out, nil
}
