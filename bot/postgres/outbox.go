package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// The outbox of replies (migrations 0004, 0005): written by Commit, drained
// by the transport's sender of every replica.

// directSink is the local sender that takes replies as they are queued
// (DirectOutbox).
type directSink struct {
	owner string
	lease time.Duration
	take  func([]bot.Queued)
}

// DirectOutbox makes Commit lease the replies it queues for a chat with
// nothing else waiting to owner, until the commit time plus lease, and hand
// them to take once committed: this replica's sender sends them without a
// claim round. Other replies are only queued, to be claimed in order by
// any replica. An empty owner removes the sink.
func (s *Store) DirectOutbox(owner string, lease time.Duration, take func([]bot.Queued)) {
	if owner == "" || take == nil {
		s.direct.Store(nil)
		return
	}
	// Best effort: the first claim shows the owner alive if this fails.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = s.owners.show(ctx, owner)
	cancel()
	s.direct.Store(&directSink{owner: owner, lease: lease, take: take})
}

// enqueue appends msgs to the outbox, in order, due at once. It returns the
// replies leased to sink (nil: none), to hand over after the commit.
func enqueue(ctx context.Context, tx pgx.Tx, sink *directSink, updateID int64, at time.Time, msgs []bot.Message) ([]bot.Queued, error) {
	if len(msgs) == 0 {
		return nil, nil
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
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = $1)`, m.ChatID).Scan(&w); err != nil {
					return nil, err
				}
				waiting[m.ChatID] = w
			}
			if !w {
				leaseUntil, owner = at.Add(sink.lease).UnixMilli(), sink.owner
			}
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO outbox(chat_id, update_id, message, created_at, next_attempt, lease_until, lease_owner)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.ChatID, updateID, string(b), ms, ms, leaseUntil, owner).Scan(&id); err != nil {
			return nil, err
		}
		if owner != "" {
			direct = append(direct, bot.Queued{ID: id, ChatID: m.ChatID, UpdateID: updateID, Message: m, CreatedAt: time.UnixMilli(ms)})
		}
	}
	return direct, nil
}

// ClaimOutbox leases to c.Owner, until c.Now+c.Lease, the replies of at
// most c.Chats chats whose oldest reply is due and not leased, at most
// c.PerChat per chat, and returns them by chat, each chat's in id order. The
// oldest replies are taken FOR UPDATE SKIP LOCKED: a chat another replica is
// claiming at the same moment is left to it. A lease whose owner is gone
// (its process died, so it no longer shows itself alive: owners.go) counts
// as run out, so a killed replica's replies go out at once.
func (s *Store) ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error) {
	if err := s.owners.show(ctx, c.Owner); err != nil {
		return nil, err
	}
	skip := c.Skip
	if skip == nil {
		skip = []int64{}
	}
	var out [][]bot.Queued
	err := s.write(ctx, "claim outbox", func(tx pgx.Tx) error {
		if c.Chats <= 0 {
			return nil
		}
		ms := c.Now.UnixMilli()
		rows, err := tx.Query(ctx, `WITH `+liveOwners("$4")+`
			SELECT o.chat_id FROM outbox o
			WHERE o.next_attempt <= $1 AND (o.lease_until <= $1 OR NOT `+ownerAlive("o.lease_owner")+`)
				AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id)
				AND o.chat_id <> ALL($2)
			ORDER BY o.id LIMIT $3
			FOR UPDATE OF o SKIP LOCKED`, ms, skip, c.Chats, lockOwners)
		if err != nil {
			return err
		}
		chats, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(chats) == 0 {
			return err
		}
		rows, err = tx.Query(ctx, `UPDATE outbox SET lease_until = $1, lease_owner = $2
			WHERE id IN (SELECT id FROM (
				SELECT id, row_number() OVER (PARTITION BY chat_id ORDER BY id) AS n FROM outbox WHERE chat_id = ANY($3)
			) r WHERE n <= $4)
			RETURNING id, chat_id, update_id, message, created_at, attempts`,
			c.Now.Add(c.Lease).UnixMilli(), c.Owner, chats, c.PerChat)
		if err != nil {
			return err
		}
		qs, err := scanQueued(rows)
		if err != nil {
			return err
		}
		byChat := map[int64][]bot.Queued{}
		for _, q := range qs {
			byChat[q.ChatID] = append(byChat[q.ChatID], q)
		}
		for _, chat := range chats {
			if len(byChat[chat]) > 0 {
				out = append(out, byChat[chat])
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanQueued reads claimed rows, sorted by id.
func scanQueued(rows pgx.Rows) ([]bot.Queued, error) {
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
func (s *Store) DeleteOutbox(ctx context.Context, owner string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, "delete from outbox", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1) AND lease_owner = $2`, ids, owner)
		return err
	})
}

// RetryOutbox counts a failed attempt of the reply id, sets when to try it
// again, and releases the leases owner holds on its chat (the replies after
// it wait for it).
func (s *Store) RetryOutbox(ctx context.Context, owner string, id int64, next time.Time, errText string) error {
	return s.write(ctx, "retry outbox", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt = $1, last_error = $2 WHERE id = $3`,
			next.UnixMilli(), errText, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE lease_owner = $1
			AND chat_id = (SELECT chat_id FROM outbox WHERE id = $2)`, owner, id)
		return err
	})
}

// ReleaseOutbox gives up the leases owner holds: on chatID, or on every
// chat when chatID is 0 (a sender stopping).
func (s *Store) ReleaseOutbox(ctx context.Context, owner string, chatID int64) error {
	return s.write(ctx, "release outbox", func(tx pgx.Tx) error {
		q, args := `UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE lease_owner = $1`, []any{owner}
		if chatID != 0 {
			q, args = q+` AND chat_id = $2`, append(args, chatID)
		}
		_, err := tx.Exec(ctx, q, args...)
		return err
	})
}

// OutboxStats counts the replies waiting.
func (s *Store) OutboxStats(ctx context.Context) (bot.OutboxStats, error) {
	var (
		st     bot.OutboxStats
		oldest *int64
	)
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&st.Depth, &oldest); err != nil {
		return st, fmt.Errorf("postgres: outbox stats: %w", normalize(err))
	}
	if oldest != nil {
		st.Oldest = time.UnixMilli(*oldest)
	}
	return st, nil
}
