package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
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
	// ClaimOutbox leases to c.Owner the replies of at most c.Chats chats
	// whose oldest reply is due and not leased (at most c.PerChat each),
	// leaving the chats in c.Skip alone; it returns them by chat, in order.
	ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error)
	// DeleteOutbox removes replies owner delivered or gave up on.
	DeleteOutbox(ctx context.Context, owner string, ids ...int64) error
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
// One goroutine (loop) owns the state below and claims what is due for the
// free workers; each worker sends one chat's replies, deleting each from
// the store as soon as Telegram accepted it (the window in which a kill
// makes a reply go out twice is that one delete). Replies queued for a chat
// with nothing else waiting come straight from the store, already leased to
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
	finished chan int64 // a worker's chat is done

	dmu    sync.Mutex
	direct []bot.Queued // handed over by the store, not yet seen by the loop
	// unforgotten holds, by chat, replies delivered or given up on whose
	// delete failed (a full disk): they are deleted again each round, and
	// their chat is not claimed meanwhile, lest a delivered reply go out
	// again when its lease ends.
	fmu         sync.Mutex
	unforgotten map[int64][]int64

	// Loop state.
	busy map[int64]bool // chats a worker is sending to
	held []heldChat     // direct replies waiting for a free worker, oldest first

	// progress is when the sender last had nothing due or last settled a
	// reply (unix nanoseconds of now()); Stuck compares it to now.
	progress atomic.Int64

	// outcome, when set (tests), is told every outcome once it is stored.
	outcome func(outcome string, q bot.Queued)
}

type heldChat struct {
	since time.Time
	qs    []bot.Queued
}

func newSender(a *Adapter, store Outbox, workers int, maxAge time.Duration, now func() time.Time) *sender {
	s := &sender{
		a: a, store: store, owner: ownerID(), workers: workers, maxAge: maxAge, now: now, log: a.log,
		wakeup: make(chan struct{}, 1), finished: make(chan int64, workers), busy: map[int64]bool{},
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
// the sends in flight and releases its leases.
func (s *sender) run(ctx context.Context) {
	s.store.DirectOutbox(s.owner, outboxLease, s.take)
	s.loop(ctx, false)
	s.store.DirectOutbox("", 0, nil) // replies queued from now on wait for a claim
	drain, cancel := context.WithTimeout(context.Background(), senderDrain)
	defer cancel()
	s.loop(drain, true)
	if err := s.store.ReleaseOutbox(context.Background(), s.owner, 0); err != nil {
		s.log.Warn("telegram: outbox: release leases at shutdown", "err", err)
	}
}

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
		if ctx.Err() != nil && len(s.busy) == 0 {
			return
		}
		if draining && started == 0 && len(s.busy) == 0 && len(s.held) == 0 {
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
			if len(s.busy) > 0 {
				delete(s.busy, <-s.finished) // sends are not cut short: wait for them
			}
		case <-s.wakeup:
		case chat := <-s.finished:
			delete(s.busy, chat)
		case <-timer.C:
		}
	}
}

// round starts workers for the direct replies, then claims what is due for
// the workers still free. It reports how many chats it started and whether
// every free worker got one.
func (s *sender) round(ctx context.Context) (started int, full bool, err error) {
	s.dmu.Lock()
	direct := s.direct
	s.direct = nil
	s.dmu.Unlock()
	now := s.now()
	for _, qs := range byChat(direct) {
		s.hold(qs, now)
	}
	slots := s.workers - len(s.busy)
	if ctx.Err() != nil {
		slots = 0
	}
	// Held chats go first, oldest first; one held too long (no worker free
	// for a third of the lease) is given back to be claimed.
	kept := s.held[:0]
	for _, h := range s.held {
		chat := h.qs[0].ChatID
		switch {
		case slots > 0 && !s.busy[chat]:
			s.start(ctx, h.qs)
			slots--
			started++
		case now.Sub(h.since) > outboxLease/3 || ctx.Err() != nil:
			if err := s.store.ReleaseOutbox(context.WithoutCancel(ctx), s.owner, chat); err != nil {
				s.log.Warn("telegram: outbox: release", "err", err)
			}
		default:
			kept = append(kept, h)
		}
	}
	s.held = kept
	if slots <= 0 {
		return started, false, nil
	}
	c := bot.OutboxClaim{Now: now, Owner: s.owner, Lease: outboxLease, Chats: slots, PerChat: outboxPerChat}
	c.Skip = s.forgetAgain(ctx)
	for chat := range s.busy {
		c.Skip = append(c.Skip, chat)
	}
	for _, h := range s.held {
		c.Skip = append(c.Skip, h.qs[0].ChatID)
	}
	chats, err := s.store.ClaimOutbox(context.WithoutCancel(ctx), c)
	if err != nil {
		return started, false, err
	}
	if len(chats) == 0 && len(s.held) == 0 {
		s.settled() // nothing due
	}
	for _, qs := range chats {
		s.start(ctx, qs)
	}
	return started + len(chats), len(chats) == slots, nil
}

