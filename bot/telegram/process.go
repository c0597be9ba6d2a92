package telegram

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// intake queues an update for its chat's worker (polling and webhook); done
// (may be nil) runs once it has been handled, with nil when its handling is
// stored, and only when intake returned nil.
func (a *Adapter) intake(ctx context.Context, u *models.Update, done func(error)) error {
	if u == nil {
		a.metrics.updates.WithLabelValues(kindNil).Inc()
		if done != nil {
			done(nil)
		}
		return nil
	}
	return a.pool.submit(ctx, u, done)
}

// process handles one update on a pool worker: convert, run the handler
// under a deadline with panic recovery, store what is to be sent, and
// acknowledge a button press. It returns an error only when nothing could
// be stored (the store is unavailable): the update must then be delivered
// again, later. A handler that fails otherwise (an error, a panic, its
// deadline) gets the calm message stored in its place. It never panics.
func (a *Adapter) process(base context.Context, u *models.Update) (err error) {
	start := time.Now()
	in := convert(u, a.username())
	a.metrics.updates.WithLabelValues(in.kind).Inc()
	log := a.log.With("update_id", in.updateID, "chat_id", in.chatID, "kind", in.kind)
	defer func() {
		if r := recover(); r != nil {
			// A bug in the transport itself; the worker must survive.
			log.Error("telegram: panic while processing an update", "panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
			err = nil
		}
	}()

	var (
		queue    []bot.Message // to store here: replies the handler did not queue
		recordID int64         // update id stored with them (0: the handler records it)
		toast    string
	)
	switch {
	case !in.forward:
		if in.reply != "" && in.chatID != 0 {
			queue, recordID = []bot.Message{{ChatID: in.chatID, HTML: in.reply}}, in.updateID
		}
	default:
		hctx, cancel := context.WithTimeout(base, a.cfg.UpdateTimeout)
		t0 := time.Now()
		resp, herr := a.handle(hctx, in.ev)
		d := time.Since(t0)
		cancel()
		a.metrics.handler.WithLabelValues(in.kind).Observe(d.Seconds())
		var pe *panicError
		failed := ""
		switch {
		case herr == nil:
			toast = resp.CallbackText
			if !resp.Queued {
				queue = resp.Messages
			}
		case errors.Is(herr, bot.ErrUnavailable):
			a.metrics.failures.WithLabelValues("store").Inc()
			log.Error("telegram: store unavailable; the update waits", "duration", d, "err", a.clean(herr.Error()))
			a.ack(in.callbackID, "")
			return herr
		case errors.As(herr, &pe):
			failed = "panic"
			log.Error("telegram: handler panicked", "duration", d, "panic", pe.kind, "stack", pe.stack)
		case errors.Is(herr, context.DeadlineExceeded):
			failed = "timeout"
			log.Error("telegram: handler ran out of time", "duration", d, "err", a.clean(herr.Error()))
		default:
			failed = "error"
			log.Error("telegram: handler failed", "duration", d, "err", a.clean(herr.Error()))
		}
		if failed != "" {
			a.metrics.failures.WithLabelValues(failed).Inc()
			queue, recordID = []bot.Message{{ChatID: in.chatID, HTML: msgTrouble}}, in.updateID
		}
	}
	if len(queue) > 0 {
		for i := range queue {
			if queue[i].ChatID == 0 {
				queue[i].ChatID = in.chatID
			}
		}
		// A store failure here is the handler's failure too: the update
		// is delivered again later. A duplicate was answered already.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(base), a.cfg.UpdateTimeout)
		err := a.cfg.Outbox.Commit(ctx, bot.Commit{UpdateID: recordID, At: a.now(), Outbox: queue})
		cancel()
		if err != nil && !errors.Is(err, bot.ErrDuplicate) {
			log.Error("telegram: replies not stored; the update waits", "err", a.clean(err.Error()))
			a.ack(in.callbackID, "")
			return fmt.Errorf("telegram: store replies: %w", err)
		}
	}
	a.out.wake()
	a.ack(in.callbackID, toast)
	log.Debug("telegram: update done", "duration", time.Since(start))
	return nil
}

// maxAcksInFlight bounds the button acknowledgements being sent at once;
// beyond it a toast is skipped (Telegram stops the spinner by itself).
const maxAcksInFlight = 32

// ack acknowledges a button press with an optional toast, in the
// background: the spinner is Telegram's trouble, not the update's, so it
// never holds the update (nor the next getUpdates) up.
func (a *Adapter) ack(callbackID, text string) {
	if callbackID == "" {
		return
	}
	select {
	case a.acks <- struct{}{}:
	default:
		a.log.Debug("telegram: too many button acknowledgements in flight; one skipped")
		return
	}
	a.ackWG.Add(1)
	go func() {
		defer a.ackWG.Done()
		defer func() { <-a.acks }()
		ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
		defer cancel()
		if err := a.answerCallback(ctx, callbackID, text); err != nil {
			a.log.Debug("telegram: answerCallbackQuery failed", "err", err)
		}
	}()
}

// ackTimeout bounds one button acknowledgement; Telegram ignores late ones.
const ackTimeout = 5 * time.Second

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
