package calc

import (
	"slices"
	"time"
)

// Change is a new value of a dated parameter, as people read it.
type Change struct {
	Param    string    // rates.yaml key, e.g. "rural_poverty_line"
	Label    string    // what it is, in Vietnamese
	From     time.Time // first day of the new value
	Value    string    // the new value ("2.200.000 đ", "22 %"); "" for a table (support percentages, pension bands)
	Previous string    // the value before From, in the same form
	Source   Source
	Planned  bool // announced, not yet confirmed in force
}

// paramLabels names the parameters of rates.yaml for people.
var paramLabels = map[string]string{
	"reference_level":         "mức tham chiếu (lương cơ sở)",
	"rural_poverty_line":      "chuẩn hộ nghèo khu vực nông thôn (mức thu nhập thấp nhất được chọn đóng BHXH tự nguyện)",
	"vsi_rate_percent":        "tỷ lệ đóng BHXH tự nguyện",
	"ceiling_multiplier":      "mức thu nhập cao nhất (số lần mức tham chiếu)",
	"income_step":             "bước làm tròn thu nhập chọn đóng",
	"support_percent":         "mức Nhà nước hỗ trợ tiền đóng BHXH tự nguyện",
	"support_cap_months":      "số tháng tối đa được Nhà nước hỗ trợ",
	"payment_methods":         "các phương thức đóng BHXH tự nguyện",
	"fund_rate_percent_month": "lãi suất quỹ dùng để tính tiền đóng trước, đóng bù",
	"hi_rate_percent":         "tỷ lệ đóng BHYT hộ gia đình",
	"hi_member_ratios":        "mức giảm BHYT cho người thứ hai trở đi",
	"hi_payment_months":       "các kỳ đóng BHYT hộ gia đình",
	"hi_benefit_percent":      "mức quỹ BHYT chi trả",
	"hi_small_visit_percent":  "mức chi phí một lần khám được BHYT trả toàn bộ (phần trăm mức tham chiếu)",
	"hi_copay_cap_multiplier": "mức cùng chi trả trong năm sau 5 năm liên tục (số lần mức tham chiếu)",
	"social_pension":          "trợ cấp hưu trí xã hội",
	"maternity_support":       "trợ cấp thai sản của người đóng BHXH tự nguyện",
	"funeral_multiplier":      "trợ cấp mai táng (số lần mức tham chiếu)",
	"pension":                 "cách tính lương hưu",
	"lump_sum":                "cách tính BHXH một lần",
}

// Changes returns the new values of the named parameters (every parameter
// when names is empty) that take effect after from and on or before to,
// oldest first. The first value of a parameter (where its history in
// rates.yaml starts) and a new entry that only changes the source are not
// changes.
func (p *Params) Changes(from, to time.Time, names ...string) []Change {
	from, to = day(from), day(to)
	var out []Change
	for _, s := range p.allSeries() {
		if len(names) > 0 && !slices.Contains(names, s.name) {
			continue
		}
		for i := 1; i < len(s.entries); i++ {
			e, prev := s.entries[i], s.entries[i-1]
			if !e.from.After(from) || e.from.After(to) || e.key == prev.key {
				continue
			}
			out = append(out, Change{Param: s.name, Label: paramLabels[s.name], From: e.from, Value: e.value,
				Previous: prev.value, Source: e.source, Planned: e.planned})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int { return a.From.Compare(b.From) })
	return out
}

// PlannedOn returns the named parameters (every parameter when names is
// empty) whose value in force on d is only planned, as a Change from the
// value before it.
func (p *Params) PlannedOn(d time.Time, names ...string) []Change {
	d = day(d)
	var out []Change
	for _, s := range p.allSeries() {
		if len(names) > 0 && !slices.Contains(names, s.name) {
			continue
		}
		for i, e := range s.entries {
			if !e.planned || d.Before(e.from) || (!e.to.IsZero() && d.After(e.to)) {
				continue
			}
			c := Change{Param: s.name, Label: paramLabels[s.name], From: e.from, Value: e.value, Source: e.source, Planned: true}
			if i > 0 {
				c.Previous = s.entries[i-1].value
			}
			out = append(out, c)
		}
	}
	return out
}
