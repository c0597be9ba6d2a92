package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
)

const lease = 30 * time.Second

func queue(t *testing.T, s Store, at time.Time, msgs ...bot.Message) {
	t.Helper()
	require.NoError(t, s.Commit(ctx, bot.Commit{At: at, Outbox: msgs}))
}

func msg(chat int64, text string) bot.Message { return bot.Message{ChatID: chat, HTML: text} }

func claim(t *testing.T, s Store, c bot.OutboxClaim) [][]bot.Queued {
	t.Helper()
	if c.Lease == 0 {
		c.Lease = lease
	}
	if c.PerChat == 0 {
		c.PerChat = 10
	}
	out, err := s.ClaimOutbox(ctx, c)
	require.NoError(t, err)
	return out
}

func texts(qs []bot.Queued) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Message.HTML)
	}
	return out
}

func ids(qs []bot.Queued) []int64 {
	var out []int64
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

func testClaimInOrder(t *testing.T, a Adapter) {
	s := a.open1(t)
	queue(t, s, base, msg(1, "a1"), msg(1, "a2"))
	queue(t, s, base, msg(2, "b1"))
	queue(t, s, base, msg(1, "a3"))

	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "p1", Chats: 10})
	require.Len(t, got, 2)
	assert.Equal(t, []string{"a1", "a2", "a3"}, texts(got[0]), "a chat's replies in the order queued")
	assert.Equal(t, []string{"b1"}, texts(got[1]))
	assert.Equal(t, bot.Message{ChatID: 1, HTML: "a1"}, got[0][0].Message, "the message comes back as queued")
	assert.True(t, got[0][0].CreatedAt.Equal(base))

	assert.Empty(t, claim(t, s, bot.OutboxClaim{Now: base.Add(time.Second), Owner: "p2", Chats: 10}), "leased: a second sender takes nothing")
	again := claim(t, s, bot.OutboxClaim{Now: base.Add(lease), Owner: "p2", Chats: 10})
	assert.Len(t, again, 2, "a lease that ran out (its sender died) is taken over")
}

func testClaimLimits(t *testing.T, a Adapter) {
	s := a.open1(t)
	for i := range 5 {
		queue(t, s, base, msg(1, fmt.Sprint("a", i)))
	}
	queue(t, s, base, msg(2, "b"), msg(3, "c"))

	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 1, PerChat: 2})
	require.Len(t, got, 1)
	assert.Equal(t, []string{"a0", "a1"}, texts(got[0]), "the oldest chat first, PerChat replies")

	got = claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 5, Skip: []int64{2}})
	require.Len(t, got, 1, "chat 1 is leased, chat 2 skipped")
	assert.EqualValues(t, 3, got[0][0].ChatID)
}

func testDeliveredLetsTheNextGo(t *testing.T, a Adapter) {
	s := a.open1(t)
	queue(t, s, base, msg(1, "a1"), msg(1, "a2"))
	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 1, PerChat: 1})
	require.Equal(t, []string{"a1"}, texts(got[0]))

	assert.Empty(t, claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 1}), "a2 waits behind a1")
	require.NoError(t, s.DeleteOutbox(ctx, "other", ids(got[0])...))
	assert.Empty(t, claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 1}), "only the lease holder's delete counts")
	require.NoError(t, s.DeleteOutbox(ctx, "p", ids(got[0])...))
	got = claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 1})
	require.Len(t, got, 1)
	assert.Equal(t, []string{"a2"}, texts(got[0]), "a1 delivered, a2 is the head")
}

func testRetry(t *testing.T, a Adapter) {
	s := a.open1(t)
	queue(t, s, base, msg(1, "a1"), msg(1, "a2"))
	queue(t, s, base, msg(2, "b1"))
	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 10})
	require.NoError(t, s.RetryOutbox(ctx, "p", got[0][0].ID, base.Add(25*time.Second), "rate limited"))

	assert.Empty(t, claim(t, s, bot.OutboxClaim{Now: base.Add(time.Second), Owner: "p", Chats: 10}), "chat 1 waits for retry_after; chat 2 is still leased")
	got = claim(t, s, bot.OutboxClaim{Now: base.Add(25 * time.Second), Owner: "p", Chats: 10})
	require.Len(t, got, 1)
	assert.Equal(t, []string{"a1", "a2"}, texts(got[0]))
	assert.Equal(t, 1, got[0][0].Attempts)
}

