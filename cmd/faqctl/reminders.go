package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/bot/console"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// cmdReminders is "faqctl reminders stats|due": how reminders are used, and
// what would be sent at a chosen moment, without sending.
func cmdReminders(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "stats":
			return remindersStats(ctx, args[1:], stdout, stderr)
		case "due":
			return remindersDue(ctx, args[1:], stdout, stderr)
		}
		fmt.Fprintf(stderr, "faqctl reminders: không có lệnh %q\n", args[0])
	}
	fmt.Fprintln(stderr, "Cách dùng:")
	fmt.Fprintln(stderr, "  faqctl reminders stats [--since YYYY-MM-DD] [--json] [-db FILE]      nhắc đang bật; đã gửi, đã đóng, đã tắt... theo tháng")
	fmt.Fprintln(stderr, "  faqctl reminders due -at 2027-01-05T09:00 [--json] [-db FILE] [-content DIR]   tin nhắc sẽ gửi lúc đó (không gửi gì)")
	fmt.Fprintln(stderr, "  FILE: tệp SQLite hoặc URL postgres://…; mặc định $BHXHBOT_DB hoặc data/bhxhbot.db")
	return 2
}

func remindersStats(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, dbPath, sinceText := leadsFlags("reminders stats", stderr)
	asJSON := fs.Bool("json", false, "in JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	since, err := parseSince(*sinceText)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders stats:", err)
		return 2
	}
	st, err := openBotDB(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders stats:", err)
		return 1
	}
	defer st.Close()
	s, err := st.ReminderStats(ctx, since)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders stats:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			fmt.Fprintln(stderr, "faqctl reminders stats:", err)
			return 1
		}
		return 0
	}
	var on []string
	for _, k := range []bot.ReminderKind{bot.RemindPay, bot.RemindCard, bot.RemindNews} {
		line := fmt.Sprintf("%s %d", kindLabel(string(k)), s.Active[string(k)])
		if b := s.Blocked[string(k)]; b > 0 {
			line += fmt.Sprintf(" (%d tạm dừng: chat chặn bot)", b)
		}
		on = append(on, line)
	}
	fmt.Fprintln(stdout, "Đang bật: "+strings.Join(on, ", ")+".")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tháng\tloại\tbật\tđã gửi\tđã đóng/gia hạn\tnhắc lại sau\ttắt\txoá (/xoa)\tbị chặn\tbỏ lỡ\t")
	for _, m := range s.Months {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", m.Month, kindLabel(m.Kind), m.Set, m.Sent, m.Paid, m.Snoozed, m.Off, m.Deleted, m.Blocked, m.Missed)
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}

func kindLabel(k string) string {
	switch bot.ReminderKind(k) {
	case bot.RemindPay:
		return "đóng tiền"
	case bot.RemindCard:
		return "thẻ BHYT"
	case bot.RemindNews:
		return "tin mới"
	}
	return k
}

// dueLine is one line of "reminders due --json".
type dueLine struct {
	Chat     int64    `json:"chat"`
	Kind     string   `json:"kind"`
	Period   string   `json:"period"`             // pay: "10/2026–12/2026"; card: the expiry; news: the notice key
	Deadline string   `json:"deadline,omitempty"` // pay: last day to pay; card: expiry (YYYY-MM-DD)
	DaysLeft *int     `json:"days_left,omitempty"`
	Amount   *int64   `json:"amount"`    // đồng, for payments; null otherwise
	DueAt    string   `json:"due_at"`    // when it goes out (at, or within the day before -at)
	InWindow bool     `json:"in_window"` // false: outside 08:00–20:00, sent at the next 08:00
	Text     string   `json:"text"`      // the message as plain text
	Buttons  []string `json:"buttons"`
}

