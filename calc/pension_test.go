package calc

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Facts §5.1 examples (coefficients 1, income 1.500.000), L41 Art. 99.
func TestPensionFromFacts(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name    string
		sex     Sex
		years   int
		rate    string
		monthly string
	}{
		{"woman 15 years", Female, 15, "45", "675000"},
		{"woman 16 years", Female, 16, "47", "705000"},
		{"woman 20 years", Female, 20, "55", "825000"},
		{"woman 30 years", Female, 30, "75", "1125000"},
		{"woman 31 years capped", Female, 31, "75", "1125000"},
		{"man 15 years", Male, 15, "40", "600000"},
		{"man 19 years", Male, 19, "44", "660000"},
		{"man 20 years", Male, 20, "45", "675000"},
		{"man 21 years", Male, 21, "47", "705000"},
		{"man 35 years", Male, 35, "75", "1125000"},
		{"man 40 years capped", Male, 40, "75", "1125000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Pension(PensionInput{Sex: tt.sex, Years: tt.years, Income: d("1500000"), Date: date("2026-11-26")})
			require.NoError(t, err)
			assert.True(t, got.Eligible)
			assert.Equal(t, 15, got.MinYears)
			assert.Equal(t, tt.rate, got.RatePercent.String())
			assert.Equal(t, tt.monthly, got.Monthly.String())
			assert.Zero(t, got.MissingYears)
			assert.True(t, got.MissingCost.IsZero())
		})
	}
	// Rounded half-up to whole đồng: 45 % × 1.234.567 = 555.555,15 → 555.555; 47 % × 1.234.567 = 580.246,49 → 580.246.
	got, err := c.Pension(PensionInput{Sex: Female, Years: 15, Income: d("1234567"), Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "555555", got.Monthly.String())
	// 40 % × 1.234.567 = 493.826,8 → 493.827
	got, err = c.Pension(PensionInput{Sex: Male, Years: 15, Income: d("1234567"), Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "493827", got.Monthly.String())
}

func TestPensionMissingYears(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name         string
		in           PensionInput
		minYears     int
		missingYears int
		cost         string // Σ_{i=1..t} 22 % × income × 1,0031^i, checked with Python decimal
		ifMin        string
		noteContains string
	}{
		{"woman 10 years", PensionInput{Sex: Female, Years: 10, Income: d("1500000"), Date: date("2026-11-26")},
			15, 5, "21791542", "675000", "không quá 60 tháng"},
		{"man 12 years at 3tr", PensionInput{Sex: Male, Years: 12, Income: d("3000000"), Date: date("2026-11-26")},
			15, 3, "25173244", "1200000", "không quá 60 tháng"},
		{"man 14 years", PensionInput{Sex: Male, Years: 14, Income: d("1500000"), Date: date("2026-11-26")},
			15, 1, "4040708", "600000", "không quá 60 tháng"},
		{"0 years: 180 months, above the 60-month limit", PensionInput{Sex: Female, Years: 0, Income: d("1500000"), Date: date("2026-11-26")},
			15, 15, "79623556", "675000", "Bạn thiếu 180 tháng"},
		{"income below the floor is costed on the floor", PensionInput{Sex: Female, Years: 10, Income: d("1000000"), Date: date("2026-11-26")},
			15, 5, "21791542", "450000", "1.500.000 đ"},
		{"old law: 20 years needed before 07/2025", PensionInput{Sex: Male, Years: 15, Income: d("1500000"), Date: date("2025-06-30")},
			20, 5, "21791542", "675000", "0,31 %/tháng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Pension(tt.in)
			require.NoError(t, err)
			assert.False(t, got.Eligible)
			assert.Equal(t, tt.minYears, got.MinYears)
			assert.True(t, got.RatePercent.IsZero())
			assert.True(t, got.Monthly.IsZero())
			assert.Equal(t, tt.missingYears, got.MissingYears)
			assert.Equal(t, 12*tt.missingYears, got.MissingMonths)
			assert.Equal(t, tt.cost, got.MissingCost.String())
			assert.Equal(t, tt.ifMin, got.MonthlyIfMinimum.String())
			notes := strings.Join(got.Notes, "\n")
			assert.Contains(t, notes, "1900 9068")
			assert.Contains(t, notes, "độ tin cậy thấp")
			assert.Contains(t, notes, tt.noteContains)
		})
	}
}

func TestPensionRefusals(t *testing.T) {
	c := calculator(t)
	for _, in := range []PensionInput{
		{Sex: "x", Years: 20, Income: d("1500000"), Date: date("2026-11-26")},
		{Sex: Male, Years: -1, Income: d("1500000"), Date: date("2026-11-26")},
		{Sex: Male, Years: 61, Income: d("1500000"), Date: date("2026-11-26")},
		{Sex: Male, Years: 20, Income: d("0"), Date: date("2026-11-26")},
		{Sex: Male, Years: 20, Income: d("-5"), Date: date("2026-11-26")},
		{Sex: Male, Years: 20, Income: d("1500000"), Date: date("2010-01-01")},
	} {
		_, err := c.Pension(in)
		var ie *InputError
		assert.True(t, errors.As(err, &ie), "%+v: %v", in, err)
	}
}

// A date before the first fund rate (2022) still answers the eligibility
// question; only the cost of buying the missing years is left out.
func TestPensionBeforeTheFirstFundRate(t *testing.T) {
	c := calculator(t)
	got, err := c.Pension(PensionInput{Sex: Male, Years: 10, Income: d("3000000"), Date: date("2021-06-01")})
	require.NoError(t, err)
	assert.False(t, got.Eligible)
	assert.Equal(t, 20, got.MinYears)
	assert.Equal(t, 10, got.MissingYears)
	assert.True(t, got.MissingCost.IsZero())
	assert.Equal(t, "1410000", got.MonthlyIfMinimum.String(), "47 % at 20 years for a man retiring in 2021")
	assert.Contains(t, strings.Join(got.Notes, "\n"), "Chưa có lãi suất quỹ cho ngày 01/06/2021")
	assert.NotContains(t, got.Text(), "khoảng 0 đ")
}
