package faq

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Windows of the dated line an answer carries about its amounts: a change
// that takes effect within the next changeAhead days, or took effect within
// the last changeBehind days.
const (
	changeAhead  = 60
	changeBehind = 30
)

// RenderHTML renders an answer body for day d (Telegram HTML, as
// RenderHTML): every placeholder holds its value on d, and the answer ends
// with one dated line for each parameter it uses that changes within the
// next 60 days or changed in the last 30 ("Từ 01/01/2027, … dự kiến là …"),
// hedged at the parameter's confidence, or whose value on d is only
// planned. A placeholder that cannot be computed shows "…" and its problem
// is in the error; a nil *Amounts (no rates.yaml) computes nothing.
func (a *Amounts) RenderHTML(body string, d time.Time) (string, error) {
	return a.render(body, d, true)
}

// RenderText is RenderHTML as plain text (faqctl ask).
func (a *Amounts) RenderText(body string, d time.Time) (string, error) {
	return a.render(body, d, false)
}

func (a *Amounts) render(body string, d time.Time, html bool) (string, error) {
	src := []byte(body)
	doc := parseMarkdown(src)
	scan := scanTemplates(doc, src)
	values, errs := a.evaluate(scan, d)
	out := renderWith(doc, src, html, values)
	var err error
	for _, e := range errs {
		err = errors.Join(err, e)
	}
	for _, l := range a.changeLines(scan, values, d) {
		if html {
			l = "<i>" + escapeHTML(l) + "</i>"
		}
		out += "\n\n" + l
	}
	return out, err
}

// placeholderError is a placeholder that could not be computed.
type placeholderError struct {
	p   *placeholder
	err error
}

func (e placeholderError) Error() string { return fmt.Sprintf("{{%s}}: %v", e.p.raw, e.err) }

// evaluate computes every placeholder of a body on day d.
func (a *Amounts) evaluate(scan templateScan, d time.Time) (map[*placeholder]string, []placeholderError) {
	values := make(map[*placeholder]string, len(scan.placeholders))
	var errs []placeholderError
	for _, p := range scan.placeholders {
		if p.name == datedMarker {
			continue
		}
		var v string
		err := p.check()
		switch {
		case err != nil:
		case a == nil:
			err = errors.New("chưa có tệp rates.yaml nên chưa tính được số tiền")
		case !p.at.IsZero():
			v, err = a.Value(p.name, p.args, p.at)
		default:
			v, err = a.Value(p.name, p.args, d)
		}
		if err != nil {
			var ie *calc.InputError
			if errors.As(err, &ie) {
				err = errors.New(ie.Msg)
			}
			errs = append(errs, placeholderError{p, err})
			v = "…"
		}
		values[p] = v
	}
	return values, errs
}

// changeLines are the dated lines about the parameters the body's
// placeholders depend on (see RenderHTML).
func (a *Amounts) changeLines(scan templateScan, values map[*placeholder]string, d time.Time) []string {
	if a == nil {
		return nil
	}
	var deps []string
	for _, p := range scan.placeholders {
		for _, dep := range depsOf(p) {
			if !slices.Contains(deps, dep) {
				deps = append(deps, dep)
			}
		}
	}
	if len(deps) == 0 {
		return nil
	}
	params := a.c.Params()
	var lines []string
	recent := map[string]bool{}
	for _, ch := range params.Changes(d.AddDate(0, 0, -changeBehind), d.AddDate(0, 0, changeAhead), deps...) {
		past := !ch.From.After(day(d))
		other := ch.From
		if past {
			other = ch.From.AddDate(0, 0, -1)
			recent[ch.Param] = true
		}
		now, then := a.example(scan, values, ch, other)
		lines = append(lines, changeLine(ch, past, now, then))
	}
	for _, ch := range params.PlannedOn(d, deps...) {
		if !recent[ch.Param] {
			lines = append(lines, plannedLine(ch))
		}
	}
	return lines
}

// example finds the first amount of the answer that depends on the changed
// parameter and differs on the other side of the change: its value now and
// then ("", "" when there is none). The parameter itself is not an example.
func (a *Amounts) example(scan templateScan, values map[*placeholder]string, ch calc.Change, other time.Time) (string, string) {
	for _, p := range scan.placeholders {
		if earned[p.name] || !slices.Contains(depsOf(p), ch.Param) {
			continue
		}
		now := values[p]
		then, err := a.Value(p.name, p.args, other)
		if err != nil || then == now || now == "…" || then == changeValue(ch.Value) || now == changeValue(ch.Value) {
			continue
		}
		return now, then
	}
	return "", ""
}

