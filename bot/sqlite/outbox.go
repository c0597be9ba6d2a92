package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
