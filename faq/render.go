package faq

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// RenderHTML renders an answer body (the markdown subset of content/faq) to
// the HTML subset Telegram accepts with parse_mode HTML: b, i, s, a href,
// code, pre and blockquote only. It walks goldmark's AST; every text node and
// attribute is escaped, so nothing in the markdown can inject markup. Lists
// become "• " and "1. " lines; links other than http(s):// and tg:// become
// plain text. Constructs validation rejects (tables, images, raw HTML) are
// shown as harmless escaped text rather than failing.
//
// Placeholders ({{vsi.floor}}) are left out: an answer is rendered for the
// day it is read with (*Amounts).RenderHTML or (*Index).AnswerHTML. The
// error is reserved for future renderers; today it is always nil.
func RenderHTML(markdown string) (string, error) {
	src := []byte(markdown)
	return renderNode(parseMarkdown(src), src, true), nil
}

// RenderText renders an answer body to plain text for a terminal (faqctl)
// and for the search index: no markup, lists as "• " / "1. " lines, links as
// "label (url)". Placeholders are left out, as in RenderHTML.
func RenderText(markdown string) (string, error) {
	src := []byte(markdown)
	return renderNode(parseMarkdown(src), src, false), nil
}

// renderer walks one parsed document; html selects Telegram HTML output;
// values holds the text of each placeholder (missing: left out).
type renderer struct {
	src    []byte
	html   bool
	values map[*placeholder]string
}

func renderNode(doc ast.Node, src []byte, html bool) string {
	return renderWith(doc, src, html, nil)
}

// renderWith renders doc with the placeholders' values.
func renderWith(doc ast.Node, src []byte, html bool, values map[*placeholder]string) string {
	r := renderer{src: src, html: html, values: values}
	return strings.TrimSpace(r.blocks(doc, "\n\n"))
}

// blocks renders the block children of n joined by sep.
func (r renderer) blocks(n ast.Node, sep string) string {
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := r.block(c); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

func (r renderer) block(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return strings.TrimSpace(r.inlines(n))
	case *ast.Heading:
		return r.wrap("b", strings.TrimSpace(r.inlines(n)))
	case *ast.List:
		return r.list(n)
	case *ast.Blockquote:
		inner := r.blocks(n, "\n")
		if r.html {
			return "<blockquote>" + inner + "</blockquote>"
		}
		return prefixLines(inner, "> ", "> ")
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(r.src))
		}
		if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
			b.Write(hb.ClosureLine.Value(r.src))
		}
		body := strings.TrimRight(b.String(), "\n")
		if _, isHTML := n.(*ast.HTMLBlock); isHTML {
			return r.esc(body)
		}
		return r.wrap("pre", r.esc(body))
	case *ast.ThematicBreak:
		return "⎯⎯⎯"
	case *extast.Table:
		var rows []string
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				cells = append(cells, strings.TrimSpace(r.inlines(cell)))
			}
			rows = append(rows, strings.Join(cells, " | "))
		}
		return strings.Join(rows, "\n")
	default:
		if n.Type() == ast.TypeBlock && n.HasChildren() && n.FirstChild().Type() == ast.TypeBlock {
			return r.blocks(n, "\n\n")
		}
		return strings.TrimSpace(r.inlines(n))
	}
}

// list renders each item as one "• " or "N. " line; the item's further
// lines (nested lists, second paragraphs) are indented under it.
func (r renderer) list(l *ast.List) string {
	var items []string
	num := l.Start
	if num == 0 {
		num = 1
	}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		marker := "• "
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		inner := r.blocks(it, "\n")
		items = append(items, prefixLines(inner, marker, "   "))
	}
	return strings.Join(items, "\n")
}

// prefixLines puts first before the first line of s and rest before the others.
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else if lines[i] != "" {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// inlines renders the inline children of n.
func (r renderer) inlines(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.WriteString(r.inline(c))
	}
	return b.String()
}

func (r renderer) inline(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Text:
		var s string
		if n.IsRaw() {
			s = string(n.Segment.Value(r.src))
		} else {
			s = unescapeMarkdown(n.Segment.Value(r.src))
		}
		s = r.esc(s)
		switch {
		case n.HardLineBreak():
			s += "\n"
		case n.SoftLineBreak():
			s += "\n"
		}
		return s
	case *ast.String:
		if n.IsCode() || n.IsRaw() {
			return r.esc(string(n.Value))
		}
		return r.esc(unescapeMarkdown(n.Value))
	case *ast.Emphasis:
		tag := "i"
		if n.Level >= 2 {
			tag = "b"
		}
		return r.wrap(tag, r.inlines(n))
	case *extast.Strikethrough:
		return r.wrap("s", r.inlines(n))
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(r.src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		return r.wrap("code", r.esc(b.String()))
	case *ast.Link:
		return r.link(string(n.Destination), r.inlines(n))
	case *ast.AutoLink:
		url := string(n.URL(r.src))
		if n.AutoLinkType != ast.AutoLinkURL {
			return r.esc(string(n.Label(r.src)))
		}
		return r.link(url, r.esc(url))
	case *ast.Image:
		return r.inlines(n)
	case *placeholder:
		return r.esc(r.values[n])
	case *ast.RawHTML:
		var b strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
		return r.esc(b.String())
	default:
		return r.inlines(n)
	}
}

// link renders a link whose label is already rendered.
func (r renderer) link(dest, label string) string {
	if !allowedScheme(dest) {
		return label
	}
	if r.html {
		return `<a href="` + escapeHTML(strings.TrimSpace(dest)) + `">` + label + "</a>"
	}
	if label == dest {
		return label
	}
	return label + " (" + dest + ")"
}

func (r renderer) wrap(tag, inner string) string {
	if !r.html || strings.TrimSpace(inner) == "" {
		return inner
	}
	return "<" + tag + ">" + inner + "</" + tag + ">"
}

func (r renderer) esc(s string) string {
	if r.html {
		return escapeHTML(s)
	}
	return s
}

// unescapeMarkdown resolves backslash escapes and HTML entities the way a
// markdown renderer would, so "\*" shows as "*" and "&amp;" as "&".
func unescapeMarkdown(b []byte) string {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return strings.ReplaceAll(string(b), "\x00", "\uFFFD")
}

// escapeHTML escapes text for Telegram HTML: &, <, > and, for attributes, ".
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `&<>"`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// EscapeHTML escapes s for Telegram's HTML parse mode. The bot uses it for
// every dynamic value it puts next to rendered answers.
func EscapeHTML(s string) string { return escapeHTML(s) }