// changeValue writes a parameter's value as answers do ("2.200.000 đồng").
func changeValue(v string) string {
	if s, ok := strings.CutSuffix(v, " đ"); ok {
		return s + " đồng"
	}
	return strings.ReplaceAll(v, " %", "%")
}

// hedge is how sure a dated line may sound, from the parameter's
// confidence: the verb before the new value and what follows it.
func hedge(ch calc.Change) (verb, note string) {
	switch {
	case ch.Source.Confidence == "low":
		return "có thể là", "chưa được kiểm chứng"
	case ch.Planned || ch.Source.Confidence != "high":
		return "dự kiến là", "chưa được xác nhận chính thức"
	}
	return "là", ""
}

// changeLine is the dated line about one change: coming (past false) or
// recent (past true). now and then are an amount of the answer on the day
// it is read and on the other side of the change ("" for none).
func changeLine(ch calc.Change, past bool, now, then string) string {
	verb, note := hedge(ch)
	var b strings.Builder
	fmt.Fprintf(&b, "📅 Từ %s, %s", ch.From.Format("02/01/2006"), ch.Label)
	switch {
	case ch.Value == "":
		b.WriteString(" thay đổi")
	case past && ch.Previous != "":
		fmt.Fprintf(&b, " %s %s (trước đó là %s)", verb, changeValue(ch.Value), changeValue(ch.Previous))
	default:
		fmt.Fprintf(&b, " %s %s", verb, changeValue(ch.Value))
	}
	if note != "" {
		fmt.Fprintf(&b, ", %s", note)
	}
	b.WriteString(".")
	switch {
	case past && now != "":
		fmt.Fprintf(&b, " Số tiền ở trên đã tính theo mức mới: %s (trước ngày đó là %s).", now, then)
	case past:
		b.WriteString(" Số tiền ở trên đã tính theo mức mới.")
	case now != "":
		fmt.Fprintf(&b, " Khi đó %s ở trên sẽ thành %s.", now, then)
	}
	if note != "" {
		fmt.Fprintf(&b, " Hỏi đại lý thu hoặc tổng đài %s để biết chắc.", calc.Hotline)
	}
	return b.String()
}

// plannedLine says that the answer uses a value that is only planned.
func plannedLine(ch calc.Change) string {
	v := ""
	if ch.Value != "" {
		v = " " + changeValue(ch.Value)
	}
	return fmt.Sprintf("📅 Số tiền ở trên tính theo %s%s áp dụng từ %s, là mức dự kiến chưa được xác nhận chính thức. "+
		"Hỏi đại lý thu hoặc tổng đài %s để biết chắc.", ch.Label, v, ch.From.Format("02/01/2006"), calc.Hotline)
}

