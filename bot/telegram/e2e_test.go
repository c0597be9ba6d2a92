package telegram_test

// End-to-end: the real conversation engine (bot.Engine) with the real FAQ
// index, calculator and SQLite store in a temp dir, behind the real Telegram
// adapter, talking to the fake Bot API through both the long-polling and the
// webhook paths. Conversations are driven by button labels as a person sees
// them, and every wait is on a condition, never a sleep.

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

const e2eWait = 60 * time.Second

// e2eNow is a fixed clock: results depend on the legal parameters in force.
var e2eNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// faqIndex adapts *faq.Index to bot.FAQ (as cmd/bhxhbot does).
type faqIndex struct{ *faq.Index }

func (f faqIndex) Entry(id string) (*faq.Entry, bool) { return f.KB().Entry(id) }

var shared struct {
	once   sync.Once
	idx    *faq.Index
	params *calc.Params
	err    error
}

// knowledge builds the FAQ index and loads the rates once per test binary.
func knowledge(t testing.TB) (*faq.Index, *calc.Params) {
	shared.once.Do(func() {
		shared.idx, shared.err = faq.Open(content.FS())
		if shared.err == nil {
			shared.params, shared.err = calc.LoadParams(content.FS())
		}
	})
	require.NoError(t, shared.err)
	return shared.idx, shared.params
}

// engine is the real engine on a fresh SQLite store, queueing its replies
// in the store's outbox as cmd/bhxhbot runs it.
func engine(t testing.TB) (*bot.Engine, *sqlite.Store) {
	idx, params := knowledge(t)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	e, err := bot.New(bot.Config{QueueReplies: true}, bot.Deps{
		FAQ: faqIndex{idx}, Calc: calc.New(params), Store: store,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return e2eNow },
	})
	require.NoError(t, err)
	return e, store
}

// startBot runs the adapter on the fake in the given mode until the test ends.
func startBot(t *testing.T, fake *telegramtest.Server, h telegram.Handler, out telegram.Outbox, webhook bool) {
	cfg := telegram.Config{Token: fake.Token, APIURL: fake.URL, Commands: bot.Commands(), Workers: 4, Outbox: out}
	if webhook {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		cfg.WebhookURL, cfg.WebhookSecret, cfg.ListenAddr = "http://"+addr+"/telegram", "e2e-secret", addr
	}
	a, err := telegram.New(cfg, h)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	if webhook {
		require.NoError(t, fake.WaitUntil(e2eWait, func() bool { u, _ := fake.Webhook(); return u != "" }))
	}
}

// person is one user chatting with the bot.
type person struct {
	t       *testing.T
	fake    *telegramtest.Server
	chat    int64
	mark    int // calls to this chat already looked at
	presses int // buttons pressed (each must be acknowledged)
}

type output struct {
	method string
	html   string
	plain  string
	msgID  int
}

// outputs are the accepted sendMessage and editMessageText calls to p's chat.
func (p *person) outputs() []output {
	var out []output
	for _, c := range p.fake.Calls("") {
		if (c.Method != "sendMessage" && c.Method != "editMessageText") || c.ChatID() != p.chat {
			continue
		}
		plain, _ := telegramtest.CheckHTML(c.Text())
		var id int
		fmt.Sscan(c.Params["message_id"], &id)
		out = append(out, output{method: c.Method, html: c.Text(), plain: plain, msgID: id})
	}
	return out
}

// expect waits for a new message (or edit) containing want and returns it.
func (p *person) expect(want string) output {
	p.t.Helper()
	var got output
	var seen []string
	err := p.fake.WaitUntil(e2eWait, func() bool {
		outs := p.outputs()
		seen = seen[:0]
		for i := p.mark; i < len(outs); i++ {
			seen = append(seen, outs[i].plain)
			if strings.Contains(outs[i].plain, want) {
				got, p.mark = outs[i], i+1
				return true
			}
		}
		return false
	})
	require.NoError(p.t, err, "waiting for %q; new messages: %q", want, seen)
	return got
}

