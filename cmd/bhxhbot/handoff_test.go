package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestHandoffConfig(t *testing.T) {
	c, err := parseHandoffConfig(env(map[string]string{"BHXHBOT_STAFF_CHAT": "-1001234567890", "BHXHBOT_LEAD_RETENTION_DAYS": "30", "BHXHBOT_ESCALATE_AFTER": "2h"}))
	require.NoError(t, err)
	assert.Equal(t, int64(-1001234567890), c.StaffChat)
	assert.Equal(t, 30*24*time.Hour, c.Retention)
	assert.Equal(t, 2*time.Hour, c.EscalateAfter)

	c, err = parseHandoffConfig(env(nil))
	require.NoError(t, err)
	assert.Equal(t, 90*24*time.Hour, c.Retention)
	assert.Equal(t, 4*time.Hour, c.EscalateAfter)

	_, err = parseHandoffConfig(env(map[string]string{"BHXHBOT_STAFF_CHAT": "nhom", "BHXHBOT_LEAD_RETENTION_DAYS": "0", "BHXHBOT_ESCALATE_AFTER": "4"}))
	require.Error(t, err)
	for _, name := range []string{"BHXHBOT_STAFF_CHAT", "BHXHBOT_LEAD_RETENTION_DAYS", "BHXHBOT_ESCALATE_AFTER"} {
		assert.Contains(t, err.Error(), name)
	}
}

// TestHandoffWiring runs the whole program against the fake Bot API: a
// person asks to be called back, and the program's own outbox worker
// delivers the lead card to the staff chat.
func TestHandoffWiring(t *testing.T) {
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	const user, staff = int64(601), int64(-900)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, env(map[string]string{
			"TELEGRAM_BOT_TOKEN": fake.Token,
			"TELEGRAM_API_URL":   fake.URL,
			"BHXHBOT_DB":         filepath.Join(t.TempDir(), "bot.db"),
			"BHXHBOT_ADMIN_ADDR": "off",
			"BHXHBOT_STAFF_CHAT": "-900",
		}), strings.NewReader(""), nilWriter{}, &errb)
	}()
	waitN := func(chat int64, n int) []string {
		sent, err := fake.WaitSent(chat, n, 90*time.Second)
		require.NoError(t, err, errb.String())
		return sent
	}
	press := func(prefix string) {
		msgs := fake.Messages(user)
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].ReplyMarkup == nil {
				continue
			}
			for _, row := range msgs[i].ReplyMarkup.InlineKeyboard {
				for _, b := range row {
					if strings.HasPrefix(b.CallbackData, prefix) {
						fake.PushCallback(user, b.CallbackData, msgs[i].MessageID)
						return
					}
				}
			}
		}
		t.Fatalf("no button %q", prefix)
	}
	fake.PushMessage(user, "/daily")
	waitN(user, 2)
	fake.PushMessage(user, "huyen thai thuy")
	sent := waitN(user, 3)
	assert.Contains(t, sent[2], "[MẪU] Bưu điện xã Thái Thụy")
	press("k:hyn-bd-thaithuy")
	waitN(user, 4)
	press("t:any")
	sent = waitN(user, 5)
	assert.Contains(t, sent[4], "Bảo hiểm xã hội tỉnh Hưng Yên")
	fake.PushContact(user, "0912345678", user)
	sent = waitN(user, 6)
	assert.Contains(t, sent[5], "Đã gửi yêu cầu gọi lại")

	cards := waitN(staff, 1) // the program's outbox worker (first tick after the lead)
	assert.Contains(t, cards[0], "0912 345 678")
	assert.Contains(t, cards[0], "xã Thái Thụy")
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	assert.NotContains(t, errb.String(), "0912345678", "phone numbers never in logs")
	assert.NotContains(t, errb.String(), "912 345", "phone numbers never in logs")
	assert.NotContains(t, errb.String(), "Nguyen", "names never in logs")
	assert.Contains(t, errb.String(), "lead card sent", "the outbox logged its work (redacted)")
}

type nilWriter struct{}

func (nilWriter) Write(p []byte) (int, error) { return len(p), nil }
