package calc

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// ParamsError lists every problem found in rates.yaml, one
// "rates.yaml:LINE: message" per entry.
type ParamsError struct{ Problems []string }

func (e *ParamsError) Error() string {
	return "calc: " + RatesFile + " is invalid:\n" + strings.Join(e.Problems, "\n")
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

var yamlLineRe = regexp.MustCompile(`line (\d+): (.*)`)

// ParseParams validates the bytes of a rates.yaml file; see LoadParams.
func ParseParams(data []byte) (p *Params, err error) {
	defer func() { // the YAML library is outside input handling: never let it panic us
		if r := recover(); r != nil {
			p, err = nil, &ParamsError{Problems: []string{fmt.Sprintf("%s:1: cannot read the file: %v", RatesFile, r)}}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var probs []string
		for _, line := range strings.Split(err.Error(), "\n") {
			if m := yamlLineRe.FindStringSubmatch(line); m != nil {
				probs = append(probs, fmt.Sprintf("%s:%s: %s", RatesFile, m[1], m[2]))
			}
		}
		if len(probs) == 0 {
			probs = []string{fmt.Sprintf("%s:1: %v", RatesFile, err)}
		}
		return nil, &ParamsError{Problems: probs}
	}
	pr := &problems{}
	if len(doc.Content) == 0 {
		pr.add(1, "the file is empty")
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
		"hi_rate_percent", "hi_member_ratios", "hi_payment_months", "social_pension", "maternity_support", "funeral_multiplier",
		"pension", "lump_sum", "retirement_age", "income_coefficients"}
	f, ok := pr.mapping(root, "top level", keys...)
	if !ok {
		return nil
	}
	for _, k := range keys {
		pr.need(f, k, "top level")
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
	p.SocialPension = parseSeries(pr, f, "social_pension", []string{"value"}, money("10000", "100000000"))
	p.MaternitySupport = parseSeries(pr, f, "maternity_support", []string{"value"}, money("10000", "100000000"))
	p.FuneralMultiplier = parseSeries(pr, f, "funeral_multiplier", []string{"value"}, money("1", "100"))
	p.Pension = parseSeries(pr, f, "pension", []string{"min_years", "max_percent", "female", "male",
		"missing_months_max", "missing_months_confidence"}, parsePension)
	p.LumpSum = parseSeries(pr, f, "lump_sum", []string{"per_year_before_2014", "per_year_from_2014", "under_one_year_cap"}, parseLumpSum)
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

// parseSource reads source and confidence.
func parseSource(pr *problems, f fields, what string) (Source, bool) {
	var src Source
	okAll := true
	if n, ok := pr.need(f, "source", what); ok {
		src.Ref, ok = pr.text(n, what+" source")
		okAll = okAll && ok
	} else {
		okAll = false
	}
	if n, ok := pr.need(f, "confidence", what); ok {
		if c, ok := pr.scalar(n, what+" confidence"); ok && contains(confidences, c) {
			src.Confidence = c
		} else {
			pr.add(n.Line, "%s: confidence must be one of %s", what, strings.Join(confidences, ", "))
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
				pr.add(tn.Line, "%s: to %s is before from %s", name, d.To.Format(time.DateOnly), d.From.Format(time.DateOnly))
				good = false
			}
		}
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
				pr.add(sn.Line, "%s: status must be planned or in-force, not %q", name, st)
				good = false
			}
		}
		d.Value, ok2 = val(pr, e)
		if good && ok2 {
			s.Entries = append(s.Entries, d)
		}
	}
	checkContinuity(pr, s)
	return s
}

// checkContinuity reports entries out of order, overlapping, or leaving gaps.
func checkContinuity[T any](pr *problems, s Series[T]) {
	for i := 1; i < len(s.Entries); i++ {
		prev, cur := s.Entries[i-1], s.Entries[i]
		switch {
		case !cur.From.After(prev.From):
			pr.add(cur.Line, "%s: entries must be in date order: from %s is not after %s (line %d)",
				s.Name, cur.From.Format(time.DateOnly), prev.From.Format(time.DateOnly), prev.Line)
		case prev.To.IsZero():
			pr.add(cur.Line, "%s: overlaps the entry at line %d, which has no `to` date", s.Name, prev.Line)
		case !cur.From.After(prev.To):
			pr.add(cur.Line, "%s: from %s overlaps the entry at line %d (to %s)",
				s.Name, cur.From.Format(time.DateOnly), prev.Line, prev.To.Format(time.DateOnly))
		case !cur.From.Equal(prev.To.AddDate(0, 0, 1)):
			pr.add(cur.Line, "%s: gap between %s (line %d) and %s: no value for the days in between",
				s.Name, prev.To.Format(time.DateOnly), prev.Line, cur.From.Format(time.DateOnly))
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
	var m PaymentMethods
	n, ok := pr.need(e.f, "months", e.name)
	if !ok {
		return m, false
	}
	items, ok := pr.sequence(n, e.name+" months")
	if !ok {
		return m, false
	}
	good := true
	for _, it := range items {
		v, ok := pr.integer(it, e.name+" months", 1, 12)
		good = good && ok
		m.Months = append(m.Months, v)
	}
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
			pr.add(it.Line, "%s: the first member pays 100 %%, not %s", e.name, v)
			good = false
		}
		if len(out) > 0 && v.GreaterThan(out[len(out)-1]) {
			pr.add(it.Line, "%s: a later member cannot pay more than an earlier one (%s > %s)", e.name, v, out[len(out)-1])
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
			pr.add(it.Line, "%s: bands must be in increasing years", what)
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
			pr.add(n.Line, "%s: missing_months_confidence must be one of %s", e.name, strings.Join(confidences, ", "))
			good = false
		}
	}
	return r, good
}

func parseLumpSum(pr *problems, e entry) (LumpSumRule, bool) {
	var r LumpSumRule
	var ok1, ok2, ok3 bool
	r.PerYearBefore2014, ok1 = e.number(pr, "per_year_before_2014", dec("0.1"), dec("10"))
	r.PerYearFrom2014, ok2 = e.number(pr, "per_year_from_2014", dec("0.1"), dec("10"))
	r.UnderOneYearCap, ok3 = e.number(pr, "under_one_year_cap", dec("0.1"), dec("10"))
	return r, ok1 && ok2 && ok3
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
				pr.add(it.Line, "retirement_age: year %d must follow %d (line %d) without gaps", row.Year, prev.Year, prev.Line)
			}
			if row.Male.InMonths() < prev.Male.InMonths() || row.Female.InMonths() < prev.Female.InMonths() {
				pr.add(it.Line, "retirement_age: ages must not go down from one year to the next")
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
				pr.add(vn.Line, "income_coefficients values: expected contribution year: coefficient")
			}
			continue
		}
		var years []int
		for i := 0; i+1 < len(vn.Content); i += 2 {
			kn, v := vn.Content[i], vn.Content[i+1]
			y, err := strconv.Atoi(kn.Value)
			if err != nil || y < 1990 || y > 2100 {
				pr.add(kn.Line, "income_coefficients: %q is not a contribution year", kn.Value)
				good = false
				continue
			}
			if _, dup := t.Values[y]; dup {
				pr.add(kn.Line, "income_coefficients: year %d given twice", y)
				good = false
				continue
			}
			c, ok := pr.number(v, fmt.Sprintf("income_coefficients %d", y), dec("1"), dec("10"))
			if !ok {
				good = false
				continue
			}
			if t.DecisionYear != 0 && y > t.DecisionYear {
				pr.add(kn.Line, "income_coefficients: contribution year %d is after the decision year %d", y, t.DecisionYear)
				good = false
			}
			t.Values[y] = c
			years = append(years, y)
		}
		sort.Ints(years)
		for i := 1; i < len(years); i++ {
			if years[i] != years[i-1]+1 {
				pr.add(vn.Line, "income_coefficients %d: no coefficient for the years between %d and %d", t.DecisionYear, years[i-1], years[i])
				good = false
			}
		}
		if len(years) == 0 {
			pr.add(vn.Line, "income_coefficients %d: no values", t.DecisionYear)
			good = false
		}
		for _, o := range out {
			if o.DecisionYear == t.DecisionYear {
				pr.add(it.Line, "income_coefficients: decision year %d given twice (line %d)", t.DecisionYear, o.Line)
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
