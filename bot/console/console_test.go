package console_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/console"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

var update = flag.Bool("update", false, "rewrite golden transcripts")

type faqIndex struct{ *faq.Index }

func (f faqIndex) Entry(id string) (*faq.Entry, bool) { return f.KB().Entry(id) }

// fixedNow is the day the golden transcripts were written for.
func fixedNow() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600)) }

// The index and calculator are built once; each transcript gets a fresh store.
var (
	depsOnce sync.Once
	idx      *faq.Index
	params   *calc.Params
	depsErr  error
)

func newEngine(t testing.TB) *bot.Engine {
	t.Helper()
	depsOnce.Do(func() {
		if idx, depsErr = faq.Open(content.FS()); depsErr == nil {
			params, depsErr = calc.LoadParams(content.FS())
		}
	})
	require.NoError(t, depsErr)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	e, err := bot.New(bot.Config{}, bot.Deps{FAQ: faqIndex{idx}, Calc: calc.New(params), Store: st, Now: fixedNow})
	require.NoError(t, err)
	return e
}

// Each transcript is a whole conversation typed into the console: numbers
// press buttons of the last reply, everything else is typed text.
var transcripts = []struct {
	name  string
	input []string
}{
	{"start_question_related", []string{"thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu", "1", "4", "5", "xin chao", "cam on nhe"}},
	{"vsi_pressed", []string{"2", "3", "2", "4"}},
	{"vsi_typed", []string{"/tinh", "1tr", "1", "ho can ngheo", "dong truoc 5 nam"}},
	{"vsi_direct", []string{"thu nhap 5 trieu dong bao nhieu", "thu nhập 800k thì đóng bao nhiêu"}},
	{"hi_flow", []string{"3", "4 nguoi", "12 thang", "nha 3 nguoi mua bhyt het bao nhieu"}},
	{"pension_flow", []string{"/luonghuu", "nu", "05/1995", "20 nam", "3tr", "/luonghuu", "1", "13/1990", "1990-12", "10", "1"}},
	{"back_cancel", []string{"2", "5", "5", "/bhyt", "2", "4", "/huy", "4", "4"}},
	{"privacy_delete", []string{"/baomat", "/hotline", "/daily", "/xoa", "2", "/xoa", "1"}},
	{"bad_input", []string{"/khongco", "<b>x</b> & a\\b", "/vitri 15.12 108.80", "/sdt 0912345678"}},
}

func TestTranscripts(t *testing.T) {
	for _, tc := range transcripts {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t)
			var out bytes.Buffer
			in := strings.NewReader(strings.Join(tc.input, "\n") + "\n")
			c := console.New(e, in, &out, console.Options{Echo: true})
			require.NoError(t, c.Run(context.Background()))
			golden := filepath.Join("testdata", tc.name+".txt")
			if *update {
				require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./bot/console -update to create the golden files")
			assert.Equal(t, string(want), out.String())
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<b>Đậm</b> &amp; thường", "Đậm & thường"},
		{`<a href="https://vssid.vn/?a=1&amp;b=2">VssID</a>`, "VssID (https://vssid.vn/?a=1&b=2)"},
		{"&lt;b&gt;x&lt;/b&gt;", "<b>x</b>"},
		{"<blockquote>trích</blockquote>", "│ trích"},
		{"không có thẻ", "không có thẻ"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, console.PlainText(tt.in), tt.in)
	}
}

func TestSendPrintsOtherChat(t *testing.T) {
	var out bytes.Buffer
	c := console.New(nil, strings.NewReader(""), &out, console.Options{})
	id, err := c.Send(context.Background(), bot.Message{ChatID: 42, HTML: "<b>Khách mới</b>", Buttons: [][]bot.Button{{{Text: "Nhận", Data: "h:claim:1"}}}})
	require.NoError(t, err)
	assert.Equal(t, 1, id)
	assert.Contains(t, out.String(), "tin gửi tới chat 42")
	assert.Contains(t, out.String(), "Khách mới")
	assert.Contains(t, out.String(), "[1] Nhận")
}

