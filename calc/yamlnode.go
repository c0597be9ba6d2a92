package calc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// RatesFile is the name of the parameter file at the content root.
const RatesFile = "rates.yaml"

// problems collects every "rates.yaml:LINE: message" found while loading.
type problems struct{ list []string }

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf("%s:%d: %s", RatesFile, line, fmt.Sprintf(format, args...)))
}

// fields is a YAML mapping whose keys have been checked against a known set.
type fields struct {
	node *yaml.Node
	m    map[string]*yaml.Node
}

// mapping reads a mapping node, reporting unknown and duplicate keys.
func (p *problems) mapping(n *yaml.Node, what string, known ...string) (fields, bool) {
	f := fields{node: n, m: map[string]*yaml.Node{}}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s: cần các dòng dạng `tên: giá trị`", what)
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !contains(known, k.Value) {
			p.add(k.Line, "%s: không có mục tên %q (gõ sai tên?); các tên được dùng: %s", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if _, dup := f.m[k.Value]; dup {
			p.add(k.Line, "%s: mục %q ghi hai lần; xoá một dòng", what, k.Value)
			continue
		}
		f.m[k.Value] = v
	}
	return f, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// need returns a required key's node, reporting it when missing.
func (p *problems) need(f fields, key, what string) (*yaml.Node, bool) {
	n, ok := f.m[key]
	if !ok {
		p.add(f.node.Line, "%s: thiếu mục %q", what, key)
	}
	return n, ok
}

func (p *problems) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.add(n.Line, "%s: cần đúng một giá trị trên dòng này", what)
		return "", false
	}
	return n.Value, true
}

func (p *problems) date(n *yaml.Node, what string) (time.Time, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		p.add(n.Line, "%s: ngày %q không đúng dạng NĂM-THÁNG-NGÀY hoặc không có thật, ví dụ 2026-07-01", what, s)
		return time.Time{}, false
	}
	return t, true
}

func (p *problems) text(n *yaml.Node, what string) (string, bool) {
	s, ok := p.scalar(n, what)
	if ok && strings.TrimSpace(s) == "" {
		p.add(n.Line, "%s: không được để trống", what)
		return "", false
	}
	return s, ok
}

// number reads a decimal in [lo, hi]; negative and absurd values are reported.
func (p *problems) number(n *yaml.Node, what string, lo, hi decimal.Decimal) (decimal.Decimal, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		p.add(n.Line, "%s: %q không phải là số (số lẻ viết bằng dấu chấm, ví dụ 0.31; không ghi dấu ngăn nghìn)", what, s)
		return decimal.Zero, false
	}
	if d.IsNegative() {
		p.add(n.Line, "%s: %s là số âm; không được âm", what, s)
		return decimal.Zero, false
	}
	if d.LessThan(lo) || d.GreaterThan(hi) {
		p.add(n.Line, "%s: %s không hợp lý, phải từ %s đến %s (gõ thừa hay thiếu số 0?)", what, s, lo, hi)
		return decimal.Zero, false
	}
	return d, true
}

func (p *problems) integer(n *yaml.Node, what string, lo, hi int) (int, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		p.add(n.Line, "%s: %q không phải số nguyên", what, s)
		return 0, false
	}
	if v < 0 {
		p.add(n.Line, "%s: %d là số âm; không được âm", what, v)
		return 0, false
	}
	if v < lo || v > hi {
		p.add(n.Line, "%s: %d không hợp lý, phải từ %d đến %d", what, v, lo, hi)
		return 0, false
	}
	return v, true
}

func (p *problems) sequence(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "%s: cần một danh sách, mỗi mục một dòng bắt đầu bằng `- `", what)
		return nil, false
	}
	if len(n.Content) == 0 {
		p.add(n.Line, "%s: danh sách đang trống", what)
		return nil, false
	}
	return n.Content, true
}

var ageRe = regexp.MustCompile(`^(\d{2})y(\d{1,2})m$`)

func (p *problems) age(n *yaml.Node, what string) (Age, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return Age{}, false
	}
	m := ageRe.FindStringSubmatch(s)
	if m == nil {
		p.add(n.Line, "%s: %q không đúng dạng tuổi như 60y3m (60 tuổi 3 tháng)", what, s)
		return Age{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < 40 || y > 80 || mo > 11 {
		p.add(n.Line, "%s: %q không phải tuổi nghỉ hưu hợp lý (40–80 tuổi, 0–11 tháng)", what, s)
		return Age{}, false
	}
	return Age{y, mo}, true
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
