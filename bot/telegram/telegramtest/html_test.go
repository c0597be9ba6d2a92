package telegramtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckHTML(t *testing.T) {
	accepted := []struct{ in, plain string }{
		{"plain", "plain"},
		{"<b>x</b> &amp; a\\b", "x & a\\b"},
		{"&lt;b&gt;x&lt;/b&gt; &quot;q&quot; &#65;&#x42;", `<b>x</b> "q" AB`},
		{`<a href="https://vssid.vn/?a=1&amp;b=2">link</a>`, "link"},
		{"<b><i>x</i></b><u>u</u><s>s</s><del>d</del><ins>i</ins><em>e</em><strong>s</strong><strike>k</strike>", "xusdiesk"},
		{`<pre><code class="language-go">x</code></pre>`, "x"},
		{`<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`, "st"},
		{"<blockquote expandable>q</blockquote>", "q"},
		{"Mức đóng 22% 😀", "Mức đóng 22% 😀"},
	}
	for _, tt := range accepted {
		t.Run("accepts "+tt.in, func(t *testing.T) {
			got, err := CheckHTML(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.plain, got)
		})
	}
	rejected := []struct{ in, msg string }{
		{"<b>x", `can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</b></i>", `unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"x</b>", "unexpected end tag at byte offset 1"},
		{"a<br>b", `unsupported start tag "br" at byte offset 1`},
		{"<div>x</div>", `unsupported start tag "div"`},
		{"<b>x</b> & y", "character '&' is reserved"},
		{"1 < 2", "unclosed start tag"},
		{"2 > 1", "character '>' is reserved"},
		{"&nbsp;", "unsupported HTML entity"},
		{"<a>x</a>", "must have a non-empty href"},
		{`<b class="x">x</b>`, `unsupported attribute "class"`},
		{`<span>x</span>`, `must have class "tg-spoiler"`},
		{"<code><b>x</b></code>", `not allowed inside "code"`},
		{`<a href="x"><a href="y">z</a></a>`, `nested "a"`},
		{"<b/>", "self-closing"},
		{"\xff", "UTF-8"},
	}
	for _, tt := range rejected {
		t.Run("rejects "+tt.in, func(t *testing.T) {
			_, err := CheckHTML(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func FuzzCheckHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "&amp;", `<a href="x">y</a>`, "<", "&#x;", "<pre><code class=\"language-x\">"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = CheckHTML(s) // must not panic
	})
}
