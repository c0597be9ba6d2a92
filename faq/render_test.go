package faq

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./faq -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), got)
}

func TestRenderGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/render/*.md")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			require.NoError(t, err)
			html, err := RenderHTML(string(src))
			require.NoError(t, err)
			golden(t, "render/"+name+".html.golden", html)
			assertTelegramHTML(t, html)
			txt, err := RenderText(string(src))
			require.NoError(t, err)
			golden(t, "render/"+name+".txt.golden", txt)
		})
	}
}

// telegramTags is what Telegram's HTML parse mode accepts (we emit a subset).
var telegramTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-spoiler": true}

// assertTelegramHTML checks that every tag is one Telegram accepts, tags are
// balanced, and every & starts an entity Telegram understands.
func assertTelegramHTML(t *testing.T, html string) {
	t.Helper()
	var stack []string
	for i := 0; i < len(html); i++ {
		switch html[i] {
		case '<':
			end := strings.IndexByte(html[i:], '>')
			require.Positive(t, end, "unclosed < at %d in %q", i, html)
			tag := html[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name := strings.Fields(strings.TrimPrefix(tag, "/"))[0]
			require.True(t, telegramTags[name], "tag <%s> not accepted by Telegram in %q", tag, html)
			if closing {
				require.NotEmpty(t, stack, "unbalanced </%s>", name)
				require.Equal(t, stack[len(stack)-1], name, "misnested tags in %q", html)
				stack = stack[:len(stack)-1]
			} else {
				if name == "a" {
					require.True(t, strings.HasPrefix(tag, `a href="http`) || strings.HasPrefix(tag, `a href="tg://`), "link %q", tag)
				}
				stack = append(stack, name)
			}
			i += end
		case '>':
			t.Fatalf("bare > at %d in %q", i, html)
		case '&':
			ok := false
			for _, ent := range []string{"&lt;", "&gt;", "&amp;", "&quot;"} {
				ok = ok || strings.HasPrefix(html[i:], ent)
			}
			require.True(t, ok, "bare & at %d in %q", i, html)
		}
	}
	assert.Empty(t, stack, "unclosed tags in %q", html)
}

func TestRenderEscapesUserText(t *testing.T) {
	html, err := RenderHTML(`<b>x</b> & a\b`)
	require.NoError(t, err)
	assert.Equal(t, `&lt;b&gt;x&lt;/b&gt; &amp; a\b`, html)
	assert.Equal(t, "a &lt; b &amp;&amp; &quot;c&quot;", EscapeHTML(`a < b && "c"`))
}

func TestRenderFixtureBodies(t *testing.T) {
	kb, err := Load(os.DirFS("testdata/kb"))
	require.NoError(t, err)
	for _, e := range kb.Entries() {
		html, err := RenderHTML(e.Body)
		require.NoError(t, err)
		assertTelegramHTML(t, html)
		assert.NotContains(t, html, "**")
	}
}

func FuzzRenderHTML(f *testing.F) {
	for _, s := range []string{"**a**", "<b>x</b> & a\\b", "- a\n  - b\n", "[x](https://a?b=\"c\")", "| a |\n|---|\n| b |", "```\n<\n```", "> *q*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		html, err := RenderHTML(md)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RenderText(md); err != nil {
			t.Fatal(err)
		}
		assertTelegramHTML(t, html)
	})
}
