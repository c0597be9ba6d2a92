package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, env(map[string]string{
			"TELEGRAM_BOT_TOKEN": fake.Token,
			"TELEGRAM_API_URL":   fake.URL,
			"BHXHBOT_DB":         url,
			"BHXHBOT_ADMIN_ADDR": "off",
		}), strings.NewReader(""), io.Discard, &errb)
	}()
	id := fake.PushMessage(501, "/start")
	_, err := fake.WaitSent(501, 1, 90*time.Second)
	require.NoError(t, err, errb.String())
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	s, err := postgres.Open(context.Background(), url)
	require.NoError(t, err)
	defer s.Close()
	seen, err := s.Handled(context.Background(), id)
	require.NoError(t, err)
	assert.True(t, seen, "the update is recorded in PostgreSQL")
}