// day is the calendar date of t, at midnight UTC (as calc compares days).
func day(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// CheckAmounts renders every entry of kb for day d and reports, with
// file:line, each placeholder that cannot be computed on d and each answer
// too long for one message once its dated lines are added (errs), and each
// amount of money or percentage typed in an answer outside a {{dated ...}}
// paragraph (warns), with the name to use instead when one gives the same
// value on d. a may be nil (no rates.yaml): then every placeholder is an
// error.
func (kb *KB) CheckAmounts(a *Amounts, d time.Time) (errs, warns []Problem) {
	suggest := a.suggestions(d)
	for _, e := range kb.entries {
		src := []byte(e.Body)
		doc := parseMarkdown(src)
		scan := scanTemplates(doc, src)
		lineOf := func(off int) int { return e.BodyLine + bytes.Count(src[:min(off, len(src))], []byte("\n")) }
		_, perrs := a.evaluate(scan, d)
		for _, pe := range perrs {
			errs = append(errs, Problem{File: e.File, Line: lineOf(pe.p.offset),
				Msg: fmt.Sprintf("%v (ngày %s)", pe, d.Format(time.DateOnly))})
		}
		if html, _ := a.RenderHTML(e.Body, d); len([]rune(html)) > MaxRenderedChars {
			errs = append(errs, Problem{File: e.File, Line: e.BodyLine, Msg: fmt.Sprintf(
				"câu trả lời quá dài cho một tin nhắn Telegram ngày %s: %d ký tự kể cả dòng báo thay đổi, tối đa %d",
				d.Format(time.DateOnly), len([]rune(html)), MaxRenderedChars)})
		}
		for _, l := range scan.literals {
			msg := fmt.Sprintf("cảnh báo: %q viết sẵn trong câu trả lời sẽ sai khi mức đóng, mức hưởng thay đổi; ", l.text)
			if name, ok := suggest[normalizeLiteral(l.text)]; ok {
				msg += fmt.Sprintf("có thể dùng {{%s}} (ngày %s cho ra đúng %s)", name, d.Format(time.DateOnly), l.text)
			} else {
				msg += "dùng tên số tiền {{...}} (content/README.md)"
			}
			msg += ", hoặc nếu là ví dụ, lịch sử có thời gian thì thêm {{dated THỜI_GIAN}} vào dòng đó"
			warns = append(warns, Problem{File: e.File, Line: lineOf(l.offset), Msg: msg})
		}
	}
	return errs, warns
}

// normalizeLiteral is the form under which a typed amount is compared with
// the computed ones: money in whole đồng ("1,5 triệu" = "1.500.000 đồng" =
// "1500000"), percentages as written without spaces ("22%").
func normalizeLiteral(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.HasSuffix(s, "%") {
		return s
	}
	if v, err := calc.ParseMoney(s); err == nil {
		return v.String()
	}
	return s
}

// suggestionArgs are the arguments tried for each name when looking for the
// name that gives a typed amount.
var suggestionArgs = map[argKind][]string{
	argIncome:   {"floor", "ceiling", "2000000", "3000000", "5000000", "10000000"},
	argGroup:    {"other", "poor", "near-poor", "ethnic-minority", "island"},
	argMonths:   {"1", "3", "6", "12"},
	argHIMonths: {"1", "3", "6", "12"},
	argMember:   {"1", "2", "3", "4", "5"},
	argSex:      {"female", "male"},
	argYears:    {"15", "20", "5", "30", "35"},
	argCount:    {"1", "2"},
	argMoney:    {"1000000"},
}

// suggestions maps values on day d (normalised) to the first placeholder
// that gives them, for the literal-amount warning.
func (a *Amounts) suggestions(d time.Time) map[string]string {
	out := map[string]string{}
	if a == nil {
		return out
	}
	for _, s := range amountSpecs {
		if s.name == "income" || s.name == "amount" {
			continue // example inputs, never the name of a legal value
		}
		var walk func(i int, got []string)
		walk = func(i int, got []string) {
			if i == len(s.args) {
				v, err := a.Value(s.name, got, d)
				key := normalizeLiteral(v)
				if _, dup := out[key]; err == nil && !dup {
					out[key] = strings.Join(append([]string{s.name}, got...), " ")
				}
				return
			}
			opts := suggestionArgs[s.args[i].kind]
			if s.args[i].optional {
				walk(len(s.args), got) // the default
				if opts[0] == s.args[i].def {
					opts = opts[1:]
				}
			}
			for _, o := range opts {
				walk(i+1, append(append([]string(nil), got...), o))
			}
		}
		walk(0, nil)
	}
	return out
}

// AnswerHTML renders an entry's answer for day d: see (*Amounts).RenderHTML.
func (ix *Index) AnswerHTML(e *Entry, d time.Time) (string, error) {
	return ix.kb.amounts.RenderHTML(e.Body, d)
}

// AnswerText renders an entry's answer for day d as plain text.
func (ix *Index) AnswerText(e *Entry, d time.Time) (string, error) {
	return ix.kb.amounts.RenderText(e.Body, d)
}

// Amounts returns the amounts the index renders answers with (nil when the
// content has no rates.yaml).
func (ix *Index) Amounts() *Amounts { return ix.kb.amounts }

// loadAmounts reads the dated parameters the answers' amounts come from
// (rates.yaml); its problems are a *calc.ParamsError (rates.yaml:LINE:
// message, as faqctl lint prints them).
func (kb *KB) loadAmounts(fsys fs.FS) error {
	a, err := LoadAmounts(fsys)
	kb.amounts = a
	return err
}

// loadNotices reads the staff notices (notices.yaml). It closes the index
// on error.
func (ix *Index) loadNotices(fsys fs.FS) error {
	n, err := LoadNotices(fsys)
	if err != nil {
		ix.Close()
		return err
	}
	ix.notices = n
	return nil
}

// indexText is an entry's answer as the search indexes it: plain text with
// the amounts of the day the entry was reviewed, so that the index does not
// change with the calendar and keeps the numbers the reviewer saw.
func (kb *KB) indexText(e *Entry) string {
	if kb.amounts == nil || e.Reviewed.IsZero() {
		body, _ := RenderText(e.Body)
		return body
	}
	src := []byte(e.Body)
	doc := parseMarkdown(src)
	values, _ := kb.amounts.evaluate(scanTemplates(doc, src), e.Reviewed)
	return renderWith(doc, src, false, values)
}