func testRelease(t *testing.T, a Adapter) {
	s := a.open1(t)
	queue(t, s, base, msg(1, "a"), msg(2, "b"))
	require.Len(t, claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 10}), 2)
	require.NoError(t, s.ReleaseOutbox(ctx, "p", 1))
	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "q", Chats: 10})
	require.Len(t, got, 1)
	assert.EqualValues(t, 1, got[0][0].ChatID)
	require.NoError(t, s.ReleaseOutbox(ctx, "p", 0))
	got = claim(t, s, bot.OutboxClaim{Now: base, Owner: "q", Chats: 10})
	require.Len(t, got, 1)
	assert.EqualValues(t, 2, got[0][0].ChatID)
}

func testDirect(t *testing.T, a Adapter) {
	s := a.open1(t)
	var mu sync.Mutex
	var taken []bot.Queued
	s.DirectOutbox("p", lease, func(qs []bot.Queued) { mu.Lock(); taken = append(taken, qs...); mu.Unlock() })

	queue(t, s, base, msg(1, "a1"), msg(1, "a2"), msg(2, "b1"))
	require.Equal(t, []string{"a1", "a2", "b1"}, texts(taken), "nothing waited in these chats")
	assert.Empty(t, claim(t, s, bot.OutboxClaim{Now: base, Owner: "q", Chats: 10}), "leased to the direct sender")

	queue(t, s, base, msg(1, "a3"))
	assert.Len(t, taken, 3, "a1 and a2 are not delivered yet: a3 waits for a claim, in order")
	require.NoError(t, s.DeleteOutbox(ctx, "p", ids(taken[:2])...))
	got := claim(t, s, bot.OutboxClaim{Now: base, Owner: "p", Chats: 10})
	require.Len(t, got, 1)
	assert.Equal(t, []string{"a3"}, texts(got[0]))

	s.DirectOutbox("", 0, nil)
	queue(t, s, base, msg(3, "c1"))
	assert.Len(t, taken, 3, "no sink: only queued")
}

// testSeveralOwners: four senders, each on a store of its own on the same
// database (four processes), claim and delete concurrently; every reply is
// taken once and each chat's in order.
func testSeveralOwners(t *testing.T, a Adapter) {
	open := a.New(t)
	s := open(t)
	const chats, per = 20, 5
	for i := range per {
		for c := range chats {
			queue(t, s, base, msg(int64(c+1), fmt.Sprint(i)))
		}
	}
	var mu sync.Mutex
	seen := map[int64][]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		sw := open(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprint("p", w)
			for range 200 {
				got, err := sw.ClaimOutbox(ctx, bot.OutboxClaim{Now: base, Owner: owner, Lease: lease, Chats: 3, PerChat: 2})
				if !assert.NoError(t, err) {
					return
				}
				for _, qs := range got {
					mu.Lock()
					seen[qs[0].ChatID] = append(seen[qs[0].ChatID], texts(qs)...)
					mu.Unlock()
					if !assert.NoError(t, sw.DeleteOutbox(ctx, owner, ids(qs)...)) {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for c := range chats {
		assert.Equal(t, []string{"0", "1", "2", "3", "4"}, seen[int64(c+1)], "chat %d: each reply once, in order", c+1)
	}
}

func testOutboxStats(t *testing.T, a Adapter) {
	s := a.open1(t)
	st, err := s.OutboxStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, bot.OutboxStats{}, st)
	queue(t, s, base, msg(1, "a"))
	queue(t, s, base.Add(time.Minute), msg(2, "b"))
	st, err = s.OutboxStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, st.Depth)
	assert.True(t, st.Oldest.Equal(base), "%v", st.Oldest)
}
