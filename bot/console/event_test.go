package console

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/bhxh-tn/bhxhbot/bot"
)

func TestEventFromLine(t *testing.T) {
	c := New(nil, nil, io.Discard, Options{})
	c.buttons = []button{{Button: bot.Button{Text: "Hỏi đáp", Data: "m:faq"}}, {Button: bot.Button{Text: "Web", URL: "https://x.vn"}}}
	tests := []struct {
		line string
		want bot.Event
		ok   bool
	}{
		{"1", bot.Event{Kind: bot.KindButton, Data: "m:faq", CallbackID: "console"}, true},
		{"3", bot.Event{Kind: bot.KindText, Text: "3"}, true},
		{"/start qr_1", bot.Event{Kind: bot.KindCommand, Command: "start", Text: "qr_1"}, true},
		{"/Tinh@bhxh_bot", bot.Event{Kind: bot.KindCommand, Command: "tinh"}, true},
		{"/vitri 15.12 108.80", bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 15.12, Lon: 108.8}}, true},
		{"/vitri 15.12, 108.80", bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 15.12, Lon: 108.8}}, true},
		{"/sdt 0912345678", bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "bạn", UserID: 1}}, true},
		{"  hỏi gì đó ", bot.Event{Kind: bot.KindText, Text: "hỏi gì đó"}, true},
		{"", bot.Event{}, false},
		{"/vitri abc", bot.Event{}, false},
		{"/vitri 95 10", bot.Event{}, false},
	}
	for _, tt := range tests {
		got, ok := c.event(tt.line)
		assert.Equal(t, tt.ok, ok, tt.line)
		if ok {
			tt.want.ChatID, tt.want.UserID, tt.want.Private, tt.want.FirstName = 1, 1, true, "bạn"
			assert.Equal(t, tt.want, got, tt.line)
		}
	}
}

func FuzzEventFromLine(f *testing.F) {
	for _, s := range []string{"1", "/vitri 1 2", "/sdt", "/", "//", "/x y z", "\xff", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c := New(nil, nil, io.Discard, Options{})
		c.buttons = []button{{Button: bot.Button{Text: "a", Data: "m:main"}}}
		ev, ok := c.event(line)
		if ok && ev.Kind == "" {
			t.Fatalf("event without kind for %q", line)
		}
		_ = PlainText(line)
	})
}
