package studio

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestTGToHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Gọi <b>1900 9068</b>.", "Gọi <b>1900 9068</b>."},
		{"<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike>", "<b>a</b><i>b</i><u>c</u><s>d</s><s>e</s>"},
		{"&lt;b&gt;x&lt;/b&gt; &amp; a\\b", "&lt;b&gt;x&lt;/b&gt; &amp; a\\b"},
		{"a < b & c > d", "a &lt; b &amp; c &gt; d"},
		{`"quoted" 'single'`, "&#34;quoted&#34; &#39;single&#39;"},
		{"&#7893; &#x1EA1; &unknown; &#0;", "ổ ạ &amp;unknown; &amp;#0;"},
		{`<a href="https://baohiemxahoi.gov.vn/?a=1&amp;b=2">BHXH</a>`, `<a href="https://baohiemxahoi.gov.vn/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">BHXH</a>`},
		{`<a href="javascript:alert(1)">x</a>`, "<a>x</a>"},
		{`<a href=" JAVASCRIPT:alert(1)">x</a>`, "<a>x</a>"},
		{`<a href="https://x.vn/" onclick="evil()">x</a>`, `<a href="https://x.vn/" rel="noopener noreferrer" target="_blank">x</a>`},
		{`<a href="https://x.vn/&quot; onmouseover=&quot;evil()">x</a>`, "<a>x</a>"},
		{`<img src=x onerror=alert(1)>`, "&lt;img src=x onerror=alert(1)&gt;"},
		{`<script>alert(1)</script>`, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<b>open", "<b>open</b>"},
		{"<b><i>x</b>y</i>", "<b><i>x</i></b>y&lt;/i&gt;"},
		{"stray </i> end", "stray &lt;/i&gt; end"},
		{"<tg-spoiler>s</tg-spoiler> <span class=\"tg-spoiler\">t</span>", `<span class="spoiler">s</span> <span class="spoiler">t</span>`},
		{`<pre><code class="language-go">x := 1</code></pre>`, "<pre><code>x := 1</code></pre>"},
		{"<blockquote expandable>q</blockquote>", "<blockquote>q</blockquote>"},
		{"dòng 1\ndòng 2", "dòng 1\ndòng 2"},
		{"unclosed <b", "unclosed &lt;b"},
		{"bad \xff byte", "bad \uFFFD byte"},
	} {
		assert.Equal(t, tc.want, string(tgToHTML(tc.in)), tc.in)
	}
}

var (
	pageTag  = regexp.MustCompile(`<(/?)([a-z]*)([^<>]*)>`)
	okAttrs  = regexp.MustCompile(`^( class="spoiler"| href="[^"<>]*" rel="noopener noreferrer" target="_blank")?$`)
	okHref   = regexp.MustCompile(`^ href="(https?://|tg://|mailto:)`)
	okTagSet = map[string]bool{"b": true, "i": true, "u": true, "s": true, "code": true, "pre": true, "blockquote": true, "span": true, "a": true}
)

// FuzzTGToHTML: whatever the bot sends, the page gets only our tags,
// balanced, with our attributes, and text without a raw < or >.
func FuzzTGToHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", `<a href="https://a.vn">a</a>`, "<i><b>x</i>", "&lt;&#60;&amp", "<a href='javascript:x'>", "<span class=tg-spoiler>s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := string(tgToHTML(in))
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", in)
		}
		var stack []string
		for _, m := range pageTag.FindAllStringSubmatch(out, -1) {
			closing, name, attrs := m[1] == "/", m[2], m[3]
			if !okTagSet[name] {
				t.Fatalf("tag %q in %q from %q", name, out, in)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name || attrs != "" {
					t.Fatalf("unbalanced %q in %q from %q", m[0], out, in)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			if !okAttrs.MatchString(attrs) || (strings.HasPrefix(attrs, " href") && !okHref.MatchString(attrs)) {
				t.Fatalf("attributes %q in %q from %q", attrs, out, in)
			}
			stack = append(stack, name)
		}
		if len(stack) > 0 {
			t.Fatalf("unclosed %v in %q from %q", stack, out, in)
		}
		if text := pageTag.ReplaceAllString(out, ""); strings.ContainsAny(text, "<>") {
			t.Fatalf("raw < or > in the text of %q from %q", out, in)
		}
	})
}
