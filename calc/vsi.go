package calc

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// vsiRules are the voluntary-SI values in force on one day.
type vsiRules struct {
	floor, ceiling decimal.Decimal
	ratePct        decimal.Decimal
	supportPct     map[Group]decimal.Decimal
	line           decimal.Decimal
	capMonths      int
	methods        PaymentMethods
	step           decimal.Decimal
}

func (c *Calculator) vsiRules(d time.Time, col *collector) (vsiRules, error) {
	var r vsiRules
	line, err := at(c.p.RuralPovertyLine, d, "chuẩn hộ nghèo nông thôn")
	if err != nil {
		return r, err
	}
	ref, err := at(c.p.ReferenceLevel, d, "mức tham chiếu (lương cơ sở)")
	if err != nil {
		return r, err
	}
	rate, err := at(c.p.VSIRate, d, "tỷ lệ đóng BHXH tự nguyện")
	if err != nil {
		return r, err
	}
	mult, err := at(c.p.CeilingMultiplier, d, "mức trần thu nhập")
	if err != nil {
		return r, err
	}
	sup, err := at(c.p.SupportPercent, d, "mức hỗ trợ của Nhà nước")
	if err != nil {
		return r, err
	}
	capm, err := at(c.p.SupportCapMonths, d, "thời gian hỗ trợ")
	if err != nil {
		return r, err
	}
	meth, err := at(c.p.PaymentMethods, d, "phương thức đóng")
	if err != nil {
		return r, err
	}
	r.line = use(col, line, fmt.Sprintf("Chuẩn hộ nghèo nông thôn %s", FormatVND(line.Value)))
	r.floor = r.line
	r.ceiling = use(col, ref, "Mức tham chiếu").Mul(use(col, mult, "Mức trần"))
	r.ratePct = use(col, rate, "Tỷ lệ đóng")
	r.supportPct = use(col, sup, "Mức hỗ trợ")
	r.capMonths = use(col, capm, "Thời gian hỗ trợ")
	r.methods = use(col, meth, "Phương thức đóng")
	if st, ok := c.p.IncomeStep.At(d); ok {
		r.step = st.Value
	}
	return r, nil
}

// support returns the state support per month for g: pct × rate × rural
// poverty line, rounded half-up to whole đồng (exact for every value so far:
// e.g. 20 % × 22 % × 1.500.000 = 66.000).
func (r vsiRules) support(g Group) decimal.Decimal {
	return dong(percentOf(percentOf(r.line, r.ratePct), r.supportPct[g]))
}

// rangeError is the refusal for an income outside [floor, ceiling].
func rangeError(r vsiRules, d time.Time, income decimal.Decimal) *InputError {
	nearest := r.floor
	if income.GreaterThan(r.ceiling) {
		nearest = r.ceiling
	}
	return &InputError{
		Msg: fmt.Sprintf("Thu nhập chọn đóng phải từ %s đến %s một tháng (quy định ngày %s). Mức gần nhất hợp lệ là %s.",
			FormatVND(r.floor), FormatVND(r.ceiling), viDate(d), FormatVND(nearest)),
		Nearest: nearest,
	}
}

