package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestSendRetriesAfter429(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.RateLimit("sendMessage", 1, 1)

	id, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "xin chào"})
	require.NoError(t, err)
	assert.Equal(t, 1, id)
	assert.Equal(t, []time.Duration{time.Second}, a.Waits(), "waited retry_after")
	calls := fake.Calls("sendMessage")
	require.Len(t, calls, 2)
	assert.Equal(t, 429, calls[0].Status)
	assert.Equal(t, []string{"xin chào"}, fake.Sent(5), "delivered once")
}

func TestSendGivesUpAfterRetries(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.RateLimit("sendMessage", 10, 7)

	_, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "x"})
	var ra *bot.RetryAfterError
	require.ErrorAs(t, err, &ra)
	assert.Equal(t, 7*time.Second, ra.After)
	assert.Len(t, fake.Calls("sendMessage"), defaultMaxRetries+1)
	assert.Len(t, a.Waits(), defaultMaxRetries)
}

func TestSendRetryAfterPastDeadline(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.RateLimit("sendMessage", 1, 60)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "x"})
	var ra *bot.RetryAfterError
	require.ErrorAs(t, err, &ra, "a wait past the deadline is not attempted")
	assert.Empty(t, a.Waits())
}

func TestSendRetriesServerErrors(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.ServerError("sendMessage", 2, 502)

	_, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "x"})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{serverBackoff, 2 * serverBackoff}, a.Waits())
	assert.Equal(t, []string{"x"}, fake.Sent(5))
}

func TestSendUnreachableChat(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.BlockChat(5)
	fake.ForgetChat(6)

	for _, chat := range []int64{5, 6} {
		_, err := a.Send(context.Background(), bot.Message{ChatID: chat, HTML: "x"})
		require.ErrorIs(t, err, bot.ErrForbidden)
	}
	assert.Len(t, fake.Calls("sendMessage"), 2, "not retried")
	assert.Empty(t, a.Waits())
}

func TestSendSplitsLongText(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	para := "<b>Quyền lợi</b>: " + strings.Repeat("lương hưu hằng tháng &amp; BHYT. ", 60)
	text := strings.Repeat(para+"\n\n", 8)

	last, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: text,
		Buttons:  [][]bot.Button{{{Text: "Gặp đại lý", Data: "h:agent"}}},
		Keyboard: nil,
	})
	require.NoError(t, err)
	calls := fake.Calls("sendMessage")
	require.Greater(t, len(calls), 2)
	for i, c := range calls {
		require.True(t, c.OK(), "part %d: %s", i, c.Error)
		m, err := c.Markup()
		require.NoError(t, err)
		if i == len(calls)-1 {
			require.NotNil(t, m, "buttons on the last part")
			assert.Equal(t, "h:agent", m.InlineKeyboard[0][0].CallbackData)
		} else {
			assert.Nil(t, m)
		}
	}
	assert.Equal(t, len(calls), last)
}

func TestSendKeyboards(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	_, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "Chia sẻ số điện thoại?",
		Keyboard: [][]bot.KeyButton{{{Text: "📱 Gửi số của tôi", RequestContact: true}}, {{Text: "📍 Gửi vị trí", RequestLocation: true}}}})
	require.NoError(t, err)
	_, err = a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "Cảm ơn bạn", RemoveKeyboard: true})
	require.NoError(t, err)

	calls := fake.Calls("sendMessage")
	require.Len(t, calls, 2)
	assert.JSONEq(t, `{"keyboard":[[{"text":"📱 Gửi số của tôi","request_contact":true}],[{"text":"📍 Gửi vị trí","request_location":true}]],"resize_keyboard":true,"one_time_keyboard":true}`, calls[0].Params["reply_markup"])
	assert.JSONEq(t, `{"remove_keyboard":true}`, calls[1].Params["reply_markup"])
}

func TestSendDropsBadButtons(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	_, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "x", Buttons: [][]bot.Button{
		{{Text: "quá dài", Data: strings.Repeat("x", 65)}, {Text: "được", Data: strings.Repeat("x", 64)}},
		{{Text: "", Data: "a"}},
		{{Text: "web", URL: "https://baohiemxahoi.gov.vn"}, {Text: "js", URL: "javascript:alert(1)"}},
	}})
	require.NoError(t, err)
	call := fake.Calls("sendMessage")[0]
	require.True(t, call.OK(), call.Error)
	assert.JSONEq(t, `{"inline_keyboard":[[{"text":"được","callback_data":"`+strings.Repeat("x", 64)+`"}],[{"text":"web","url":"https://baohiemxahoi.gov.vn"}]]}`, call.Params["reply_markup"])
	assert.Contains(t, a.logs.String(), "callback data over 64 bytes")
}

