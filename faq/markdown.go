package faq

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// parseMarkdown parses an answer body. The table extension is enabled only
// so that tables are recognised (and rejected by checkBody) instead of being
// shown as lines full of pipes.
func parseMarkdown(src []byte) ast.Node {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough), goldmark.WithParserOptions(placeholderExtension))
	return md.Parser().Parse(text.NewReader(src))
}

// allowedScheme reports whether a link target can be shown in Telegram.
func allowedScheme(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	return strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "tg://")
}

// checkBody reports markdown the renderer cannot show in Telegram, with the
// file line of each construct, and a body too long for one message.
func checkBody(file string, body []byte, firstLine int, probs *Problems) {
	if len(bytes.TrimSpace(body)) == 0 {
		probs.Add(file, firstLine, "phần trả lời (sau dòng ---) đang trống")
		return
	}
	doc := parseMarkdown(body)
	lineOf := func(n ast.Node) int { return firstLine + lineIndex(n, body) }
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			probs.Add(file, lineOf(n), "không dùng tiêu đề (#) trong câu trả lời; hãy viết **chữ đậm** thay thế")
		case *extast.Table:
			probs.Add(file, lineOf(n), "Telegram không hiển thị được bảng; hãy dùng danh sách gạch đầu dòng")
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			probs.Add(file, lineOf(n), "Telegram không hiển thị được hình ảnh trong câu trả lời; hãy bỏ ![...](...)")
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			probs.Add(file, lineOf(n), "không dùng thẻ HTML (<...>) trong câu trả lời; chỉ dùng **đậm**, *nghiêng*, danh sách, liên kết")
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			probs.Add(file, lineOf(n), "không dùng khối mã (``` hoặc dòng thụt vào 4 dấu cách); hãy viết thành đoạn văn")
			return ast.WalkSkipChildren, nil
		case *ast.Blockquote:
			probs.Add(file, lineOf(n), "không dùng trích dẫn (>) trong câu trả lời")
		case *ast.ThematicBreak:
			probs.Add(file, lineOf(n), "không dùng đường kẻ ngang (---, ***) trong câu trả lời")
		case *ast.Link:
			if !allowedScheme(string(n.Destination)) {
				probs.Add(file, lineOf(n), "liên kết %q phải bắt đầu bằng https:// (hoặc http://, tg://)", string(n.Destination))
			}
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL || !allowedScheme(string(n.URL(body))) {
				probs.Add(file, lineOf(n), "liên kết %q phải bắt đầu bằng https:// (hoặc http://, tg://)", string(n.URL(body)))
			}
		}
		return ast.WalkContinue, nil
	})
	html := renderNode(doc, body, true)
	if n := utf8.RuneCountInString(html); n > MaxRenderedChars {
		probs.Add(file, firstLine, "câu trả lời quá dài cho một tin nhắn Telegram: %d ký tự sau khi hiển thị, tối đa %d; hãy viết ngắn lại", n, MaxRenderedChars)
	}
}

// lineIndex returns the 0-based line of node n inside src, looking at the
// node itself, then its descendants, then its ancestors.
func lineIndex(n ast.Node, src []byte) int {
	off := nodeOffset(n)
	for p := n.Parent(); off < 0 && p != nil; p = p.Parent() {
		off = nodeOffset(p)
	}
	if off < 0 {
		return 0
	}
	if off > len(src) {
		off = len(src)
	}
	return bytes.Count(src[:off], []byte("\n"))
}

func nodeOffset(n ast.Node) int {
	switch v := n.(type) {
	case *ast.RawHTML:
		if v.Segments != nil && v.Segments.Len() > 0 {
			return v.Segments.At(0).Start
		}
	case *ast.Text:
		return v.Segment.Start
	}
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			if _, fenced := n.(*ast.FencedCodeBlock); fenced {
				// Lines hold the code; point at the opening fence above it.
				return max(l.At(0).Start-1, 0)
			}
			return l.At(0).Start
		}
	}
	if p := n.Pos(); p >= 0 {
		return p
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off := nodeOffset(c); off >= 0 {
			return off
		}
	}
	return -1
}
