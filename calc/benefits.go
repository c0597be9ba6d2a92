package calc

import (
	"time"

	"github.com/shopspring/decimal"
)

// Benefits are the fixed benefit amounts in force on a date, for the bot to
// quote: the social pension, the voluntary maternity support and the funeral
// grant. A zero amount means the benefit did not exist in that form on Date
// (social pension and maternity support from 01/07/2025).
type Benefits struct {
	Date             time.Time
	SocialPension    decimal.Decimal // per month (age 75+, or 70–74 in a poor/near-poor household)
	MaternitySupport decimal.Decimal // per child
	FuneralGrant     decimal.Decimal // multiplier × reference level in the month of death
	Sources          []Source
	Notes            []string
}

// Benefits returns the fixed benefit amounts on date. The funeral grant is
// the multiplier × the reference level, exact in đồng. Errors (*InputError)
// when there is no reference level or funeral multiplier for the date.
func (c *Calculator) Benefits(date time.Time) (Benefits, error) {
	d := day(date)
	b := Benefits{Date: d}
	col := &collector{}
	ref, err := at(c.p.ReferenceLevel, d, "mức tham chiếu (lương cơ sở)")
	if err != nil {
		return b, err
	}
	mult, err := at(c.p.FuneralMultiplier, d, "trợ cấp mai táng")
	if err != nil {
		return b, err
	}
	b.FuneralGrant = dong(use(col, ref, "Mức tham chiếu").Mul(use(col, mult, "Trợ cấp mai táng")))
	if sp, ok := c.p.SocialPension.At(d); ok {
		b.SocialPension = use(col, sp, "Trợ cấp hưu trí xã hội")
	}
	if ms, ok := c.p.MaternitySupport.At(d); ok {
		b.MaternitySupport = use(col, ms, "Trợ cấp thai sản")
	}
	b.Sources, b.Notes = col.sources, col.notes
	return b, nil
}
