package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// The outbox of replies (migration 0004): written by Commit, drained by the
// transport's sender.

// enqueue appends msgs to the outbox, in order, due at once.
func enqueue(ctx context.Context, tx *sql.Tx, updateID int64, at time.Time, msgs []bot.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO outbox(chat_id, update_id, message, created_at, next_attempt) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	ms := at.UnixMilli()
	for _, m := range msgs {
		if m.ChatID == 0 {
			return fmt.Errorf("queue reply to update %d: no chat id", updateID)
		}
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode reply: %w", err)
		}
		if _, err := stmt.ExecContext(ctx, m.ChatID, updateID, string(b), ms, ms); err != nil {
			return err
		}
	}
	return nil
}

// ClaimOutbox leases to owner, until now+lease, the replies of at most chats
// chats whose oldest reply is due and not leased, at most perChat replies
// per chat, and returns them sorted by chat and id (the order they must be
// sent in). Only a chat's oldest reply makes it claimable, so the replies of
// a chat go out in order even with several senders on one database. Chats
// in skip (the caller is sending to them) are left alone.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, owner string, lease time.Duration, chats, perChat int, skip []int64) ([]bot.Queued, error) {
	var out []bot.Queued
	if skip == nil {
		skip = []int64{}
	}
	skipJSON, err := json.Marshal(skip)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim outbox: %w", err)
	}
	err = s.write(ctx, "claim outbox", func(tx *sql.Tx) error {
		ms := now.UnixMilli()
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET lease_until = ?, lease_owner = ?
			WHERE id IN (SELECT id FROM (
				SELECT id, row_number() OVER (PARTITION BY chat_id ORDER BY id) AS n FROM outbox
				WHERE chat_id IN (
					SELECT o.chat_id FROM outbox o
					WHERE o.next_attempt <= ? AND o.lease_until <= ?
						AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id)
						AND o.chat_id NOT IN (SELECT value FROM json_each(?))
					ORDER BY o.id LIMIT ?)
				) WHERE n <= ?)
			RETURNING id, chat_id, update_id, message, created_at, attempts`,
			now.Add(lease).UnixMilli(), owner, ms, ms, string(skipJSON), chats, perChat)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				q       bot.Queued
				msg     string
				created int64
			)
			if err := rows.Scan(&q.ID, &q.ChatID, &q.UpdateID, &msg, &created, &q.Attempts); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(msg), &q.Message); err != nil {
				return fmt.Errorf("decode reply %d: %w", q.ID, err)
			}
			q.CreatedAt = time.UnixMilli(created)
			out = append(out, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b bot.Queued) int {
		if c := cmp.Compare(a.ChatID, b.ChatID); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// DeleteOutbox removes replies owner delivered or gave up on (those it
// still leases: one whose lease passed belongs to whoever took it since).
func (s *Store) DeleteOutbox(ctx context.Context, owner string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, "delete from outbox", func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `DELETE FROM outbox WHERE id = ? AND lease_owner = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, id := range ids {
			if _, err := stmt.ExecContext(ctx, id, owner); err != nil {
				return err
			}
		}
		return nil
	})
}

// RetryOutbox counts a failed attempt of the reply id, sets when to try it
// again, and releases the leases owner holds on its chat (the replies after
// it wait for it).
func (s *Store) RetryOutbox(ctx context.Context, owner string, id int64, next time.Time, errText string) error {
	return s.write(ctx, "retry outbox", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?`,
			next.UnixMilli(), errText, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE lease_owner = ?
			AND chat_id = (SELECT chat_id FROM outbox WHERE id = ?)`, owner, id)
		return err
	})
}

// ReleaseOutbox gives up the leases owner holds: on chatID, or on every
// chat when chatID is 0 (a sender stopping).
func (s *Store) ReleaseOutbox(ctx context.Context, owner string, chatID int64) error {
	return s.write(ctx, "release outbox", func(tx *sql.Tx) error {
		q, args := `UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE lease_owner = ?`, []any{owner}
		if chatID != 0 {
			q, args = q+` AND chat_id = ?`, append(args, chatID)
		}
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
}

// OutboxStats is how much waits in the outbox.
type OutboxStats struct {
	Depth  int       // replies not yet delivered
	Oldest time.Time // creation of the oldest (zero when empty)
}

// OutboxStats counts the replies waiting.
func (s *Store) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var (
		st     OutboxStats
		oldest sql.NullInt64
	)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&st.Depth, &oldest); err != nil {
		return st, fmt.Errorf("sqlite: outbox stats: %w", normalize(err))
	}
	if oldest.Valid {
		st.Oldest = time.UnixMilli(oldest.Int64)
	}
	return st, nil
}
