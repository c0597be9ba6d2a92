package calc

import (
	"time"

	"github.com/shopspring/decimal"
)

// AdvanceYearsMin is the fewest years one may pay ahead at a discount: 12
// months at once is the 12-month method, without discount (L41 Art. 36(2)).
const AdvanceYearsMin = 2

// VSIBounds returns the lowest and highest monthly income one may choose for
// voluntary SI on date (the rural poverty line and 20 × the reference level).
// Errors (*InputError): no parameters for the date.
func (c *Calculator) VSIBounds(date time.Time) (floor, ceiling decimal.Decimal, err error) {
	r, err := c.vsiRules(day(date), &collector{})
	if err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	return r.floor, r.ceiling, nil
}