// VSI computes a voluntary SI contribution on in.Date.
//
// Rounding, step by step (all amounts whole đồng, half-up):
//   - GrossMonthly = 22 % × income, rounded (exact for incomes in whole
//     multiples of 50 đ, which is every income BHXH accepts in practice);
//   - SupportMonthly = support % × 22 % × rural poverty line, rounded (exact);
//   - PayableMonthly = GrossMonthly − SupportMonthly;
//   - 1/3/6/12 months: PayableTotal = PayableMonthly × months (no discount);
//   - Years ahead (n): GrossTotal = Σ_{i=1..12n} 22 % × income / (1+r)^(i−1)
//     at full precision, rounded once; PayableTotal = GrossTotal −
//     SupportMonthly × supported months (capped at 120 from 07/2025).
//
// Errors (*InputError): unknown group, method not 1/3/6/12 or years not
// 2..5, income not a positive whole amount, income below the floor or above
// the ceiling (Msg gives the range, Nearest the nearest valid income), no
// parameters for the date.
func (c *Calculator) VSI(in VSIInput) (VSIResult, error) {
	d := day(in.Date)
	res := VSIResult{Input: in}
	if !in.Group.Valid() {
		_, err := ParseGroup(string(in.Group))
		return res, err
	}
	if in.Income.Sign() <= 0 || !in.Income.Equal(in.Income.Truncate(0)) {
		return res, &InputError{Msg: "Thu nhập chọn đóng phải là số tiền dương, tính bằng đồng chẵn."}
	}
	col := &collector{}
	r, err := c.vsiRules(d, col)
	if err != nil {
		return res, err
	}
	if in.Income.LessThan(r.floor) || in.Income.GreaterThan(r.ceiling) {
		return res, rangeError(r, d, in.Income)
	}
	months := 0
	switch {
	case in.Years != 0:
		if in.Years == 1 {
			// 12 months at once is the 12-month method: no discount (L41 Art. 36(2)(d)).
			return res, &InputError{Msg: "Đóng 12 tháng một lần là phương thức 12 tháng, không được giảm. Đóng trước có giảm là từ 2 năm trở lên."}
		}
		if in.Years < AdvanceYearsMin || in.Years > r.methods.AdvanceYearsMax {
			return res, &InputError{Msg: fmt.Sprintf("Đóng trước cho nhiều năm: chọn từ %d đến %d năm.", AdvanceYearsMin, r.methods.AdvanceYearsMax)}
		}
		months = 12 * in.Years
	default:
		for _, m := range r.methods.Months {
			if m == in.Months {
				months = m
			}
		}
		if months == 0 {
			return res, &InputError{Msg: "Phương thức đóng phải là 1, 3, 6 hoặc 12 tháng một lần (hoặc đóng trước từ 2 đến 5 năm)."}
		}
	}
	res.Floor, res.Ceiling = r.floor, r.ceiling
	res.RatePercent = r.ratePct
	res.SupportPercent = r.supportPct[in.Group]
	grossExact := percentOf(in.Income, r.ratePct)
	res.GrossMonthly = dong(grossExact)
	res.SupportMonthly = r.support(in.Group)
	res.PayableMonthly = res.GrossMonthly.Sub(res.SupportMonthly)
	res.PeriodMonths = months
	res.SupportMonths = r.capMonths
	supported := months
	if r.capMonths > 0 && supported > r.capMonths {
		supported = r.capMonths
	}
	res.SupportTotal = res.SupportMonthly.Mul(decimal.NewFromInt(int64(supported)))
	res.UndiscountedTotal = res.GrossMonthly.Mul(decimal.NewFromInt(int64(months))).Sub(res.SupportTotal)
	if in.Years > 0 {
		fr, err := at(c.p.FundRate, d, "lãi suất quỹ (đóng trước nhiều năm)")
		if err != nil {
			return res, err
		}
		rate := use(col, fr, "Lãi suất quỹ")
		res.FundRatePercent = rate
		res.GrossTotal = dong(grossExact.Mul(annuityDue(rate, months)))
		col.note(noteFundRate(rate))
	} else {
		res.GrossTotal = res.GrossMonthly.Mul(decimal.NewFromInt(int64(months)))
	}
	res.PayableTotal = res.GrossTotal.Sub(res.SupportTotal)
	c.noteChangesWithin(col, d, months)
	if r.step.Sign() > 0 && !in.Income.Mod(r.step).IsZero() {
		col.note(fmt.Sprintf("BHXH thường nhận thu nhập chọn đóng theo bội số của %s (quy trình thu, chưa chắc chắn). Đại lý thu có thể đề nghị làm tròn.",
			FormatVND(r.step)))
	}
	if r.capMonths > 0 && res.SupportMonthly.Sign() > 0 {
		col.note(fmt.Sprintf("Nhà nước hỗ trợ tối đa %d tháng (%d năm) cho mỗi người; sau đó bạn đóng đủ %s/tháng.",
			r.capMonths, r.capMonths/12, FormatVND(res.GrossMonthly)))
	}
	col.note("Một số tỉnh hỗ trợ thêm; khoản đó chưa tính ở đây.")
	res.Sources, res.Notes = col.sources, col.notes
	return res, nil
}

