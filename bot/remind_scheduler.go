package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// SchedulerConfig tunes the Scheduler; zero fields take the defaults.
type SchedulerConfig struct {
	Rate float64 // reminder messages a second, overall (default 25)
	// Tick is the pause between two rounds while reminders go out (default
	// 1/Rate: one message a round, so that few are ever in flight at
	// once); IdleTick the pause after a round that sent nothing (default 1 s).
	Tick, IdleTick time.Duration
	Lease          time.Duration // how long a claimed reminder is reserved (default 30 s)
	Gap            time.Duration // least time between two reminders to one chat (default 1 s)
	// From and To are the hours in Vietnam between which reminders go
	// out: from From:00 up to To:00 (default 8 and 20).
	From, To int
	// MaxWaiting: while this many messages wait in the outbox (Telegram
	// is slow, down or rate-limiting), nothing more is claimed (default 100).
	MaxWaiting int
	Owner      string // lease owner; default host/pid/random
}

// Defaults of SchedulerConfig.
const (
	DefaultReminderRate = 25
	defaultIdleTick     = time.Second
	defaultRemindLease  = 30 * time.Second
	defaultRemindGap    = time.Second
	defaultWindowFrom   = 8
	defaultWindowTo     = 20
	defaultMaxWaiting   = 100
)

func (c SchedulerConfig) withDefaults() SchedulerConfig {
	if c.Rate <= 0 {
		c.Rate = DefaultReminderRate
	}
	if c.Tick <= 0 {
		c.Tick = time.Duration(float64(time.Second) / c.Rate)
	}
	if c.IdleTick <= 0 {
		c.IdleTick = defaultIdleTick
	}
	if c.Lease <= 0 {
		c.Lease = defaultRemindLease
	}
	if c.Gap <= 0 {
		c.Gap = defaultRemindGap
	}
	if c.From == 0 && c.To == 0 {
		c.From, c.To = defaultWindowFrom, defaultWindowTo
	}
	if c.MaxWaiting <= 0 {
		c.MaxWaiting = defaultMaxWaiting
	}
	if c.Owner == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		c.Owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	return c
}

// SchedulerDeps are the Scheduler's collaborators; Store and Calc are required.
type SchedulerDeps struct {
	Store   ReminderStore
	Calc    Calculator
	Notices NoticeSource // optional: no news without it
	Agents  AgentBook    // optional: reminders then point to the agent finder
	Logger  *slog.Logger
	Now     func() time.Time
}

// Scheduler sends the reminders that are due: in rounds, it claims due
// reminders with a lease (one per chat, none for a chat that got one less
// than Gap ago or still has messages waiting), decides each occurrence
// (the message with the amount at that moment's rules, and the next
// occurrence), and applies them in one store transaction that also queues
// the messages in the outbox; the transport's sender delivers them. A
// crash before that transaction changes nothing (the leases expire and the
// reminders are claimed again); after it, every occurrence is queued once.
// At most Rate messages a second leave, only between From and To o'clock
// in Vietnam, and none while the outbox is backed up.
type Scheduler struct {
	cfg     SchedulerConfig
	store   ReminderStore
	calc    Calculator
	notices NoticeSource
	agents  AgentBook
	log     *slog.Logger
	now     func() time.Time

	// mu serialises rounds (Run's and a caller's RunOnce, e.g. the console
	// draining at the end of piped input); it guards what follows: the
	// rate limit (token bucket) and the notices last seen (looked at once
	// a minute).
	mu        sync.Mutex
	tokens    float64
	last      time.Time
	newsKey   string
	newsCheck time.Time
	pruned    time.Time
}

// Retention of reminders with nothing left to do.
const (
	// CardReminderKeep: a card reminder that sent its last message is
	// deleted this long after the card's expiry (the 90-day gap is over).
	CardReminderKeep = cardGapDays * 24 * time.Hour
	// BlockedReminderKeep: the reminders of a chat that refuses the bot
	// are deleted after this long.
	BlockedReminderKeep = 180 * 24 * time.Hour
	pruneRemindersEvery = time.Hour
)

