package calc

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// maxLumpSumMonths bounds the record length to catch typing mistakes.
const maxLumpSumMonths = 12 * 60

// LumpSum estimates a voluntary-SI lump-sum withdrawal decided on in.Date.
//
// Steps and rounding:
//   - each month's income is multiplied by the adjustment coefficient of its
//     contribution year from the table for the decision year (a decision year
//     without a table is refused: we do not invent coefficients);
//   - AverageIncome = Σ adjusted income ÷ months, rounded half-up to whole đồng;
//   - years: months before 2014 count in whole years and their odd months
//     move to the period from 2014 (the way BHXH applied the old guidance;
//     background knowledge, not in the facts sheet, only matters for records
//     that start before 2014); in the period from 2014 odd months 1–6 count
//     as half a year and 7–11 as a whole year (L41 Art. 5(6));
//   - Gross = (years before 2014 × 1,5 + years from 2014 × 2) × AverageIncome,
//     rounded half-up; with less than 12 months in total Gross is what was
//     contributed (22 % × income each month) but at most 2 × AverageIncome;
//   - SupportDeducted = Σ over months of the support in force THAT month
//     (support % of the group × 22 % × rural poverty line of that month, each
//     month rounded half-up), stopping after 120 supported months counted from
//     07/2025 (months before 07/2025 are not counted toward the cap: facts
//     open question 4);
//   - Amount = Gross − SupportDeducted (not below 0); PaidByPerson = Σ
//     contributed − SupportDeducted.
//
// Note on facts.md §5.4: its worked example (01/2021–12/2025, "others",
// 1.500.000) counts 54 months × 33.000 of support, but in 2021 the rural
// poverty line was 700.000 (facts §3.2), so 2021 support was 10 % × 22 % ×
// 700.000 = 15.400 a month. By the dated rules the support is 12 × 15.400 +
// 42 × 33.000 + 6 × 66.000 = 1.966.800 (not 2.178.000) and the net amount
// 14.083.200 (not ≈ 13.872.000). The average 1.605.000 and gross 16.050.000
// are as in facts.
//
// Errors (*InputError): no periods, a bad period (end before start, bad
// group, income not a positive whole amount, income outside the floor or
// ceiling of a month), overlapping periods, no coefficient table for the
// decision year or no coefficient for a contribution year, no parameters for
// a month or the decision date.
func (c *Calculator) LumpSum(in LumpSumInput) (LumpSumResult, error) {
	d := day(in.Date)
	res := LumpSumResult{Input: in}
	if len(in.Periods) == 0 {
		return res, &InputError{Msg: "Cần ít nhất một khoảng thời gian đã đóng (từ tháng nào đến tháng nào)."}
	}
	if in.Sex != "" && in.Sex != Male && in.Sex != Female {
		return res, &InputError{Msg: "Giới tính phải là nam hoặc nữ."}
	}
	col := &collector{}
	lr, err := at(c.p.LumpSum, d, "cách tính BHXH một lần")
	if err != nil {
		return res, err
	}
	rule := use(col, lr, "Cách tính BHXH một lần")
	table, ok := c.p.CoefficientsFor(d.Year())
	if !ok {
		return res, &InputError{Msg: fmt.Sprintf("Hệ số điều chỉnh thu nhập cho năm %d chưa được công bố trong dữ liệu của chúng tôi, "+
			"nên chưa tính được số tiền rút một lần. Bạn hỏi tổng đài %s giúp mình nhé.", d.Year(), Hotline)}
	}
	col.source(table.Source)
	periods := append([]Period(nil), in.Periods...)
	sort.Slice(periods, func(i, j int) bool { return periods[i].From.Before(periods[j].From) })
	total := 0
	for i, p := range periods {
		if p.From.Month < 1 || p.From.Month > 12 || p.To.Month < 1 || p.To.Month > 12 {
			return res, &InputError{Msg: "Tháng chưa hợp lệ. Ghi theo dạng năm-tháng, ví dụ 2021-01."}
		}
		if p.To.Before(p.From) {
			return res, &InputError{Msg: fmt.Sprintf("Tháng kết thúc %s đang trước tháng bắt đầu %s.", p.To, p.From)}
		}
		if !p.Group.Valid() {
			_, err := ParseGroup(string(p.Group))
			return res, err
		}
		if p.Income.Sign() <= 0 || !p.Income.Equal(p.Income.Truncate(0)) {
			return res, &InputError{Msg: "Thu nhập đã chọn đóng phải là số tiền dương, tính bằng đồng chẵn."}
		}
		if i > 0 && !periods[i-1].To.Before(p.From) {
			return res, &InputError{Msg: fmt.Sprintf("Hai khoảng thời gian trùng nhau (%s–%s và %s–%s).",
				periods[i-1].From, periods[i-1].To, p.From, p.To)}
		}
		total += (p.To.Year-p.From.Year)*12 + int(p.To.Month) - int(p.From.Month) + 1
		if total > maxLumpSumMonths {
			return res, &InputError{Msg: fmt.Sprintf("Thời gian đóng quá dài (hơn %d năm). Bạn kiểm tra lại giúp mình nhé.", maxLumpSumMonths/12)}
		}
	}

	adjusted, contributed, support := decimal.Zero, decimal.Zero, decimal.Zero
	before2014, capped := 0, 0
	capCounted, capNoted := 0, false
	decisionMonth := Month{Year: d.Year(), Month: d.Month()}
	afterDecision := false
	firstMonth := periods[0].From
	for _, p := range periods {
		for m := p.From; !p.To.Before(m); m = m.add(1) {
			day1 := firstOf(m)
			coef, ok := table.Values[m.Year]
			if !ok {
				return res, &InputError{Msg: fmt.Sprintf("Chưa có hệ số điều chỉnh thu nhập cho năm đóng %d (bảng năm %d). Bạn hỏi tổng đài %s giúp mình nhé.",
					m.Year, table.DecisionYear, Hotline)}
			}
			if decisionMonth.Before(m) {
				afterDecision = true
			}
			if m.Year < 2014 {
				before2014++
			}
			adjusted = adjusted.Add(p.Income.Mul(coef))
			rate, err := at(c.p.VSIRate, day1, "tỷ lệ đóng BHXH tự nguyện")
			if err != nil {
				return res, err
			}
			ratePct := use(col, rate, "Tỷ lệ đóng")
			contributed = contributed.Add(dong(percentOf(p.Income, ratePct)))
			line, hasLine := c.p.RuralPovertyLine.At(day1)
			if hasLine && p.Income.LessThan(line.Value) {
				return res, &InputError{Msg: fmt.Sprintf("Tháng %s: thu nhập %s thấp hơn mức tối thiểu lúc đó (%s).",
					m, FormatVND(p.Income), FormatVND(line.Value))}
			}
			if ref, ok := c.p.ReferenceLevel.At(day1); ok {
				if mult, ok := c.p.CeilingMultiplier.At(day1); ok && p.Income.GreaterThan(ref.Value.Mul(mult.Value)) {
					return res, &InputError{Msg: fmt.Sprintf("Tháng %s: thu nhập %s cao hơn mức tối đa lúc đó (%s).",
						m, FormatVND(p.Income), FormatVND(ref.Value.Mul(mult.Value)))}
				}
			}
			sp, err := at(c.p.SupportPercent, day1, "mức hỗ trợ của Nhà nước")
			if err != nil {
				return res, err
			}
			pct := use(col, sp, "Mức hỗ trợ")[p.Group]
			if pct.Sign() == 0 {
				continue
			}
			if !hasLine {
				return res, &InputError{Msg: fmt.Sprintf("Chưa có dữ liệu chuẩn hộ nghèo cho tháng %s. Bạn hỏi tổng đài %s giúp mình nhé.", m, Hotline)}
			}
			use(col, line, "Chuẩn hộ nghèo nông thôn")
			cp, err := at(c.p.SupportCapMonths, day1, "thời gian hỗ trợ")
			if err != nil {
				return res, err
			}
			if capm := use(col, cp, "Thời gian hỗ trợ"); capm > 0 {
				if capCounted >= capm {
					if !capNoted {
						col.note(fmt.Sprintf("Nhà nước chỉ hỗ trợ tối đa %d tháng; từ tháng %s không còn hỗ trợ nên không bị trừ.", capm, m))
						capNoted = true
					}
					continue
				}
				capCounted++
			}
			support = support.Add(dong(percentOf(percentOf(line.Value, ratePct), pct)))
			capped++
		}
	}
	res.Months = total
	res.Contributed = contributed
	res.SupportDeducted = support
	res.SupportMonths = capped
	res.AverageIncome = dong(adjusted.Div(decimal.NewFromInt(int64(total))))
	res.YearsBefore2014, res.YearsFrom2014 = lumpSumYears(before2014, total-before2014)
	if total < 12 {
		res.Gross = decimal.Min(contributed, dong(rule.UnderOneYearCap.Mul(res.AverageIncome)))
		col.note(fmt.Sprintf("Đóng chưa đủ 1 năm: nhận lại số đã đóng, tối đa %s lần thu nhập bình quân.", viPercent(rule.UnderOneYearCap)))
	} else {
		res.Gross = dong(res.YearsBefore2014.Mul(rule.PerYearBefore2014).Add(res.YearsFrom2014.Mul(rule.PerYearFrom2014)).Mul(res.AverageIncome))
	}
	res.Amount = res.Gross.Sub(support)
	if res.Amount.IsNegative() {
		res.Amount = decimal.Zero
	}
	res.PaidByPerson = contributed.Sub(support)
	c.comparePension(&res, in.Sex, d, col)
	if afterDecision {
		col.note("Có tháng đóng sau ngày tính; kết quả coi như các tháng đó đã được đóng đủ.")
	}
	if !firstMonth.Before(Month{Year: 2025, Month: time.July}) {
		col.note("Người bắt đầu đóng từ 01/07/2025 chỉ được rút một lần khi đủ tuổi nghỉ hưu mà chưa đủ 15 năm, ra nước ngoài định cư, " +
			"mắc bệnh hiểm nghèo hoặc suy giảm khả năng lao động từ 81 % (Luật 41/2024, Điều 102).")
	}
	col.note("Khi rút vì bệnh hiểm nghèo hoặc suy giảm khả năng lao động từ 81 %, tiền hỗ trợ của Nhà nước không bị trừ.")
	col.note(fmt.Sprintf("Hệ số điều chỉnh năm %d lấy từ %s (độ tin cậy %s); số tiền chính xác do BHXH tính.",
		table.DecisionYear, table.Source.Ref, confidenceVI(table.Source.Confidence)))
	res.Sources, res.Notes = col.sources, col.notes
	return res, nil
}

