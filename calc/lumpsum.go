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
//   - the average income is Σ adjusted income ÷ months at full precision;
//     AverageIncome shows it rounded half-up to whole đồng, but every amount
//     below is computed from the exact average and rounded once, at the end;
//   - years: months before the rule's split year (2014) count in whole years
//     and their odd months move to the period from it (the way BHXH applied
//     the old guidance; background knowledge, not in the facts sheet, only
//     matters for records that start before 2014); in the period from 2014
//     odd months 1–6 count as half a year and 7–11 as a whole year (L41
//     Art. 5(6));
//   - Gross = (years before × 1,5 + years from × 2) × average, rounded
//     half-up; with less than 12 months in total Gross is what was
//     contributed (22 % × income each month) but at most 2 × average;
//   - SupportDeducted = Σ over months of the support in force THAT month
//     (support % of the group × 22 % × rural poverty line of that month, each
//     month rounded half-up), for at most the cap in force (120 months under
//     Decree 134/2015 from 2018 and Decree 159/2025 from 07/2025). One count
//     runs over the whole record; whether months supported before 07/2025
//     count toward the 120 months of Decree 159/2025 is open (facts open
//     question 4), so when counting them apart would deduct more, a note
//     gives that amount too;
//   - Amount = Gross − SupportDeducted (not below 0); PaidByPerson = Σ
//     contributed − SupportDeducted.
//
// Note on facts.md §5.4: its worked example (01/2021–12/2025, "others",
// 1.500.000) gives support 12 × 15.400 + 42 × 33.000 + 6 × 66.000 =
// 1.966.800 and the net amount 14.083.200, which is what this computes.
//
// Each month's income must lie between the rural poverty line and 20 × the
// reference level of that month where rates.yaml has them (from 2016); older
// months are not checked, and a note says so.
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
	res.Rule = rule
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

	adjusted, contributed := decimal.Zero, decimal.Zero
	before := 0
	var sup supportCount
	decisionMonth := Month{Year: d.Year(), Month: d.Month()}
	afterDecision, unchecked := false, false
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
			if m.Year < rule.SplitYear {
				before++
			}
			adjusted = adjusted.Add(p.Income.Mul(coef))
			rate, err := at(c.p.VSIRate, day1, "tỷ lệ đóng BHXH tự nguyện")
			if err != nil {
				return res, err
			}
			ratePct := use(col, rate, "Tỷ lệ đóng")
			contributed = contributed.Add(dong(percentOf(p.Income, ratePct)))
			line, hasLine := c.p.RuralPovertyLine.At(day1)
			checked, err := c.checkMonthIncome(m, p.Income, line, hasLine)
			if err != nil {
				return res, err
			}
			unchecked = unchecked || !checked
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
			use(col, cp, "Thời gian hỗ trợ")
			sup.add(m, cp, dong(percentOf(percentOf(line.Value, ratePct), pct)))
		}
	}
	res.Months = total
	res.Contributed = contributed
	res.SupportDeducted = sup.shared
	res.SupportMonths = sup.sharedMonths
	average := adjusted.Div(decimal.NewFromInt(int64(total)))
	res.AverageIncome = dong(average)
	res.YearsBefore2014, res.YearsFrom2014 = lumpSumYears(before, total-before)
	if total < 12 {
		res.Gross = decimal.Min(contributed, dong(rule.UnderOneYearCap.Mul(average)))
		col.note(fmt.Sprintf("Đóng chưa đủ 1 năm: nhận lại số đã đóng, tối đa %s lần thu nhập bình quân.", viPercent(rule.UnderOneYearCap)))
	} else {
		res.Gross = dong(res.YearsBefore2014.Mul(rule.PerYearBefore).Add(res.YearsFrom2014.Mul(rule.PerYearFrom)).Mul(average))
	}
	res.Amount = decimal.Max(res.Gross.Sub(sup.shared), decimal.Zero)
	res.PaidByPerson = contributed.Sub(sup.shared)
	c.comparePension(&res, average, in.Sex, d, col)
	if sup.apart.GreaterThan(sup.shared) {
		col.note(fmt.Sprintf("Nhà nước hỗ trợ tối đa %d tháng cho mỗi người. Ở đây các tháng được hỗ trợ trước 01/07/2025 được tính vào giới hạn đó; "+
			"điều này chưa được xác nhận. Nếu không tính, số tiền hỗ trợ bị trừ là %s và bạn nhận khoảng %s.",
			sup.capOf(), FormatVND(sup.apart), FormatVND(decimal.Max(res.Gross.Sub(sup.apart), decimal.Zero))))
	} else if sup.capped != (Month{}) {
		col.note(fmt.Sprintf("Nhà nước chỉ hỗ trợ tối đa %d tháng; từ tháng %s không còn hỗ trợ nên không bị trừ.", sup.capOf(), sup.capped))
	}
	if afterDecision {
		col.note("Có tháng đóng sau ngày tính; kết quả coi như các tháng đó đã được đóng đủ.")
	}
	if unchecked {
		col.note("Thu nhập của các tháng trước năm 2016 chưa được đối chiếu với mức thấp nhất, cao nhất lúc đó.")
	}
	c.noteWithdrawal(col, rule, firstMonth)
	col.note(fmt.Sprintf("Hệ số điều chỉnh năm %d lấy từ %s (độ tin cậy %s); số tiền chính xác do BHXH tính.",
		table.DecisionYear, table.Source.Ref, confidenceVI(table.Source.Confidence)))
	res.Sources, res.Notes = col.sources, col.notes
	return res, nil
}