// NewScheduler builds a scheduler. Errors: Store or Calc missing, or a
// window that is not 0 ≤ From < To ≤ 24.
func NewScheduler(cfg SchedulerConfig, deps SchedulerDeps) (*Scheduler, error) {
	if deps.Store == nil || deps.Calc == nil {
		return nil, errors.New("bot: NewScheduler needs Store and Calc")
	}
	cfg = cfg.withDefaults()
	if cfg.From < 0 || cfg.To > 24 || cfg.From >= cfg.To {
		return nil, fmt.Errorf("bot: reminder window %d–%d h is not a range of hours", cfg.From, cfg.To)
	}
	s := &Scheduler{cfg: cfg, store: deps.Store, calc: deps.Calc, notices: deps.Notices, agents: deps.Agents, log: deps.Logger, now: deps.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Config returns the effective configuration.
func (s *Scheduler) Config() SchedulerConfig { return s.cfg }

// Run runs rounds until ctx is done, then gives back its leases: every
// Tick while reminders go out, every IdleTick otherwise. It returns nil;
// store errors are logged and the next round tries again.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		wait := s.cfg.IdleTick
		if n, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("reminders: round", slog.Any("err", err))
		} else if n > 0 {
			wait = s.cfg.Tick
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			if err := s.store.ReleaseReminders(context.WithoutCancel(ctx), s.cfg.Owner, nil); err != nil {
				s.log.Warn("reminders: release leases", slog.Any("err", err))
			}
			return nil
		case <-t.C:
		}
	}
}

// InWindow reports whether reminders may go out at t.
func (s *Scheduler) InWindow(t time.Time) bool {
	h := t.In(calc.Vietnam).Hour()
	return h >= s.cfg.From && h < s.cfg.To
}

// RunOnce is one round at the clock's now: it returns how many reminder
// messages it queued. Rounds run one at a time.
func (s *Scheduler) RunOnce(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.refill(now)
	if !s.InWindow(now) {
		return 0, nil
	}
	if err := s.wakeNews(ctx, now); err != nil {
		return 0, err
	}
	if p, ok := s.store.(ReminderPruner); ok && (now.Sub(s.pruned) >= pruneRemindersEvery || now.Before(s.pruned)) {
		n, err := p.PruneReminders(ctx, now, CardReminderKeep, BlockedReminderKeep)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			s.log.Info("reminders: pruned", slog.Int("count", n))
		}
		s.pruned = now
	}
	n := int(s.tokens)
	if n <= 0 {
		return 0, nil
	}
	waiting, err := s.store.WaitingReplies(ctx)
	if err != nil {
		return 0, err
	}
	n = min(n, s.cfg.MaxWaiting-waiting)
	if n <= 0 {
		return 0, nil
	}
	claimed, err := s.store.ClaimReminders(ctx, ReminderClaim{Now: now, Owner: s.cfg.Owner, Lease: s.cfg.Lease, Limit: n, Gap: s.cfg.Gap})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	fires := make([]ReminderFire, 0, len(claimed))
	var failed []int64
	for _, r := range claimed {
		f, err := s.plan(ctx, r, now)
		if err != nil {
			// Left leased: tried again when the lease expires, not at
			// every round.
			s.log.Error("reminders: plan", slog.Any("reminder", r), slog.Any("err", err))
			failed = append(failed, r.ID)
			continue
		}
		fires = append(fires, f)
	}
	if _, err := s.store.FireReminders(ctx, s.cfg.Owner, fires); err != nil {
		return 0, err
	}
	sent := 0
	for _, f := range fires {
		if f.Message != nil {
			sent++
		}
	}
	s.tokens -= float64(sent)
	if len(failed) > 0 {
		s.log.Warn("reminders: some could not be planned", slog.Int("count", len(failed)))
	}
	return sent, nil
}

// refill adds the tokens earned since the last round, up to one second's
// worth; the first round starts with one.
func (s *Scheduler) refill(now time.Time) {
	if s.last.IsZero() {
		s.tokens = 1
	} else if d := now.Sub(s.last); d > 0 {
		s.tokens = min(s.tokens+s.cfg.Rate*d.Seconds(), s.cfg.Rate)
	}
	s.last = now
}

// wakeNews makes news subscriptions due when the notices in force change.
func (s *Scheduler) wakeNews(ctx context.Context, now time.Time) error {
	if s.notices == nil || (!s.newsCheck.IsZero() && now.Sub(s.newsCheck) < time.Minute && now.After(s.newsCheck)) {
		return nil
	}
	s.newsCheck = now
	keys := noticeKeys(s.notices.Notices(now.In(calc.Vietnam)))
	joined := strings.Join(keys, ",")
	if joined == s.newsKey {
		return nil
	}
	if err := s.store.WakeNews(ctx, now, keys); err != nil {
		return err
	}
	s.newsKey = joined
	return nil
}

// noticeKeys are the occurrence keys of notices.
func noticeKeys(ns []Notice) []string {
	keys := make([]string, len(ns))
	for i, n := range ns {
		keys[i] = newsOccurrence(n.Key)
	}
	return keys
}

