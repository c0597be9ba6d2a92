// Package console runs the conversation engine in a terminal, so anyone can
// try the bot without Telegram: messages are printed as plain text, buttons
// as numbers to type, and a location or contact can be typed as
// "/vitri 15.12 108.80" and "/sdt 0912345678".
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Handler is the engine as the console sees it.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) (bot.Response, error)
}

// Options tune the console.
type Options struct {
	ChatID, UserID int64  // identity of the one console user (default 1)
	Name           string // first name shown to the engine (default "bạn")
	Echo           bool   // print each input line after the prompt (for piped input and transcripts)
	NoStart        bool   // do not greet when Run begins (bot.CmdResume: greets, or asks again a step left half-done)
	// Drain, when set, runs once the input ends, before Run returns: with
	// piped input it delivers what background work queued (the lead cards
	// of the hand-off outbox), which would otherwise never show.
	Drain func(ctx context.Context) error
}

// Console is one terminal conversation. Send may be called from other
// goroutines (e.g. the hand-off outbox) while Run is reading.
type Console struct {
	h    Handler
	in   io.Reader
	opts Options

	mu      sync.Mutex
	out     io.Writer
	buttons []button // buttons of the last reply, numbered from 1, then those of cards sent to other chats
	numeric bool     // the last reply asks for a typed number: a bare number is text, not a button
	nextID  int
}

// button is a button on screen and the chat its message went to (0: the
// console user's own chat). Pressing a button of another chat (a lead card
// for an agent group) acts as a member of that chat, so the agent's side can
// be tried too.
type button struct {
	bot.Button
	chat int64
}

// staffUserID is who presses buttons of other chats in the console.
const staffUserID = 2

// New returns a console reading lines from in and writing to out.
func New(h Handler, in io.Reader, out io.Writer, opts Options) *Console {
	if opts.ChatID == 0 {
		opts.ChatID = 1
	}
	if opts.UserID == 0 {
		opts.UserID = opts.ChatID
	}
	if opts.Name == "" {
		opts.Name = "bạn"
	}
	return &Console{h: h, in: in, out: out, opts: opts}
}

const intro = "BHXH bot, chế độ thử trên máy (không cần Telegram).\n" +
	"Gõ câu hỏi rồi Enter. Gõ số để bấm nút. /vitri VĨ_ĐỘ KINH_ĐỘ gửi vị trí, /sdt SỐ gửi số điện thoại. Ctrl-D để thoát.\n"

// Run reads lines until EOF (Ctrl-D) or ctx is done. Errors: reading the
// input fails, or the engine returns an error.
func (c *Console) Run(ctx context.Context) error {
	c.write(intro)
	if !c.opts.NoStart {
		if err := c.handle(ctx, bot.Event{Kind: bot.KindCommand, Command: bot.CmdResume}); err != nil {
			return err
		}
	}
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
	}()
	for {
		c.write("\nbạn> ")
		select {
		case <-ctx.Done():
			c.write("\n")
			return nil
		case err := <-errc:
			c.write("\n")
			if err == nil && c.opts.Drain != nil {
				err = c.opts.Drain(ctx)
			}
			return err
		case line := <-lines:
			if c.opts.Echo {
				c.write(line + "\n")
			}
			ev, ok := c.event(line)
			if !ok {
				continue
			}
			if err := c.handle(ctx, ev); err != nil {
				return err
			}
		}
	}
}

