package calc

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// maxYears bounds years of contributions to catch typing mistakes.
const maxYears = 60

// Pension estimates a monthly voluntary-SI pension on in.Date.
//
// Rate: the pension bands in force on the date (from 07/2025: women 45 % at
// 15 years + 2 %/year; men 40 % at 15 years + 1 %/year, 45 % at 20 years +
// 2 %/year; at most 75 %). Monthly = rate × income, rounded half-up to whole
// đồng. There is no minimum pension for voluntary SI (L41 Art. 141(11)).
//
// Eligibility needs the minimum years in force on the date (15 from
// 01/07/2025, 20 before). Below it, MissingCost is what buying the missing
// months at once would cost: Σ_{i=1..t} 22 % × income × (1+r)^i at full
// precision, rounded half-up once (r is low confidence: a note says so); the
// income used is kept within the floor and ceiling of the date. Without a
// fund rate for the date MissingCost stays zero and a note says why.
//
// Errors (*InputError): unknown sex, years not 0..60, income not a positive
// whole amount, no parameters for the date.
func (c *Calculator) Pension(in PensionInput) (PensionResult, error) {
	d := day(in.Date)
	res := PensionResult{Input: in}
	if in.Sex != Male && in.Sex != Female {
		return res, &InputError{Msg: "Giới tính phải là nam hoặc nữ."}
	}
	if in.Years < 0 || in.Years > maxYears {
		return res, &InputError{Msg: fmt.Sprintf("Số năm đóng phải từ 0 đến %d.", maxYears)}
	}
	if in.Income.Sign() <= 0 || !in.Income.Equal(in.Income.Truncate(0)) || in.Income.GreaterThan(maxMoney) {
		return res, &InputError{Msg: "Thu nhập bình quân phải là số tiền dương, tính bằng đồng chẵn."}
	}
	col := &collector{}
	pr, err := at(c.p.Pension, d, "cách tính lương hưu")
	if err != nil {
		return res, err
	}
	rule := use(col, pr, "Cách tính lương hưu")
	res.MinYears = rule.MinYears
	res.Eligible = in.Years >= rule.MinYears
	res.RateIfMinimum = rule.Rate(in.Sex, rule.MinYears)
	res.MonthlyIfMinimum = dong(percentOf(in.Income, res.RateIfMinimum))
	if res.Eligible {
		res.RatePercent = rule.Rate(in.Sex, in.Years)
		res.Monthly = dong(percentOf(in.Income, res.RatePercent))
	} else {
		res.RatePercent, res.Monthly = decimal.Zero, decimal.Zero
		res.MissingYears = rule.MinYears - in.Years
		res.MissingMonths = 12 * res.MissingYears
		col2 := &collector{}
		vr, err := c.vsiRules(d, col2)
		if err != nil {
			return res, err
		}
		if line, ok := c.p.RuralPovertyLine.At(d); ok {
			use(col, line, fmt.Sprintf("Chuẩn hộ nghèo nông thôn %s", FormatVND(line.Value)))
		}
		if rate, ok := c.p.VSIRate.At(d); ok {
			col.source(rate.Source)
		}
		inc := in.Income
		if inc.LessThan(vr.floor) {
			inc = vr.floor
		}
		if inc.GreaterThan(vr.ceiling) {
			inc = vr.ceiling
		}
		if !inc.Equal(in.Income) {
			col.note(fmt.Sprintf("Tiền đóng bù tính trên thu nhập %s (thu nhập đóng phải từ %s đến %s).",
				FormatVND(inc), FormatVND(vr.floor), FormatVND(vr.ceiling)))
		}
		res.MissingIncome = inc
		// The cost needs the fund rate; without one for the date the answer
		// (eligibility, the pension at the minimum years) still stands.
		if fr, ok := c.p.FundRate.At(d); ok {
			r := use(col, fr, "Lãi suất quỹ")
			res.MissingCost = dong(percentOf(inc, vr.ratePct).Mul(compound(r, res.MissingMonths)))
			col.note(noteFundRate(r))
		} else {
			col.note(fmt.Sprintf("Chưa có lãi suất quỹ cho ngày %s nên chưa tính được tiền đóng một lần cho số năm còn thiếu. Hỏi tổng đài %s.", viDate(d), Hotline))
		}
		res.MissingMonthsMax = rule.MissingMonthsMax
		res.CanBuyMissing = rule.MissingMonthsMax == 0 || res.MissingMonths <= rule.MissingMonthsMax
		if rule.MissingMonthsMax > 0 {
			if res.MissingMonths > rule.MissingMonthsMax {
				col.note(fmt.Sprintf("Bạn thiếu %d tháng. Theo tài liệu chúng tôi có (độ tin cậy thấp–trung bình), chỉ được đóng một lần cho phần còn thiếu "+
					"khi thiếu không quá %d tháng (%d năm), và chỉ khi đã đến tuổi nghỉ hưu. Hỏi tổng đài %s.",
					res.MissingMonths, rule.MissingMonthsMax, rule.MissingMonthsMax/12, Hotline))
			} else {
				col.note(fmt.Sprintf("Đóng một lần cho phần còn thiếu chỉ làm được khi đã đến tuổi nghỉ hưu, và (theo tài liệu chúng tôi có, độ tin cậy thấp–trung bình) "+
					"khi thiếu không quá %d tháng. Hỏi tổng đài %s.", rule.MissingMonthsMax, Hotline))
			}
		}
	}
	col.note("Lương hưu BHXH tự nguyện không có mức tối thiểu. Số tiền thật sẽ cao hơn vì thu nhập các năm trước được nhân hệ số điều chỉnh.")
	res.Sources, res.Notes = col.sources, col.notes
	return res, nil
}