func newsOccurrence(key string) string { return "n:" + key }

// plan decides the occurrence of a reminder due at now.
func (s *Scheduler) plan(ctx context.Context, r Reminder, now time.Time) (ReminderFire, error) {
	f := ReminderFire{Claimed: r, At: now}
	switch r.Kind {
	case RemindPay:
		p, send, next := planPay(r, now)
		f.Next = next
		if !send {
			f.Event = EventMissed
			return f, nil
		}
		m, err := s.payMessage(r, p, now)
		if err != nil {
			return f, err
		}
		f.Message, f.Event, f.Occurrence = &m, EventSent, fmt.Sprintf("pay:%s#%d", p.Start, r.Seq+1)
	case RemindCard:
		send, next := planCard(r, now)
		f.Next = next
		if !send {
			f.Event = EventMissed
			return f, nil
		}
		m := cardMessage(r, now)
		f.Message, f.Event = &m, EventSent
		f.Occurrence = fmt.Sprintf("card:%s#%d", r.Expiry.Format(time.DateOnly), r.Seq+1)
	case RemindNews:
		f.Next = r
		f.Next.NextAt = time.Time{}
		n, more, err := s.pendingNotice(ctx, r, now)
		if err != nil || n == nil {
			return f, err
		}
		if more {
			f.Next.NextAt = now.Add(s.cfg.Gap)
		}
		m := newsMessage(n.HTML)
		f.Message, f.Event, f.Occurrence = &m, EventSent, newsOccurrence(n.Key)
	default:
		return f, fmt.Errorf("unknown reminder kind %q", r.Kind)
	}
	return f, nil
}

// pendingNotice is the oldest notice in force that r has not sent, and
// whether another is pending after it.
func (s *Scheduler) pendingNotice(ctx context.Context, r Reminder, now time.Time) (*Notice, bool, error) {
	if s.notices == nil {
		return nil, false, nil
	}
	ns := s.notices.Notices(now.In(calc.Vietnam))
	sent, err := s.store.SentOccurrences(ctx, r.ID, noticeKeys(ns))
	if err != nil {
		return nil, false, err
	}
	var first *Notice
	for i := range ns {
		if sent[newsOccurrence(ns[i].Key)] {
			continue
		}
		if first != nil {
			return first, true, nil
		}
		first = &ns[i]
	}
	return first, false, nil
}

// payMessage is the payment reminder for period p at now.
func (s *Scheduler) payMessage(r Reminder, p PayPeriod, now time.Time) (Message, error) {
	amt, err := payAmount(s.calc, r, p, now)
	if err != nil {
		return Message{}, err
	}
	var agent *AgentInfo
	if s.agents != nil && r.AgentID != "" {
		if a, ok := s.agents.Agent(r.AgentID); ok {
			agent = &a
		}
	}
	return Message{HTML: msgRemindPay(r, p, amt, agent, now), Buttons: payButtons(p, agent == nil)}, nil
}

// PayAmount is what a payment reminder says one pays.
type PayAmount struct {
	Total, Monthly decimal.Decimal
	Income         decimal.Decimal // the income it is computed on
	Group          calc.Group
	AtFloor        bool   // the income is the lowest of the day (chosen so, or raised to it)
	Raised         string // the chosen income, when it is below the floor of the day and the floor was used
	Lowered        string // the chosen income, when it is above the ceiling and the ceiling was used
	Change         string // a floor change inside the rest of the period: its day
	NewFloor       decimal.Decimal
	// Planned is calc's note when a value the amount uses is only
	// planned (the 2.200.000 floor from 01/01/2027, confidence medium).
	Planned string
}

// payAmount computes the amount of period p at the rules of now's day in
// Vietnam (calc uses the payment day's rules for the whole period): the
// chosen income, or the floor when none was chosen or it fell below it.
func payAmount(c Calculator, r Reminder, p PayPeriod, now time.Time) (PayAmount, error) {
	d := now.In(calc.Vietnam)
	floor, ceiling, err := c.VSIBounds(d)
	if err != nil {
		return PayAmount{}, err
	}
	a := PayAmount{Income: r.Income, Group: r.Group}
	if !a.Group.Valid() {
		a.Group = calc.GroupOther
	}
	switch {
	case !a.Income.IsPositive():
		a.Income, a.AtFloor = floor, true
	case a.Income.LessThan(floor):
		a.Raised, a.Income, a.AtFloor = calc.FormatVND(a.Income), floor, true
	case a.Income.GreaterThan(ceiling):
		a.Lowered, a.Income = calc.FormatVND(a.Income), ceiling
	}
	res, err := c.VSI(calc.VSIInput{Income: a.Income, Group: a.Group, Months: p.Months, Date: d})
	if err != nil {
		return PayAmount{}, err
	}
	a.Total, a.Monthly = res.PayableTotal, res.PayableMonthly
	for _, n := range res.Notes {
		if strings.Contains(n, "là mức dự kiến, chưa được xác nhận") { // calc's note for a planned value in force (not its note on a change ahead)
			a.Planned = n
			break
		}
	}
	// A floor change in the months of the period still ahead.
	for m := addMonths(monthVN(d), 1); !p.End().Before(m); m = addMonths(m, 1) {
		first := dayVN(m.Year, m.Month, 1)
		f, _, err := c.VSIBounds(first)
		if err == nil && !f.Equal(floor) {
			a.Change, a.NewFloor = first.Format("02/01/2006"), f
			break
		}
	}
	return a, nil
}