// parseAt reads -at: 2027-01-05T09:00, "2027-01-05 09:00" or 2027-01-05
// (09:00), in Vietnam time.
func parseAt(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), calc.Vietnam); err == nil {
			if layout == "2006-01-02" {
				t = t.Add(9 * time.Hour)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("-at %q phải có dạng 2027-01-05T09:00 (giờ Việt Nam)", s)
}

func remindersDue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reminders due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB(), dbFlagHelp)
	atText := fs.String("at", "", "thời điểm, giờ Việt Nam: 2027-01-05T09:00 (mặc định: bây giờ)")
	asJSON := fs.Bool("json", false, "mỗi dòng một đối tượng JSON")
	dir := fs.String("content", "", "thư mục nội dung (mặc định: bản nhúng)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	at := time.Now().In(calc.Vietnam)
	if *atText != "" {
		t, err := parseAt(*atText)
		if err != nil {
			fmt.Fprintln(stderr, "faqctl reminders due:", err)
			return 2
		}
		at = t
	}
	fsys, err := content.Open(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	params, err := calc.LoadParams(fsys)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	notices, err := faq.LoadNotices(fsys)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	amounts, err := faq.LoadAmounts(fsys)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	dirAgents, err := agents.LoadDirectory(fsys)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	st, err := openBotDB(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	defer st.Close()
	news := noticeFunc(func(d time.Time) []bot.Notice {
		var out []bot.Notice
		for _, n := range faq.RenderNotices(notices, amounts, d) {
			out = append(out, bot.Notice{Key: n.Key, HTML: n.HTML})
		}
		return out
	})
	sched, err := bot.NewScheduler(bot.SchedulerConfig{Owner: "faqctl"}, bot.SchedulerDeps{
		Store: st, Calc: calc.New(params), Notices: news, Agents: handoff.ReminderAgents{Dir: dirAgents, Store: st},
		Now: func() time.Time { return at },
	})
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	items, err := sched.Due(ctx, at)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	in := sched.InWindow(at)
	if err := writeDue(stdout, items, in, *asJSON); err != nil {
		fmt.Fprintln(stderr, "faqctl reminders due:", err)
		return 1
	}
	if !in {
		cfg := sched.Config()
		fmt.Fprintf(stderr, "Lúc %s là ngoài %02d:00–%02d:00: bot không gửi gì lúc đó (tin đến hạn lúc đó đi lúc %02d:00 hôm sau); trên đây là tin đã đi trong ngày trước đó.\n",
			at.Format("15:04"), cfg.From, cfg.To, cfg.From)
	}
	fmt.Fprintf(stderr, "%d tin nhắc (chưa gửi gì).\n", len(items))
	return 0
}

// noticeFunc adapts a function to bot.NoticeSource.
type noticeFunc func(d time.Time) []bot.Notice

func (f noticeFunc) Notices(d time.Time) []bot.Notice { return f(d) }

func writeDue(w io.Writer, items []bot.DueItem, inWindow, asJSON bool) error {
	enc := json.NewEncoder(w)
	for _, it := range items {
		l := dueLine{Chat: it.Reminder.ChatID, Kind: string(it.Kind), Period: it.Period, DueAt: it.DueAt.In(calc.Vietnam).Format(time.RFC3339), InWindow: inWindow,
			Text: console.PlainText(it.Message.HTML), Buttons: []string{}}
		for _, row := range it.Message.Buttons {
			for _, b := range row {
				l.Buttons = append(l.Buttons, b.Text)
			}
		}
		if !it.Deadline.IsZero() {
			l.Deadline = it.Deadline.In(calc.Vietnam).Format("2006-01-02")
			d := it.DaysLeft
			l.DaysLeft = &d
		}
		if it.Kind == bot.RemindPay {
			a := it.Amount.IntPart()
			l.Amount = &a
		}
		if asJSON {
			if err := enc.Encode(l); err != nil {
				return err
			}
			continue
		}
		head := fmt.Sprintf("── %s · chat %d · %s · %s", it.DueAt.In(calc.Vietnam).Format("02/01/2006 15:04"), l.Chat, kindLabel(l.Kind), l.Period)
		if l.Amount != nil {
			head += " · " + calc.FormatVND(it.Amount)
		}
		if _, err := fmt.Fprintf(w, "%s\n%s\n[%s]\n\n", head, l.Text, strings.Join(l.Buttons, "] [")); err != nil {
			return err
		}
	}
	return nil
}
