package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestDatabaseURLCheckedAndNeverLogged(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:AAbbCCdd", "BHXHBOT_DB": "postgres://bhxh:hunter2-secret@/",
	}), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "BHXHBOT_DB")
	assert.NotContains(t, errb.String(), "hunter2-secret")

	c, err := parseConfig([]string{"-db", "postgres://bhxh:hunter2-secret@db.example.vn:5432/bhxh"}, env(map[string]string{"TELEGRAM_BOT_TOKEN": "123456:AAbbCCdd"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "postgres://bhxh:hunter2-secret@db.example.vn:5432/bhxh", c.DB, "-db takes a URL")
	assert.Equal(t, "postgres://bhxh:xxxxx@db.example.vn:5432/bhxh", redactDB(c.DB))
	assert.NotContains(t, c.LogValue().String(), "hunter2-secret", "the effective configuration is logged without the password")
}

// TestPostgresWiring runs the whole program on PostgreSQL (BHXHBOT_DB is a
// URL) against the fake Bot API: a question is answered, and what the bot
// stored is in the database.
func TestPostgresWiring(t *testing.T) {
	url := pgtest.URL(t)
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	stop, logs := startTelegram(t, fake, map[string]string{"BHXHBOT_DB": url, "BHXHBOT_ADMIN_ADDR": "off"})
	id := fake.PushMessage(501, "/start")
	_, err := fake.WaitSent(501, 1, 90*time.Second)
	require.NoError(t, err, logs.String())
	assert.Equal(t, 0, stop(), logs.String())
	s, err := postgres.Open(context.Background(), url)
	require.NoError(t, err)
	defer s.Close()
	seen, err := s.Handled(context.Background(), id)
	require.NoError(t, err)
	assert.True(t, seen, "the update is recorded in PostgreSQL")
}

// startTelegram runs the bot against fake with the environment vars (plus
// the fake's token, and its URL unless vars has one) until stop, which
// returns its exit code.
func startTelegram(t *testing.T, fake *telegramtest.Server, vars map[string]string) (stop func() int, logs *syncBuffer) {
	t.Helper()
	vars["TELEGRAM_BOT_TOKEN"] = fake.Token
	if vars["TELEGRAM_API_URL"] == "" {
		vars["TELEGRAM_API_URL"] = fake.URL
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, env(vars), strings.NewReader(""), io.Discard, logs) }()
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("run did not stop after cancel")
			return -1
		}
	}
	t.Cleanup(func() { cancel() })
	return stop, logs
}

// The console pointed at the Telegram bot's database (the same default
// file, or BHXHBOT_DB still exported from the PostgreSQL recipe) used to
// deliver what waited for Telegram into the terminal: call-back cards with
// people's names and phones, replies for other chats, all marked sent. It
// is now refused before it writes anything; the bot's database keeps its
// queue.
func TestConsoleRefusesTheTelegramBotsDatabase(t *testing.T) {
	for _, c := range []struct{ name, db string }{
		{"sqlite", filepath.Join(t.TempDir(), "bot.db")},
		{"postgres", "postgres"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := c.db
			if db == "postgres" {
				db = pgtest.URL(t)
			}
			fake := telegramtest.New(t)
			fake.PollWait = 100 * time.Millisecond
			stop, logs := startTelegram(t, fake, map[string]string{"BHXHBOT_DB": db, "BHXHBOT_ADMIN_ADDR": "off"})
			fake.PushMessage(501, "/start")
			_, err := fake.WaitSent(501, 1, 90*time.Second)
			require.NoError(t, err, logs.String())
			require.Equal(t, 0, stop(), logs.String())

			// A reply still waiting for Telegram (Telegram was down at the stop).
			s, _, err := openStore(context.Background(), db, false, slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			require.NoError(t, s.Commit(context.Background(), bot.Commit{At: time.Now(), Outbox: []bot.Message{{ChatID: 777, HTML: "chờ Telegram"}}}))
			require.NoError(t, s.Close())

			var out, cerr bytes.Buffer
			code := run(context.Background(), []string{"-console", "-db", db}, env(nil), strings.NewReader("chào\n"), &out, &cerr)
			assert.Equal(t, 1, code)
			assert.Contains(t, cerr.String(), "-console -db data/console.db")
			assert.NotContains(t, out.String(), "chờ Telegram")

			s, _, err = openStore(context.Background(), db, false, slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			defer s.Close()
			st, err := s.OutboxStats(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 1, st.Depth, "the reply still waits for Telegram")
		})
	}
}

// A file of the console's own works as before, however often it is used.
func TestConsoleOnItsOwnDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "console.db")
	for range 2 {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"-console", "-db", db}, env(nil), strings.NewReader("chào\n"), &out, &errb)
		require.Equal(t, 0, code, errb.String())
		assert.Contains(t, out.String(), "Chào")
	}
}