// DueItem is an occurrence that would be sent at a moment (Scheduler.Due).
type DueItem struct {
	Reminder Reminder
	Kind     ReminderKind
	Period   string          // pay: "10/2026–12/2026"; card: the expiry "04/02/2027"; news: the notice key
	Deadline time.Time       // pay: last day to pay; card: expiry; zero for news
	DaysLeft int             // days from the moment to Deadline
	Amount   decimal.Decimal // pay: the period's amount; zero otherwise
	DueAt    time.Time       // when the occurrence goes out (at or before the moment asked)
	Message  Message
}

// dueLookback: Due lists the occurrences that go out within this long
// before the moment asked.
const dueLookback = 24 * time.Hour

// Due lists, without sending or changing anything, the messages the
// reminders send at the moment at, or went out within the day before it,
// had the scheduler run until then: the store's schedules are played
// forward (each occurrence before at taken as sent), and each reminder's
// latest occurrence due by at is rendered at at's rules. News
// subscriptions get the notices in force at at they have not received. It
// ignores the rate limit; the caller says whether at is in the window.
func (s *Scheduler) Due(ctx context.Context, at time.Time) ([]DueItem, error) {
	rs, err := s.store.DueReminders(ctx, at)
	if err != nil {
		return nil, err
	}
	var out []DueItem
	for _, r := range rs {
		dueAt := at
		if r.Kind != RemindNews {
			r = replay(r, at)
			if dueAt = s.sendTime(r.NextAt); dueAt.After(at) || at.Sub(dueAt) >= dueLookback {
				continue
			}
		}
		f, err := s.plan(ctx, r, at)
		if err != nil {
			return nil, fmt.Errorf("reminder %d: %w", r.ID, err)
		}
		if f.Message == nil {
			continue
		}
		it := DueItem{Reminder: r, Kind: r.Kind, Message: *f.Message, DueAt: dueAt}
		it.Message.ChatID = r.ChatID
		switch r.Kind {
		case RemindPay:
			p, _, _ := planPay(r, at)
			amt, err := payAmount(s.calc, r, p, at)
			if err != nil {
				return nil, err
			}
			it.Period, it.Deadline, it.Amount = p.String(), p.Deadline(), amt.Total
			it.DaysLeft = daysUntil(it.Deadline, at)
		case RemindCard:
			it.Period, it.Deadline = r.Expiry.Format("02/01/2006"), r.Expiry
			it.DaysLeft = daysUntil(r.Expiry, at)
		case RemindNews:
			it.Period = strings.TrimPrefix(f.Occurrence, "n:")
		}
		out = append(out, it)
	}
	return out, nil
}

// replay plays a schedule forward to the last occurrence due by at, as if
// every earlier one had been sent at its time.
func replay(r Reminder, at time.Time) Reminder {
	for i := 0; i < 1000 && !r.NextAt.IsZero() && !r.NextAt.After(at); i++ {
		var next Reminder
		switch r.Kind {
		case RemindPay:
			_, _, next = planPay(r, r.NextAt)
		case RemindCard:
			_, next = planCard(r, r.NextAt)
		default:
			return r
		}
		if next.NextAt.IsZero() || next.NextAt.After(at) {
			return r
		}
		r = next
	}
	return r
}

// sendTime is when an occurrence scheduled at t goes out: t inside the
// window, else the next opening.
func (s *Scheduler) sendTime(t time.Time) time.Time {
	if s.InWindow(t) {
		return t
	}
	v := t.In(calc.Vietnam)
	open := time.Date(v.Year(), v.Month(), v.Day(), s.cfg.From, 0, 0, 0, calc.Vietnam)
	if !v.Before(open) {
		open = open.AddDate(0, 0, 1)
	}
	return open
}