// forgetAgain deletes the settled replies whose delete failed before, and
// returns the chats still waiting for theirs (not to be claimed).
func (s *sender) forgetAgain(ctx context.Context) []int64 {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	var skip []int64
	for chat, ids := range s.unforgotten {
		if err := s.store.DeleteOutbox(context.WithoutCancel(ctx), s.owner, ids...); err != nil {
			skip = append(skip, chat)
			continue
		}
		delete(s.unforgotten, chat)
	}
	return skip
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
	go func() {
		defer func() { s.finished <- chat }()
		s.sendChat(ctx, qs)
	}()
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

// sendChat sends one chat's replies in order. It stops at the first reply
// that must wait (rescheduled in the store), when ctx is done, or after
// half the lease, and gives back the rest.
func (s *sender) sendChat(ctx context.Context, msgs []bot.Queued) {
	chat := msgs[0].ChatID
	start := s.now()
	log := s.log.With("chat_id", chat)
	apologised := map[int64]bool{} // updates whose rejected reply got the apology
	store := context.WithoutCancel(ctx)
	for i, q := range msgs {
		if ctx.Err() != nil || s.now().Sub(start) > outboxLease/2 {
			if err := s.store.ReleaseOutbox(store, s.owner, chat); err != nil {
				log.Warn("telegram: outbox: release", "err", err)
			}
			return
		}
		log := log.With("update_id", q.UpdateID, "outbox_id", q.ID)
		age := s.now().Sub(q.CreatedAt)
		if age > s.maxAge {
			log.Warn("telegram: reply too old to be useful; dropped", "age", age.Round(time.Second))
			s.drop(store, log, outExpired, q)
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
			s.drop(store, log, outDelivered, q)
		case errors.Is(err, bot.ErrForbidden):
			log.Info("telegram: chat unreachable (blocked or gone); its replies dropped", "count", len(msgs)-i)
			s.markUnreachable(store, chat)
			s.drop(store, log, outUnreachable, msgs[i:]...)
			return
		case errors.As(err, &ra):
			log.Warn("telegram: rate limited; the chat's replies wait", "wait", ra.After)
			s.retry(store, log, outRateLimited, q, ra.After, "rate limited")
			return
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
			s.drop(store, log, outRejected, q)
		default:
			wait := backoff(q.Attempts + 1)
			log.Warn("telegram: reply not sent; will retry", "err", err, "attempt", q.Attempts+1, "wait", wait)
			s.retry(store, log, outRetry, q, wait, shorten(err.Error(), 200))
			return
		}
	}
}

// drop deletes settled replies (delivered or given up on) and counts them.
func (s *sender) drop(ctx context.Context, log *slog.Logger, outcome string, qs ...bot.Queued) {
	s.a.metrics.outbox.WithLabelValues(outcome).Add(float64(len(qs)))
	s.settled()
	ids := make([]int64, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	if err := s.store.DeleteOutbox(ctx, s.owner, ids...); err != nil {
		log.Error("telegram: outbox: forget settled reply; trying again", "err", err, "outcome", outcome)
		s.fmu.Lock()
		if s.unforgotten == nil {
			s.unforgotten = map[int64][]int64{}
		}
		s.unforgotten[qs[0].ChatID] = append(s.unforgotten[qs[0].ChatID], ids...)
		s.fmu.Unlock()
	}
	if s.outcome != nil {
		for _, q := range qs {
			s.outcome(outcome, q)
		}
	}
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