// recorder is a Handler that keeps the events it gets.
type recorder struct {
	mu  sync.Mutex
	evs []bot.Event
}

func (r *recorder) Handle(_ context.Context, ev bot.Event) (bot.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
	return bot.Response{CallbackText: "Đã ghi"}, nil
}

// A button of a card sent to another chat (a lead card for an agent group)
// is pressed as a member of that chat, so the agent's side can be tried.
func TestPressButtonOfOtherChat(t *testing.T) {
	var out bytes.Buffer
	h := &recorder{}
	c := console.New(h, strings.NewReader("1\n"), &out, console.Options{NoStart: true})
	_, err := c.Send(context.Background(), bot.Message{ChatID: -1000, HTML: "Phiếu #1", Buttons: [][]bot.Button{{{Text: "Nhận", Data: "h:lead:1:claim"}}}})
	require.NoError(t, err)
	require.NoError(t, c.Run(context.Background()))
	require.Len(t, h.evs, 1)
	ev := h.evs[0]
	assert.Equal(t, bot.KindButton, ev.Kind)
	assert.Equal(t, "h:lead:1:claim", ev.Data)
	assert.Equal(t, int64(-1000), ev.ChatID, "pressed in the agent's chat")
	assert.NotEqual(t, int64(1), ev.UserID, "by a staff member, not the console user")
	assert.False(t, ev.Private)
	assert.Contains(t, out.String(), "(Đã ghi)")
}

// TestRestartContinuesTheFlow: quitting the console in the middle of a
// calculation and starting it again (same database) continues the step.
func TestRestartContinuesTheFlow(t *testing.T) {
	e := newEngine(t)
	var out bytes.Buffer
	require.NoError(t, console.New(e, strings.NewReader("/tinh\n3tr\n"), &out, console.Options{Echo: true}).Run(context.Background()))
	out.Reset()
	require.NoError(t, console.New(e, strings.NewReader("ho ngheo\n"), &out, console.Options{Echo: true}).Run(context.Background()))
	assert.Contains(t, out.String(), "Nhóm: Hộ nghèo")
}

// TestDrainRunsWhenPipedInputEnds: the work queued for other chats (lead
// cards) is delivered before a piped session ends.
func TestDrainRunsWhenPipedInputEnds(t *testing.T) {
	var out bytes.Buffer
	drained := 0
	c := console.New(echoHandler{}, strings.NewReader("xin chao\n"), &out, console.Options{Echo: true, NoStart: true, Drain: func(context.Context) error {
		drained++
		return nil
	}})
	require.NoError(t, c.Run(context.Background()))
	assert.Equal(t, 1, drained)
}

// TestNumberIsTextAtANumberStep: at a step that reads a number, "7" is the
// answer, not button [7].
func TestNumberIsTextAtANumberStep(t *testing.T) {
	var out bytes.Buffer
	h := &numberHandler{}
	c := console.New(h, strings.NewReader("7\n"), &out, console.Options{}) // the greeting asks the number
	require.NoError(t, c.Run(context.Background()))
	assert.Equal(t, bot.KindText, h.last.Kind)
	assert.Equal(t, "7", h.last.Text)
}

type echoHandler struct{}

func (echoHandler) Handle(_ context.Context, ev bot.Event) (bot.Response, error) {
	return bot.Response{Messages: []bot.Message{{HTML: "ok"}}}, nil
}

type numberHandler struct{ last bot.Event }

func (h *numberHandler) Handle(_ context.Context, ev bot.Event) (bot.Response, error) {
	h.last = ev
	var row []bot.Button
	for i := 1; i <= 8; i++ {
		row = append(row, bot.Button{Text: fmt.Sprint(i), Data: "x:back"})
	}
	return bot.Response{Messages: []bot.Message{{HTML: "Mấy người?", Buttons: [][]bot.Button{row}, NumericReply: true}}}, nil
}
