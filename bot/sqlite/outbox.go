package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// The outbox of replies (migrations 0004, 0005): written by Commit, drained
// by the transport's sender.

// directSink is the local sender that takes replies as they are queued
// (DirectOutbox).
type directSink struct {
	owner string
	lease time.Duration
	take  func([]bot.Queued)
}

// DirectOutbox makes Commit lease the replies it queues for a chat with
// nothing else waiting to owner, until the commit time plus lease, and hand
// them to take once committed: the local sender sends them without a claim
// round. Other replies (a chat with replies waiting, or no sink) are only
// queued, to be claimed in order. An empty owner removes the sink.
func (s *Store) DirectOutbox(owner string, lease time.Duration, take func([]bot.Queued)) {
	if owner == "" || take == nil {
		s.direct.Store(nil)
		return
	}
	s.direct.Store(&directSink{owner: owner, lease: lease, take: take})
}

// enqueue appends msgs to the outbox, in order, due at once. It returns the
// replies leased to sink (nil: none), to hand over after the commit.
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, sink *directSink, updateID int64, at time.Time, msgs []bot.Message) ([]bot.Queued, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	insert, err := s.txStmt(ctx, tx, `INSERT INTO outbox(chat_id, update_id, message, created_at, next_attempt, lease_until, lease_owner)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	ms := at.UnixMilli()
	var direct []bot.Queued
	waiting := map[int64]bool{} // chats with replies queued before these
	for _, m := range msgs {
		if m.ChatID == 0 {
			return nil, fmt.Errorf("queue reply to update %d: no chat id", updateID)
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("encode reply: %w", err)
		}
		leaseUntil, owner := int64(0), ""
		if sink != nil {
			w, seen := waiting[m.ChatID]
			if !seen {
				ex, err := s.txStmt(ctx, tx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ?)`)
				if err != nil {
					return nil, err
				}
				if err := ex.QueryRowContext(ctx, m.ChatID).Scan(&w); err != nil {
					return nil, err
				}
				waiting[m.ChatID] = w
			}
			if !w {
				leaseUntil, owner = at.Add(sink.lease).UnixMilli(), sink.owner
			}
		}
		res, err := insert.ExecContext(ctx, m.ChatID, updateID, string(b), ms, ms, leaseUntil, owner)
		if err != nil {
			return nil, err
		}
		if owner != "" {
			id, err := res.LastInsertId()
			if err != nil {
				return nil, err
			}
			direct = append(direct, bot.Queued{ID: id, ChatID: m.ChatID, UpdateID: updateID, Message: m, CreatedAt: time.UnixMilli(ms)})
		}
	}
	return direct, nil
}

// ClaimOutbox leases to c.Owner, until c.Now+c.Lease, the replies of at
// most c.Chats chats whose oldest reply is due and not leased, at most
// c.PerChat per chat, and returns them by chat, each chat's in id order (the
// order they must be sent in). Only a chat's oldest reply makes it
// claimable, so the replies of a chat go out in order even with several
// senders on one database; the chats in c.Skip (the caller is sending to
// them) are left alone.
func (s *Store) ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error) {
	if c.Chats <= 0 {
		return nil, nil
	}
	skip := c.Skip
	if skip == nil {
		skip = []int64{}
	}
	skipJSON, err := json.Marshal(skip)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim outbox: %w", err)
	}
	var out [][]bot.Queued
	err = s.write(ctx, "claim outbox", func(tx *sql.Tx) error {
		ms := c.Now.UnixMilli()
		heads, err := s.txStmt(ctx, tx, `SELECT o.chat_id FROM outbox o
			WHERE o.next_attempt <= ? AND o.lease_until <= ?
				AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id)
				AND o.chat_id NOT IN (SELECT value FROM json_each(?))
			ORDER BY o.id LIMIT ?`)
		if err != nil {
			return err
		}
		rows, err := heads.QueryContext(ctx, ms, ms, string(skipJSON), c.Chats)
		if err != nil {
			return err
		}
		var chats []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			chats = append(chats, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		take, err := s.txStmt(ctx, tx, `UPDATE outbox SET lease_until = ?, lease_owner = ?
			WHERE id IN (SELECT id FROM outbox WHERE chat_id = ? ORDER BY id LIMIT ?)
			RETURNING id, chat_id, update_id, message, created_at, attempts`)
		if err != nil {
			return err
		}
		until := c.Now.Add(c.Lease).UnixMilli()
		for _, chat := range chats {
			qs, err := scanQueued(take.QueryContext(ctx, until, c.Owner, chat, c.PerChat))
			if err != nil {
				return err
			}
			out = append(out, qs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanQueued reads claimed rows, sorted by id.
func scanQueued(rows *sql.Rows, err error) ([]bot.Queued, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Queued
	for rows.Next() {
		var (
			q       bot.Queued
			msg     string
			created int64
		)
		if err := rows.Scan(&q.ID, &q.ChatID, &q.UpdateID, &msg, &created, &q.Attempts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(msg), &q.Message); err != nil {
			return nil, fmt.Errorf("decode reply %d: %w", q.ID, err)
		}
		q.CreatedAt = time.UnixMilli(created)
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// RETURNING gives no order.
	slices.SortFunc(out, func(a, b bot.Queued) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteOutbox removes replies owner delivered or gave up on (those it
// still leases: one whose lease passed belongs to whoever took it since).
// Until a delivered reply is deleted a kill would send it again, so deletes
// go ahead of the other writes, and the deletes of several senders waiting
// at once are done in one transaction.
func (s *Store) DeleteOutbox(ctx context.Context, owner string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	req := &forgetReq{owner: owner, ids: ids, done: make(chan error, 1)}
	s.forget.mu.Lock()
	s.forget.queue = append(s.forget.queue, req)
	leader := !s.forget.running
	s.forget.running = true
	s.forget.mu.Unlock()
	if leader {
		for {
			s.forget.mu.Lock()
			batch := s.forget.queue
			s.forget.queue = nil
			if len(batch) == 0 {
				s.forget.running = false
				s.forget.mu.Unlock()
				break
			}
			s.forget.mu.Unlock()
			err := s.writeTx(context.WithoutCancel(ctx), true, "delete from outbox", func(tx *sql.Tx) error {
				del, err := s.txStmt(ctx, tx, `DELETE FROM outbox WHERE id = ? AND lease_owner = ?`)
				if err != nil {
					return err
				}
				for _, r := range batch {
					for _, id := range r.ids {
						if _, err := del.ExecContext(ctx, id, r.owner); err != nil {
							return err
						}
					}
				}
				return nil
			})
			for _, r := range batch {
				r.done <- err
			}
		}
	}
	return <-req.done
}

// forgetReq is one DeleteOutbox waiting for the batch it is in.
type forgetReq struct {
	owner string
	ids   []int64
	done  chan error
}

// forgetter batches DeleteOutbox calls.
type forgetter struct {
	mu      sync.Mutex
	queue   []*forgetReq
	running bool // a caller is deleting batches
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

// TakeOverOutbox ends every lease, whoever holds it, and returns how many
// replies were leased. Only for a process that knows it is the only sender
// on the database (bhxhbot holds a lock file): the leases are then those of
// a run that died, and their replies go out at once instead of after the
// lease.
func (s *Store) TakeOverOutbox(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, "take over outbox", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE lease_owner != ''`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// OutboxStats is how much waits in the outbox.
type OutboxStats = bot.OutboxStats

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
