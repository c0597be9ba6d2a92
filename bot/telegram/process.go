package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// dispatch is the library's default handler: with WithNotAsyncHandlers it
// runs on the library's single dispatcher goroutine and only hands the update
// to the worker pool.
func (a *Adapter) dispatch(ctx context.Context, _ *tg.Bot, u *models.Update) {
	// The library has already taken this update from Telegram (and may have
	// confirmed it with its next getUpdates), so it is queued even while
	// shutting down; the workers are still draining at that point.
	//
	// The update counts as taken until it has been handled: the next
	// getUpdates, which tells Telegram to forget it, waits for that (see
	// confirmGate), so a crash never loses an update Telegram forgot.
	a.taken.add()
	if err := a.intake(context.WithoutCancel(ctx), u, a.taken.done); err != nil {
		a.taken.done()
		id := int64(0)
		if u != nil {
			id = u.ID
		}
		a.log.Warn("telegram: update not taken; Telegram will deliver it again", "update_id", id, "err", err)
	}
}

// intake queues an update for its chat's worker (polling and webhook); done
// (may be nil) runs once it has been handled, and only when intake returned
// nil.
func (a *Adapter) intake(ctx context.Context, u *models.Update, done func()) error {
	if u == nil {
		a.metrics.updates.WithLabelValues(kindNil).Inc()
		if done != nil {
			done()
		}
		return nil
	}
	return a.pool.submit(ctx, u, done)
}

// process handles one update on a pool worker: convert, run the engine under
// a deadline with panic recovery, acknowledge a button press in every case,
// deliver the response or a calm apology. It never panics.
func (a *Adapter) process(base context.Context, u *models.Update) {
	start := time.Now()
	in := convert(u, a.username())
	a.metrics.updates.WithLabelValues(in.kind).Inc()
	log := a.log.With("update_id", in.updateID, "chat_id", in.chatID, "kind", in.kind)
	defer func() {
		if r := recover(); r != nil {
			// A bug in the transport itself; the worker must survive.
			log.Error("telegram: panic while delivering", "panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
		}
	}()

	var (
		resp   bot.Response
		failed string // "", "error", "panic", "timeout"
	)
	if in.forward {
		hctx, cancel := context.WithTimeout(base, a.cfg.UpdateTimeout)
		t0 := time.Now()
		var err error
		resp, err = a.handle(hctx, in.ev)
		d := time.Since(t0)
		cancel()
		a.metrics.handler.WithLabelValues(in.kind).Observe(d.Seconds())
		var pe *panicError
		switch {
		case errors.As(err, &pe):
			failed = "panic"
			log.Error("telegram: handler panicked", "duration", d, "panic", pe.kind, "stack", pe.stack)
		case err != nil && errors.Is(err, context.DeadlineExceeded):
			failed = "timeout"
			log.Error("telegram: handler ran out of time", "duration", d, "err", a.clean(err.Error()))
		case err != nil:
			failed = "error"
			log.Error("telegram: handler failed", "duration", d, "err", a.clean(err.Error()))
		}
		if failed != "" {
			a.metrics.failures.WithLabelValues(failed).Inc()
		}
	}

	// The reply gets its own deadline: a handler that used all of its time
	// must still be able to apologise.
	ctx, cancel := context.WithTimeout(base, a.cfg.UpdateTimeout)
	defer cancel()

	if in.callbackID != "" {
		text := ""
		if failed == "" {
			text = resp.CallbackText
		}
		if err := a.answerCallback(ctx, in.callbackID, text); err != nil {
			log.Warn("telegram: answerCallbackQuery failed", "err", err)
		}
	}

	switch {
	case !in.forward:
		if in.reply != "" && in.chatID != 0 {
			_ = a.deliver(ctx, log, []bot.Message{{ChatID: in.chatID, HTML: in.reply}}, in.chatID) // failures logged inside
		}
	case failed != "":
		_ = a.deliver(ctx, log, []bot.Message{{ChatID: in.chatID, HTML: msgTrouble}}, in.chatID) // failures logged inside
	default:
		err := a.deliver(ctx, log, resp.Messages, in.chatID)
		var ra *bot.RetryAfterError
		if errors.As(err, &ra) && ra.After <= maxReplyWait {
			// Rate-limited for longer than the update's deadline (a busy
			// group). The update is already recorded as answered, so a
			// redelivery would not answer it: wait, then send the reply
			// (none of it went out) under a fresh deadline.
			log.Warn("telegram: rate limited; reply waits", "wait", ra.After)
			if a.wait(base, ra.After) == nil {
				rctx, rcancel := context.WithTimeout(base, a.cfg.UpdateTimeout)
				err = a.deliver(rctx, log, resp.Messages, in.chatID)
				rcancel()
			}
		}
		if errors.Is(err, errUndelivered) {
			_ = a.deliver(ctx, log, []bot.Message{{ChatID: in.chatID, HTML: msgTrouble}}, in.chatID) // failures logged inside
		}
	}
	log.Debug("telegram: update done", "duration", time.Since(start))
}

// maxReplyWait is the longest a reply waits for Telegram's retry_after beyond
// the update's deadline (Telegram's group limit is per minute).
const maxReplyWait = time.Minute

// errUndelivered says no message of a non-empty response got through for a
// reason other than the chat being unreachable.
var errUndelivered = errors.New("telegram: nothing delivered")

// deliver sends msgs in order (chat id defaulting to chatID). A chat that
// cannot receive (blocked the bot, gone) gets nothing more, other chats
// still do.
func (a *Adapter) deliver(ctx context.Context, log *slog.Logger, msgs []bot.Message, chatID int64) error {
	delivered := 0
	var lastErr error
	var unreachable map[int64]bool
	for _, m := range msgs {
		if m.ChatID == 0 {
			m.ChatID = chatID
		}
		if unreachable[m.ChatID] {
			continue
		}
		if _, err := a.Send(ctx, m); err != nil {
			if errors.Is(err, bot.ErrForbidden) {
				log.Info("telegram: chat unreachable (blocked or gone); not retried", "to_chat", m.ChatID)
				if unreachable == nil {
					unreachable = map[int64]bool{}
				}
				unreachable[m.ChatID] = true
				if m.ChatID == chatID {
					lastErr = bot.ErrForbidden
				}
				continue
			}
			log.Warn("telegram: send failed", "err", err)
			lastErr = err
			if ctx.Err() != nil {
				return err
			}
			continue
		}
		delivered++
	}
	if delivered == 0 && lastErr != nil {
		var ra *bot.RetryAfterError
		if errors.As(lastErr, &ra) || errors.Is(lastErr, bot.ErrForbidden) {
			return lastErr
		}
		return errUndelivered
	}
	return nil
}

// panicError carries a recovered handler panic.
type panicError struct {
	kind  string // the panic value's type; the value itself may hold personal data
	stack string
}

func (e *panicError) Error() string { return "telegram: handler panicked (" + e.kind + ")" }

// handle calls the engine, turning a panic into a *panicError.
func (a *Adapter) handle(ctx context.Context, ev bot.Event) (resp bot.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = bot.Response{}, &panicError{kind: fmt.Sprintf("%T", r), stack: string(debug.Stack())}
		}
	}()
	return a.h.Handle(ctx, ev)
}

func (a *Adapter) username() string {
	if p := a.botUsername.Load(); p != nil {
		return *p
	}
	return ""
}
