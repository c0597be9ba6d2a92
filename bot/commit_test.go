package bot_test

// What Handle stores, and when: the update id, the chat's state and the
// replies go into the store in one transaction, or nothing does.

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// queuedEngine is the engine as the Telegram transport runs it: replies go
// to the store's outbox.
func queuedEngine(t *testing.T, h bot.Handoff) (*bot.Engine, *sqlite.Store) {
	t.Helper()
	_, ca := realDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	now := func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }
	e, err := bot.New(bot.Config{QueueReplies: true}, bot.Deps{FAQ: noneFAQ{}, Calc: ca, Store: st, Now: now, Handoff: h})
	require.NoError(t, err)
	return e, st
}

// queued returns the HTML of the replies waiting in the outbox for chat, in order.
func queued(t *testing.T, st *sqlite.Store, chat int64) []string {
	t.Helper()
	rows, err := st.DB().Query(`SELECT json_extract(message, '$.HTML') FROM outbox WHERE chat_id = ? ORDER BY id`, chat)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func handled(t *testing.T, st *sqlite.Store, id int64) bool {
	t.Helper()
	ok, err := st.Handled(context.Background(), id)
	require.NoError(t, err)
	return ok
}

func TestHandleQueuesRepliesWithTheUpdate(t *testing.T) {
	e, st := queuedEngine(t, nil)
	ctx := context.Background()
	resp, err := e.Handle(ctx, bot.Event{UpdateID: 1, ChatID: 42, UserID: 42, Kind: bot.KindCommand, Command: "tinh"})
	require.NoError(t, err)
	assert.True(t, resp.Queued, "the transport must not send them again")
	require.NotEmpty(t, resp.Messages)
	var want []string
	for _, m := range resp.Messages {
		assert.EqualValues(t, 42, m.ChatID)
		want = append(want, m.HTML)
	}
	assert.Equal(t, want, queued(t, st, 42))
	assert.True(t, handled(t, st, 1))
	state, err := st.LoadState(ctx, 42)
	require.NoError(t, err)
	assert.NotEmpty(t, state.Flow, "the flow started is saved with the reply")

	resp, err = e.Handle(ctx, bot.Event{UpdateID: 1, ChatID: 42, UserID: 42, Kind: bot.KindCommand, Command: "tinh"})
	require.NoError(t, err)
	assert.Empty(t, resp.Messages, "a redelivery is not answered again")
	assert.Equal(t, want, queued(t, st, 42))
}

func TestConsoleEngineQueuesNothing(t *testing.T) {
	f := newFixtureWith(t, noneFAQ{}, nil)
	resp := f.send(t, cmd("start", ""))
	assert.False(t, resp.Queued)
	assert.NotEmpty(t, resp.Messages)
	var n int
	require.NoError(t, f.store.DB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&n))
	assert.Zero(t, n)
}

// TestStoreFailureStoresNothingAndRetrySucceeds: when the transaction
// cannot be written the update is not recorded and no reply is queued, so
// the transport can try again (or Telegram deliver it again) and the person
// is answered exactly once.
func TestStoreFailureStoresNothingAndRetrySucceeds(t *testing.T) {
	e, st := queuedEngine(t, nil)
	ctx := context.Background()
	_, err := st.DB().Exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`)
	require.NoError(t, err)
	ev := bot.Event{UpdateID: 5, ChatID: 9, UserID: 9, Kind: bot.KindCommand, Command: "start"}
	_, err = e.Handle(ctx, ev)
	require.Error(t, err)
	assert.False(t, handled(t, st, 5))
	_, err = st.LoadState(ctx, 9)
	assert.ErrorIs(t, err, bot.ErrNotFound, "no state without its reply")

	_, err = st.DB().Exec(`DROP TRIGGER fail_outbox`)
	require.NoError(t, err)
	resp, err := e.Handle(ctx, ev)
	require.NoError(t, err)
	assert.True(t, resp.Queued)
	assert.Len(t, queued(t, st, 9), len(resp.Messages))
	assert.True(t, handled(t, st, 5))
}

// panicky is a hand-off hook with a bug.
type panicky struct{ bot.Handoff }

func (panicky) Handle(context.Context, bot.Event, *bot.ChatState) (bot.Response, bool, error) {
	panic("bug with personal data 0912345678")
}

func TestPanicInFlowIsAnsweredCalmlyAndRecorded(t *testing.T) {
	e, st := queuedEngine(t, panicky{})
	resp, err := e.Handle(context.Background(), bot.Event{UpdateID: 3, ChatID: 8, UserID: 8, Kind: bot.KindText, Text: "xin chào"})
	require.NoError(t, err)
	require.Len(t, resp.Messages, 1)
	assert.Equal(t, resp.Messages[0].HTML, queued(t, st, 8)[0], "the apology is queued like any reply")
	assert.True(t, handled(t, st, 3), "a redelivery would panic again: the update is done")
}

func TestRepliesQueuedAfterTheHandlersDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	// The update's deadline passes while the flow runs.
	e, st := queuedEngine(t, hookFunc(func(context.Context) { cancel() }))
	resp, err := e.Handle(ctx, bot.Event{UpdateID: 4, ChatID: 6, UserID: 6, Kind: bot.KindText, Text: "xin chào"})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Messages)
	assert.Len(t, queued(t, st, 6), len(resp.Messages))
	assert.True(t, handled(t, st, 4))
}

// hookFunc is a hand-off hook that runs f and then lets the engine go on.
type hookFunc func(ctx context.Context)

func (f hookFunc) Handle(ctx context.Context, _ bot.Event, _ *bot.ChatState) (bot.Response, bool, error) {
	f(ctx)
	return bot.Response{}, false, nil
}
func (hookFunc) Start(context.Context, bot.Event, *bot.ChatState, bot.Topic) (bot.Response, error) {
	return bot.Response{}, nil
}
func (hookFunc) DeepLink(context.Context, bot.Event, string) (string, error) { return "", nil }
func (hookFunc) DeleteUser(context.Context, int64) error                     { return nil }
