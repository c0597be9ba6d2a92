package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Reminders (migration 0007): schedules claimed with a lease by the
// scheduler of any replica and fired into the outbox in the transaction
// that moves them on.

var _ bot.ReminderStore = (*Store)(nil)

// lockReminders serialises the claims of the replicas' schedulers, so that
// the one-per-chat and gap rules see the leases the others just took.
const lockReminders int32 = 4

const reminderCols = `id, chat_id, kind, months, start_month, income, grp, agent_id, expiry, next_at, seq, fired_at, blocked_at, created_at`

func scanReminder(sc pgx.Row) (bot.Reminder, error) {
	var (
		r                         bot.Reminder
		kind, start, grp, expiry  string
		income                    int64
		next                      *int64
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
	if next != nil {
		r.NextAt = time.UnixMilli(*next)
	}
	r.FiredAt, r.BlockedAt, r.CreatedAt = msTime(fired), msTime(blocked), time.UnixMilli(createdAt)
	return r, nil
}

func scanReminders(rows pgx.Rows) ([]bot.Reminder, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (bot.Reminder, error) { return scanReminder(r) })
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func msOrNull(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
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
func reminderEvent(ctx context.Context, tx pgx.Tx, kind bot.ReminderKind, event string, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO reminder_events(kind, event, at) VALUES ($1, $2, $3)`, string(kind), event, at.UnixMilli())
	return err
}

// SetReminder inserts or replaces the chat's reminder of r.Kind, records
// seen as occurrences already sent (the notices the person just read), and
// counts bot.EventSet.
func (s *Store) SetReminder(ctx context.Context, r bot.Reminder, seen []string, at time.Time) (bot.Reminder, error) {
	if !r.Kind.Valid() || r.ChatID == 0 {
		return r, fmt.Errorf("postgres: set reminder: bad kind %q or no chat", r.Kind)
	}
	var out bot.Reminder
	err := s.write(ctx, "set reminder", func(tx pgx.Tx) error {
		start, expiry := schedule(r)
		ms := at.UnixMilli()
		var err error
		out, err = scanReminder(tx.QueryRow(ctx, `INSERT INTO reminders(chat_id, kind, months, start_month, income, grp, agent_id, expiry, next_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
			ON CONFLICT (chat_id, kind) DO UPDATE SET months = excluded.months, start_month = excluded.start_month,
				income = excluded.income, grp = excluded.grp, agent_id = excluded.agent_id, expiry = excluded.expiry,
				next_at = excluded.next_at, seq = reminders.seq + 1, lease_until = 0, lease_owner = '', blocked_at = 0,
				updated_at = excluded.updated_at
			RETURNING `+reminderCols,
			r.ChatID, string(r.Kind), r.Months, start, r.Income.IntPart(), string(r.Group), r.AgentID, expiry, msOrNull(r.NextAt), ms))
		if err != nil {
			return err
		}
		for _, k := range seen {
			if _, err := tx.Exec(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, out.ID, k, ms); err != nil {
				return err
			}
		}
		return reminderEvent(ctx, tx, r.Kind, bot.EventSet, at)
	})
	return out, err
}

// ChatReminders returns the chat's reminders, by kind.
func (s *Store) ChatReminders(ctx context.Context, chatID int64) ([]bot.Reminder, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+reminderCols+` FROM reminders WHERE chat_id = $1 ORDER BY kind COLLATE "C"`, chatID)
	if err != nil {
		return nil, fmt.Errorf("postgres: chat reminders: %w", normalize(err))
	}
	out, err := scanReminders(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: chat reminders: %w", normalize(err))
	}
	return out, nil
}

// ChangeReminder stores a person's change to r's schedule while the
// reminder still has r.Seq (releasing any lease, so an occurrence being
// fired from the old schedule is dropped), and counts event once per
// occurrence key. Errors: bot.ErrNotFound, bot.ErrConflict (moved on).
func (s *Store) ChangeReminder(ctx context.Context, r bot.Reminder, event, occurrence string, at time.Time) error {
	return s.write(ctx, "change reminder", func(tx pgx.Tx) error {
		var seq int
		err := tx.QueryRow(ctx, `SELECT seq FROM reminders WHERE id = $1 AND chat_id = $2 FOR UPDATE`, r.ID, r.ChatID).Scan(&seq)
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		if seq != r.Seq {
			return bot.ErrConflict
		}
		start, expiry := schedule(r)
		if _, err := tx.Exec(ctx, `UPDATE reminders SET start_month = $1, expiry = $2, next_at = $3, lease_until = 0, lease_owner = '',
			blocked_at = 0, updated_at = $4 WHERE id = $5`, start, expiry, msOrNull(r.NextAt), at.UnixMilli(), r.ID); err != nil {
			return err
		}
		if occurrence == "" {
			return nil
		}
		tag, err := tx.Exec(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			r.ID, occurrence, at.UnixMilli())
		if err != nil || tag.RowsAffected() == 0 {
			return err // none inserted: the same press again (a redelivered update), counted once
		}
		return reminderEvent(ctx, tx, r.Kind, event, at)
	})
}

// StopReminder deletes the chat's reminder of kind ("Tắt nhắc").
func (s *Store) StopReminder(ctx context.Context, chatID int64, kind bot.ReminderKind, at time.Time) (bool, error) {
	var found bool
	err := s.write(ctx, "stop reminder", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM reminders WHERE chat_id = $1 AND kind = $2`, chatID, string(kind))
		if err != nil {
			return err
		}
		if found = tag.RowsAffected() > 0; !found {
			return nil
		}
		return reminderEvent(ctx, tx, kind, bot.EventOff, at)
	})
	return found, err
}

