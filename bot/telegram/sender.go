package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Outbox is the durable outbox of replies as the transport sees it;
// bot/sqlite implements it. The conversation engine writes replies there in
// the transaction that records their update (bot.Config.QueueReplies); the
// sender takes them out.
type Outbox interface {
	// Commit records an update and queues replies in one transaction (the
	// transport's own replies, and replies a handler returned unqueued).
	Commit(ctx context.Context, c bot.Commit) error
	// ClaimOutbox deletes the replies the owner settled (c.Done), then
	// leases to it the replies of at most c.Chats chats whose oldest reply
	// is due and not leased (at most c.PerChat each), leaving the chats in
	// c.Skip alone, in one transaction; it returns them by chat, in order.
	ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error)
	// RetryOutbox counts a failed attempt of reply id, sets its next
	// attempt and releases owner's leases on its chat.
	RetryOutbox(ctx context.Context, owner string, id int64, next time.Time, errText string) error
	// ReleaseOutbox gives up owner's leases on chatID (0: all).
	ReleaseOutbox(ctx context.Context, owner string, chatID int64) error
	// DirectOutbox asks the store to lease replies queued for a chat with
	// nothing else waiting to owner at once (for lease), and to hand them to
	// take after their transaction committed; an empty owner stops it.
	DirectOutbox(owner string, lease time.Duration, take func([]bot.Queued))
}

// Delivery settings.
const (
	DefaultSenders     = 16             // chats sent to in parallel
	DefaultMaxReplyAge = 24 * time.Hour // replies older than this are dropped, not sent

	outboxLease    = 30 * time.Second // a claim holds a chat's replies this long
	outboxPerChat  = 10               // replies of one chat taken per claim
	outboxPoll     = time.Second      // how often the outbox is looked at without a wake-up
	sendTimeout    = 10 * time.Second // one sendMessage or edit, from the sender
	retryBase      = time.Second      // first wait after a failed send; doubles
	retryMax       = time.Minute      // longest wait between two attempts
	senderDrain    = 5 * time.Second  // at shutdown, how long due replies are still sent
	stuckThreshold = 2 * time.Minute  // Stuck: due replies and no outcome for this long
)

// Outcomes of a queued reply (label values of bhxhbot_outbox_replies_total).
const (
	outDelivered   = "delivered"    // Telegram accepted it
	outRetry       = "retry"        // network error, 5xx, timeout: tried again later
	outRateLimited = "rate_limited" // 429: tried again after retry_after
	outUnreachable = "unreachable"  // the chat blocked the bot or is gone: dropped
	outRejected    = "rejected"     // Telegram refused the message itself (400): dropped, apology sent
	outExpired     = "expired"      // older than MaxReplyAge: dropped
)

// sender delivers the outbox: per chat in order, chats in parallel. A chat
// waiting out a 429 or a backoff holds nothing but its own replies; the
// schedule lives in the store, so it survives restarts.
//
// One goroutine (loop) owns the state below and talks to the store once a
// round: it forgets what the workers settled and claims what is due, in one
// transaction. Workers send one chat's replies each. A chat stays busy (not
// claimed again) until what its worker settled is forgotten, so this process
// never takes a delivered reply twice. Replies queued for a chat with
// nothing else waiting come straight from the store, already leased to
// this sender (direct): no claim round for the common case.
type sender struct {
	a       *Adapter
	store   Outbox
	owner   string
	workers int
	maxAge  time.Duration
	now     func() time.Time
	log     *slog.Logger

	wakeup   chan struct{}
	finished chan settledChat // a worker's chat is done

	dmu    sync.Mutex
	direct []bot.Queued // handed over by the store, not yet seen by the loop

	// Loop state.
	busy  map[int64]bool // chats with a worker, or whose settled replies are not forgotten yet
	freed []int64        // chats whose worker ended with settled replies to forget
	done  []settled      // settled replies to forget
	held  []heldChat     // direct replies waiting for a free worker, oldest first

	// progress is when the sender last had nothing due or last settled a
	// reply (unix nanoseconds of now()); Stuck compares it to now.
	progress atomic.Int64

	// outcome, when set (tests), is told every outcome once it is stored.
	outcome func(outcome string, q bot.Queued)
}

