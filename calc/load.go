package calc

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// ParamsError lists every problem found in rates.yaml, one
// "rates.yaml:LINE: message" per entry.
type ParamsError struct{ Problems []string }

func (e *ParamsError) Error() string {
	return RatesFile + " có lỗi:\n" + strings.Join(e.Problems, "\n")
}

// LoadParams reads and validates rates.yaml at the root of fsys. On invalid
// content it returns a *ParamsError listing every problem (overlaps, gaps,
// negative or absurd values, unknown keys, missing parameters) with its line;
// when the file cannot be read it returns the wrapped fs error. It never panics.
func LoadParams(fsys fs.FS) (*Params, error) {
	data, err := fs.ReadFile(fsys, RatesFile)
	if err != nil {
		return nil, fmt.Errorf("calc: read %s: %w", RatesFile, err)
	}
	return ParseParams(data)
}

// ParseParams validates the bytes of a rates.yaml file; see LoadParams.
func ParseParams(data []byte) (p *Params, err error) {
	defer func() { // the YAML library is outside input handling: never let it panic us
		if r := recover(); r != nil {
			p, err = nil, &ParamsError{Problems: []string{fmt.Sprintf("%s:1: không đọc được tệp (%v); kiểm tra lại cách viết", RatesFile, r)}}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ParamsError{Problems: []string{content.YAMLSyntax(RatesFile, data, 1, err).String()}}
	}
	pr := &problems{}
	if len(doc.Content) == 0 {
		pr.add(1, "tệp đang trống")
		return nil, &ParamsError{Problems: pr.list}
	}
	params := parseRoot(pr, doc.Content[0])
	if len(pr.list) > 0 {
		sort.SliceStable(pr.list, func(i, j int) bool { return problemLine(pr.list[i]) < problemLine(pr.list[j]) })
		return nil, &ParamsError{Problems: pr.list}
	}
	return params, nil
}

func parseRoot(pr *problems, root *yaml.Node) *Params {
	keys := []string{"reference_level", "rural_poverty_line", "vsi_rate_percent", "ceiling_multiplier",
		"income_step", "support_percent", "support_cap_months", "payment_methods", "fund_rate_percent_month",
		"hi_rate_percent", "hi_member_ratios", "hi_payment_months", "hi_benefit_percent", "hi_small_visit_percent", "hi_copay_cap_multiplier", "social_pension", "maternity_support", "funeral_multiplier",
		"pension", "lump_sum", "retirement_age", "income_coefficients"}
	f, ok := pr.mapping(root, topLevel, keys...)
	if !ok {
		return nil
	}
	for _, k := range keys {
		pr.need(f, k, topLevel)
	}
	p := &Params{}
	money := func(lo, hi string) func(*problems, entry) (decimal.Decimal, bool) {
		return func(pr *problems, e entry) (decimal.Decimal, bool) {
			return e.number(pr, "value", dec(lo), dec(hi))
		}
	}
	p.ReferenceLevel = parseSeries(pr, f, "reference_level", []string{"value"}, money("100000", "100000000"))
	p.RuralPovertyLine = parseSeries(pr, f, "rural_poverty_line", []string{"value"}, money("100000", "50000000"))
	p.VSIRate = parseSeries(pr, f, "vsi_rate_percent", []string{"value"}, money("1", "50"))
	p.CeilingMultiplier = parseSeries(pr, f, "ceiling_multiplier", []string{"value"}, money("1", "100"))
	p.IncomeStep = parseSeries(pr, f, "income_step", []string{"value"}, money("1", "1000000"))
	p.SupportPercent = parseSeries(pr, f, "support_percent", []string{"values"}, parseSupport)
	p.SupportCapMonths = parseSeries(pr, f, "support_cap_months", []string{"value"},
		func(pr *problems, e entry) (int, bool) { return e.integer(pr, "value", 0, 1200) })
	p.PaymentMethods = parseSeries(pr, f, "payment_methods", []string{"months", "advance_years_max"}, parseMethods)
	p.FundRate = parseSeries(pr, f, "fund_rate_percent_month", []string{"value"}, money("0", "5"))
	p.HIRate = parseSeries(pr, f, "hi_rate_percent", []string{"value"}, money("0.1", "6"))
	p.HIMemberRatios = parseSeries(pr, f, "hi_member_ratios", []string{"values"}, parseRatios)
	p.HIPaymentMonths = parseSeries(pr, f, "hi_payment_months", []string{"months"}, parseMonthList)
	p.HIBenefitPercent = parseSeries(pr, f, "hi_benefit_percent", []string{"value"}, money("1", "100"))
	p.HISmallVisitPercent = parseSeries(pr, f, "hi_small_visit_percent", []string{"value"}, money("1", "100"))
	p.HICopayCapMultiplier = parseSeries(pr, f, "hi_copay_cap_multiplier", []string{"value"}, money("1", "100"))
	p.SocialPension = parseSeries(pr, f, "social_pension", []string{"value"}, money("10000", "100000000"))
	p.MaternitySupport = parseSeries(pr, f, "maternity_support", []string{"value"}, money("10000", "100000000"))
	p.FuneralMultiplier = parseSeries(pr, f, "funeral_multiplier", []string{"value"}, money("1", "100"))
	p.Pension = parseSeries(pr, f, "pension", []string{"min_years", "max_percent", "female", "male",
		"missing_months_max", "missing_months_confidence"}, parsePension)
	p.LumpSum = parseSeries(pr, f, "lump_sum", []string{"per_year_before", "per_year_from", "split_year", "under_one_year_cap",
		"new_participants_from", "incapacity_percent", "stop_route_max_years"}, parseLumpSum)
	if n, ok := f.m["retirement_age"]; ok {
		p.RetirementAge = parseRetirement(pr, n)
	}
	if n, ok := f.m["income_coefficients"]; ok {
		p.Coefficients = parseCoefficients(pr, n)
	}
	return p
}

// entry is one dated item of a series.
type entry struct {
	f    fields
	name string
}

func (e entry) number(pr *problems, key string, lo, hi decimal.Decimal) (decimal.Decimal, bool) {
	n, ok := pr.need(e.f, key, e.name)
	if !ok {
		return decimal.Zero, false
	}
	return pr.number(n, e.name+" "+key, lo, hi)
}

func (e entry) integer(pr *problems, key string, lo, hi int) (int, bool) {
	n, ok := pr.need(e.f, key, e.name)
	if !ok {
		return 0, false
	}
	return pr.integer(n, e.name+" "+key, lo, hi)
}

var confidences = []string{"high", "medium", "low"}

// topLevel names the file itself in messages about its top-level keys.
const topLevel = "tệp " + RatesFile

// parseSource reads source and confidence.
func parseSource(pr *problems, f fields, what string) (Source, bool) {
	var src Source
	okAll := true
	if n, ok := pr.need(f, "source", what); ok {
		src.Ref, ok = pr.text(n, what+" source")
		okAll = okAll && ok
		if w := content.Guess(src.Ref); w != "" {
			pr.add(n.Line, "%s: source %q là phỏng đoán, người dân sẽ đọc thấy; ghi điều đã biết chắc, hoặc chỉ tên văn bản và điều khoản", what, w)
			okAll = false
		}
	} else {
		okAll = false
	}
	if n, ok := pr.need(f, "confidence", what); ok {
		if c, ok := pr.scalar(n, what+" confidence"); ok && contains(confidences, c) {
			src.Confidence = c
		} else {
			pr.add(n.Line, "%s: confidence phải là một trong: %s", what, strings.Join(confidences, ", "))
			okAll = false
		}
	} else {
		okAll = false
	}
	return src, okAll
}

// parseSeries reads a list of dated entries and checks their order, gaps and
// overlaps.
func parseSeries[T any](pr *problems, root fields, name string, valueKeys []string,
	val func(*problems, entry) (T, bool)) Series[T] {
	s := Series[T]{Name: name}
	n, ok := root.m[name]
	if !ok {
		return s
	}
	items, ok := pr.sequence(n, name)
	if !ok {
		return s
	}
	keys := append([]string{"from", "to", "source", "confidence", "status"}, valueKeys...)
	var spans []span
	for _, it := range items {
		f, ok := pr.mapping(it, name, keys...)
		if !ok {
			continue
		}
		e := entry{f: f, name: name}
		var d Dated[T]
		d.Line = it.Line
		good := true
		if fn, ok := pr.need(f, "from", name); ok {
			d.From, ok = pr.date(fn, name+" from")
			good = good && ok
		} else {
			good = false
		}
		if tn, ok := f.m["to"]; ok {
			d.To, ok = pr.date(tn, name+" to")
			good = good && ok
			if ok && !d.From.IsZero() && d.To.Before(d.From) {
				pr.add(tn.Line, "%s: ngày kết thúc (to) %s trước ngày bắt đầu (from) %s", name, d.To.Format(time.DateOnly), d.From.Format(time.DateOnly))
				good = false
			}
		}
		datesOK := good
		var ok2 bool
		d.Source, ok2 = parseSource(pr, f, name)
		good = good && ok2
		if sn, ok := f.m["status"]; ok {
			st, _ := pr.scalar(sn, name+" status")
			switch st {
			case "planned":
				d.Planned = true
			case "in-force":
			default:
				pr.add(sn.Line, "%s: status chỉ được là planned (dự kiến) hoặc in-force (đang áp dụng), không phải %q", name, st)
				good = false
			}
		}
		if datesOK {
			spans = append(spans, span{From: d.From, To: d.To, Line: d.Line})
		}
		d.Value, ok2 = val(pr, e)
		if good && ok2 {
			s.Entries = append(s.Entries, d)
		}
	}
	checkContinuity(pr, name, spans)
	return s
}

// span is the dates of one entry, for the continuity check.
type span struct {
	From, To time.Time
	Line     int
}

// checkContinuity reports entries out of order, overlapping, or leaving gaps.
// It is given every entry whose dates could be read, also those with another
// problem, so that one typo does not also show up as a gap.
func checkContinuity(pr *problems, name string, spans []span) {
	for i := 1; i < len(spans); i++ {
		prev, cur := spans[i-1], spans[i]
		switch {
		case !cur.From.After(prev.From):
			pr.add(cur.Line, "%s: các mục phải xếp theo ngày tăng dần: from %s không sau from %s (dòng %d)",
				name, cur.From.Format(time.DateOnly), prev.From.Format(time.DateOnly), prev.Line)
		case prev.To.IsZero():
			pr.add(cur.Line, "%s: trùng thời gian với mục ở dòng %d (mục đó chưa có ngày kết thúc `to`; thêm `to` là ngày trước %s)", name, prev.Line, cur.From.Format(time.DateOnly))
		case !cur.From.After(prev.To):
			pr.add(cur.Line, "%s: from %s trùng thời gian với mục ở dòng %d (mục đó đến %s)",
				name, cur.From.Format(time.DateOnly), prev.Line, prev.To.Format(time.DateOnly))
		case !cur.From.Equal(prev.To.AddDate(0, 0, 1)):
			pr.add(cur.Line, "%s: bị hở giữa %s (mục ở dòng %d) và %s: những ngày ở giữa không có giá trị nào",
				name, prev.To.Format(time.DateOnly), prev.Line, cur.From.Format(time.DateOnly))
		}
	}
}

func parseSupport(pr *problems, e entry) (map[Group]decimal.Decimal, bool) {
	n, ok := pr.need(e.f, "values", e.name)
	if !ok {
		return nil, false
	}
	keys := make([]string, len(Groups))
	for i, g := range Groups {
		keys[i] = string(g)
	}
	f, ok := pr.mapping(n, e.name+" values", keys...)
	if !ok {
		return nil, false
	}
	out := map[Group]decimal.Decimal{}
	good := true
	for _, g := range Groups {
		vn, ok := pr.need(f, string(g), e.name+" values")
		if !ok {
			good = false
			continue
		}
		v, ok := pr.number(vn, e.name+" "+string(g), decimal.Zero, dec("100"))
		good = good && ok
		out[g] = v
	}
	return out, good
}

func parseMethods(pr *problems, e entry) (PaymentMethods, bool) {
	months, good := parseMonthList(pr, e)
	if months == nil && !good {
		return PaymentMethods{}, false
	}
	m := PaymentMethods{Months: months}
	var ok bool
	m.AdvanceYearsMax, ok = e.integer(pr, "advance_years_max", 0, 10)
	return m, good && ok
}

func parseMonthList(pr *problems, e entry) ([]int, bool) {
	n, ok := pr.need(e.f, "months", e.name)
	if !ok {
		return nil, false
	}
	items, ok := pr.sequence(n, e.name+" months")
	if !ok {
		return nil, false
	}
	var out []int
	good := true
	for _, it := range items {
		v, ok := pr.integer(it, e.name+" months", 1, 12)
		good = good && ok
		out = append(out, v)
	}
	return out, good
}

func parseRatios(pr *problems, e entry) ([]decimal.Decimal, bool) {
	n, ok := pr.need(e.f, "values", e.name)
	if !ok {
		return nil, false
	}
	items, ok := pr.sequence(n, e.name+" values")
	if !ok {
		return nil, false
	}
	var out []decimal.Decimal
	good := true
	for i, it := range items {
		v, ok := pr.number(it, e.name+" values", dec("1"), dec("100"))
		if !ok {
			good = false
			continue
		}
		if i == 0 && !v.Equal(dec("100")) {
			pr.add(it.Line, "%s: người thứ nhất đóng 100 %%, không phải %s", e.name, v)
			good = false
		}
		if len(out) > 0 && v.GreaterThan(out[len(out)-1]) {
			pr.add(it.Line, "%s: người sau không được đóng nhiều hơn người trước (%s > %s)", e.name, v, out[len(out)-1])
			good = false
		}
		out = append(out, v)
	}
	return out, good
}

func parseBands(pr *problems, n *yaml.Node, what string) ([]RateBand, bool) {
	items, ok := pr.sequence(n, what)
	if !ok {
		return nil, false
	}
	var out []RateBand
	good := true
	for _, it := range items {
		f, ok := pr.mapping(it, what, "years", "percent", "step")
		if !ok {
			good = false
			continue
		}
		var b RateBand
		ok1, ok2, ok3 := false, false, false
		if yn, ok := pr.need(f, "years", what); ok {
			b.Years, ok1 = pr.integer(yn, what+" years", 1, 40)
		}
		if pn, ok := pr.need(f, "percent", what); ok {
			b.Percent, ok2 = pr.number(pn, what+" percent", dec("1"), dec("100"))
		}
		if sn, ok := pr.need(f, "step", what); ok {
			b.Step, ok3 = pr.number(sn, what+" step", decimal.Zero, dec("10"))
		}
		if !(ok1 && ok2 && ok3) {
			good = false
			continue
		}
		if len(out) > 0 && b.Years <= out[len(out)-1].Years {
			pr.add(it.Line, "%s: các bậc phải xếp theo số năm tăng dần", what)
			good = false
		}
		out = append(out, b)
	}
	return out, good
}

func parsePension(pr *problems, e entry) (PensionRule, bool) {
	var r PensionRule
	var ok1, ok2, ok3, ok4 bool
	r.MinYears, ok1 = e.integer(pr, "min_years", 1, 40)
	r.MaxPercent, ok2 = e.number(pr, "max_percent", dec("1"), dec("100"))
	if n, ok := pr.need(e.f, "female", e.name); ok {
		r.Female, ok3 = parseBands(pr, n, e.name+" female")
	}
	if n, ok := pr.need(e.f, "male", e.name); ok {
		r.Male, ok4 = parseBands(pr, n, e.name+" male")
	}
	good := ok1 && ok2 && ok3 && ok4
	if n, ok := e.f.m["missing_months_max"]; ok {
		v, ok := pr.integer(n, e.name+" missing_months_max", 1, 600)
		r.MissingMonthsMax = v
		good = good && ok
	}
	if n, ok := e.f.m["missing_months_confidence"]; ok {
		if c, _ := pr.scalar(n, e.name+" missing_months_confidence"); !contains(confidences, c) {
			pr.add(n.Line, "%s: missing_months_confidence phải là một trong: %s", e.name, strings.Join(confidences, ", "))
			good = false
		}
	}
	return r, good
}

func parseLumpSum(pr *problems, e entry) (LumpSumRule, bool) {
	var r LumpSumRule
	var ok1, ok2, ok3, ok4 bool
	r.PerYearBefore, ok1 = e.number(pr, "per_year_before", dec("0.1"), dec("10"))
	r.PerYearFrom, ok2 = e.number(pr, "per_year_from", dec("0.1"), dec("10"))
	r.SplitYear, ok3 = e.integer(pr, "split_year", 1990, 2100)
	r.UnderOneYearCap, ok4 = e.number(pr, "under_one_year_cap", dec("0.1"), dec("10"))
	good := ok1 && ok2 && ok3 && ok4
	if n, ok := e.f.m["new_participants_from"]; ok {
		r.NewParticipantsFrom, ok = pr.date(n, e.name+" new_participants_from")
		good = good && ok
	}
	if n, ok := e.f.m["incapacity_percent"]; ok {
		r.IncapacityPercent, ok = pr.number(n, e.name+" incapacity_percent", dec("1"), dec("100"))
		good = good && ok
	}
	if _, ok := e.f.m["stop_route_max_years"]; ok {
		r.StopRouteMaxYears, ok = e.integer(pr, "stop_route_max_years", 1, 60)
		good = good && ok
	}
	return r, good
}

func parseRetirement(pr *problems, n *yaml.Node) RetirementSchedule {
	var s RetirementSchedule
	s.Line = n.Line
	f, ok := pr.mapping(n, "retirement_age", "source", "confidence", "before", "schedule")
	if !ok {
		return s
	}
	s.Source, _ = parseSource(pr, f, "retirement_age")
	if bn, ok := pr.need(f, "before", "retirement_age"); ok {
		s.BeforeLineNo = bn.Line
		if bf, ok := pr.mapping(bn, "retirement_age before", "male", "female"); ok {
			s.Before = map[Sex]Age{}
			for _, sex := range []Sex{Male, Female} {
				if an, ok := pr.need(bf, string(sex), "retirement_age before"); ok {
					if a, ok := pr.age(an, "retirement_age before "+string(sex)); ok {
						s.Before[sex] = a
					}
				}
			}
		}
	}
	sn, ok := pr.need(f, "schedule", "retirement_age")
	if !ok {
		return s
	}
	items, ok := pr.sequence(sn, "retirement_age schedule")
	if !ok {
		return s
	}
	for _, it := range items {
		rf, ok := pr.mapping(it, "retirement_age schedule", "year", "male", "female")
		if !ok {
			continue
		}
		row := AgeRow{Line: it.Line}
		var ok1, ok2, ok3 bool
		if yn, ok := pr.need(rf, "year", "retirement_age schedule"); ok {
			row.Year, ok1 = pr.integer(yn, "retirement_age year", 2000, 2100)
		}
		if mn, ok := pr.need(rf, "male", "retirement_age schedule"); ok {
			row.Male, ok2 = pr.age(mn, "retirement_age male")
		}
		if fn, ok := pr.need(rf, "female", "retirement_age schedule"); ok {
			row.Female, ok3 = pr.age(fn, "retirement_age female")
		}
		if !(ok1 && ok2 && ok3) {
			continue
		}
		if k := len(s.Rows); k > 0 {
			prev := s.Rows[k-1]
			if row.Year != prev.Year+1 {
				pr.add(it.Line, "retirement_age: năm %d phải liền sau năm %d (dòng %d), không bỏ năm nào", row.Year, prev.Year, prev.Line)
			}
			if row.Male.InMonths() < prev.Male.InMonths() || row.Female.InMonths() < prev.Female.InMonths() {
				pr.add(it.Line, "retirement_age: tuổi nghỉ hưu không được giảm so với năm trước")
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

func parseCoefficients(pr *problems, n *yaml.Node) []CoefficientTable {
	items, ok := pr.sequence(n, "income_coefficients")
	if !ok {
		return nil
	}
	var out []CoefficientTable
	for _, it := range items {
		f, ok := pr.mapping(it, "income_coefficients", "decision_year", "source", "confidence", "values")
		if !ok {
			continue
		}
		t := CoefficientTable{Line: it.Line, Values: map[int]decimal.Decimal{}}
		good := true
		if yn, ok := pr.need(f, "decision_year", "income_coefficients"); ok {
			t.DecisionYear, ok = pr.integer(yn, "income_coefficients decision_year", 2000, 2100)
			good = good && ok
		} else {
			good = false
		}
		var ok2 bool
		t.Source, ok2 = parseSource(pr, f, "income_coefficients")
		good = good && ok2
		vn, ok := pr.need(f, "values", "income_coefficients")
		if !ok || vn.Kind != yaml.MappingNode {
			if ok {
				pr.add(vn.Line, "income_coefficients values: cần các dòng dạng `năm đóng: hệ số`, ví dụ `2020: 1.16`")
			}
			continue
		}
		var years []int
		for i := 0; i+1 < len(vn.Content); i += 2 {
			kn, v := vn.Content[i], vn.Content[i+1]
			y, err := strconv.Atoi(kn.Value)
			if err != nil || y < 1990 || y > 2100 {
				pr.add(kn.Line, "income_coefficients: %q không phải năm đóng (1990–2100)", kn.Value)
				good = false
				continue
			}
			if _, dup := t.Values[y]; dup {
				pr.add(kn.Line, "income_coefficients: năm %d ghi hai lần", y)
				good = false
				continue
			}
			c, ok := pr.number(v, fmt.Sprintf("income_coefficients %d", y), dec("1"), dec("10"))
			if !ok {
				good = false
				continue
			}
			if t.DecisionYear != 0 && y > t.DecisionYear {
				pr.add(kn.Line, "income_coefficients: năm đóng %d sau năm giải quyết %d", y, t.DecisionYear)
				good = false
			}
			t.Values[y] = c
			years = append(years, y)
		}
		sort.Ints(years)
		for i := 1; i < len(years); i++ {
			if years[i] != years[i-1]+1 {
				pr.add(vn.Line, "income_coefficients %d: thiếu hệ số cho các năm giữa %d và %d", t.DecisionYear, years[i-1], years[i])
				good = false
			}
		}
		if len(years) == 0 {
			pr.add(vn.Line, "income_coefficients %d: chưa có hệ số nào", t.DecisionYear)
			good = false
		}
		for _, o := range out {
			if o.DecisionYear == t.DecisionYear {
				pr.add(it.Line, "income_coefficients: năm giải quyết %d ghi hai lần (dòng %d)", t.DecisionYear, o.Line)
				good = false
			}
		}
		if good {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DecisionYear < out[j].DecisionYear })
	return out
}

// problemLine extracts LINE from "rates.yaml:LINE: message" for sorting.
func problemLine(p string) int {
	rest := strings.TrimPrefix(p, RatesFile+":")
	n, _ := strconv.Atoi(rest[:max(0, strings.Index(rest, ":"))])
	return n
}
