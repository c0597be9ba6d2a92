package telegram

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// wait is how long a test waits for something that should happen at once.
const wait = 10 * time.Second

type handlerFunc func(ctx context.Context, ev bot.Event) (bot.Response, error)

func (f handlerFunc) Handle(ctx context.Context, ev bot.Event) (bot.Response, error) {
	return f(ctx, ev)
}

// echo answers text with its escaped copy and a button, and a button press
// with a toast and an edit of the pressed message.
var echo = handlerFunc(func(_ context.Context, ev bot.Event) (bot.Response, error) {
	switch ev.Kind {
	case bot.KindButton:
		return bot.Response{CallbackText: "Đã chọn", Messages: []bot.Message{{
			HTML: "Bạn chọn <b>" + html.EscapeString(ev.Data) + "</b>", EditMessageID: ev.MessageID,
		}}}, nil
	case bot.KindCommand:
		return bot.Response{Messages: []bot.Message{{HTML: "Lệnh /" + html.EscapeString(ev.Command) + " " + html.EscapeString(ev.Text)}}}, nil
	}
	return bot.Response{Messages: []bot.Message{{
		HTML:    "Bạn hỏi: " + html.EscapeString(ev.Text),
		Buttons: [][]bot.Button{{{Text: "Có", Data: "yes"}, {Text: "Không", Data: "no"}}},
	}}}, nil
})

// syncBuffer is a concurrency-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testAdapter struct {
	*Adapter
	waits   []time.Duration
	waitsMu sync.Mutex
	logs    *syncBuffer
	reg     *prometheus.Registry
	store   *sqlite.Store
}

func (ta *testAdapter) Waits() []time.Duration {
	ta.waitsMu.Lock()
	defer ta.waitsMu.Unlock()
	return append([]time.Duration(nil), ta.waits...)
}

// newAdapter builds an adapter on the fake with instant retry waits (they are
// recorded instead) and logs captured in memory.
func newAdapter(t testing.TB, fake *telegramtest.Server, h Handler, mod ...func(*Config)) *testAdapter {
	t.Helper()
	ta := &testAdapter{logs: &syncBuffer{}, reg: prometheus.NewRegistry()}
	store := testOutbox(t)
	ta.store = store
	cfg := Config{
		Token:      fake.Token,
		APIURL:     fake.URL,
		Outbox:     store,
		Workers:    4,
		Commands:   []bot.Command{{Name: "start", Description: "Bắt đầu"}, {Name: "xoa", Description: "Xóa dữ liệu của tôi"}},
		Logger:     slog.New(slog.NewJSONHandler(ta.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registerer: ta.reg,
	}
	for _, m := range mod {
		m(&cfg)
	}
	a, err := New(cfg, h)
	require.NoError(t, err)
	a.wait = func(ctx context.Context, d time.Duration) error {
		ta.waitsMu.Lock()
		ta.waits = append(ta.waits, d)
		ta.waitsMu.Unlock()
		return ctx.Err()
	}
	ta.Adapter = a
	return ta
}

// queued returns the HTML of the replies waiting in the outbox for chat.
func (ta *testAdapter) queued(t testing.TB, chat int64) []string {
	t.Helper()
	rows, err := ta.store.DB().Query(`SELECT json_extract(message, '$.HTML') FROM outbox WHERE chat_id = ? ORDER BY id`, chat)
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

// outcomes records the sender's outcomes; Wait blocks until n of them
// match (outcome "" matches any).
type outcomes struct {
	mu   sync.Mutex
	seen []string
	ch   chan struct{}
}

// watchOutcomes hooks an outcomes recorder into the adapter's sender.
func (ta *testAdapter) watchOutcomes() *outcomes {
	o := &outcomes{ch: make(chan struct{}, 1)}
	ta.out.outcome = func(outcome string, q bot.Queued) {
		o.mu.Lock()
		o.seen = append(o.seen, outcome)
		o.mu.Unlock()
		select {
		case o.ch <- struct{}{}:
		default:
		}
	}
	return o
}

func (o *outcomes) count(outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, s := range o.seen {
		if outcome == "" || s == outcome {
			n++
		}
	}
	return n
}

func (o *outcomes) Wait(t testing.TB, outcome string, n int) {
	t.Helper()
	o.WaitFor(t, outcome, n, wait)
}

// WaitFor is Wait with another timeout (for long runs under -race).
func (o *outcomes) WaitFor(t testing.TB, outcome string, n int, timeout time.Duration) {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for o.count(outcome) < n {
		select {
		case <-o.ch:
		case <-timer.C:
			t.Fatalf("%d %q outcomes, want %d (all: %v)", o.count(outcome), outcome, n, o.all())
		}
	}
}

func (o *outcomes) all() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.seen...)
}

// startSender runs the outbox sender alone until the test ends.
func (ta *testAdapter) startSender(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ta.out.run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// clock is a settable time source for the sender.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testOutbox is a real store in a temp dir.
func testOutbox(t testing.TB) *sqlite.Store {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	return store
}

// run starts Run and stops it (checking it returns nil) when the test ends.
func (ta *testAdapter) run(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ta.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(wait):
			t.Errorf("Run did not return after cancel")
		}
	})
}

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