func (p *person) say(text string) { p.fake.PushMessage(p.chat, text) }

// press finds the newest bot message in the chat with a button whose label
// contains label, presses it and returns the full label.
func (p *person) press(label string) string {
	p.t.Helper()
	msgs := p.fake.Messages(p.chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].ReplyMarkup == nil {
			continue
		}
		for _, row := range msgs[i].ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) && b.CallbackData != "" {
					p.presses++
					p.fake.PushCallback(p.chat, b.CallbackData, msgs[i].MessageID)
					return b.Text
				}
			}
		}
	}
	require.Failf(p.t, "no button", "no button %q in chat %d", label, p.chat)
	return ""
}

// pressData presses a button with arbitrary (forged) data under the newest message.
func (p *person) pressData(data string) {
	msgs := p.fake.Messages(p.chat)
	p.presses++
	p.fake.PushCallback(p.chat, data, msgs[len(msgs)-1].MessageID)
}

// finish checks what must hold after any conversation: every call accepted
// by the fake (valid HTML, sizes, keyboards) and every press acknowledged.
func (p *person) finish() {
	p.t.Helper()
	require.NoError(p.t, p.fake.WaitUntil(e2eWait, func() bool {
		n := 0
		for _, c := range p.fake.Calls("answerCallbackQuery") {
			if c.OK() {
				n++
			}
		}
		return n >= p.presses
	}), "every button press acknowledged")
	for _, c := range p.fake.Calls("") {
		assert.True(p.t, c.OK(), "%s rejected: %s (%q)", c.Method, c.Error, c.Params["text"])
	}
}

func TestEngineEndToEnd(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			fake := telegramtest.New(t)
			e, store := engine(t)
			startBot(t, fake, e, store, mode == "webhook")
			p := &person{t: t, fake: fake, chat: 4242}

			t.Run("start with a deep-link payload", func(t *testing.T) {
				p.t = t
				p.say("/start ref_e2e")
				out := p.expect("không bao giờ hỏi số CCCD")
				assert.True(t, strings.HasPrefix(out.plain, "Chào"), out.plain)
				assert.NotEmpty(t, fake.Commands(), "command menu registered")
			})

			t.Run("a question and a related-question button", func(t *testing.T) {
				p.t = t
				p.say("thu nhap thap nhat de dong bhxh tu nguyen")
				out := p.expect("")
				if strings.HasPrefix(out.plain, "Bạn muốn hỏi") {
					// The search may ask which question was meant:
					// take its first suggestion.
					title := p.press("")
					out = p.expect(title)
				}
				assert.Contains(t, out.plain, "Nguồn", "an answer with its source")
				title := p.press("➡️")
				title = strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(title, "➡️")), "…")
				p.expect(title)
			})

			t.Run("VSI calculator, pressed income, typed group", func(t *testing.T) {
				p.t = t
				p.say("/tinh")
				p.expect("thu nhập bao nhiêu")
				p.press("3 triệu")
				p.expect("Bạn thuộc nhóm nào")
				p.say("ho can ngheo")
				out := p.expect("BHXH tự nguyện, thu nhập 3.000.000 đ")
				assert.Contains(t, out.plain, "Hằng tháng: 528.000 đ")
				assert.Contains(t, out.plain, "12 tháng: 6.336.000 đ")
			})

			t.Run("VSI calculator, typed income, pressed group", func(t *testing.T) {
				p.t = t
				p.press("Tính lại")
				p.expect("thu nhập bao nhiêu")
				p.say("3tr")
				p.expect("Bạn thuộc nhóm nào")
				p.press("Hộ cận nghèo")
				out := p.expect("BHXH tự nguyện, thu nhập 3.000.000 đ")
				assert.Contains(t, out.plain, "Hằng tháng: 528.000 đ")
			})

			t.Run("user input comes back escaped", func(t *testing.T) {
				p.t = t
				p.say(`<b>x</b> & a\b`)
				require.NoError(t, fake.WaitUntil(e2eWait, func() bool { return len(p.outputs()) > p.mark }))
				for _, o := range p.outputs()[p.mark:] {
					_, err := telegramtest.CheckHTML(o.html)
					require.NoError(t, err)
					assert.NotContains(t, o.html, "<b>x</b>", "user text never becomes markup")
				}
				p.mark = len(p.outputs())
			})

			t.Run("forged callback data is answered calmly", func(t *testing.T) {
				p.t = t
				before := len(p.outputs())
				for _, data := range []string{"c:vsi:zz:<script>", strings.Repeat("z", 64), "a:../../etc", "m:nope", "\x00\x01"} {
					p.pressData(data)
				}
				p.say("xin chao")
				p.expect("Chào")
				for _, o := range p.outputs()[before:] {
					assert.NotContains(t, o.plain, "Đã xóa", "a forged delete never deletes")
				}
			})

			t.Run("a redelivered update is answered once", func(t *testing.T) {
				p.t = t
				u := telegramtest.Update{UpdateID: 900001, Message: fake.IncomingMessage(p.chat, "cam on nhe")}
				if mode == "polling" {
					fake.PushUpdates(u, u) // one batch carrying the same update twice
				} else {
					fake.PushUpdate(u)
					fake.PushUpdate(u)
				}
				p.say("/hotline")
				p.expect("1900 9068")
				thanks := 0
				for _, o := range p.outputs() {
					if strings.Contains(o.plain, "Không có gì") {
						thanks++
					}
				}
				assert.Equal(t, 1, thanks)
			})

			t.Run("xoa deletes after confirmation", func(t *testing.T) {
				p.t = t
				p.say("/xoa")
				p.expect("xóa mọi dữ liệu")
				p.press("Xóa hết")
				p.expect("Đã xóa hết dữ liệu")
			})

			p.t = t
			p.finish()
		})
	}
}

