package handoff

import (
	"context"
	"errors"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"log/slog"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// OutboxConfig tunes delivery; zero fields take the defaults.
type OutboxConfig struct {
	StaffChatID int64         // BHXHBOT_STAFF_CHAT: last resort for every card
	Interval    time.Duration // how often Run polls the store (default 5 s)
	Lease       time.Duration // how long the item being sent is reserved (default 30 s; at least SendTimeout + 10 s)
	Batch       int           // most items sent per round (default 20)
	MaxAttempts int           // temporary failures before trying the fallback chat (default 12)
	BaseBackoff time.Duration // first retry delay, doubled each attempt (default 30 s)
	MaxBackoff  time.Duration // cap of the retry delay (default 1 h)
	Retention   time.Duration // leads are purged this long after creation (default 90 days)
	PurgeEvery  time.Duration // how often Run purges (default 1 h)
	SendTimeout time.Duration // longest wait for one card, retries included (default 15 s)
	// Observe, when set, is told every outcome: "sent", "retry",
	// "rate_limited", "rerouted", "dead", "escalated", "redacted" (for metrics).
	Observe func(outcome string)
}

func (c OutboxConfig) withDefaults() OutboxConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Interval, 5*time.Second)
	def(&c.SendTimeout, 15*time.Second)
	def(&c.Lease, 30*time.Second)
	// The lease must outlive one delivery (the send and two store writes),
	// or a second process could take the card while it is being sent.
	c.Lease = max(c.Lease, c.SendTimeout+10*time.Second)
	def(&c.BaseBackoff, 30*time.Second)
	def(&c.MaxBackoff, time.Hour)
	def(&c.Retention, DefaultRetention)
	def(&c.PurgeEvery, time.Hour)
	if c.Batch <= 0 {
		c.Batch = 20
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.Observe == nil {
		c.Observe = func(string) {}
	}
	return c
}

// DefaultRetention is how long leads are kept unless configured otherwise.
const DefaultRetention = 90 * 24 * time.Hour

// Outbox delivers lead cards from the store to Telegram chats.
//
// Delivery guarantee: items are claimed one at a time (state "sending",
// with a short lease) in one statement right before each is sent, and
// marked "sent" right after the send returns, so a Telegram failure leaves it
// to be retried with backoff (the schedule is in the store, so it survives
// restarts), and no second worker can take it while leased. A process killed
// mid-send holds at most that one card, for at most the lease (30 s); the
// other due cards stay pending and go out as soon as the bot is back. A
// graceful shutdown lets the send in flight finish. What remains is at-least-once:
// a hard kill (or power loss) after Telegram accepted a card and before
// MarkSent committed, or a send that timed out (SendTimeout) although
// Telegram had accepted it, sends that card again — after the lease expires
// or at the next retry. The card carries the lead number and its buttons act
// on the lead, so such a rare duplicate is harmless.
type Outbox struct {
	store  Store
	sender bot.Sender
	dir    *agents.Directory
	cfg    OutboxConfig
	log    *slog.Logger
	now    func() time.Time
}

// NewOutbox builds an outbox. log and now may be nil.
func NewOutbox(store Store, sender bot.Sender, dir *agents.Directory, cfg OutboxConfig, log *slog.Logger, now func() time.Time) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Outbox{store: store, sender: sender, dir: dir, cfg: cfg.withDefaults(), log: log, now: now}
}

