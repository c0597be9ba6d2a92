package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestSplitHTML(t *testing.T) {
	para := strings.Repeat("a", 30)
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"empty gives no part", "", 100, nil},
		{"blank gives no part", " \n\n ", 100, nil},
		{"tags without text give no part", "<b></b>", 100, nil},
		{"short text is one trimmed part", "  <b>hi</b> &amp; bye\n", 100, []string{"<b>hi</b> &amp; bye"}},
		{"cuts at the paragraph break", para + "\n\n" + para, 40, []string{para, para}},
		{"prefers a paragraph to a later line break", "aaaaaaaaaaaaaaaaaaaaaaaaa\n\nbbbbb\nccccc", 36, []string{"aaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbb\nccccc"}},
		{"cuts at a line break", "aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc", 25, []string{"aaaaaaaaaa\nbbbbbbbbbb", "cccccccccc"}},
		{"cuts at a space", "aaaa bbbb cccc dddd", 10, []string{"aaaa bbbb", "cccc dddd"}},
		{"cuts a long word between characters", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"never cuts an entity", "aa&amp;bb", 5, []string{"aa", "&amp;", "bb"}},
		{"closes and reopens a tag", "<b>aaaa bbbb</b>", 13, []string{"<b>aaaa</b>", "<b>bbbb</b>"}},
		{"reopens with attributes", `<a href="https://x.vn">aaaa bbbb</a>`, 32, []string{`<a href="https://x.vn">aaaa</a>`, `<a href="https://x.vn">bbbb</a>`}},
		{"nested tags", "<b><i>aaa bbb</i></b>", 17, []string{"<b><i>aaa</i></b>", "<b><i>bbb</i></b>"}},
		{"emoji count two units", "😀😀😀", 4, []string{"😀😀", "😀"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitHTML(tt.in, tt.limit)
			assert.Equal(t, tt.want, got)
			for _, p := range got {
				assert.LessOrEqual(t, utf16Len(p), tt.limit, "part %q", p)
			}
		})
	}
}

// TestSplitHTMLLongAnswer splits a realistic long answer at 4096 and checks
// every part with the fake API's HTML parser.
func TestSplitHTMLLongAnswer(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		b.WriteString("<b>Mục " + strings.Repeat("x", i%7) + "</b>\nMức đóng bằng 22% thu nhập &amp; được hỗ trợ một phần. ")
		b.WriteString(`<a href="https://baohiemxahoi.gov.vn/a?b=1&amp;c=2">Nguồn</a>` + "\n")
		if i%5 == 0 {
			b.WriteString("<blockquote>Lưu ý: " + strings.Repeat("đóng đủ, đúng hạn ", 30) + "</blockquote>\n\n")
		}
	}
	in := b.String()
	_, err := telegramtest.CheckHTML(in)
	require.NoError(t, err)

	parts := SplitHTML(in, maxMessageLen)
	require.Greater(t, len(parts), 4)
	var plain strings.Builder
	for i, p := range parts {
		assert.LessOrEqual(t, utf16Len(p), maxMessageLen, "part %d", i)
		txt, err := telegramtest.CheckHTML(p)
		require.NoError(t, err, "part %d: %q", i, p)
		plain.WriteString(txt)
	}
	want, _ := telegramtest.CheckHTML(in)
	assert.Equal(t, strings.Join(strings.Fields(want), " "), strings.Join(strings.Fields(plain.String()), " "), "no text lost or added")
}

func FuzzSplitHTML(f *testing.F) {
	for _, s := range []string{"<b>a b</b>", "a\n\nb", "&amp;&lt;", "<a href=\"x\">l i n k</a>", "😀 x", "<b>", "</i>", "a<b"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 1 || limit > 5000 || !utf8.ValidString(s) {
			return
		}
		limit += 40 // room for reopened tags
		parts := SplitHTML(s, limit)
		valid := true
		if _, err := telegramtest.CheckHTML(s); err != nil {
			valid = false
		}
		for _, p := range parts {
			if valid {
				if _, err := telegramtest.CheckHTML(p); err != nil {
					t.Fatalf("valid input %q gave invalid part %q: %v", s, p, err)
				}
				if utf16Len(p) > limit && !strings.Contains(s, "<") {
					t.Fatalf("part %q over %d", p, limit)
				}
			}
		}
	})
}
