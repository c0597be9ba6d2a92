package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestNoTokenExplainsBotFatherAndConsole(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(nil), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "@BotFather")
	assert.Contains(t, errb.String(), "go run ./cmd/bhxhbot -console")
}

func TestBadConfigNamesEachProblemAndHidesSecrets(t *testing.T) {
	const token = "123456:SECRET_TOKEN_VALUE_xyz"
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN":     token,
		"TELEGRAM_API_URL":       "localhost:8081",
		"BHXHBOT_WEBHOOK_URL":    "ftp://example.vn/hook",
		"BHXHBOT_WEBHOOK_SECRET": "has spaces!",
		"BHXHBOT_ADMIN_ADDR":     "nope",
		"BHXHBOT_LOG_FORMAT":     "xml",
	}), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	for _, want := range []string{"TELEGRAM_API_URL", "BHXHBOT_WEBHOOK_URL", "BHXHBOT_WEBHOOK_SECRET", "BHXHBOT_ADMIN_ADDR", "BHXHBOT_LOG_FORMAT"} {
		assert.Contains(t, errb.String(), want)
	}
	assert.NotContains(t, errb.String()+out.String(), "SECRET_TOKEN_VALUE")

	// Telegram delivers webhooks over HTTPS only: http:// is refused at start.
	errb.Reset()
	code = run(context.Background(), nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:AAbbCCdd", "BHXHBOT_WEBHOOK_URL": "http://bot.example.vn/tg", "BHXHBOT_WEBHOOK_SECRET": "s3cret",
	}), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "BHXHBOT_WEBHOOK_URL")

	errb.Reset()
	code = run(context.Background(), nil, env(map[string]string{"TELEGRAM_BOT_TOKEN": "not a token"}), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "does not look like a bot token")
	assert.NotContains(t, errb.String(), "not a token")
}

func TestConsoleRunsWithoutTokenOrEnv(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "bot.db")
	var out, errb bytes.Buffer
	in := strings.NewReader("thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu\n/tinh\n3tr\n")
	code := run(context.Background(), []string{"-console", "-db", db}, env(nil), in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Contains(t, s, "Chào")
	assert.Contains(t, s, "Nguồn:")
	assert.Contains(t, s, "Bạn thuộc nhóm nào?")
	assert.FileExists(t, db)
}

func TestContentFlagMustBeADirectory(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-console", "-content", filepath.Join(t.TempDir(), "nope")}, env(nil), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "-content")
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestPollingWiring runs the whole program against the fake Bot API: the
// command menu is registered, a question is answered, and SIGTERM (context
// cancel) stops it cleanly with exit code 0.
func TestPollingWiring(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	db := filepath.Join(t.TempDir(), "bot.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, env(map[string]string{
			"TELEGRAM_BOT_TOKEN": fake.Token,
			"TELEGRAM_API_URL":   fake.URL,
			"BHXHBOT_DB":         db,
			"BHXHBOT_ADMIN_ADDR": "127.0.0.1:0",
		}), strings.NewReader(""), io.Discard, &errb)
	}()
	fake.PushMessage(501, "/start")
	fake.PushMessage(501, "thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu")
	sent, err := fake.WaitSent(501, 2, 90*time.Second)
	require.NoError(t, err, errb.String())
	assert.Contains(t, sent[0], "Chào")
	assert.Contains(t, sent[1], "Nguồn:")
	assert.NotEmpty(t, fake.Commands())
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	assert.NotContains(t, errb.String(), fake.Token, "the token is never logged")
}

// TestOneBotPerDatabase: a second bot on the same database file is refused
// (then what the first left leased can be taken over at start).
func TestOneBotPerDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bot.db")
	unlock, err := sqlite.Lock(db)
	require.NoError(t, err)
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": telegramtest.DefaultToken, "TELEGRAM_API_URL": "http://127.0.0.1:1", "BHXHBOT_DB": db, "BHXHBOT_ADMIN_ADDR": "off",
	}), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "another bhxhbot")
	unlock()
	unlock2, err := sqlite.Lock(db)
	require.NoError(t, err, "free again once the first one is gone")
	unlock2()
}

// stuck is a sender that reports itself stuck or not.
type stuck bool

func (s stuck) Stuck() (bool, time.Duration) { return bool(s), 3 * time.Minute }

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestAdminServer(t *testing.T) {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	defer store.Close()
	reg := prometheus.NewRegistry()
	m, err := bot.NewMetrics(reg)
	require.NoError(t, err)
	require.NoError(t, registerStoreMetrics(reg, store, sqlite.Startup{}))
	m.Updates.WithLabelValues("text").Inc()
	now := time.Now()
	h := checks{store: store, sender: stuck(false), now: func() time.Time { return now }}
	srv := httptest.NewServer(adminHandler(reg, h))
	defer srv.Close()

	code, body := get(t, srv.URL+"/healthz")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\noutbox: empty\n", body)

	require.NoError(t, store.Commit(context.Background(), bot.Commit{At: now.Add(-90 * time.Second), Outbox: []bot.Message{{ChatID: 1, HTML: "x"}}}))
	code, body = get(t, srv.URL+"/healthz")
	assert.Equal(t, http.StatusOK, code, "replies waiting is not a fault")
	assert.Equal(t, "ok\noutbox: 1 waiting, oldest 1m30s\n", body)

	_, body = get(t, srv.URL+"/metrics")
	assert.Contains(t, body, `bhxhbot_updates_total{kind="text"} 1`)
	assert.Contains(t, body, "bhxhbot_outbox_depth 1")
	assert.Contains(t, body, "bhxhbot_store_wal_lost 0")

	t.Run("a stuck sender fails it", func(t *testing.T) {
		h := h
		h.sender = stuck(true)
		bad := httptest.NewServer(adminHandler(reg, h))
		defer bad.Close()
		code, body := get(t, bad.URL+"/healthz")
		assert.Equal(t, http.StatusServiceUnavailable, code)
		assert.Contains(t, body, "none was sent, retried or dropped for 3m0s")
	})
	t.Run("a store that cannot write fails it", func(t *testing.T) {
		require.NoError(t, store.Close())
		bad := httptest.NewServer(adminHandler(reg, h))
		defer bad.Close()
		code, body := get(t, bad.URL+"/healthz")
		assert.Equal(t, http.StatusServiceUnavailable, code)
		assert.Contains(t, body, "store: ")
	})
}

// TestSignalWhileStarting: SIGTERM (the context) while the content loads
// ends run at once.
func TestSignalWhileStarting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"-console", "-db", filepath.Join(t.TempDir(), "bot.db")}, env(nil), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 0, code)
}

// -db naming a directory (a deployment's data/ given instead of its file)
// is a setting to fix, said so at start, not "store unavailable: unable to
// open database file" as if the disk were in trouble.
func TestDatabaseDirectoryIsASettingsError(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-console", "-db", dir}, env(nil), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "must be a file path")
	assert.NotContains(t, errb.String(), "unavailable")
}
