package bot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

func TestRenderEscapesEveryDynamicValue(t *testing.T) {
	evil := `<b>x</b> & a\b "q" 'a'`
	tests := []struct{ name, got, want string }{
		{"esc", esc(evil), `&lt;b&gt;x&lt;/b&gt; &amp; a\b &#34;q&#34; &#39;a&#39;`},
		{"bold", bold("a<b"), "<b>a&lt;b</b>"},
		{"ital", ital("a&b"), "<i>a&amp;b</i>"},
		{"link", link(`https://x.vn/?a=1&b="2"`, "<x>"), `<a href="https://x.vn/?a=1&amp;b=&#34;2&#34;">&lt;x&gt;</a>`},
		{"greeting", greeting(evil)[:60], "Chào &lt;b&gt;x&lt;/b&gt; &amp; a\\b &#34;q&#34; &#39;a&#39;!"[:60]},
		{"warn", warn(evil), "⚠️ " + esc(evil)},
		{"footer", answerFooter([]string{"Luật <41>"}, "26/11/2026"), "<i>📚 Nguồn: Luật &lt;41&gt;\n🗓 Kiểm tra lần cuối: 26/11/2026</i>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
			_, err := telegramtest.CheckHTML(tt.got)
			assert.NoError(t, err)
		})
	}
}

// Every fixed text the bot sends must be accepted by Telegram's HTML parser.
func TestMessagesAreValidTelegramHTML(t *testing.T) {
	for i, m := range []string{
		msgGreetingBody, msgFAQPrompt, msgHello, msgThanks, msgClarify, msgNone, msgBadButton, msgUnknownCmd,
		msgInternal, msgCancelled, msgNotText, msgMenu, msgEmptyAnswer, msgHelp, msgHotline, msgNoHandoff,
		msgDeleteAsk, msgDeleted, msgKept, msgVSIGroup, msgHIMembers, msgPensionSex, msgGroupHelp, msgMembersDontKnow, msgYearsDontKnow, msgDontKnowFree, msgThumbsDown, msgDetailsGone, msgNextRegister, msgNextBuyHI, msgPensionRules,
		msgPensionBorn, msgPensionYears, privacyText(30, 12, 90), msgNoNews, newsText([]string{"<b>x</b>"}), msgVSIIncome("1 đ", "2 đ"), msgPensionIncome("1 đ"),
	} {
		_, err := telegramtest.CheckHTML(m)
		require.NoError(t, err, "message %d: %s", i, m)
	}
}

func TestClipAndKeyboard(t *testing.T) {
	assert.Equal(t, "abc", clip("abc", 5))
	assert.Equal(t, "Thu nhậ…", clip("Thu nhập thấp nhất", 8))
	kb := keyboard([]Button{{Text: "ok", Data: "m:main"}, {Text: "forged"}}, []Button{{Text: "none"}})
	assert.Equal(t, [][]Button{{{Text: "ok", Data: "m:main"}}}, kb)
}
