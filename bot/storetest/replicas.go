package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// Tests of several processes (stores) sharing one database, as replicas
// behind a load balancer do.

func testReplicasLockChat(t *testing.T, a Adapter) {
	open := a.New(t)
	r1, r2 := open(t), open(t)
	unlock, err := r1.LockChat(ctx, 42)
	require.NoError(t, err)

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = r2.LockChat(short, 42)
	cancel()
	assert.ErrorIs(t, err, bot.ErrUnavailable, "another replica holds the chat: wait, then give up at the deadline")
	other, err := r2.LockChat(ctx, 43)
	require.NoError(t, err, "other chats are free")
	other()

	got := make(chan func(), 1)
	go func() {
		u, err := r2.LockChat(ctx, 42)
		assert.NoError(t, err)
		got <- u
	}()
	select {
	case <-got:
		t.Fatal("the chat was taken while locked")
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	(<-got)()

	t.Run("a replica that dies frees its chats", func(t *testing.T) {
		r3 := open(t)
		_, err := r3.LockChat(ctx, 44)
		require.NoError(t, err)
		require.NoError(t, r3.Close()) // its connections end, as when the process is killed
		wait, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		u, err := r2.LockChat(wait, 44)
		require.NoError(t, err)
		u()
	})
}

// probe wraps a replica's store and checks that the engine loads, checks
// and commits a chat only while holding its lock: inside counts the
// holders of the chat's lock across replicas.
type probe struct {
	Store
	inside   *atomic.Int32
	overlaps *atomic.Int32
	unlocked *atomic.Int32
}

func (p *probe) LockChat(ctx context.Context, chat int64) (func(), error) {
	unlock, err := p.Store.LockChat(ctx, chat)
	if err != nil {
		return nil, err
	}
	if p.inside.Add(1) > 1 {
		p.overlaps.Add(1)
	}
	return func() { p.inside.Add(-1); unlock() }, nil
}

func (p *probe) check() {
	if p.inside.Load() != 1 {
		p.unlocked.Add(1)
	}
}

func (p *probe) Handled(ctx context.Context, id int64) (bool, error) {
	p.check()
	return p.Store.Handled(ctx, id)
}

func (p *probe) LoadState(ctx context.Context, chat int64) (*bot.ChatState, error) {
	p.check()
	return p.Store.LoadState(ctx, chat)
}

func (p *probe) Commit(ctx context.Context, c bot.Commit) error {
	p.check()
	return p.Store.Commit(ctx, c)
}

// noFAQ answers every question with "none": the point here is the store.
type noFAQ struct{}

func (noFAQ) Search(_ context.Context, q string) (faq.Result, error) {
	return faq.Result{Query: q, Cleaned: q, Decision: faq.DecisionNone}, nil
}
func (noFAQ) Entry(string) (*faq.Entry, bool)                  { return nil, false }
func (noFAQ) AnswerHTML(*faq.Entry, time.Time) (string, error) { return "", nil }
func (noFAQ) NoticesHTML(time.Time) []string                   { return nil }

// testReplicasEngine runs two engines (two replicas) on two stores of one
// database and gives them the events of one chat at once, as a load
// balancer may: each event is handled once, never while the other replica
// handles the chat, and every event's replies are queued.
func testReplicasEngine(t *testing.T, a Adapter) {
	params, err := calc.LoadParams(content.FS())
	require.NoError(t, err)
	open := a.New(t)
	var inside, overlaps, unlocked atomic.Int32
	var engines []*bot.Engine
	var stores []*probe
	for range 2 {
		p := &probe{Store: open(t), inside: &inside, overlaps: &overlaps, unlocked: &unlocked}
		e, err := bot.New(bot.Config{QueueReplies: true}, bot.Deps{FAQ: noFAQ{}, Calc: calc.New(params), Store: p})
		require.NoError(t, err)
		engines, stores = append(engines, e), append(stores, p)
	}
	const chat, events = 77, 40
	texts := []string{"/tinh", "/start", "tôi 40 tuổi", "3 triệu", "/menu"}
	var wg sync.WaitGroup
	replied := make([]int, events)
	for i := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := bot.Event{UpdateID: int64(1000 + i), ChatID: chat, UserID: chat, Kind: bot.KindText, Text: texts[i%len(texts)]}
			if ev.Text[0] == '/' {
				ev.Kind, ev.Command, ev.Text = bot.KindCommand, ev.Text[1:], ""
			}
			resp, err := engines[i%2].Handle(ctx, ev)
			if assert.NoError(t, err) {
				replied[i] = len(resp.Messages)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, overlaps.Load(), "two replicas held the chat at once")
	assert.Zero(t, unlocked.Load(), "the engine used the store for the chat without its lock")
	for i, n := range replied {
		assert.Positive(t, n, "event %d got no reply", i)
	}
	assert.Equal(t, events, a.Count(t, stores[0].Store, "processed_updates", ""))
	total := 0
	for _, n := range replied {
		total += n
	}
	assert.Equal(t, total, a.Count(t, stores[0].Store, "outbox", ""), "every reply queued once")

	// The same events again, from the other replica each: redeliveries.
	for i := range events {
		resp, err := engines[(i+1)%2].Handle(ctx, bot.Event{UpdateID: int64(1000 + i), ChatID: chat, UserID: chat, Kind: bot.KindText, Text: "x"})
		require.NoError(t, err)
		assert.Empty(t, resp.Messages)
	}
	assert.Equal(t, total, a.Count(t, stores[0].Store, "outbox", ""))
}

// testReplicasRedelivery: the same update committed by several replicas at
// once is stored once; the others get bot.ErrDuplicate.
func testReplicasRedelivery(t *testing.T, a Adapter) {
	open := a.New(t)
	replicas := []Store{open(t), open(t), open(t)}
	for u := range 20 {
		var ok, dup atomic.Int32
		var wg sync.WaitGroup
		for i, r := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := r.Commit(ctx, bot.Commit{UpdateID: int64(u + 1), At: base,
					State:  &bot.ChatState{ChatID: int64(u + 1), UserID: 1, Flow: fmt.Sprint(i), Updated: base},
					Outbox: []bot.Message{msg(int64(u+1), fmt.Sprint("reply from ", i))}})
				switch {
				case err == nil:
					ok.Add(1)
				case assert.ErrorIs(t, err, bot.ErrDuplicate):
					dup.Add(1)
				}
			}()
		}
		wg.Wait()
		assert.EqualValues(t, 1, ok.Load(), "update %d", u+1)
		assert.EqualValues(t, 2, dup.Load(), "update %d", u+1)
	}
	assert.Equal(t, 20, a.Count(t, replicas[0], "outbox", ""), "one reply per update")
}