// A console running on a file holds it as a bot does: the Telegram bot
// started on it meanwhile is refused (else the console's sender would take
// its replies).
func TestConsoleHoldsItsFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bot.db")
	in, w := io.Pipe()
	var out syncBuffer
	var cerr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), []string{"-console", "-db", db}, env(nil), in, &out, &cerr) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "Chào") }, 90*time.Second, 20*time.Millisecond, "the console started")

	var errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a bot that started would run on
	defer cancel()
	code := run(ctx, nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": telegramtest.DefaultToken, "TELEGRAM_API_URL": "http://127.0.0.1:1", "BHXHBOT_DB": db, "BHXHBOT_ADMIN_ADDR": "off",
	}), strings.NewReader(""), io.Discard, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "another bhxhbot")
	w.Close() // Ctrl-D
	assert.Equal(t, 0, <-done, cerr.String())
}

// The Bot API URL is logged, so it must not carry secrets: one pasted
// whole with the token (https://api.telegram.org/bot<token>) is refused
// without printing the token; a password in it is masked in every log line.
func TestAPIURLSecretsNeverLogged(t *testing.T) {
	const token = "123456789:AAsecretTOKENvalue"
	for _, apiURL := range []string{"https://api.telegram.org/bot" + token, "https://api.telegram.org/bot" + token + "/", "http://127.0.0.1:8081/bot987654:XYZother"} {
		var out, errb bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a bot that started would run on
		code := run(ctx, nil, env(map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": apiURL,
			"BHXHBOT_DB": filepath.Join(t.TempDir(), "bot.db"), "BHXHBOT_ADMIN_ADDR": "off"}), strings.NewReader(""), &out, &errb)
		cancel()
		assert.Equal(t, 2, code, apiURL)
		assert.Contains(t, errb.String(), "holds a bot token", apiURL)
		assert.NotContains(t, errb.String(), "AAsecret", apiURL)
		assert.NotContains(t, errb.String(), "XYZother", apiURL)
	}

	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	withPassword := strings.Replace(fake.URL, "://", "://proxyuser:proxy-s3cret@", 1)
	stop, logs := startTelegram(t, fake, map[string]string{"TELEGRAM_API_URL": withPassword, "BHXHBOT_DB": filepath.Join(t.TempDir(), "bot.db"), "BHXHBOT_ADMIN_ADDR": "off"})
	fake.PushMessage(501, "/start")
	_, err := fake.WaitSent(501, 1, 90*time.Second)
	require.NoError(t, err, logs.String())
	require.Equal(t, 0, stop(), logs.String())
	assert.Contains(t, logs.String(), "proxyuser", "the URL is logged")
	assert.NotContains(t, logs.String(), "proxy-s3cret")

	// A webhook whose secret path is the token (as some guides advise).
	stop, logs = startTelegram(t, fake, map[string]string{"BHXHBOT_DB": filepath.Join(t.TempDir(), "bot.db"), "BHXHBOT_ADMIN_ADDR": "off",
		"BHXHBOT_WEBHOOK_URL": "https://bot.example.vn/hook/" + fake.Token, "BHXHBOT_WEBHOOK_SECRET": "s3cret-header", "BHXHBOT_LISTEN_ADDR": "127.0.0.1:0"})
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `"telegram: webhook"`) }, 90*time.Second, 20*time.Millisecond, "webhook mode started")
	require.Equal(t, 0, stop(), logs.String())
	assert.Contains(t, logs.String(), "bot.example.vn/hook/")
	assert.NotContains(t, logs.String(), fake.Token)
	assert.NotContains(t, logs.String(), "s3cret-header")
}
