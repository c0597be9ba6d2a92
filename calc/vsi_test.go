package calc

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Facts §3.3: minimum monthly contribution at the 1.500.000 floor.
func TestVSIMinimumFromFacts(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name              string
		group             Group
		date              string
		support, pays     string
		per3, per6, per12 string
	}{
		{"poor 50%", GroupPoor, "2026-11-26", "165000", "165000", "495000", "990000", "1980000"},
		{"island 50%", GroupIsland, "2026-11-26", "165000", "165000", "495000", "990000", "1980000"},
		{"near-poor 40%", GroupNearPoor, "2026-11-26", "132000", "198000", "594000", "1188000", "2376000"},
		{"ethnic 30%", GroupEthnic, "2026-11-26", "99000", "231000", "693000", "1386000", "2772000"},
		{"other 20%", GroupOther, "2026-11-26", "66000", "264000", "792000", "1584000", "3168000"},
		// "Before 07/2025, with the same 1.5 M floor: poor paid 231,000, near-poor 247,500, others 297,000."
		{"poor before 07/2025", GroupPoor, "2025-06-30", "99000", "231000", "693000", "1386000", "2772000"},
		{"near-poor before 07/2025", GroupNearPoor, "2025-06-30", "82500", "247500", "742500", "1485000", "2970000"},
		{"other before 07/2025", GroupOther, "2024-01-15", "33000", "297000", "891000", "1782000", "3564000"},
		{"ethnic before 07/2025 = other", GroupEthnic, "2022-01-01", "33000", "297000", "891000", "1782000", "3564000"},
		{"island before 07/2025 = other", GroupIsland, "2025-06-30", "33000", "297000", "891000", "1782000", "3564000"},
		// From 01/01/2027 if the floor becomes 2.200.000 (medium): 22 % = 484.000.
		{"poor 2027", GroupPoor, "2027-01-01", "242000", "242000", "726000", "1452000", "2904000"},
		{"near-poor 2027", GroupNearPoor, "2027-03-01", "193600", "290400", "871200", "1742400", "3484800"},
		{"ethnic 2027", GroupEthnic, "2027-03-01", "145200", "338800", "1016400", "2032800", "4065600"},
		{"other 2027", GroupOther, "2027-03-01", "96800", "387200", "1161600", "2323200", "4646400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dt := date(tt.date)
			for _, m := range []struct {
				months int
				want   string
			}{{1, tt.pays}, {3, tt.per3}, {6, tt.per6}, {12, tt.per12}} {
				p, _ := c.Params().RuralPovertyLine.At(dt)
				got, err := c.VSI(VSIInput{Income: p.Value, Group: tt.group, Months: m.months, Date: dt})
				require.NoError(t, err)
				assert.Equal(t, tt.support, got.SupportMonthly.String(), "support")
				assert.Equal(t, tt.pays, got.PayableMonthly.String(), "payable monthly")
				assert.Equal(t, m.want, got.PayableTotal.String(), "total for %d months", m.months)
			}
		})
	}
}