// TestSendMigratedGroup: a staff group that became a supergroup has a new
// id; Telegram refuses the old one with migrate_to_chat_id. That chat will
// never take a message again, so it counts as unreachable (the outbox moves
// the card on at once instead of retrying for hours), and the log names the
// new id for the operator.
func TestSendMigratedGroup(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.MigrateChat(-900, -1001234567890)

	_, err := a.Send(context.Background(), bot.Message{ChatID: -900, HTML: "thẻ"})
	require.ErrorIs(t, err, bot.ErrForbidden)
	assert.Len(t, fake.Calls("sendMessage"), 1, "not retried")
	assert.Empty(t, a.Waits())
	assert.Contains(t, a.logs.String(), "-1001234567890")
	assert.Contains(t, a.logs.String(), "supergroup")
}

// TestSendMutedGroup: a group where the bot lost the right to write refuses
// every message until an admin acts; retrying it for hours helps nobody, so
// it counts as unreachable and the outbox moves the card on.
func TestSendMutedGroup(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	fake.MuteChat(-900)

	_, err := a.Send(context.Background(), bot.Message{ChatID: -900, HTML: "thẻ"})
	require.ErrorIs(t, err, bot.ErrForbidden)
	assert.Len(t, fake.Calls("sendMessage"), 1, "not retried")
}

func TestSendEdits(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	ctx := context.Background()
	id, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "Bước 1", Buttons: [][]bot.Button{{{Text: "Tiếp", Data: "n"}}}})
	require.NoError(t, err)

	got, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "Bước 2", EditMessageID: id})
	require.NoError(t, err)
	assert.Equal(t, id, got)
	assert.Equal(t, "Bước 2", fake.Messages(5)[0].Text)
	assert.Nil(t, fake.Messages(5)[0].ReplyMarkup, "buttons removed by the edit")

	t.Run("unchanged message is left alone, not sent again", func(t *testing.T) {
		// A double tap on the same button (or a card pressed twice)
		// edits to what the message already shows: the person sees
		// it, a second copy would be a duplicate.
		got, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "Bước 2", EditMessageID: id})
		require.NoError(t, err)
		assert.Equal(t, id, got)
		assert.Len(t, fake.Messages(5), 1)
	})
	t.Run("missing message falls back to a new one", func(t *testing.T) {
		got, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "Bước 3", EditMessageID: 999})
		require.NoError(t, err)
		assert.Equal(t, 2, got)
	})
	edits := fake.Calls("editMessageText")
	require.Len(t, edits, 3)
	assert.Contains(t, edits[1].Error, "message is not modified")
	assert.Contains(t, edits[2].Error, "message to edit not found")
}

func TestSendRefusesEmpty(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	_, err := a.Send(context.Background(), bot.Message{ChatID: 5, HTML: "  \n"})
	require.Error(t, err)
	_, err = a.Send(context.Background(), bot.Message{HTML: "x"})
	require.Error(t, err)
	assert.Empty(t, fake.Calls("sendMessage"))
}

// TestTokenNeverLeaks makes every kind of failure happen and checks that
// neither errors nor logs contain the token.
func TestTokenNeverLeaks(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	ctx := context.Background()
	var errs []error
	fake.ServerError("sendMessage", defaultMaxRetries+1, 500)
	_, err := a.Send(ctx, bot.Message{ChatID: 5, HTML: "x"})
	errs = append(errs, err)
	fake.SetDown(telegramtest.CloseConn)
	_, err = a.Send(ctx, bot.Message{ChatID: 5, HTML: "x"})
	errs = append(errs, err)
	fake.SetDown(telegramtest.Up)
	_, err = a.Send(ctx, bot.Message{ChatID: 5, HTML: "<b>x"})
	errs = append(errs, err)
	a.libraryError(errors.New("Post \"" + fake.URL + "/bot" + fake.Token + "/getUpdates\": EOF"))

	_, secret, _ := strings.Cut(fake.Token, ":")
	for i, err := range errs {
		require.Error(t, err, i)
		assert.NotContains(t, err.Error(), secret, i)
	}
	assert.Contains(t, errs[2].Error(), "can't parse entities")
	assert.NotContains(t, a.logs.String(), secret)
}

func TestRedactNumbers(t *testing.T) {
	assert.Equal(t, "call <number> or <number> now, 1900 9068 ok",
		redactNumbers("call 0912 345 678 or 001203004567 now, 1900 9068 ok"))
}
