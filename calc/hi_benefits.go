package calc

import (
	"time"

	"github.com/shopspring/decimal"
)

// HIBenefitLevels are the household-HI benefit levels in force on a date
// (HI Law Art. 22(1) as amended by Law 51/2024; Decree 188/2025 Art. 18).
type HIBenefitLevels struct {
	Date              time.Time
	BenefitPercent    decimal.Decimal // share of covered costs the fund pays: 80
	SmallVisitPercent decimal.Decimal // % of the reference level: 15
	// SmallVisit is SmallVisitPercent × the reference level: a visit that
	// costs less is paid in full.
	SmallVisit         decimal.Decimal
	CopayCapMultiplier decimal.Decimal // 6
	// CopayCap is CopayCapMultiplier × the reference level: after 5
	// continuous years, co-payments above it in a year are paid in full.
	CopayCap decimal.Decimal
	Sources  []Source
	Notes    []string
}

// HIBenefits returns the benefit levels on date; the two thresholds are
// whole đồng, rounded half-up (exact at every reference level so far:
// 15 % × 2.530.000 = 379.500). Errors (*InputError): no parameters for the
// date.
func (c *Calculator) HIBenefits(date time.Time) (HIBenefitLevels, error) {
	d := day(date)
	b := HIBenefitLevels{Date: d}
	col := &collector{}
	ref, err := at(c.p.ReferenceLevel, d, "mức tham chiếu (lương cơ sở)")
	if err != nil {
		return b, err
	}
	benefit, err := at(c.p.HIBenefitPercent, d, "mức hưởng BHYT")
	if err != nil {
		return b, err
	}
	small, err := at(c.p.HISmallVisitPercent, d, "mức chi phí khám được trả toàn bộ")
	if err != nil {
		return b, err
	}
	capm, err := at(c.p.HICopayCapMultiplier, d, "mức cùng chi trả sau 5 năm liên tục")
	if err != nil {
		return b, err
	}
	level := use(col, ref, "Mức tham chiếu")
	b.BenefitPercent = use(col, benefit, "Mức hưởng BHYT")
	b.SmallVisitPercent = use(col, small, "Mức chi phí khám được trả toàn bộ")
	b.SmallVisit = dong(percentOf(level, b.SmallVisitPercent))
	b.CopayCapMultiplier = use(col, capm, "Mức cùng chi trả sau 5 năm liên tục")
	b.CopayCap = dong(level.Mul(b.CopayCapMultiplier))
	b.Sources, b.Notes = col.sources, col.notes
	return b, nil
}