// Facts §3.3: "others" group, income 5.000.000 → pays 1.034.000 per month.
func TestVSIHigherIncome(t *testing.T) {
	c := calculator(t)
	got, err := c.VSI(VSIInput{Income: d("5000000"), Group: GroupOther, Months: 1, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "1100000", got.GrossMonthly.String())
	assert.Equal(t, "66000", got.SupportMonthly.String())
	assert.Equal(t, "1034000", got.PayableMonthly.String())
	assert.Equal(t, "1034000", got.PayableTotal.String())
	assert.Equal(t, "1.034.000 đ", FormatVND(got.PayableMonthly))
}

func TestVSIRefusals(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name    string
		in      VSIInput
		nearest string // "" when no nearest amount
		msg     string // part of the message
	}{
		{"below floor 2026", VSIInput{Income: d("1450000"), Group: GroupOther, Months: 1, Date: date("2026-11-26")},
			"1500000", "từ 1.500.000 đ đến 50.600.000 đ"},
		{"above ceiling after 07/2026", VSIInput{Income: d("50650000"), Group: GroupOther, Months: 1, Date: date("2026-07-01")},
			"50600000", "từ 1.500.000 đ đến 50.600.000 đ"},
		{"above ceiling before 07/2026", VSIInput{Income: d("46850000"), Group: GroupOther, Months: 1, Date: date("2026-06-30")},
			"46800000", "đến 46.800.000 đ"},
		{"below 2027 floor", VSIInput{Income: d("2000000"), Group: GroupOther, Months: 1, Date: date("2027-01-01")},
			"2200000", "từ 2.200.000 đ"},
		{"bad method", VSIInput{Income: d("2000000"), Group: GroupOther, Months: 2, Date: date("2026-11-26")}, "", "1, 3, 6 hoặc 12"},
		{"zero method", VSIInput{Income: d("2000000"), Group: GroupOther, Date: date("2026-11-26")}, "", "1, 3, 6 hoặc 12"},
		{"years 6", VSIInput{Income: d("2000000"), Group: GroupOther, Years: 6, Date: date("2026-11-26")}, "", "từ 2 đến 5 năm"},
		{"one year ahead is the 12-month method, no discount", VSIInput{Income: d("2000000"), Group: GroupOther, Years: 1, Date: date("2026-11-26")}, "", "không được giảm"},
		{"years negative", VSIInput{Income: d("2000000"), Group: GroupOther, Years: -1, Date: date("2026-11-26")}, "", "từ 2 đến 5 năm"},
		{"bad group", VSIInput{Income: d("2000000"), Group: "rich", Months: 1, Date: date("2026-11-26")}, "", "nhóm"},
		{"negative income", VSIInput{Income: d("-2000000"), Group: GroupOther, Months: 1, Date: date("2026-11-26")}, "", "dương"},
		{"fractional income", VSIInput{Income: d("2000000.5"), Group: GroupOther, Months: 1, Date: date("2026-11-26")}, "", "đồng chẵn"},
		{"no data before 2016", VSIInput{Income: d("2000000"), Group: GroupOther, Months: 1, Date: date("2015-05-01")}, "", "Chưa có dữ liệu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.VSI(tt.in)
			var ie *InputError
			require.True(t, errors.As(err, &ie), "want *InputError, got %v", err)
			assert.Contains(t, ie.Msg, tt.msg)
			if tt.nearest != "" {
				assert.Equal(t, tt.nearest, ie.Nearest.String())
			} else {
				assert.True(t, ie.Nearest.IsZero())
			}
		})
	}
}

func TestVSIBoundariesAccepted(t *testing.T) {
	c := calculator(t)
	for _, tt := range []struct{ income, date, gross string }{
		{"1500000", "2026-11-26", "330000"},
		{"50600000", "2026-11-26", "11132000"}, // facts §2: 330.000 to 11.132.000
		{"46800000", "2026-06-30", "10296000"},
		{"700000", "2021-12-31", "154000"},
		{"29800000", "2022-06-01", "6556000"}, // 20 × 1.490.000
		{"36000000", "2023-07-01", "7920000"}, // 20 × 1.800.000
	} {
		got, err := c.VSI(VSIInput{Income: d(tt.income), Group: GroupOther, Months: 1, Date: date(tt.date)})
		require.NoError(t, err, tt.income)
		assert.Equal(t, tt.gross, got.GrossMonthly.String())
	}
}