// testReplicasEscalation: replicas escalating the same lead at once queue
// one escalation card.
func testReplicasEscalation(t *testing.T, a Adapter) {
	open := a.New(t)
	replicas := []Store{open(t), open(t), open(t)}
	l := must(replicas[0].CreateLeadWithOutbox(ctx, newLead(1), card(-100)))
	esc := handoff.OutboxItem{Kind: handoff.ItemEscalation, ChatID: -500, WithPhone: true, NextAttempt: t0.Add(4 * time.Hour), CreatedAt: t0}
	var wg sync.WaitGroup
	for _, r := range replicas {
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, r.Escalate(ctx, l.ID, esc, t0.Add(4*time.Hour)))
			}()
		}
	}
	wg.Wait()
	assert.Equal(t, 1, a.Count(t, replicas[0], "lead_outbox", "kind = 'escalation'"))
}

// testReplicasRedactions: replicas asking for due card redactions at once
// get disjoint ones, so a card is cleared by one of them.
func testReplicasRedactions(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	for user := range int64(12) {
		must(s.CreateLeadWithOutbox(ctx, newLead(user+1), card(-100)))
	}
	for i, it := range must(s.ClaimDue(ctx, t0, time.Minute, 20)) {
		require.NoError(t, s.MarkSent(ctx, it.ID, 100+i, t0))
	}
	must(s.PurgeLeads(ctx, t0.Add(time.Second)))
	now := time.Now()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 3 {
		r := open(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rs, err := r.DueRedactions(ctx, now, 2)
				if !assert.NoError(t, err) || len(rs) == 0 {
					return
				}
				mu.Lock()
				for _, x := range rs {
					seen[x.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 12)
	for id, n := range seen {
		assert.Equal(t, 1, n, "redaction %d taken %d times", id, n)
	}
}

// testReplicasPrune: replicas pruning and purging at the same moment
// remove everything due once, without errors.
func testReplicasPrune(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	for i := int64(1); i <= 50; i++ {
		require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: i, At: base, State: &bot.ChatState{ChatID: i, UserID: i, Updated: base}}))
		must(s.CreateLeadWithOutbox(ctx, newLead(i), card(-100)))
	}
	for i, it := range must(s.ClaimDue(ctx, t0, time.Minute, 100)) {
		require.NoError(t, s.MarkSent(ctx, it.ID, 100+i, t0))
	}
	var states, leads atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		r := open(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps, err := r.Prune(ctx, base.Add(72*time.Hour), bot.DefaultRetention())
			assert.NoError(t, err)
			states.Add(ps.States)
			n, err := r.PurgeLeads(ctx, t0.Add(time.Second))
			assert.NoError(t, err)
			leads.Add(int64(n))
		}()
	}
	wg.Wait()
	assert.Zero(t, a.Count(t, s, "chat_state", ""))
	assert.Zero(t, a.Count(t, s, "leads", ""))
	assert.EqualValues(t, 50, states.Load(), "each state counted once")
	assert.EqualValues(t, 50, leads.Load(), "each lead purged once")
	assert.Equal(t, 50, a.Count(t, s, "card_redactions", ""), "each delivered card queued for clearing once")
}
