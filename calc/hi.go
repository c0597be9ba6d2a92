package calc

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// MaxHouseholdMembers bounds the member count to catch typing mistakes; the
// bot and faqctl take their limit from here.
const MaxHouseholdMembers = 30

// HouseholdHI computes household health insurance on in.Date.
//
// Rounding: member k pays round(rate % × reference level × ratio_k %) per
// month, half-up to whole đồng (exact at every reference level so far, e.g.
// 4,5 % × 2.530.000 × 70 % = 79.695); Total = monthly × months; the household
// total is the sum of the members' totals. The 5th member and after use the
// last ratio (40 %).
//
// Errors (*InputError): members not 1..30, months not 3, 6 or 12, no
// parameters for the date.
func (c *Calculator) HouseholdHI(in HIInput) (HIResult, error) {
	d := day(in.Date)
	res := HIResult{Input: in}
	if in.Members < 1 || in.Members > MaxHouseholdMembers {
		return res, &InputError{Msg: fmt.Sprintf("Số người trong hộ cùng mua BHYT phải từ 1 đến %d.", MaxHouseholdMembers)}
	}
	col := &collector{}
	pm, err := at(c.p.HIPaymentMonths, d, "kỳ đóng BHYT hộ gia đình")
	if err != nil {
		return res, err
	}
	okMonths := false
	for _, m := range use(col, pm, "Kỳ đóng") {
		okMonths = okMonths || m == in.Months
	}
	if !okMonths {
		return res, &InputError{Msg: "BHYT hộ gia đình đóng theo kỳ 3, 6 hoặc 12 tháng."}
	}
	ref, err := at(c.p.ReferenceLevel, d, "mức tham chiếu (lương cơ sở)")
	if err != nil {
		return res, err
	}
	rate, err := at(c.p.HIRate, d, "tỷ lệ đóng BHYT hộ gia đình")
	if err != nil {
		return res, err
	}
	ratios, err := at(c.p.HIMemberRatios, d, "mức giảm cho người thứ hai trở đi")
	if err != nil {
		return res, err
	}
	res.BaseSalary = use(col, ref, "Mức tham chiếu")
	res.RatePercent = use(col, rate, "Tỷ lệ đóng BHYT")
	rs := use(col, ratios, "Tỷ lệ theo thứ tự người")
	first := percentOf(res.BaseSalary, res.RatePercent)
	months := decimal.NewFromInt(int64(in.Months))
	res.Total = decimal.Zero
	for k := 1; k <= in.Members; k++ {
		ratio := rs[len(rs)-1]
		if k <= len(rs) {
			ratio = rs[k-1]
		}
		monthly := dong(percentOf(first, ratio))
		m := HIMember{Position: k, RatioPercent: ratio, Monthly: monthly, Total: monthly.Mul(months)}
		res.Members = append(res.Members, m)
		res.Total = res.Total.Add(m.Total)
	}
	// A new reference level inside the period: how BHXH handles it is not known.
	end := d.AddDate(0, in.Months, 0)
	for _, e := range c.p.ReferenceLevel.Entries {
		if e.From.After(d) && e.From.Before(end) {
			col.note(fmt.Sprintf("Mức tham chiếu đổi thành %s từ %s, trong kỳ bạn đóng. Số tiền trên tính theo mức hiện tại; "+
				"hỏi đại lý thu hoặc tổng đài %s xem có phải đóng thêm không.", FormatVND(e.Value), viDate(e.From), Hotline))
		}
	}
	col.note("Mọi người trong hộ phải cùng mua theo hộ gia đình trong cùng năm mới được giảm từ người thứ hai.")
	col.note("Mua lần đầu hoặc thẻ đã gián đoạn từ 90 ngày trở lên: thẻ có giá trị sau 30 ngày kể từ ngày đóng đủ tiền.")
	res.Sources, res.Notes = col.sources, col.notes
	return res, nil
}
