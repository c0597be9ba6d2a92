package telegram

import (
	"context"
	"time"
)

// UnreachableMarker is implemented by an Outbox that wants to know which
// chats refuse the bot's messages (blocked, deleted, no right to write):
// the reminders of such a chat are paused until the person writes again.
// The sender calls it once per refused chat; it is optional.
type UnreachableMarker interface {
	MarkUnreachable(ctx context.Context, chatID int64, at time.Time) error
}

// markUnreachable tells the store, when it listens, that chat refused a message.
func (s *sender) markUnreachable(ctx context.Context, chat int64) {
	m, ok := s.store.(UnreachableMarker)
	if !ok {
		return
	}
	if err := m.MarkUnreachable(ctx, chat, s.now()); err != nil {
		s.log.Warn("telegram: outbox: mark chat unreachable", "chat_id", chat, "err", err)
	}
}