// Run delivers, escalates and purges until ctx is done. Errors are logged
// and retried on the next tick.
func (o *Outbox) Run(ctx context.Context) error {
	t := time.NewTicker(o.cfg.Interval)
	defer t.Stop()
	var lastPurge time.Time
	for {
		now := o.now()
		if _, err := o.RunOnce(ctx, now); err != nil && ctx.Err() == nil {
			o.log.Error("outbox round", slog.Any("err", err))
		}
		if now.Sub(lastPurge) >= o.cfg.PurgeEvery {
			if n, err := o.PurgeExpired(ctx, now); err != nil && ctx.Err() == nil {
				o.log.Error("purge leads", slog.Any("err", err))
			} else if err == nil && n > 0 {
				o.log.Info("purged expired leads", slog.Int("count", n))
			}
			lastPurge = now
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PurgeExpired deletes leads older than the retention period.
func (o *Outbox) PurgeExpired(ctx context.Context, now time.Time) (int, error) {
	return o.store.PurgeLeads(ctx, now.Add(-o.cfg.Retention))
}

// RunOnce queues due escalations, then delivers what is due at now. It
// returns how many cards were sent. A failure of one card does not stop the
// others; the error reports store failures only.
func (o *Outbox) RunOnce(ctx context.Context, now time.Time) (int, error) {
	if err := o.escalate(ctx, now); err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	// One item per claim: only the card being sent is leased, so a crash
	// delays that one card by the lease and no other.
	for range o.cfg.Batch {
		if ctx.Err() != nil {
			break // shutting down: what is not claimed stays pending
		}
		items, err := o.store.ClaimDue(ctx, now, o.cfg.Lease, 1)
		if err != nil {
			errs = append(errs, fmt.Errorf("handoff: claim due: %w", err))
			break
		}
		if len(items) == 0 {
			break
		}
		ok, err := o.deliver(ctx, items[0], now)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			sent++
		}
	}
	if err := o.redact(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// redact edits delivered cards of deleted leads into a notice without the
// person's name and phone. A chat that is gone needs nothing; other failures
// are retried with backoff, MaxAttempts times.
func (o *Outbox) redact(ctx context.Context, now time.Time) error {
	rs, err := o.store.DueRedactions(ctx, now, o.cfg.Batch)
	if err != nil {
		return fmt.Errorf("handoff: due redactions: %w", err)
	}
	days := int(o.cfg.Retention / (24 * time.Hour))
	var errs []error
	for _, r := range rs {
		if ctx.Err() != nil {
			break
		}
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.cfg.SendTimeout)
		_, sendErr := o.sender.Send(sendCtx, RedactedCard(r, days))
		cancel()
		log := o.log.With(slog.Int64("lead_id", r.LeadID), slog.Int64("chat_id", r.ChatID), slog.Int("attempt", r.Attempts+1))
		var ra *bot.RetryAfterError
		switch {
		case sendErr == nil || errors.Is(sendErr, bot.ErrForbidden):
			o.cfg.Observe("redacted")
			errs = append(errs, o.store.RedactionDone(ctx, r.ID))
		case r.Attempts+1 >= o.cfg.MaxAttempts:
			log.Error("deleted lead's card not cleared: giving up", slog.Any("err", sendErr))
			errs = append(errs, o.store.RedactionDone(ctx, r.ID))
		case errors.As(sendErr, &ra):
			errs = append(errs, o.store.RedactionFailed(ctx, r.ID, now.Add(ra.After)))
		default:
			log.Warn("deleted lead's card not cleared, will retry", slog.Any("err", sendErr))
			errs = append(errs, o.store.RedactionFailed(ctx, r.ID, now.Add(o.backoff(r.Attempts+1))))
		}
	}
	return errors.Join(errs...)
}

// escalate queues the card for the fallback chat of every lead nobody
// claimed in time.
func (o *Outbox) escalate(ctx context.Context, now time.Time) error {
	leads, err := o.store.DueEscalations(ctx, now, o.cfg.Batch)
	if err != nil {
		return fmt.Errorf("handoff: due escalations: %w", err)
	}
	for _, l := range leads {
		item := OutboxItem{LeadID: l.ID, Kind: ItemEscalation, State: StatePending, NextAttempt: now, CreatedAt: now}
		switch {
		case l.FallbackChatID != 0:
			item.ChatID, item.WithPhone = l.FallbackChatID, true
		case o.cfg.StaffChatID != 0 && o.cfg.StaffChatID != l.RecipientChatID:
			item.ChatID, item.WithPhone = o.cfg.StaffChatID, false
		}
		if err := o.store.Escalate(ctx, l.ID, item, now); err != nil {
			return fmt.Errorf("handoff: escalate lead %d: %w", l.ID, err)
		}
		if item.ChatID == 0 {
			// Nobody else to tell: the lead stays with its agent, marked
			// escalated so that it is not looked at again.
			o.log.Warn("lead not claimed in time and no fallback or staff chat to escalate to", slog.Any("lead", l))
		} else {
			o.log.Info("lead escalated", slog.Any("lead", l), slog.Int64("to_chat", item.ChatID))
		}
		o.cfg.Observe("escalated")
	}
	return nil
}

// deliver sends one claimed item and records the outcome. Once started it
// is not cut short by ctx (a shutdown): a send interrupted after Telegram
// accepted the card would be sent again after the restart. SendTimeout
// bounds it instead.
func (o *Outbox) deliver(ctx context.Context, it OutboxItem, now time.Time) (bool, error) {
	ctx = context.WithoutCancel(ctx)
	l, err := o.store.Lead(ctx, it.LeadID)
	if errors.Is(err, ErrNotFound) {
		return false, o.store.MarkDead(ctx, it.ID, "lead deleted")
	}
	if err != nil {
		return false, fmt.Errorf("handoff: lead %d: %w", it.LeadID, err)
	}
	if it.Kind == ItemEscalation && l.Status != StatusNew {
		// Claimed between the escalation and now: nothing to escalate.
		return false, o.store.MarkDead(ctx, it.ID, "claimed before escalation was sent")
	}
	in := CardInput{Lead: l, ChatID: it.ChatID, WithPhone: it.WithPhone, Escalated: it.Kind == ItemEscalation, Now: now}
	if o.dir != nil {
		in.Agent, _ = o.dir.Agent(l.AgentID)
		in.Province, _ = o.dir.Province(l.ProvinceID)
	}
	sendCtx, cancel := context.WithTimeout(ctx, o.cfg.SendTimeout)
	msgID, sendErr := o.sender.Send(sendCtx, CardMessage(in))
	cancel()
	log := o.log.With(slog.Int64("outbox_id", it.ID), slog.Any("lead", l), slog.Int64("chat_id", it.ChatID), slog.Int("attempt", it.Attempts))
	if sendErr == nil {
		err := o.store.MarkSent(ctx, it.ID, msgID, o.now())
		if errors.Is(err, ErrNotFound) {
			// The person deleted the lead (/xoa) while its card was on the
			// way: clear the card at once.
			sendCtx, cancel := context.WithTimeout(ctx, o.cfg.SendTimeout)
			_, err = o.sender.Send(sendCtx, RedactedCard(Redaction{LeadID: l.ID, ChatID: it.ChatID, MessageID: msgID, Reason: RedactDeleted}, 0))
			cancel()
			return false, err
		}
		if err != nil {
			return true, fmt.Errorf("handoff: mark sent %d: %w", it.ID, err)
		}
		log.Info("lead card sent")
		o.cfg.Observe("sent")
		return true, nil
	}
	var ra *bot.RetryAfterError
	switch {
	case errors.As(sendErr, &ra):
		log.Warn("lead card rate limited", slog.Duration("retry_after", ra.After))
		o.cfg.Observe("rate_limited")
		return false, o.store.MarkFailed(ctx, it.ID, now.Add(ra.After), "rate limited")
	case errors.Is(sendErr, bot.ErrForbidden):
		return false, o.reroute(ctx, log, it, l, now, "chat unreachable")
	case it.Attempts >= o.cfg.MaxAttempts:
		return false, o.reroute(ctx, log, it, l, now, "too many failures")
	default:
		next := now.Add(o.backoff(it.Attempts))
		log.Warn("lead card not sent, will retry", slog.Any("err", sendErr), slog.Time("next", next))
		o.cfg.Observe("retry")
		return false, o.store.MarkFailed(ctx, it.ID, next, shorten(sendErr.Error(), 200))
	}
}

// reroute moves an item to the next chat: the lead's consented fallback,
// then the staff chat (without the phone unless the consent named it), or
// gives up.
func (o *Outbox) reroute(ctx context.Context, log *slog.Logger, it OutboxItem, l Lead, now time.Time, why string) error {
	next := int64(0)
	switch {
	case l.FallbackChatID != 0 && it.ChatID != l.FallbackChatID && it.ChatID == l.RecipientChatID:
		next = l.FallbackChatID
	case o.cfg.StaffChatID != 0 && it.ChatID != o.cfg.StaffChatID:
		next = o.cfg.StaffChatID
	}
	if next == 0 {
		log.Error("lead card undeliverable: no chat left", slog.String("why", why))
		o.cfg.Observe("dead")
		return o.store.MarkDead(ctx, it.ID, why)
	}
	log.Warn("lead card rerouted", slog.String("why", why), slog.Int64("to_chat", next))
	o.cfg.Observe("rerouted")
	return o.store.Reroute(ctx, it.ID, next, l.Consented(next), now, why)
}

// backoff is BaseBackoff·2^(attempts-1), capped at MaxBackoff.
func (o *Outbox) backoff(attempts int) time.Duration {
	d := o.cfg.BaseBackoff
	for i := 1; i < attempts && d < o.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.cfg.MaxBackoff)
}