// DeleteChatReminders deletes every reminder of the chat and what they sent (/xoa).
func (s *Store) DeleteChatReminders(ctx context.Context, chatID int64, at time.Time) error {
	return s.write(ctx, "delete reminders", func(tx pgx.Tx) error {
		return countKinds(ctx, tx, bot.EventDeleted, at, `DELETE FROM reminders WHERE chat_id = $1 RETURNING kind`, chatID)
	})
}

// countKinds runs q, which returns the kinds of the reminders it changed,
// and counts event for each.
func countKinds(ctx context.Context, tx pgx.Tx, event string, at time.Time, q string, args ...any) error {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if err := reminderEvent(ctx, tx, bot.ReminderKind(k), event, at); err != nil {
			return err
		}
	}
	return nil
}

// ReachableChat clears the chat's block: the person wrote again.
func (s *Store) ReachableChat(ctx context.Context, chatID int64) error {
	return s.write(ctx, "reachable chat", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE reminders SET blocked_at = 0 WHERE chat_id = $1 AND blocked_at <> 0`, chatID)
		return err
	})
}

// MarkUnreachable pauses the chat's reminders: Telegram refused a message
// to it (blocked, deleted, no right to write). The transport's sender calls
// it; a chat without reminders costs one indexed update.
func (s *Store) MarkUnreachable(ctx context.Context, chatID int64, at time.Time) error {
	return s.write(ctx, "mark unreachable", func(tx pgx.Tx) error {
		return countKinds(ctx, tx, bot.EventBlocked, at, `UPDATE reminders SET blocked_at = $1, lease_until = 0, lease_owner = ''
			WHERE chat_id = $2 AND blocked_at = 0 RETURNING kind`, at.UnixMilli(), chatID)
	})
}

// ClaimReminders leases due reminders to c.Owner: at most c.Limit, one per
// chat, none for a chat fired within c.Gap or with replies waiting in the
// outbox, oldest due first. The replicas' claims take turns (a transaction
// lock), so each sees the leases the others took; rows a person is changing
// at that moment are skipped (SKIP LOCKED).
func (s *Store) ClaimReminders(ctx context.Context, c bot.ReminderClaim) ([]bot.Reminder, error) {
	if c.Limit <= 0 {
		return nil, nil
	}
	var out []bot.Reminder
	err := s.write(ctx, "claim reminders", func(tx pgx.Tx) error {
		out = nil
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockClass, lockReminders); err != nil {
			return err
		}
		now := c.Now.UnixMilli()
		rows, err := tx.Query(ctx, `SELECT r.id, r.chat_id FROM reminders r
			WHERE r.next_at IS NOT NULL AND r.next_at <= $1 AND r.lease_until <= $1 AND r.blocked_at = 0
				AND NOT EXISTS (SELECT 1 FROM reminders q WHERE q.chat_id = r.chat_id AND (q.fired_at > $2 OR q.lease_until > $1))
				AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = r.chat_id)
			ORDER BY r.next_at, r.id LIMIT $3
			FOR UPDATE OF r SKIP LOCKED`, now, now-c.Gap.Milliseconds(), 4*c.Limit)
		if err != nil {
			return err
		}
		var ids []int64
		chats := map[int64]bool{}
		var id, chat int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &chat}, func() error {
			if !chats[chat] && len(ids) < c.Limit {
				chats[chat] = true
				ids = append(ids, id)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err = tx.Query(ctx, `UPDATE reminders SET lease_until = $1, lease_owner = $2 WHERE id = ANY($3)
			RETURNING `+reminderCols, c.Now.Add(c.Lease).UnixMilli(), c.Owner, ids)
		if err != nil {
			return err
		}
		got, err := scanReminders(rows)
		if err != nil {
			return err
		}
		// In the order claimed (oldest due first); RETURNING gives none.
		byID := map[int64]bot.Reminder{}
		for _, r := range got {
			byID[r.ID] = r
		}
		for _, id := range ids {
			out = append(out, byID[id])
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
	err := s.write(ctx, "fire reminders", func(tx pgx.Tx) error {
		direct, applied = nil, 0
		for _, f := range fires {
			var (
				seq   int
				lease string
			)
			err := tx.QueryRow(ctx, `SELECT seq, lease_owner FROM reminders WHERE id = $1 FOR UPDATE`, f.Claimed.ID).Scan(&seq, &lease)
			if errors.Is(err, pgx.ErrNoRows) {
				continue // turned off or deleted meanwhile
			}
			if err != nil {
				return err
			}
			if seq != f.Claimed.Seq || lease != owner {
				continue // changed by the person, or leased by another replica after this one's lease ran out
			}
			ms := f.At.UnixMilli()
			send := f.Message != nil
			if f.Occurrence != "" {
				tag, err := tx.Exec(ctx, `INSERT INTO reminder_sent(reminder_id, occurrence, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
					f.Claimed.ID, f.Occurrence, ms)
				if err != nil {
					return err
				}
				if tag.RowsAffected() == 0 {
					send = false // already sent: never twice
				}
			}
			if send {
				m := *f.Message
				m.ChatID = f.Claimed.ChatID
				q, err := enqueue(ctx, tx, sink, 0, f.At, []bot.Message{m})
				if err != nil {
					return err
				}
				direct = append(direct, q...)
			}
			start, expiry := schedule(f.Next)
			var firedAt *int64
			if send {
				firedAt = &ms
			}
			if _, err := tx.Exec(ctx, `UPDATE reminders SET start_month = $1, expiry = $2, next_at = $3, seq = seq + 1,
				fired_at = coalesce($4, fired_at), lease_until = 0, lease_owner = '', updated_at = $5 WHERE id = $6`,
				start, expiry, msOrNull(f.Next.NextAt), firedAt, ms, f.Claimed.ID); err != nil {
				return err
			}
			if f.Event != "" && (send || f.Event != bot.EventSent) {
				if err := reminderEvent(ctx, tx, f.Claimed.Kind, f.Event, f.At); err != nil {
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
	return s.write(ctx, "release reminders", func(tx pgx.Tx) error {
		q, args := `UPDATE reminders SET lease_until = 0, lease_owner = '' WHERE lease_owner = $1`, []any{owner}
		if ids != nil {
			q, args = q+` AND id = ANY($2)`, append(args, ids)
		}
		_, err := tx.Exec(ctx, q, args...)
		return err
	})
}

// WakeNews makes due at now every news subscription that has not sent one
// of the occurrence keys.
func (s *Store) WakeNews(ctx context.Context, now time.Time, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.write(ctx, "wake news", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE reminders SET next_at = $1
			WHERE kind = 'news' AND (next_at IS NULL OR next_at > $1)
				AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(value) WHERE NOT EXISTS (
					SELECT 1 FROM reminder_sent s WHERE s.reminder_id = reminders.id AND s.occurrence = k.value))`,
			now.UnixMilli(), keys)
		return err
	})
}

// WaitingReplies counts the messages waiting in the outbox.
func (s *Store) WaitingReplies(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: waiting replies: %w", normalize(err))
	}
	return n, nil
}

// SentOccurrences returns which of keys reminder id already sent.
func (s *Store) SentOccurrences(ctx context.Context, id int64, keys []string) (map[string]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT occurrence FROM reminder_sent WHERE reminder_id = $1 AND occurrence = ANY($2)`, id, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: sent occurrences: %w", normalize(err))
	}
	sent, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: sent occurrences: %w", normalize(err))
	}
	out := map[string]bool{}
	for _, k := range keys {
		out[k] = false
	}
	for _, k := range sent {
		out[k] = true
	}
	return out, nil
}