// checkMonthIncome checks a month's income against the floor (the rural
// poverty line) and the ceiling (multiplier × reference level) of that
// month. It reports false when rates.yaml has no ceiling rule for the month
// (before 2016), so nothing could be checked; a ceiling rule without a
// reference level is an error, never a silent pass.
func (c *Calculator) checkMonthIncome(m Month, income decimal.Decimal, line Dated[decimal.Decimal], hasLine bool) (bool, error) {
	day1 := firstOf(m)
	if hasLine && income.LessThan(line.Value) {
		return true, &InputError{Msg: fmt.Sprintf("Tháng %s: thu nhập %s thấp hơn mức tối thiểu lúc đó (%s).",
			m, FormatVND(income), FormatVND(line.Value))}
	}
	mult, ok := c.p.CeilingMultiplier.At(day1)
	if !ok {
		return false, nil
	}
	ref, err := at(c.p.ReferenceLevel, day1, "mức tham chiếu (lương cơ sở)")
	if err != nil {
		return true, err
	}
	if ceiling := ref.Value.Mul(mult.Value); income.GreaterThan(ceiling) {
		return true, &InputError{Msg: fmt.Sprintf("Tháng %s: thu nhập %s cao hơn mức tối đa lúc đó (%s).",
			m, FormatVND(income), FormatVND(ceiling))}
	}
	return hasLine, nil
}

// noteWithdrawal adds the rule's notes on who may withdraw and when the
// state support is not deducted.
func (c *Calculator) noteWithdrawal(col *collector, rule LumpSumRule, first Month) {
	incapacity := ""
	if rule.IncapacityPercent.Sign() > 0 {
		incapacity = fmt.Sprintf(" hoặc suy giảm khả năng lao động từ %s %%", viPercent(rule.IncapacityPercent))
	}
	if from := rule.NewParticipantsFrom; !from.IsZero() && !firstOf(first).Before(from) {
		col.note(fmt.Sprintf("Người bắt đầu đóng từ %s chỉ được rút một lần khi đủ tuổi nghỉ hưu mà chưa đủ 15 năm, ra nước ngoài định cư, "+
			"mắc bệnh hiểm nghèo%s (Luật 41/2024, Điều 102).", viDate(from), incapacity))
	}
	if incapacity != "" {
		col.note(fmt.Sprintf("Khi rút vì bệnh hiểm nghèo%s, tiền hỗ trợ của Nhà nước không bị trừ.", incapacity))
	}
}

// supportCount adds up the state support of the supported months under the
// cap, counted in two ways: one count over the whole record (shared) and a
// fresh count for each cap rule (apart), the reading in which months before
// 07/2025 do not count toward Decree 159/2025's 120 months.
type supportCount struct {
	shared, apart decimal.Decimal
	sharedMonths  int
	apartMonths   int
	rule          int // line of the cap rule the apart count belongs to
	cap           int // cap of the last supported month
	capped        Month
}

func (s *supportCount) add(m Month, capRule Dated[int], amount decimal.Decimal) {
	if capRule.Line != s.rule {
		s.rule, s.apartMonths = capRule.Line, 0
	}
	s.cap = capRule.Value
	if s.cap == 0 || s.apartMonths < s.cap {
		s.apart = s.apart.Add(amount)
		s.apartMonths++
	}
	if s.cap > 0 && s.sharedMonths >= s.cap {
		if s.capped == (Month{}) {
			s.capped = m
		}
		return
	}
	s.shared = s.shared.Add(amount)
	s.sharedMonths++
}

func (s *supportCount) capOf() int { return s.cap }

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
func (c *Calculator) comparePension(res *LumpSumResult, average decimal.Decimal, sex Sex, d time.Time, col *collector) {
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
		monthly := dong(percentOf(average, rate))
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