// lumpSumYears turns months before 2014 and from 2014 into the years the
// multipliers apply to (see LumpSum).
func lumpSumYears(before, from int) (decimal.Decimal, decimal.Decimal) {
	yBefore := before / 12
	from += before % 12
	y := decimal.NewFromInt(int64(from / 12))
	switch odd := from % 12; {
	case odd >= 7:
		y = y.Add(decimal.NewFromInt(1))
	case odd >= 1:
		y = y.Add(decimal.RequireFromString("0.5"))
	}
	return decimal.NewFromInt(int64(yBefore)), y
}

// comparePension fills Compare and Comparison: the lump sum against the
// pension the same average income would give with at least the minimum years.
func (c *Calculator) comparePension(res *LumpSumResult, sex Sex, d time.Time, col *collector) {
	pr, ok := c.p.Pension.At(d)
	if !ok || res.Amount.Sign() == 0 {
		return
	}
	col.source(pr.Source)
	years := res.Months / 12
	if years < pr.Value.MinYears {
		years = pr.Value.MinYears
	}
	sexes := []Sex{Female, Male}
	if sex != "" {
		sexes = []Sex{sex}
	}
	var parts []string
	for _, s := range sexes {
		rate := pr.Value.Rate(s, years)
		monthly := dong(percentOf(res.AverageIncome, rate))
		if monthly.Sign() == 0 {
			continue
		}
		months := res.Amount.DivRound(monthly, 4).Round(1)
		res.Compare = append(res.Compare, PensionCompare{Sex: s, Years: years, RatePercent: rate, Monthly: monthly, Months: months})
		parts = append(parts, fmt.Sprintf("khoảng %s tháng lương hưu của %s (%s/tháng)", viPercent(months), strings.ToLower(s.Label()), FormatVND(monthly)))
	}
	if len(parts) == 0 {
		return
	}
	res.Comparison = fmt.Sprintf("Số tiền rút một lần %s chỉ bằng %s (nếu đóng đủ %d năm với cùng mức thu nhập). "+
		"Lương hưu được trả hằng tháng suốt đời, có điều chỉnh tăng và có thẻ BHYT miễn phí; rút một lần thì mất hết thời gian đã đóng.",
		FormatVND(res.Amount), strings.Join(parts, " hoặc "), years)
}
