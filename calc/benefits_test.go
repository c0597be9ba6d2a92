package calc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Facts §5.5, §5.6, §5.3: funeral grant 25.300.000 from 01/07/2026 (23.400.000
// before), maternity support 2.000.000, social pension 500.000.
func TestBenefits(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		date, funeral, maternity, social string
	}{
		{"2026-11-26", "25300000", "2000000", "500000"},
		{"2026-06-30", "23400000", "2000000", "500000"},
		{"2025-07-01", "23400000", "2000000", "500000"},
		{"2025-06-30", "23400000", "0", "0"},
		{"2023-07-01", "18000000", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			b, err := c.Benefits(date(tt.date))
			require.NoError(t, err)
			assert.Equal(t, tt.funeral, b.FuneralGrant.String())
			assert.Equal(t, tt.maternity, b.MaternitySupport.String())
			assert.Equal(t, tt.social, b.SocialPension.String())
		})
	}
	_, err := c.Benefits(date("2010-01-01"))
	assert.Error(t, err)
}