// settledChat is what a worker did with one chat's replies.
type settledChat struct {
	chat int64
	done []settled // delivered or given up on: to delete
}

type settled struct {
	outcome string
	q       bot.Queued
}

type heldChat struct {
	since time.Time
	qs    []bot.Queued
}

func newSender(a *Adapter, store Outbox, workers int, maxAge time.Duration, now func() time.Time) *sender {
	s := &sender{
		a: a, store: store, owner: ownerID(), workers: workers, maxAge: maxAge, now: now, log: a.log,
		wakeup: make(chan struct{}, 1), finished: make(chan settledChat, workers), busy: map[int64]bool{},
	}
	s.progress.Store(now().UnixNano())
	return s
}

// ownerID names this process in the leases it takes: host, pid and a random
// part (a restarted process is another owner).
func ownerID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b[:])
}

// wake asks the sender to look at the outbox now (new replies were queued).
func (s *sender) wake() {
	select {
	case s.wakeup <- struct{}{}:
	default:
	}
}

// take receives replies the store queued and leased to this sender
// (Outbox.DirectOutbox); it never blocks the committing goroutine.
func (s *sender) take(qs []bot.Queued) {
	s.dmu.Lock()
	s.direct = append(s.direct, qs...)
	s.dmu.Unlock()
	s.wake()
}

// Stuck reports whether replies are due but the sender settled none of
// them for stuckThreshold: the sender is blocked or the store fails it.
// Telegram being down is not stuck: failed sends are rescheduled.
func (s *sender) Stuck() (bool, time.Duration) {
	d := s.now().Sub(time.Unix(0, s.progress.Load()))
	return d > stuckThreshold, d
}

func (s *sender) settled() { s.progress.Store(s.now().UnixNano()) }

// run delivers until ctx is done, then sends what is due for at most
// senderDrain (the replies of updates handled during shutdown), waits for
// the sends in flight, forgets what they settled and releases its leases.
func (s *sender) run(ctx context.Context) {
	s.store.DirectOutbox(s.owner, outboxLease, s.take)
	s.loop(ctx, false)
	s.store.DirectOutbox("", 0, nil) // replies queued from now on wait for a claim
	drain, cancel := context.WithTimeout(context.Background(), senderDrain)
	defer cancel()
	s.loop(drain, true)
	if len(s.done) > 0 {
		if _, err := s.settle(context.Background(), 0); err != nil {
			s.log.Warn("telegram: outbox: forget settled replies at shutdown", "err", err)
		}
	}
	if err := s.store.ReleaseOutbox(context.Background(), s.owner, 0); err != nil {
		s.log.Warn("telegram: outbox: release leases at shutdown", "err", err)
	}
}

// running is how many workers run.
func (s *sender) running() int { return len(s.busy) - len(s.freed) }

// loop runs rounds until ctx is done, then waits for its workers. With
// draining set it also ends as soon as a round finds nothing due and no
// worker runs.
func (s *sender) loop(ctx context.Context, draining bool) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	errWait := time.Duration(0)
	for {
		started, full, err := s.round(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("telegram: outbox: claim", "err", err)
			}
			errWait = min(max(2*errWait, 100*time.Millisecond), 5*time.Second)
		} else {
			errWait = 0
		}
		idle := s.running() == 0 && len(s.held) == 0
		if ctx.Err() != nil && s.running() == 0 {
			return
		}
		if draining && started == 0 && idle && len(s.done) == 0 {
			return
		}
		if full && errWait == 0 {
			continue // every free worker got a chat: more may be due
		}
		wait := outboxPoll
		if errWait > 0 {
			wait = errWait
		}
		timer.Reset(wait) // Go 1.23+: no stale tick survives a Reset
		select {
		case <-ctx.Done():
			if s.running() > 0 {
				s.ended(<-s.finished) // sends are not cut short: wait for them
			}
		case <-s.wakeup:
		case r := <-s.finished:
			s.ended(r)
		case <-timer.C:
		}
	}
}

