package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Send delivers m (bot.Sender). Text over 4096 characters goes out as several
// messages split at paragraph or line boundaries; inline buttons ride on the
// last part, a reply keyboard (or its removal) on the first. When
// m.EditMessageID is set and the text fits one message, that message is
// edited instead; if Telegram says it cannot be edited, a new message is
// sent; if it already shows exactly this, nothing is sent. It returns the
// id of the last message sent or edited.
// Errors: bot.ErrForbidden (wrapped) when the chat blocked the bot or does
// not exist; *bot.RetryAfterError (wrapped) when Telegram still rate-limits
// after the retries; an error for an empty text or chat id; otherwise an
// error with the token removed from its text.
func (a *Adapter) Send(ctx context.Context, m bot.Message) (int, error) {
	return a.sendMessage(ctx, m, a.maxRetries)
}

// sendMessage is Send with at most retries retries of each call after a 429
// or a 5xx (the outbox sender retries through the store instead: 0).
func (a *Adapter) sendMessage(ctx context.Context, m bot.Message, retries int) (int, error) {
	if m.ChatID == 0 {
		return 0, errors.New("telegram: send: no chat id")
	}
	parts := SplitHTML(m.HTML, maxMessageLen)
	if len(parts) == 0 {
		return 0, errors.New("telegram: send: empty text")
	}
	inline := inlineMarkup(m.Buttons, a.log)
	var keyboard models.ReplyMarkup
	if kb := keyboardMarkup(m.Keyboard); kb != nil {
		keyboard = kb
	} else if m.RemoveKeyboard {
		keyboard = &removeKeyboard{RemoveKeyboard: true}
	}
	if keyboard != nil && inline != nil && len(parts) == 1 {
		// Telegram takes one reply_markup per message: the buttons the
		// person must press win; the keyboard request is dropped.
		a.log.Warn("telegram: message has both inline buttons and a reply keyboard; keyboard dropped", "chat_id", m.ChatID)
		keyboard = nil
	}

	if m.EditMessageID != 0 && len(parts) == 1 && keyboard == nil {
		id, err := a.edit(ctx, m.ChatID, m.EditMessageID, parts[0], inline, retries)
		if err != nil && notModified(err) {
			// The message already shows exactly this (a double tap,
			// a card pressed twice): a second copy would be a duplicate.
			return id, nil
		}
		if err == nil || !editFallsBack(err) {
			return id, err
		}
	}

	var last int
	for i, text := range parts {
		var markup models.ReplyMarkup
		switch {
		case i == len(parts)-1 && inline != nil:
			markup = inline
		case i == 0 && keyboard != nil:
			markup = keyboard
		}
		id, err := a.send(ctx, m.ChatID, text, markup, retries)
		if err != nil {
			return last, err
		}
		last = id
	}
	return last, nil
}

func (a *Adapter) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup, retries int) (int, error) {
	p := &tg.SendMessageParams{
		ChatID:             chatID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
		ReplyMarkup:        markup,
	}
	var id int
	err := a.callN(ctx, "sendMessage", retries, func(ctx context.Context) error {
		msg, err := a.api.SendMessage(ctx, p)
		if err == nil && msg != nil {
			id = msg.ID
		}
		return err
	})
	return id, err
}

func (a *Adapter) edit(ctx context.Context, chatID int64, msgID int, text string, inline *inlineKeyboard, retries int) (int, error) {
	p := &tg.EditMessageTextParams{
		ChatID:             chatID,
		MessageID:          msgID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if inline != nil {
		p.ReplyMarkup = inline
	}
	err := a.callN(ctx, "editMessageText", retries, func(ctx context.Context) error {
		_, err := a.api.EditMessageText(ctx, p)
		return err
	})
	return msgID, err
}

// notModified reports whether a failed edit failed only because the message
// already has that text and buttons.
func notModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), "message is not modified")
}

// editFallsBack reports whether a failed edit should become a new message.
func editFallsBack(err error) bool {
	if !errors.Is(err, tg.ErrorBadRequest) {
		return false
	}
	s := strings.ToLower(err.Error())
	for _, m := range []string{"can't be edited", "message to edit not found", "message_id_invalid", "there is no text in the message to edit"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// answerCallback acknowledges a button press, with an optional short toast.
func (a *Adapter) answerCallback(ctx context.Context, id, text string) error {
	if id == "" {
		return nil
	}
	p := &tg.AnswerCallbackQueryParams{CallbackQueryID: id, Text: truncateRunes(text, maxCallbackText)}
	return a.callN(ctx, "answerCallbackQuery", 0, func(ctx context.Context) error {
		_, err := a.api.AnswerCallbackQuery(ctx, p)
		return err
	})
}

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// setCommands registers the command menu.
func (a *Adapter) setCommands(ctx context.Context) error {
	if len(a.cfg.Commands) == 0 {
		return nil
	}
	cmds := make([]models.BotCommand, 0, len(a.cfg.Commands))
	for _, c := range a.cfg.Commands {
		cmds = append(cmds, models.BotCommand{Command: c.Name, Description: c.Description})
	}
	err := a.call(ctx, "setMyCommands", func(ctx context.Context) error {
		_, err := a.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: cmds})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: register commands: %w", err)
	}
	return nil
}
