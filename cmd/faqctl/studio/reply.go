package studio

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"html/template"
	"log/slog"
	"os"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// scratch is the throw-away database of the engine that draws replies: the
// real engine needs a store for chat state and the questions it records;
// none of it is the bot's.
type scratch struct {
	store     *sqlite.Store
	removeDir string // a temporary directory to remove on close
}

func openScratch(path string) (*scratch, error) {
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		return nil, fmt.Errorf("studio: scratch database: %w", err)
	}
	return &scratch{store: st}, nil
}

func (s *scratch) close() error {
	err := s.store.Close()
	if s.removeDir != "" {
		os.RemoveAll(s.removeDir)
	}
	return err
}

// faqIndex adapts *faq.Index to bot.FAQ, as cmd/bhxhbot does.
type faqIndex struct{ *faq.Index }

func (f faqIndex) Entry(id string) (*faq.Entry, bool) { return f.KB().Entry(id) }

// chatView is the bot's reply as Telegram shows it.
type chatView struct {
	ChatID   int64
	Said     string // what the person typed, or the button pressed
	Pressed  bool   // Said is a button
	Bubbles  []bubble
	Keyboard [][]string // a reply keyboard (share contact or location)
	Toast    string     // the short notice of a button press
	Err      string
	// Calc names the calculator the message started instead of a search
	// of the FAQ ("" when it went to the FAQ).
	Calc string
	// For the forms of its buttons: the page's token, day and question.
	CSRF, Day, Q string
}

// calcWords names the engine's calculator flows for staff.
var calcWords = map[string]string{
	"vsi":    "tính mức đóng BHXH tự nguyện",
	"hi":     "tính tiền BHYT hộ gia đình",
	"pen":    "tính lương hưu",
	"retire": "tính tuổi nghỉ hưu",
}

// bubble is one message: its text and the inline buttons under it.
type bubble struct {
	HTML template.HTML
	Rows [][]tgButton
}

type tgButton struct {
	Text, Data, URL string
}

// newChatID is a chat of the scratch store nobody else uses.
func newChatID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>2) + 1
}

// reply runs the real engine on the generation's content for one event as
// on day (at this time of day), and draws its reply.
func (s *Server) reply(ctx context.Context, g *generation, ev bot.Event, day time.Time) chatView {
	v := chatView{ChatID: ev.ChatID, Said: ev.Text}
	if g.ix == nil {
		v.Err = "Nội dung đang có lỗi nên bot không chạy được: xem danh sách lỗi ở trên."
		return v
	}
	at := s.at(day)
	eng, err := bot.New(bot.Config{}, bot.Deps{
		FAQ: faqIndex{g.ix}, Calc: g.calc, Store: s.scratch.store, Logger: s.log,
		Now: func() time.Time { return at },
	})
	if err != nil {
		v.Err = "Không chạy được bot: " + err.Error()
		return v
	}
	ev.UserID, ev.Private = ev.ChatID, true
	resp, err := eng.Handle(ctx, ev)
	if err != nil {
		s.log.Error("studio: engine", slog.Any("err", err))
		v.Err = "Bot gặp lỗi khi trả lời (đã ghi vào nhật ký)."
		return v
	}
	v.Toast = resp.CallbackText
	if ev.Kind == bot.KindText {
		if st, err := s.scratch.store.LoadState(ctx, ev.ChatID); err == nil {
			v.Calc = calcWords[st.Flow]                           // a step asked
			if c := st.Data.Last.Calc; v.Calc == "" && c != nil { // a result given at once
				switch {
				case c.VSI != nil:
					v.Calc = calcWords["vsi"]
				case c.HI != nil:
					v.Calc = calcWords["hi"]
				default:
					v.Calc = calcWords["pen"]
				}
			}
		}
	}
	for _, m := range resp.Messages {
		parts := telegram.SplitHTML(m.HTML, 0)
		for i, p := range parts {
			b := bubble{HTML: tgToHTML(p)}
			if i == len(parts)-1 {
				for _, row := range m.Buttons {
					var r []tgButton
					for _, bt := range row {
						r = append(r, tgButton{Text: bt.Text, Data: bt.Data, URL: bt.URL})
					}
					b.Rows = append(b.Rows, r)
				}
			}
			v.Bubbles = append(v.Bubbles, b)
		}
		for _, row := range m.Keyboard {
			var r []string
			for _, k := range row {
				r = append(r, k.Text)
			}
			v.Keyboard = append(v.Keyboard, r)
		}
	}
	return v
}

// at is the moment replies are drawn for on day: now when day is today in
// Vietnam, else 10:00 that day.
func (s *Server) at(day time.Time) time.Time {
	now := s.now().In(calc.Vietnam)
	if day.IsZero() || sameDay(day, now) {
		return now
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, calc.Vietnam)
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(calc.Vietnam), b.In(calc.Vietnam)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