// round starts workers for the direct replies, forgets what was settled
// and claims what is due for the free workers. It reports how many chats it
// started and whether every free worker got one.
func (s *sender) round(ctx context.Context) (started int, full bool, err error) {
	s.dmu.Lock()
	direct := s.direct
	s.direct = nil
	s.dmu.Unlock()
	now := s.now()
	for _, qs := range byChat(direct) {
		s.hold(qs, now)
	}
	slots := s.workers - s.running()
	if ctx.Err() != nil {
		slots = 0
	}
	// Held chats go first, oldest first; one held too long (no worker free
	// for a third of the lease) is given back to be claimed.
	kept := s.held[:0]
	for _, h := range s.held {
		switch {
		case slots > 0 && !s.busy[h.qs[0].ChatID]:
			s.start(ctx, h.qs)
			slots--
			started++
		case now.Sub(h.since) > outboxLease/3 || ctx.Err() != nil:
			if err := s.store.ReleaseOutbox(context.WithoutCancel(ctx), s.owner, h.qs[0].ChatID); err != nil {
				s.log.Warn("telegram: outbox: release", "err", err)
			}
		default:
			kept = append(kept, h)
		}
	}
	s.held = kept
	if slots <= 0 && len(s.done) == 0 {
		return started, false, nil
	}
	chats, err := s.settle(ctx, max(slots, 0))
	if err != nil {
		return started, false, err
	}
	if slots > 0 && len(chats) == 0 && len(s.held) == 0 {
		s.settled() // nothing due
	}
	for _, qs := range chats {
		s.start(ctx, qs)
	}
	return started + len(chats), slots > 0 && len(chats) == slots, nil
}

// hold queues direct replies until a worker is free (after the replies the
// chat already has in hand, if any).
func (s *sender) hold(qs []bot.Queued, now time.Time) {
	for i := range s.held {
		if s.held[i].qs[0].ChatID == qs[0].ChatID {
			s.held[i].qs = append(s.held[i].qs, qs...)
			return
		}
	}
	s.held = append(s.held, heldChat{since: now, qs: qs})
}

// start sends one chat's replies on a worker.
func (s *sender) start(ctx context.Context, qs []bot.Queued) {
	chat := qs[0].ChatID
	s.busy[chat] = true
	go func() { s.finished <- settledChat{chat: chat, done: s.sendChat(ctx, qs)} }()
}

// ended takes a worker's result: a chat with nothing to forget is free at
// once, the others once the store forgot what they settled.
func (s *sender) ended(r settledChat) {
	if len(r.done) == 0 {
		delete(s.busy, r.chat)
		return
	}
	s.freed = append(s.freed, r.chat)
	s.done = append(s.done, r.done...)
}

// settle forgets the settled replies and claims up to slots chats (not
// those being sent or held), in one store transaction, then frees the chats
// whose replies were forgotten and reports the outcomes.
func (s *sender) settle(ctx context.Context, slots int) ([][]bot.Queued, error) {
	c := bot.OutboxClaim{Now: s.now(), Owner: s.owner, Lease: outboxLease, Chats: slots, PerChat: outboxPerChat}
	for chat := range s.busy {
		// A chat whose worker ended may be claimed again in the same
		// transaction: what it settled is deleted first.
		if !slices.Contains(s.freed, chat) {
			c.Skip = append(c.Skip, chat)
		}
	}
	for _, h := range s.held {
		c.Skip = append(c.Skip, h.qs[0].ChatID)
	}
	for _, d := range s.done {
		c.Done = append(c.Done, d.q.ID)
	}
	chats, err := s.store.ClaimOutbox(context.WithoutCancel(ctx), c)
	if err != nil {
		return nil, err
	}
	for _, chat := range s.freed {
		delete(s.busy, chat)
	}
	s.freed = s.freed[:0]
	if s.outcome != nil {
		for _, d := range s.done {
			s.outcome(d.outcome, d.q)
		}
	}
	s.done = s.done[:0]
	return chats, nil
}

// byChat splits replies (sorted by chat, then id, or one chat's) into chats.
func byChat(qs []bot.Queued) [][]bot.Queued {
	var out [][]bot.Queued
	for i := 0; i < len(qs); {
		j := i + 1
		for j < len(qs) && qs[j].ChatID == qs[i].ChatID {
			j++
		}
		out = append(out, qs[i:j])
		i = j
	}
	return out
}

