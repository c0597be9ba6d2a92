package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Handled reports whether the update id was recorded by Commit.
func (s *Store) Handled(ctx context.Context, updateID int64) (bool, error) {
	var n int
	st, err := s.prepared(ctx, `SELECT count(*) FROM processed_updates WHERE update_id = ?`)
	if err == nil {
		err = st.QueryRowContext(ctx, updateID).Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: check update: %w", s.note(normalize(err)))
	}
	return n > 0, nil
}

// Commit records a handled event in one transaction: the update id, the
// chat's state and the replies appended to the outbox. Errors:
// bot.ErrDuplicate when the update id is already recorded (nothing is
// written), bot.ErrUnavailable when the database cannot be written.
func (s *Store) Commit(ctx context.Context, c bot.Commit) error {
	var direct []bot.Queued
	sink := s.direct.Load()
	err := s.write(ctx, "commit", func(tx *sql.Tx) error {
		if c.UpdateID != 0 {
			res, err := s.txExec(ctx, tx, `INSERT INTO processed_updates(update_id, seen_at) VALUES (?, ?)
				ON CONFLICT(update_id) DO NOTHING`, c.UpdateID, c.At.Unix())
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return bot.ErrDuplicate
			}
		}
		if c.State != nil {
			if err := s.saveState(ctx, tx, c.State); err != nil {
				return err
			}
		}
		var err error
		direct, err = s.enqueue(ctx, tx, sink, c.UpdateID, c.At, c.Outbox)
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
	q, err := s.prepared(ctx, `SELECT chat_id, user_id, flow, step, vals, updated_at FROM chat_state WHERE chat_id = ?`)
	if err == nil {
		err = q.QueryRowContext(ctx, chatID).Scan(&st.ChatID, &st.UserID, &st.Flow, &st.Step, &vals, &updated)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: load state: %w", s.note(normalize(err)))
	}
	if err := json.Unmarshal([]byte(vals), &st.Data); err != nil {
		// A row written by an older version (a map of strings) or damaged:
		// the flow starts over rather than failing every message of the chat.
		st.Flow, st.Step, st.Data = "", "", bot.StateData{}
	}
	st.Updated = time.Unix(updated, 0)
	return &st, nil
}

// SaveState inserts or replaces the chat's state.
func (s *Store) SaveState(ctx context.Context, st *bot.ChatState) error {
	return s.write(ctx, "save state", func(tx *sql.Tx) error { return s.saveState(ctx, tx, st) })
}

func (s *Store) saveState(ctx context.Context, tx *sql.Tx, st *bot.ChatState) error {
	b, err := json.Marshal(st.Data)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	_, err = s.txExec(ctx, tx, `INSERT INTO chat_state(chat_id, user_id, flow, step, vals, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(chat_id) DO UPDATE SET user_id = excluded.user_id, flow = excluded.flow,
			step = excluded.step, vals = excluded.vals, updated_at = excluded.updated_at`,
		st.ChatID, st.UserID, st.Flow, st.Step, string(b), st.Updated.Unix())
	return err
}

// AddFeedback records a 👍/👎.
func (s *Store) AddFeedback(ctx context.Context, f bot.Feedback) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO feedback(user_id, chat_id, faq_id, vote, question, folded, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.UserID, f.ChatID, f.FAQID, f.Vote, f.Question, foldSpace(f.Question), f.At.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: add feedback: %w", normalize(err))
	}
	return nil
}

// AddQuestion records an unanswered or low-confidence question.
func (s *Store) AddQuestion(ctx context.Context, q bot.Question) error {
	folded := q.Folded
	if folded == "" {
		folded = foldSpace(q.Text)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO questions(user_id, chat_id, text, folded, decision, top_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, q.UserID, q.ChatID, q.Text, folded, q.Decision, q.TopID, q.At.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: add question: %w", normalize(err))
	}
	return nil
}

// SetAttribution keeps the latest deep-link payload of a user.
func (s *Store) SetAttribution(ctx context.Context, userID int64, payload string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO attribution(user_id, payload, created_at) VALUES (?, ?, ?)
		ON CONFLICT(user_id) DO UPDATE SET payload = excluded.payload, created_at = excluded.created_at`,
		userID, payload, at.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: set attribution: %w", normalize(err))
	}
	return nil
}

// Attribution returns the user's deep-link payload, or bot.ErrNotFound.
func (s *Store) Attribution(ctx context.Context, userID int64) (string, error) {
	var p string
	err := s.db.QueryRowContext(ctx, `SELECT payload FROM attribution WHERE user_id = ?`, userID).Scan(&p)
	if err != nil {
		return "", fmt.Errorf("sqlite: attribution: %w", normalize(err))
	}
	return p, nil
}

// DeleteUser removes the user's chat state, feedback, questions,
// attribution and the replies not yet delivered to the chat, in one
// transaction.
func (s *Store) DeleteUser(ctx context.Context, userID, chatID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: delete user: %w", normalize(err))
	}
	defer tx.Rollback()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM chat_state WHERE chat_id = ? OR user_id = ?`, []any{chatID, userID}},
		{`DELETE FROM feedback WHERE user_id = ?`, []any{userID}},
		{`DELETE FROM questions WHERE user_id = ?`, []any{userID}},
		{`DELETE FROM attribution WHERE user_id = ?`, []any{userID}},
		{`DELETE FROM outbox WHERE chat_id = ?`, []any{chatID}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("sqlite: delete user: %w", normalize(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: delete user: %w", normalize(err))
	}
	return nil
}

// PruneStats says how many rows Prune removed.
type PruneStats = bot.PruneStats

// Prune removes what is older than the retention allows: processed update
// ids, idle chat states, and questions, feedback and attribution records.
// The main loop calls it periodically so that state stays bounded.
func (s *Store) Prune(ctx context.Context, now time.Time, r bot.Retention) (PruneStats, error) {
	var ps PruneStats
	steps := []struct {
		sql string
		cut time.Duration
		n   *int64
	}{
		{`DELETE FROM processed_updates WHERE seen_at < ?`, r.Updates, &ps.Updates},
		{`DELETE FROM chat_state WHERE updated_at < ?`, r.State, &ps.States},
		{`DELETE FROM questions WHERE created_at < ?`, r.Records, &ps.Questions},
		{`DELETE FROM feedback WHERE created_at < ?`, r.Records, &ps.Feedback},
		{`DELETE FROM attribution WHERE created_at < ?`, r.Records, &ps.Attribution},
	}
	for _, st := range steps {
		if st.cut <= 0 {
			continue
		}
		res, err := s.db.ExecContext(ctx, st.sql, now.Add(-st.cut).Unix())
		if err != nil {
			return ps, fmt.Errorf("sqlite: prune: %w", normalize(err))
		}
		*st.n, _ = res.RowsAffected()
	}
	return ps, nil
}

func foldSpace(s string) string {
	return joinFields(vitext.Fold(s))
}

// LockChat does nothing: one process uses a SQLite database, and the engine
// serialises the events of a chat within the process.
func (s *Store) LockChat(context.Context, int64) (func(), error) { return func() {}, nil }