// event turns a typed line into an engine event.
func (c *Console) event(line string) (bot.Event, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return bot.Event{}, false
	}
	ev := bot.Event{ChatID: c.opts.ChatID, UserID: c.opts.UserID, Private: true, FirstName: c.opts.Name}
	if n, err := strconv.Atoi(line); err == nil {
		c.mu.Lock()
		var b button
		ok := n >= 1 && n <= len(c.buttons) && !c.numeric
		if ok {
			b = c.buttons[n-1]
		}
		c.mu.Unlock()
		if ok && b.URL != "" {
			c.write("(mở liên kết: " + b.URL + ")\n")
			return bot.Event{}, false
		}
		if ok {
			ev.Kind, ev.Data, ev.CallbackID = bot.KindButton, b.Data, "console"
			if b.chat != 0 {
				ev.ChatID, ev.UserID, ev.Private, ev.FirstName = b.chat, staffUserID, false, "nhân viên"
			}
			return ev, true
		}
	}
	if strings.HasPrefix(line, "/") {
		cmd, rest, _ := strings.Cut(line[1:], " ")
		cmd, _, _ = strings.Cut(strings.ToLower(cmd), "@")
		rest = strings.TrimSpace(rest)
		switch cmd {
		case "vitri":
			f := strings.Fields(strings.ReplaceAll(rest, ",", " "))
			if len(f) == 2 {
				lat, err1 := strconv.ParseFloat(f[0], 64)
				lon, err2 := strconv.ParseFloat(f[1], 64)
				if err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
					ev.Kind, ev.Location = bot.KindLocation, &bot.Location{Lat: lat, Lon: lon}
					return ev, true
				}
			}
			c.write("Gõ vị trí như: /vitri 15.12 108.80\n")
			return bot.Event{}, false
		case "sdt":
			if rest == "" {
				c.write("Gõ số điện thoại như: /sdt 0912345678\n")
				return bot.Event{}, false
			}
			ev.Kind = bot.KindContact
			ev.Contact = &bot.Contact{Phone: rest, FirstName: c.opts.Name, UserID: c.opts.UserID}
			return ev, true
		}
		ev.Kind, ev.Command, ev.Text = bot.KindCommand, cmd, rest
		return ev, true
	}
	ev.Kind, ev.Text = bot.KindText, line
	return ev, true
}

func (c *Console) handle(ctx context.Context, ev bot.Event) error {
	if ev.ChatID == 0 {
		ev.ChatID, ev.UserID, ev.Private, ev.FirstName = c.opts.ChatID, c.opts.UserID, true, c.opts.Name
	}
	resp, err := c.h.Handle(ctx, ev)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if resp.CallbackText != "" {
		fmt.Fprintf(c.out, "(%s)\n", resp.CallbackText)
	}
	if len(resp.Messages) > 0 {
		c.buttons = nil
		c.numeric = false
	}
	for _, m := range resp.Messages {
		chat := int64(0)
		if m.ChatID != 0 && m.ChatID != c.opts.ChatID {
			chat = m.ChatID
			fmt.Fprintf(c.out, "\n── tin gửi tới chat %d ──", chat)
		}
		c.printMessage(m, chat)
	}
	return nil
}

// printMessage writes one message; its buttons are numbered and remembered
// with the chat the message went to (0: the console user's).
func (c *Console) printMessage(m bot.Message, chat int64) {
	fmt.Fprintf(c.out, "\nbot> %s\n", indent(PlainText(m.HTML)))
	if chat == 0 && m.NumericReply {
		c.numeric = true
		fmt.Fprintf(c.out, "     (gõ số là trả lời; bấm nút bằng cách gõ chữ trên nút, ví dụ \"quay lại\")\n")
	}
	for _, row := range m.Buttons {
		var cells []string
		for _, b := range row {
			c.buttons = append(c.buttons, button{b, chat})
			cells = append(cells, fmt.Sprintf("[%d] %s", len(c.buttons), b.Text))
		}
		fmt.Fprintf(c.out, "     %s\n", strings.Join(cells, "  "))
	}
	for _, row := range m.Keyboard {
		for _, k := range row {
			switch {
			case k.RequestLocation:
				fmt.Fprintf(c.out, "     [%s] gõ: /vitri VĨ_ĐỘ KINH_ĐỘ\n", k.Text)
			case k.RequestContact:
				fmt.Fprintf(c.out, "     [%s] gõ: /sdt SỐ_ĐIỆN_THOẠI\n", k.Text)
			default:
				fmt.Fprintf(c.out, "     [%s]\n", k.Text)
			}
		}
	}
}

// Send prints a message addressed to another chat (for example a lead card
// for an agent) and returns a fake message id. It implements bot.Sender.
func (c *Console) Send(_ context.Context, m bot.Message) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	fmt.Fprintf(c.out, "\n── tin gửi tới chat %d ──", m.ChatID)
	chat := m.ChatID
	if chat == c.opts.ChatID {
		chat = 0
	}
	c.printMessage(m, chat)
	return c.nextID, nil
}

func (c *Console) write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.out, s)
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n     ") }