// BenchmarkWebhookEngine: updates per second through the webhook handler,
// the worker pool, the real engine (FAQ search, SQLite state, dedup) and the
// fake API's checks, one question per distinct chat.
func BenchmarkWebhookEngine(b *testing.B) {
	e, store := engine(b)
	telegram.BenchWebhook(b, e, store, 1)
}

// TestEngineBurst: many chats at once through long polling with the real
// engine (run it with -race): every update answered, in order per chat, and
// every reply accepted by the fake.
func TestEngineBurst(t *testing.T) {
	const chats = 30
	steps := []struct{ say, want string }{
		{"/start", "không bao giờ hỏi số CCCD"},
		{"/hotline", "1900 9068"},
		{"/tinh", "thu nhập bao nhiêu"},
		{"/huy", ""},
	}
	fake := telegramtest.New(t)
	e, store := engine(t)
	startBot(t, fake, e, store, false)
	var us []telegramtest.Update
	for _, s := range steps {
		for c := range chats {
			us = append(us, telegramtest.Update{Message: fake.IncomingMessage(int64(7000+c), s.say)})
		}
	}
	fake.PushUpdates(us...)
	require.NoError(t, fake.WaitUntil(e2eWait, func() bool {
		for c := range chats {
			if len(fake.Sent(int64(7000+c))) < len(steps) {
				return false
			}
		}
		return true
	}))
	for c := range chats {
		sent := fake.Sent(int64(7000 + c))
		for i, s := range steps {
			plain, err := telegramtest.CheckHTML(sent[i])
			require.NoError(t, err)
			assert.Contains(t, plain, s.want, "chat %d step %d", 7000+c, i)
		}
	}
	for _, c := range fake.Calls("") {
		assert.True(t, c.OK(), "%s: %s", c.Method, c.Error)
	}
}
