package faq

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Answers name amounts instead of typing them: {{vsi.pay floor other 12}}
// is what a person in the "others" group pays for 12 months at the lowest
// income, computed for the day the answer is read. The names are listed in
// amountSpecs (amounts.go) and documented for staff in content/README.md.
//
// {{dated 01/2021–12/2025}} marks its paragraph or list item as a dated
// example or history: amounts typed there are meant to stay as written.

// placeholder is one {{...}} in an answer body, parsed by placeholderParser.
type placeholder struct {
	ast.BaseInline
	name   string    // "vsi.pay"
	args   []string  // ["floor", "other", "12"]
	raw    string    // what was written between {{ and }}, trimmed
	offset int       // byte offset of "{{" in the body
	bad    string    // why it cannot be read (an unclosed "{{"), or ""
	at     time.Time // "@2027-01-01" after the arguments: the value of that day, not of the day read
}

// kindPlaceholder is the AST kind of a placeholder.
var kindPlaceholder = ast.NewNodeKind("Placeholder")

func (n *placeholder) Kind() ast.NodeKind { return kindPlaceholder }

func (n *placeholder) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"raw": n.raw}, nil)
}

// datedMarker is the name of the marker of dated examples.
const datedMarker = "dated"

// placeholderParser turns "{{name arg arg}}" (on one line) into a
// placeholder node; a "{{" without "}}" on its line becomes a bad one.
type placeholderParser struct{}

func (placeholderParser) Trigger() []byte { return []byte{'{'} }

func (placeholderParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("{{")) {
		return nil
	}
	end := bytes.Index(line[2:], []byte("}}"))
	if end < 0 {
		block.Advance(2)
		return &placeholder{raw: "{{", offset: seg.Start, bad: "thiếu `}}`: viết {{tên}} trọn trên một dòng"}
	}
	raw := strings.TrimSpace(string(line[2 : 2+end]))
	block.Advance(end + 4)
	n := &placeholder{raw: raw, offset: seg.Start}
	f := strings.Fields(raw)
	if len(f) == 0 {
		n.bad = "{{ }} đang trống: ghi tên một số tiền, ví dụ {{vsi.floor}}"
		return n
	}
	n.name, n.args = f[0], f[1:]
	if k := len(n.args) - 1; k >= 0 && strings.HasPrefix(n.args[k], "@") && n.name != datedMarker {
		d, err := time.Parse(time.DateOnly, n.args[k][1:])
		if err != nil {
			n.bad = fmt.Sprintf("{{%s}}: ngày %q sau @ không đúng dạng NĂM-THÁNG-NGÀY, ví dụ @2027-01-01", raw, n.args[k][1:])
		}
		n.at, n.args = d, n.args[:k]
	}
	return n
}

// placeholderExtension adds placeholders to the markdown parser. Their
// priority is above goldmark's own inline parsers, so "{{" is never taken
// as text first.
var placeholderExtension = parser.WithInlineParsers(util.Prioritized(placeholderParser{}, 90))

// templateScan is what an answer body holds for the checks: its
// placeholders and the amounts typed outside dated examples.
type templateScan struct {
	placeholders []*placeholder
	literals     []literal
}

// literal is money or a percentage typed in an answer.
type literal struct {
	text   string
	offset int // byte offset in the body
}

// literalRE finds money and percentages as staff type them: 1.500.000,
// 66.000 đồng, 1,5 triệu, 3 triệu, 500k, 22%, 4,5 %. A unit must end its
// word ("2 trường hợp" is not money): literals checks what follows.
var literalRE = regexp.MustCompile(`\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?\s?(?:%|triệu|tr|nghìn|ngàn|tỷ|đồng|k)`)

// literals returns the money and percentages typed in v.
func literals(v []byte, base int) []literal {
	var out []literal
	for _, m := range literalRE.FindAllIndex(v, -1) {
		last, _ := utf8.DecodeLastRune(v[m[0]:m[1]])
		if next, _ := utf8.DecodeRune(v[m[1]:]); unicode.IsLetter(last) && m[1] < len(v) && unicode.IsLetter(next) {
			continue // a unit that is the start of a word: "2 trường", "5 kỳ"
		}
		out = append(out, literal{text: string(v[m[0]:m[1]]), offset: base + m[0]})
	}
	return out
}

// scanTemplates walks a parsed body: every placeholder, and every literal
// amount in a paragraph or list item that has no {{dated ...}} marker.
func scanTemplates(doc ast.Node, src []byte) templateScan {
	var s templateScan
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *placeholder:
			s.placeholders = append(s.placeholders, n)
		case *ast.Text:
			if !isDated(n) {
				s.literals = append(s.literals, literals(n.Segment.Value(src), n.Segment.Start)...)
			}
		}
		return ast.WalkContinue, nil
	})
	return s
}

// isDated reports whether text is marked as a dated example: its paragraph
// or list item line carries a {{dated ...}} marker, or it is in a list whose
// introducing paragraph (the one just before the list) carries one.
func isDated(n ast.Node) bool {
	for a := n.Parent(); a != nil; a = a.Parent() {
		switch a.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if hasMarker(a) {
				return true
			}
		case *ast.List:
			if p := a.PreviousSibling(); p != nil && p.Kind() == ast.KindParagraph && hasMarker(p) {
				return true
			}
		}
	}
	return false
}

// hasMarker reports whether a block holds a {{dated ...}} marker.
func hasMarker(block ast.Node) bool {
	dated := false
	_ = ast.Walk(block, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := c.(*placeholder); ok && entering && p.name == datedMarker {
			dated = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return dated
}

// yearRE is a year in a dated marker.
var yearRE = regexp.MustCompile(`\b(19|20)\d{2}\b`)

// checkTemplates reports placeholders that cannot be read or name nothing
// known, with their file line; body starts at file line firstLine.
func checkTemplates(file string, body []byte, firstLine int, probs *Problems) {
	s := scanTemplates(parseMarkdown(body), body)
	for _, p := range s.placeholders {
		line := firstLine + bytes.Count(body[:min(p.offset, len(body))], []byte("\n"))
		switch err := p.check(); {
		case err == nil:
		case p.bad != "":
			probs.Add(file, line, "%v", err)
		default:
			probs.Add(file, line, "{{%s}}: %v", p.raw, err)
		}
	}
}

// check validates a placeholder without computing it: the name is known
// and the arguments have the right shape.
func (p *placeholder) check() error {
	switch {
	case p.bad != "":
		return fmt.Errorf("%s", p.bad)
	case p.name == datedMarker:
		if !yearRE.MatchString(strings.Join(p.args, " ")) {
			return fmt.Errorf("ghi thời gian của ví dụ, ít nhất là năm, ví dụ {{dated 01/2021–12/2025}} hoặc {{dated trước 01/7/2026}}")
		}
		return nil
	}
	spec, ok := specByName[p.name]
	if !ok {
		return fmt.Errorf("không có số tiền nào tên %q%s; các tên dùng được có trong content/README.md", p.name, suggestName(p.name))
	}
	_, err := spec.parse(p.args)
	return err
}

// suggestName proposes a known name close to an unknown one.
func suggestName(name string) string {
	best, bestD := "", 3
	for _, s := range amountSpecs {
		if d := editDistance(name, s.name); d < bestD {
			best, bestD = s.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (có phải %q?)", best)
}

// editDistance is the Levenshtein distance between two short ASCII names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