// sendChat sends one chat's claimed replies in order and returns those it
// settled (delivered or given up on). It stops at the first reply that must
// wait (rescheduled in the store), when ctx is done, or after half the
// lease, and gives back the rest of its claim.
func (s *sender) sendChat(ctx context.Context, msgs []bot.Queued) []settled {
	chat := msgs[0].ChatID
	start := s.now()
	log := s.log.With("chat_id", chat)
	var done []settled
	apologised := map[int64]bool{} // updates whose rejected reply got the apology
	store := context.WithoutCancel(ctx)
	for i, q := range msgs {
		if ctx.Err() != nil || s.now().Sub(start) > outboxLease/2 {
			if err := s.store.ReleaseOutbox(store, s.owner, chat); err != nil {
				log.Warn("telegram: outbox: release", "err", err)
			}
			return done
		}
		log := log.With("update_id", q.UpdateID, "outbox_id", q.ID)
		age := s.now().Sub(q.CreatedAt)
		if age > s.maxAge {
			log.Warn("telegram: reply too old to be useful; dropped", "age", age.Round(time.Second))
			done = append(done, s.count(outExpired, q))
			continue
		}
		// A send that started is not cut short by a shutdown: interrupted
		// after Telegram accepted it, it would be sent twice.
		sctx, cancel := context.WithTimeout(store, sendTimeout)
		_, err := s.a.sendMessage(sctx, q.Message, 0)
		cancel()
		var ra *bot.RetryAfterError
		switch {
		case err == nil:
			s.a.metrics.replyAge.Observe(s.now().Sub(q.CreatedAt).Seconds())
			done = append(done, s.count(outDelivered, q))
		case errors.Is(err, bot.ErrForbidden):
			log.Info("telegram: chat unreachable (blocked or gone); its replies dropped", "count", len(msgs)-i)
			s.markUnreachable(store, chat)
			for _, r := range msgs[i:] {
				done = append(done, s.count(outUnreachable, r))
			}
			return done
		case errors.As(err, &ra):
			log.Warn("telegram: rate limited; the chat's replies wait", "wait", ra.After)
			s.retry(store, log, outRateLimited, q, ra.After, "rate limited")
			return done
		case errors.Is(err, tg.ErrorBadRequest):
			// The message itself is refused (broken HTML, too long...): a
			// bug on our side that no retry mends. The person gets the
			// calm message once instead of nothing.
			log.Error("telegram: reply refused by Telegram; dropped", "err", err)
			if !apologised[q.UpdateID] {
				apologised[q.UpdateID] = true
				sctx, cancel := context.WithTimeout(store, sendTimeout)
				if _, err := s.a.sendMessage(sctx, bot.Message{ChatID: chat, HTML: msgTrouble}, 0); err != nil {
					log.Warn("telegram: apology not sent", "err", err)
				}
				cancel()
			}
			done = append(done, s.count(outRejected, q))
		default:
			wait := backoff(q.Attempts + 1)
			log.Warn("telegram: reply not sent; will retry", "err", err, "attempt", q.Attempts+1, "wait", wait)
			s.retry(store, log, outRetry, q, wait, shorten(err.Error(), 200))
			return done
		}
	}
	return done
}

// count counts a settled reply.
func (s *sender) count(outcome string, q bot.Queued) settled {
	s.a.metrics.outbox.WithLabelValues(outcome).Inc()
	s.settled()
	return settled{outcome: outcome, q: q}
}

func (s *sender) retry(ctx context.Context, log *slog.Logger, outcome string, q bot.Queued, wait time.Duration, why string) {
	s.a.metrics.outbox.WithLabelValues(outcome).Inc()
	s.settled()
	if err := s.store.RetryOutbox(ctx, s.owner, q.ID, s.now().Add(wait), why); err != nil {
		log.Error("telegram: outbox: schedule retry", "err", err)
	}
	if s.outcome != nil {
		s.outcome(outcome, q)
	}
}

// backoff is retryBase·2^(attempt-1), at most retryMax.
func backoff(attempt int) time.Duration {
	d := retryBase
	for i := 1; i < attempt && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
