package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Handled reports whether the update id was recorded by Commit.
func (s *Store) Handled(ctx context.Context, updateID int64) (bool, error) {
	var seen bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_id = $1)`, updateID).Scan(&seen); err != nil {
		return false, fmt.Errorf("postgres: check update: %w", normalize(err))
	}
	return seen, nil
}

// Commit records a handled event in one transaction: the update id, the
// chat's state and the replies appended to the outbox. Errors:
// bot.ErrDuplicate when the update id is already recorded, by this replica
// or another (nothing is written), bot.ErrUnavailable when the database
// cannot be reached or written.
func (s *Store) Commit(ctx context.Context, c bot.Commit) error {
	var direct []bot.Queued
	sink := s.direct.Load()
	err := s.write(ctx, "commit", func(tx pgx.Tx) error {
		if c.UpdateID != 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO processed_updates(update_id, seen_at) VALUES ($1, $2)
				ON CONFLICT (update_id) DO NOTHING`, c.UpdateID, c.At.Unix())
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return bot.ErrDuplicate
			}
		}
		if c.State != nil {
			if err := saveState(ctx, tx, c.State); err != nil {
				return err
			}
		}
		var err error
		direct, err = enqueue(ctx, tx, sink, c.UpdateID, c.At, c.Outbox)
		return err
	})
	if err == nil && len(direct) > 0 {
		sink.take(direct)
	}
	return err
}

// LoadState returns the chat's state or bot.ErrNotFound.
func (s *Store) LoadState(ctx context.Context, chatID int64) (*bot.ChatState, error) {
	var (
		st      bot.ChatState
		vals    string
		updated int64
	)
	err := s.pool.QueryRow(ctx, `SELECT chat_id, user_id, flow, step, vals, updated_at FROM chat_state WHERE chat_id = $1`, chatID).
		Scan(&st.ChatID, &st.UserID, &st.Flow, &st.Step, &vals, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: load state: %w", normalize(err))
	}
	if err := json.Unmarshal([]byte(vals), &st.Data); err != nil {
		// Written by an older version or damaged: the flow starts over
		// rather than failing every message of the chat.
		st.Flow, st.Step, st.Data = "", "", bot.StateData{}
	}
	st.Updated = time.Unix(updated, 0)
	return &st, nil
}

// SaveState inserts or replaces the chat's state.
func (s *Store) SaveState(ctx context.Context, st *bot.ChatState) error {
	return s.write(ctx, "save state", func(tx pgx.Tx) error { return saveState(ctx, tx, st) })
}

func saveState(ctx context.Context, tx pgx.Tx, st *bot.ChatState) error {
	b, err := json.Marshal(st.Data)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO chat_state(chat_id, user_id, flow, step, vals, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (chat_id) DO UPDATE SET user_id = excluded.user_id, flow = excluded.flow,
			step = excluded.step, vals = excluded.vals, updated_at = excluded.updated_at`,
		st.ChatID, st.UserID, st.Flow, st.Step, string(b), st.Updated.Unix())
	return err
}

// AddFeedback records a 👍/👎.
func (s *Store) AddFeedback(ctx context.Context, f bot.Feedback) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO feedback(user_id, chat_id, faq_id, vote, question, folded, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.UserID, f.ChatID, f.FAQID, f.Vote, f.Question, foldSpace(f.Question), f.At.Unix())
	if err != nil {
		return fmt.Errorf("postgres: add feedback: %w", normalize(err))
	}
	return nil
}

// AddQuestion records an unanswered or low-confidence question.
func (s *Store) AddQuestion(ctx context.Context, q bot.Question) error {
	folded := q.Folded
	if folded == "" {
		folded = foldSpace(q.Text)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO questions(user_id, chat_id, text, folded, decision, top_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, q.UserID, q.ChatID, q.Text, folded, q.Decision, q.TopID, q.At.Unix())
	if err != nil {
		return fmt.Errorf("postgres: add question: %w", normalize(err))
	}
	return nil
}

// SetAttribution keeps the latest deep-link payload of a user.
func (s *Store) SetAttribution(ctx context.Context, userID int64, payload string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO attribution(user_id, payload, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET payload = excluded.payload, created_at = excluded.created_at`,
		userID, payload, at.Unix())
	if err != nil {
		return fmt.Errorf("postgres: set attribution: %w", normalize(err))
	}
	return nil
}

// Attribution returns the user's deep-link payload, or bot.ErrNotFound.
func (s *Store) Attribution(ctx context.Context, userID int64) (string, error) {
	var p string
	if err := s.pool.QueryRow(ctx, `SELECT payload FROM attribution WHERE user_id = $1`, userID).Scan(&p); err != nil {
		return "", fmt.Errorf("postgres: attribution: %w", normalize(err))
	}
	return p, nil
}

// DeleteUser removes the user's chat state, feedback, questions,
// attribution and the replies not yet delivered to the chat, in one
// transaction.
func (s *Store) DeleteUser(ctx context.Context, userID, chatID int64) error {
	return s.write(ctx, "delete user", func(tx pgx.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM chat_state WHERE chat_id = $1 OR user_id = $2`, []any{chatID, userID}},
			{`DELETE FROM feedback WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM questions WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM attribution WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM outbox WHERE chat_id = $1`, []any{chatID}},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// Prune removes what is older than the retention allows: processed update
// ids, idle chat states, and questions, feedback and attribution records.
// One replica prunes at a time: when another one is at it, Prune removes
// nothing and reports Skipped.
func (s *Store) Prune(ctx context.Context, now time.Time, r bot.Retention) (bot.PruneStats, error) {
	var ps bot.PruneStats
	ran, err := s.exclusive(ctx, "prune", lockPrune, func(tx pgx.Tx) error {
		for _, st := range []struct {
			sql string
			cut time.Duration
			n   *int64
		}{
			{`DELETE FROM processed_updates WHERE seen_at < $1`, r.Updates, &ps.Updates},
			{`DELETE FROM chat_state WHERE updated_at < $1`, r.State, &ps.States},
			{`DELETE FROM questions WHERE created_at < $1`, r.Records, &ps.Questions},
			{`DELETE FROM feedback WHERE created_at < $1`, r.Records, &ps.Feedback},
			{`DELETE FROM attribution WHERE created_at < $1`, r.Records, &ps.Attribution},
		} {
			if st.cut <= 0 {
				continue
			}
			tag, err := tx.Exec(ctx, st.sql, now.Add(-st.cut).Unix())
			if err != nil {
				return err
			}
			*st.n = tag.RowsAffected()
		}
		return nil
	})
	if err != nil {
		return bot.PruneStats{}, err
	}
	ps.Skipped = !ran
	return ps, nil
}

func foldSpace(s string) string { return strings.Join(strings.Fields(vitext.Fold(s)), " ") }
