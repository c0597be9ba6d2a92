package calc

import (
	"testing"
	"testing/quick"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var propertyDates = []string{"2022-03-15", "2024-07-01", "2025-06-30", "2025-07-01", "2026-06-30", "2026-11-26", "2027-05-01"}

// incomeFrom maps any uint32 into [floor, ceiling] of the date.
func incomeFrom(r VSIResult, x uint32) decimal.Decimal {
	span := r.Ceiling.Sub(r.Floor).IntPart() + 1
	return r.Floor.Add(decimal.NewFromInt(int64(x) % span))
}

func TestVSIProperties(t *testing.T) {
	c := calculator(t)
	for _, ds := range propertyDates {
		dt := date(ds)
		probe, err := c.VSI(VSIInput{Income: decimal.NewFromInt(2_200_000), Group: GroupOther, Months: 1, Date: dt})
		require.NoError(t, err)
		f := func(x uint32, gi, mi uint8) bool {
			g := Groups[int(gi)%len(Groups)]
			months := []int{1, 3, 6, 12}[int(mi)%4]
			in := VSIInput{Income: incomeFrom(probe, x), Group: g, Months: months, Date: dt}
			r, err := c.VSI(in)
			if err != nil {
				return false
			}
			n := decimal.NewFromInt(int64(months))
			return !r.PayableMonthly.IsNegative() &&
				r.PayableMonthly.LessThanOrEqual(r.GrossMonthly) &&
				r.PayableTotal.Equal(r.PayableMonthly.Mul(n)) && // N-month total = N × monthly
				r.PayableMonthly.Equal(r.PayableMonthly.Truncate(0)) &&
				r.GrossMonthly.Sub(r.SupportMonthly).Equal(r.PayableMonthly)
		}
		require.NoError(t, quick.Check(f, &quick.Config{MaxCount: 300}), ds)

		// Monotonic in income, and support does not depend on income.
		mono := func(a, b uint32, gi uint8) bool {
			g := Groups[int(gi)%len(Groups)]
			x, y := incomeFrom(probe, a), incomeFrom(probe, b)
			if x.GreaterThan(y) {
				x, y = y, x
			}
			rx, err1 := c.VSI(VSIInput{Income: x, Group: g, Months: 12, Date: dt})
			ry, err2 := c.VSI(VSIInput{Income: y, Group: g, Months: 12, Date: dt})
			return err1 == nil && err2 == nil && rx.PayableTotal.LessThanOrEqual(ry.PayableTotal) &&
				rx.SupportMonthly.Equal(ry.SupportMonthly)
		}
		require.NoError(t, quick.Check(mono, &quick.Config{MaxCount: 300}), ds)

		// Advance payment: discounted, never above paying month by month, never negative,
		// and more years never cost less.
		prev := decimal.Zero
		for years := AdvanceYearsMin; years <= 5; years++ {
			r, err := c.VSI(VSIInput{Income: probe.Floor, Group: GroupPoor, Years: years, Date: dt})
			require.NoError(t, err)
			assert.True(t, r.PayableTotal.LessThanOrEqual(r.UndiscountedTotal), "%s %d", ds, years)
			assert.True(t, r.PayableTotal.IsPositive())
			assert.True(t, r.PayableTotal.GreaterThan(prev))
			prev = r.PayableTotal
		}
	}
}

func TestHIProperties(t *testing.T) {
	c := calculator(t)
	for _, ds := range propertyDates {
		for _, months := range []int{3, 6, 12} {
			prev := decimal.Zero
			for n := 1; n <= 10; n++ {
				r, err := c.HouseholdHI(HIInput{Members: n, Months: months, Date: date(ds)})
				require.NoError(t, err)
				sum := decimal.Zero
				for i, m := range r.Members {
					assert.True(t, m.Total.Equal(m.Monthly.Mul(decimal.NewFromInt(int64(months)))))
					if i > 0 {
						assert.True(t, m.Monthly.LessThanOrEqual(r.Members[i-1].Monthly))
					}
					sum = sum.Add(m.Total)
				}
				assert.True(t, sum.Equal(r.Total))
				assert.True(t, r.Total.GreaterThan(prev), "adding a member costs more")
				prev = r.Total
			}
		}
	}
}

func TestPensionProperties(t *testing.T) {
	c := calculator(t)
	for _, sex := range []Sex{Male, Female} {
		prevRate := decimal.Zero
		for y := 15; y <= 45; y++ {
			r, err := c.Pension(PensionInput{Sex: sex, Years: y, Income: decimal.NewFromInt(3_000_000), Date: date("2026-11-26")})
			require.NoError(t, err)
			assert.True(t, r.Eligible)
			assert.True(t, r.RatePercent.GreaterThanOrEqual(prevRate), "rate never goes down")
			assert.True(t, r.RatePercent.LessThanOrEqual(decimal.NewFromInt(75)))
			prevRate = r.RatePercent
		}
		// The missing-time cost grows with the months missing and beats paying monthly.
		prevCost := decimal.Zero
		for y := 14; y >= 0; y-- {
			r, err := c.Pension(PensionInput{Sex: sex, Years: y, Income: decimal.NewFromInt(1_500_000), Date: date("2026-11-26")})
			require.NoError(t, err)
			assert.False(t, r.Eligible)
			assert.True(t, r.MissingCost.GreaterThan(prevCost))
			assert.True(t, r.MissingCost.GreaterThan(decimal.NewFromInt(int64(330_000*r.MissingMonths))))
			prevCost = r.MissingCost
		}
	}
}

func TestLumpSumProperties(t *testing.T) {
	c := calculator(t)
	f := func(start, length uint8, x uint16, gi uint8) bool {
		from := Month{2018, 1}.add(int(start) % 100)
		to := from.add(int(length) % 60)
		if (Month{2026, 12}).Before(to) {
			to = Month{2026, 12}
		}
		if to.Before(from) {
			from = to
		}
		g := Groups[int(gi)%len(Groups)]
		income := decimal.NewFromInt(1_500_000 + int64(x%20000)*1000) // below every ceiling since 2018
		r, err := c.LumpSum(LumpSumInput{Periods: []Period{{From: from, To: to, Income: income, Group: g}}, Date: date("2026-11-26")})
		if err != nil {
			return false
		}
		return !r.Amount.IsNegative() && r.Amount.LessThanOrEqual(r.Gross) &&
			r.SupportDeducted.LessThanOrEqual(r.Contributed) &&
			r.PaidByPerson.Equal(r.Contributed.Sub(r.SupportDeducted)) &&
			r.AverageIncome.GreaterThanOrEqual(income) // coefficients are at least 1
	}
	require.NoError(t, quick.Check(f, &quick.Config{MaxCount: 200}))
}