// noteChangesWithin adds a note when the rural poverty line or the support
// percentages change during the months paid for (from the month of d, for
// months months): the amounts use the rules of the payment day for the whole
// period, which is all we can say for sure (facts.md does not say how BHXH
// treats a change inside a period already paid, e.g. the planned 2.200.000
// line from 01/01/2027 for someone paying 12 months or 5 years ahead in 2026).
func (c *Calculator) noteChangesWithin(col *collector, d time.Time, months int) {
	start := Month{Year: d.Year(), Month: d.Month()}
	last := firstOf(start.add(months - 1))
	inPeriod := func(from time.Time) bool { return from.After(d) && !from.After(last) }
	for _, e := range c.p.RuralPovertyLine.Entries {
		if inPeriod(e.From) {
			what := "là"
			if e.Planned {
				what = "dự kiến là"
			}
			col.note(fmt.Sprintf("Từ %s chuẩn hộ nghèo nông thôn %s %s: mức thu nhập thấp nhất và tiền hỗ trợ của các tháng từ đó có thể khác. "+
				"Số tiền trên tính theo quy định ngày %s cho cả kỳ. Hỏi đại lý thu hoặc tổng đài %s trước khi đóng.",
				viDate(e.From), what, FormatVND(e.Value), viDate(d), Hotline))
		}
	}
	for _, e := range c.p.SupportPercent.Entries {
		if inPeriod(e.From) {
			col.note(fmt.Sprintf("Từ %s mức hỗ trợ của Nhà nước thay đổi: tiền hỗ trợ của các tháng từ đó có thể khác. "+
				"Số tiền trên tính theo quy định ngày %s cho cả kỳ. Hỏi đại lý thu hoặc tổng đài %s trước khi đóng.",
				viDate(e.From), viDate(d), Hotline))
		}
	}
}

// annuityDue returns Σ_{i=1..n} 1/(1+r)^(i−1) for r in percent per month, at
// 40 decimal places (far below a đồng on any amount).
func annuityDue(ratePct decimal.Decimal, n int) decimal.Decimal {
	const prec = 40
	v := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(1).Add(ratePct.Div(hundred)), prec)
	sum, term := decimal.Zero, decimal.NewFromInt(1)
	for i := 0; i < n; i++ {
		sum = sum.Add(term)
		term = term.Mul(v).Truncate(prec)
	}
	return sum
}

// compound returns Σ_{i=1..n} (1+r)^i for r in percent per month.
func compound(ratePct decimal.Decimal, n int) decimal.Decimal {
	const prec = 40
	f := decimal.NewFromInt(1).Add(ratePct.Div(hundred))
	sum, term := decimal.Zero, decimal.NewFromInt(1)
	for i := 0; i < n; i++ {
		term = term.Mul(f).Truncate(prec)
		sum = sum.Add(term)
	}
	return sum
}

// MethodTotal is what one payment costs with a method of Months months.
type MethodTotal struct {
	Months int
	Total  decimal.Decimal
}

// MinRow is the minimum contribution for one group.
type MinRow struct {
	Group          Group
	SupportPercent decimal.Decimal
	Gross          decimal.Decimal // per month, at the floor
	Support        decimal.Decimal // per month
	Payable        decimal.Decimal // per month
	Methods        []MethodTotal   // 1, 3, 6, 12 months
}

// MinTable is the minimum voluntary-SI contribution for every group and
// payment method on a date (income = floor).
type MinTable struct {
	Date    time.Time
	Floor   decimal.Decimal
	Ceiling decimal.Decimal
	Rows    []MinRow
	Sources []Source
	Notes   []string
}

// MinTable returns the minimum contribution for every group × method on
// date. Errors are *InputError when there are no parameters for the date.
func (c *Calculator) MinTable(date time.Time) (MinTable, error) {
	d := day(date)
	t := MinTable{Date: d}
	col := &collector{}
	r, err := c.vsiRules(d, col)
	if err != nil {
		return t, err
	}
	t.Floor, t.Ceiling = r.floor, r.ceiling
	for _, g := range Groups {
		row := MinRow{Group: g, SupportPercent: r.supportPct[g]}
		for _, m := range r.methods.Months {
			v, err := c.VSI(VSIInput{Income: r.floor, Group: g, Months: m, Date: d})
			if err != nil {
				return t, err
			}
			row.Gross, row.Support, row.Payable = v.GrossMonthly, v.SupportMonthly, v.PayableMonthly
			row.Methods = append(row.Methods, MethodTotal{Months: m, Total: v.PayableTotal})
			for _, s := range v.Sources {
				col.source(s)
			}
			for _, n := range v.Notes {
				col.note(n)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	t.Sources, t.Notes = col.sources, col.notes
	return t, nil
}