// DueReminders returns, without leasing, the reminders due at now and
// every news subscription, reachable ones only.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]bot.Reminder, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+reminderCols+` FROM reminders
		WHERE blocked_at = 0 AND ((next_at IS NOT NULL AND next_at <= $1) OR kind = 'news')
		ORDER BY coalesce(next_at, 0), id`, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("postgres: due reminders: %w", normalize(err))
	}
	out, err := scanReminders(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: due reminders: %w", normalize(err))
	}
	return out, nil
}

// ReminderStats counts the reminders on now and the events since since
// (zero: all), by month (Vietnam time) and kind. Events hold no chat, so the
// counts include people who deleted their data since.
func (s *Store) ReminderStats(ctx context.Context, since time.Time) (bot.ReminderStats, error) {
	st := bot.ReminderStats{Active: map[string]int{}, Blocked: map[string]int{}, Months: []bot.ReminderMonth{}}
	rows, err := s.pool.Query(ctx, `SELECT kind, count(*), count(*) FILTER (WHERE blocked_at <> 0) FROM reminders GROUP BY kind`)
	if err != nil {
		return st, fmt.Errorf("postgres: reminder stats: %w", normalize(err))
	}
	var kind string
	var n, blocked int
	if _, err := pgx.ForEachRow(rows, []any{&kind, &n, &blocked}, func() error {
		st.Active[kind], st.Blocked[kind] = n, blocked
		return nil
	}); err != nil {
		return st, fmt.Errorf("postgres: reminder stats: %w", normalize(err))
	}
	// Months in Vietnam (UTC+7, no daylight saving), as bot/sqlite counts them.
	rows, err = s.pool.Query(ctx, `SELECT to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC' + interval '7 hours', 'YYYY-MM') AS m,
			kind, event, count(*)
		FROM reminder_events WHERE at >= $1 GROUP BY m, kind, event ORDER BY m, kind COLLATE "C"`, since.UnixMilli())
	if err != nil {
		return st, fmt.Errorf("postgres: reminder stats: %w", normalize(err))
	}
	var month, event string
	if _, err := pgx.ForEachRow(rows, []any{&month, &kind, &event, &n}, func() error {
		st.AddEvents(month, kind, event, n)
		return nil
	}); err != nil {
		return st, fmt.Errorf("postgres: reminder stats: %w", normalize(err))
	}
	return st, nil
}