// Facts §4: with r = 0,31 %, income 1,5 M, before support: 5 years ahead ≈ 18.098.000
// instead of 19.800.000.
func TestVSIAdvance(t *testing.T) {
	c := calculator(t)
	got, err := c.VSI(VSIInput{Income: d("1500000"), Group: GroupOther, Years: 5, Months: 12, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, 60, got.PeriodMonths)
	// Σ_{i=1..60} 330.000 / 1,0031^(i−1) = 18.098.148,22… → 18.098.148 (rounded once; checked with
	// Python decimal at 60 digits).
	assert.Equal(t, "18098148", got.GrossTotal.String())
	assert.InDelta(t, 18098000, got.GrossTotal.InexactFloat64(), 1000, "facts illustration ≈ 18.098.000")
	// Support: 60 months × 66.000 = 3.960.000 (60 ≤ 120-month cap).
	assert.Equal(t, "3960000", got.SupportTotal.String())
	assert.Equal(t, "14138148", got.PayableTotal.String())
	assert.Equal(t, "15840000", got.UndiscountedTotal.String()) // 60 × 264.000
	assert.Equal(t, "264000", got.PayableMonthly.String())
	require.NotEmpty(t, got.Notes)
	assert.Contains(t, got.Notes[0]+got.Notes[1], "1900 9068")

	two, err := c.VSI(VSIInput{Income: d("1500000"), Group: GroupOther, Years: 2, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.True(t, two.GrossTotal.LessThan(d("7920000")))
	assert.Equal(t, two.GrossTotal.Sub(d("1584000")).String(), two.PayableTotal.String()) // 24 × 66.000
}

func TestVSINotes(t *testing.T) {
	c := calculator(t)
	got, err := c.VSI(VSIInput{Income: d("1520000"), Group: GroupOther, Months: 1, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "334400", got.GrossMonthly.String())
	joined := ""
	for _, n := range got.Notes {
		joined += n
	}
	assert.Contains(t, joined, "50.000 đ")
	got, err = c.VSI(VSIInput{Income: d("1550000"), Group: GroupOther, Months: 1, Date: date("2026-11-26")})
	require.NoError(t, err)
	for _, n := range got.Notes {
		assert.NotContains(t, n, "50.000 đ")
	}
	// Odd incomes round half-up: 22 % × 1.500.003 = 330.000,66 → 330.001.
	got, err = c.VSI(VSIInput{Income: d("1500003"), Group: GroupOther, Months: 1, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "330001", got.GrossMonthly.String())
	// Planned floor in 2027 carries a note.
	got, err = c.VSI(VSIInput{Income: d("2200000"), Group: GroupOther, Months: 1, Date: date("2027-02-01")})
	require.NoError(t, err)
	assert.Contains(t, got.Notes[0], "dự kiến")
}

func TestMinTable(t *testing.T) {
	c := calculator(t)
	tab, err := c.MinTable(date("2026-11-26"))
	require.NoError(t, err)
	require.Len(t, tab.Rows, len(Groups))
	want := map[Group][]string{
		GroupPoor:     {"165000", "495000", "990000", "1980000"},
		GroupNearPoor: {"198000", "594000", "1188000", "2376000"},
		GroupEthnic:   {"231000", "693000", "1386000", "2772000"},
		GroupIsland:   {"165000", "495000", "990000", "1980000"},
		GroupOther:    {"264000", "792000", "1584000", "3168000"},
	}
	for _, r := range tab.Rows {
		var got []string
		for _, m := range r.Methods {
			got = append(got, m.Total.String())
		}
		assert.Equal(t, want[r.Group], got, r.Group)
	}
	assert.Equal(t, "1500000", tab.Floor.String())
	assert.Equal(t, "50600000", tab.Ceiling.String())
	_, err = c.MinTable(date("2010-01-01"))
	assert.Error(t, err)
}

// A period that runs past a change of the poverty line or of the support
// percentages is computed on the payment day's rules, with a note saying so.
func TestVSINoteOnChangeWithinPeriod(t *testing.T) {
	c := calculator(t)
	has := func(notes []string, sub string) bool {
		for _, n := range notes {
			if strings.Contains(n, sub) {
				return true
			}
		}
		return false
	}
	cases := []struct {
		date          string
		months, years int
		want          string // "" = no change note
	}{
		{"2026-11-26", 1, 0, ""},
		{"2026-11-26", 3, 0, "Từ 01/01/2027 chuẩn hộ nghèo nông thôn dự kiến là 2.200.000 đ"},
		{"2026-12-15", 1, 0, ""},
		{"2026-10-31", 3, 0, ""}, // 10, 11, 12/2026
		{"2026-07-01", 6, 0, ""}, // 07–12/2026
		{"2026-07-01", 12, 0, "01/01/2027"},
		{"2026-11-26", 0, 5, "01/01/2027"},
		{"2025-03-10", 6, 0, "Từ 01/07/2025 mức hỗ trợ của Nhà nước thay đổi"},
		{"2025-07-01", 12, 0, ""},
	}
	for _, tc := range cases {
		got, err := c.VSI(VSIInput{Income: d("3000000"), Group: GroupNearPoor, Months: tc.months, Years: tc.years, Date: date(tc.date)})
		require.NoError(t, err, tc.date)
		if tc.want == "" {
			assert.False(t, has(got.Notes, "cho cả kỳ"), "%s %d: %v", tc.date, tc.months, got.Notes)
			continue
		}
		assert.True(t, has(got.Notes, tc.want), "%s %d: %v", tc.date, tc.months, got.Notes)
		// The amounts stay those of the payment day.
		base, err := c.VSI(VSIInput{Income: d("3000000"), Group: GroupNearPoor, Months: 1, Date: date(tc.date)})
		require.NoError(t, err)
		assert.Equal(t, base.SupportMonthly, got.SupportMonthly)
	}
}
