package faq

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/content"
	"gopkg.in/yaml.v3"
)

// NoticesFile holds the short notices staff write for everyone: the bot
// shows those in force under its greeting and in /tintuc.
const NoticesFile = "notices.yaml"

// MaxNoticeChars is the longest notice once rendered: a few lines on a phone.
const MaxNoticeChars = 400

// Notice is one staff notice, shown from From to Until (both inclusive,
// calendar days in Vietnam).
type Notice struct {
	From, Until time.Time
	Text        string // markdown subset of answers; may name amounts ({{vsi.floor}})
	Line        int    // line of the notice in notices.yaml
	textLine    int
}

// Active reports whether the notice is shown on day d.
func (n Notice) Active(d time.Time) bool {
	d = day(d)
	return !d.Before(n.From) && !d.After(n.Until)
}

// LoadNotices reads notices.yaml at the content root: a list `notices:` of
// {from, until, text}. A missing file is no notices. Problems (bad dates,
// until before from, empty or unusable text, unknown fields, bad
// placeholders) are returned together as *Problems with their line.
func LoadNotices(fsys fs.FS) ([]Notice, error) {
	src, err := fs.ReadFile(fsys, NoticesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	probs := &Problems{}
	if err != nil {
		probs.Add(NoticesFile, 0, "không đọc được tệp: %v", err)
		return nil, probs.Err()
	}
	content.CheckControl(NoticesFile, src, probs)
	root, ok := parseYAML(NoticesFile, src, 1, probs)
	if !ok {
		return nil, probs.Err()
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value == "notices" {
			list = root.Content[i+1]
		} else {
			probs.Add(NoticesFile, k.Line, "mục %q không dùng được; tệp chỉ có một danh sách `notices:`", k.Value)
		}
	}
	if list == nil || (list.Kind != yaml.SequenceNode && list.Tag != "!!null") {
		probs.Add(NoticesFile, root.Line, "cần một danh sách `notices:`, mỗi thông báo có from, until, text")
		return nil, probs.Err()
	}
	var out []Notice
	for _, it := range list.Content {
		if n, ok := parseNotice(it, probs); ok {
			out = append(out, n)
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseNotice(it *yaml.Node, probs *Problems) (Notice, bool) {
	n := Notice{Line: it.Line}
	if it.Kind != yaml.MappingNode {
		probs.Add(NoticesFile, it.Line, "mỗi thông báo cần from, until, text")
		return n, false
	}
	good := true
	seen := map[string]bool{}
	for i := 0; i+1 < len(it.Content); i += 2 {
		k, v := it.Content[i], it.Content[i+1]
		seen[k.Value] = true
		switch k.Value {
		case "from", "until":
			d, err := time.Parse(dateLayout, strings.TrimSpace(v.Value))
			if err != nil || v.Kind != yaml.ScalarNode {
				probs.Add(NoticesFile, v.Line, "%s: ngày %q không đúng dạng NĂM-THÁNG-NGÀY, ví dụ 2027-01-31", k.Value, v.Value)
				good = false
			} else if k.Value == "from" {
				n.From = d
			} else {
				n.Until = d
			}
		case "text":
			n.Text, n.textLine = strings.TrimSpace(v.Value), v.Line
			if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				n.textLine++ // the text starts on the line after "text: |"
			}
		default:
			probs.Add(NoticesFile, k.Line, "trường %q không dùng được (các trường: from, until, text)", k.Value)
			good = false
		}
	}
	for _, f := range []string{"from", "until", "text"} {
		if !seen[f] {
			probs.Add(NoticesFile, it.Line, "thông báo thiếu %q (ngày hết hạn `until` là bắt buộc: thông báo cũ không được ở lại mãi)", f)
			good = false
		}
	}
	if !good {
		return n, false
	}
	switch {
	case n.Until.Before(n.From):
		probs.Add(NoticesFile, it.Line, "until %s trước from %s", n.Until.Format(dateLayout), n.From.Format(dateLayout))
		return n, false
	case n.Text == "":
		probs.Add(NoticesFile, n.textLine, "text đang trống")
		return n, false
	}
	before := len(probs.List)
	checkBody(NoticesFile, []byte(n.Text), n.textLine, probs)
	checkTemplates(NoticesFile, []byte(n.Text), n.textLine, probs)
	if html, _ := RenderHTML(n.Text); utf8.RuneCountInString(html) > MaxNoticeChars {
		probs.Add(NoticesFile, n.textLine, "thông báo quá dài: %d ký tự, tối đa %d; viết ngắn, chi tiết để ở câu trả lời", utf8.RuneCountInString(html), MaxNoticeChars)
	}
	return n, len(probs.List) == before
}

// NoticesHTML renders the notices in force on day d, oldest first, with
// their amounts computed for d. A notice that cannot be rendered is left
// out (faqctl lint reports it).
func (ix *Index) NoticesHTML(d time.Time) []string {
	var out []string
	for _, n := range ix.NoticesInForce(d) {
		out = append(out, n.HTML)
	}
	return out
}

// renderNotice renders a notice's text without dated change lines: a
// notice is itself about a date.
func (a *Amounts) renderNotice(text string, d time.Time) (string, error) {
	src := []byte(text)
	doc := parseMarkdown(src)
	values, errs := a.evaluate(scanTemplates(doc, src), d)
	if len(errs) > 0 {
		return "", errs[0]
	}
	return renderWith(doc, src, true, values), nil
}

// CheckNotices reports, for day d, the notices whose amounts cannot be
// computed (errs), and those that have expired, amounts typed outside a
// {{dated ...}} line (warns).
func CheckNotices(notices []Notice, a *Amounts, d time.Time) (errs, warns []Problem) {
	for _, n := range notices {
		src := []byte(n.Text)
		doc := parseMarkdown(src)
		scan := scanTemplates(doc, src)
		lineOf := func(off int) int { return n.textLine + bytes.Count(src[:min(off, len(src))], []byte("\n")) }
		_, perrs := a.evaluate(scan, d)
		for _, pe := range perrs {
			errs = append(errs, Problem{File: NoticesFile, Line: lineOf(pe.p.offset), Msg: fmt.Sprintf("%v (ngày %s)", pe, d.Format(time.DateOnly))})
		}
		if day(d).After(n.Until) {
			warns = append(warns, Problem{File: NoticesFile, Line: n.Line, Msg: fmt.Sprintf(
				"cảnh báo: thông báo đã hết hạn ngày %s, bot không còn hiện nữa; xoá khỏi tệp", n.Until.Format(dateLayout))})
		}
		for _, l := range scan.literals {
			warns = append(warns, Problem{File: NoticesFile, Line: lineOf(l.offset), Msg: fmt.Sprintf(
				"cảnh báo: %q viết sẵn trong thông báo; dùng tên số tiền {{...}}, hoặc nếu thông báo nói về một ngày cụ thể thì thêm {{dated THỜI_GIAN}}", l.text)})
		}
	}
	return errs, warns
}
