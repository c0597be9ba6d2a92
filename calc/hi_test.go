package calc

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Facts §6: household HI per member at 2.530.000 (from 01/07/2026) and at
// 2.340.000 (before).
func TestHouseholdHIFromFacts(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name    string
		date    string
		months  int
		monthly []string
		totals  []string
		total   string
	}{
		{"2026-07 monthly", "2026-11-26", 3,
			[]string{"113850", "79695", "68310", "56925", "45540", "45540"},
			[]string{"341550", "239085", "204930", "170775", "136620", "136620"}, "1229580"},
		{"2026-07 6 months", "2026-07-01", 6,
			[]string{"113850", "79695", "68310", "56925", "45540"},
			[]string{"683100", "478170", "409860", "341550", "273240"}, "2185920"},
		{"2026-07 12 months", "2026-11-26", 12,
			[]string{"113850", "79695", "68310", "56925", "45540"},
			[]string{"1366200", "956340", "819720", "683100", "546480"}, "4371840"},
		{"2.340.000 12 months", "2026-06-30", 12,
			[]string{"105300", "73710", "63180", "52650", "42120"},
			[]string{"1263600", "884520", "758160", "631800", "505440"}, "4043520"},
		{"1.800.000 (2023)", "2023-07-01", 12,
			[]string{"81000", "56700", "48600", "40500", "32400"},
			[]string{"972000", "680400", "583200", "486000", "388800"}, "3110400"},
		{"1.490.000 (2022)", "2022-03-01", 12,
			// 4,5 % × 1.490.000 = 67.050; × 70 % = 46.935; × 60 % = 40.230; × 50 % = 33.525; × 40 % = 26.820
			[]string{"67050", "46935", "40230", "33525", "26820"},
			[]string{"804600", "563220", "482760", "402300", "321840"}, "2574720"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.HouseholdHI(HIInput{Members: len(tt.monthly), Months: tt.months, Date: date(tt.date)})
			require.NoError(t, err)
			require.Len(t, got.Members, len(tt.monthly))
			for i, m := range got.Members {
				assert.Equal(t, i+1, m.Position)
				assert.Equal(t, tt.monthly[i], m.Monthly.String(), "member %d monthly", i+1)
				assert.Equal(t, tt.totals[i], m.Total.String(), "member %d total", i+1)
			}
			assert.Equal(t, tt.total, got.Total.String())
		})
	}
	// "A 3-person household buying 12 months now pays 3.142.260 VND."
	got, err := c.HouseholdHI(HIInput{Members: 3, Months: 12, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "3142260", got.Total.String())
	assert.Equal(t, "4.5", got.RatePercent.String())
}

func TestHouseholdHIRefusals(t *testing.T) {
	c := calculator(t)
	for _, in := range []HIInput{
		{Members: 0, Months: 12, Date: date("2026-11-26")},
		{Members: -1, Months: 12, Date: date("2026-11-26")},
		{Members: 31, Months: 12, Date: date("2026-11-26")},
		{Members: 2, Months: 1, Date: date("2026-11-26")},
		{Members: 2, Months: 24, Date: date("2026-11-26")},
		{Members: 2, Months: 12, Date: date("2017-01-01")},
	} {
		_, err := c.HouseholdHI(in)
		var ie *InputError
		assert.True(t, errors.As(err, &ie), "%+v: %v", in, err)
	}
}

func TestHouseholdHINoteOnChange(t *testing.T) {
	c := calculator(t)
	got, err := c.HouseholdHI(HIInput{Members: 1, Months: 12, Date: date("2026-03-01")})
	require.NoError(t, err)
	assert.Contains(t, got.Notes[0], "2.530.000 đ từ 01/07/2026")
	got, err = c.HouseholdHI(HIInput{Members: 1, Months: 3, Date: date("2026-03-01")})
	require.NoError(t, err)
	assert.NotContains(t, got.Notes[0], "2.530.000")
}
