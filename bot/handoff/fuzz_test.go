package handoff

import (
	"context"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"testing"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
	"github.com/bhxh-tn/bhxhbot/content"
)

// FuzzFlowTypedPlace types anything where the flow asks for a place, with
// and without a province chosen: no error, no panic, and every reply is
// Telegram HTML the Bot API accepts.
func FuzzFlowTypedPlace(f *testing.F) {
	d, err := agents.LoadDirectory(content.FS())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"thai thuy", "rach gia kien giang", "Thái Bình, Hưng Yên", "p. Trần Phú", "<b>x</b> & a", "xã", "tp", "🙂", "đặc khu Phú Quốc|An Thới;x", "1 2 3 4 5 6"} {
		f.Add(s, "")
		f.Add(s, "hung-yen")
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam)
	f.Fuzz(func(t *testing.T, text, prov string) {
		flow := NewFlow(NewService(d, newMemStore(), Config{StaffChatID: -900}), func() time.Time { return now }, nil)
		st := &bot.ChatState{ChatID: 1, UserID: 1}
		ev := bot.Event{ChatID: 1, UserID: 1, Private: true, Kind: bot.KindCommand}
		if _, err := flow.Start(context.Background(), ev, st, bot.Topic{}); err != nil {
			t.Fatal(err)
		}
		if prov != "" {
			hs(st).Province = prov
		}
		ev.Kind, ev.Text = bot.KindText, text
		r, consumed, err := flow.Handle(context.Background(), ev, st)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if consumed && len(r.Messages) == 0 {
			t.Fatalf("%q consumed without a reply", text)
		}
		for _, m := range r.Messages {
			if _, err := telegramtest.CheckHTML(m.HTML); err != nil {
				t.Fatalf("%q: reply is not Telegram HTML: %v\n%s", text, err, m.HTML)
			}
			for _, row := range m.Buttons {
				for _, b := range row {
					if len(b.Data) > 64 {
						t.Fatalf("%q: callback data over 64 bytes: %q", text, b.Data)
					}
				}
			}
		}
	})
}
