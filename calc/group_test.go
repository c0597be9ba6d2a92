package calc

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGroup(t *testing.T) {
	tests := map[string]Group{
		"poor": GroupPoor, "ho ngheo": GroupPoor, "hộ nghèo": GroupPoor, "Hộ Nghèo": GroupPoor, "nghèo": GroupPoor,
		"near-poor": GroupNearPoor, "can ngheo": GroupNearPoor, "cận nghèo": GroupNearPoor, "hộ cận nghèo": GroupNearPoor,
		"near_poor":       GroupNearPoor,
		"ethnic-minority": GroupEthnic, "dan toc": GroupEthnic, "dân tộc thiểu số": GroupEthnic, "người dân tộc": GroupEthnic,
		"dtts":   GroupEthnic,
		"island": GroupIsland, "xa dao": GroupIsland, "đảo": GroupIsland, "xã đảo": GroupIsland, "đặc khu": GroupIsland,
		"other": GroupOther, "khac": GroupOther, "khác": GroupOther, "binh thuong": GroupOther, "bình thường": GroupOther,
		"khong": GroupOther, "không": GroupOther, "không nghèo": GroupOther, "không thuộc diện nào": GroupOther,
		"nhà em thuộc hộ cận nghèo": GroupNearPoor,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			got, err := ParseGroup(in)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
	for _, bad := range []string{"", "rich", "giàu", "123"} {
		_, err := ParseGroup(bad)
		var ie *InputError
		require.True(t, errors.As(err, &ie), bad)
		assert.Contains(t, ie.Msg, "hộ cận nghèo")
	}
}

func TestGroupLabel(t *testing.T) {
	assert.Equal(t, "Hộ nghèo", GroupPoor.Label())
	assert.Equal(t, "Hộ cận nghèo", GroupNearPoor.Label())
	for _, g := range Groups {
		assert.NotEqual(t, string(g), g.Label())
		assert.True(t, g.Valid())
	}
	assert.False(t, Group("x").Valid())
}

func TestParseSex(t *testing.T) {
	for in, want := range map[string]Sex{"male": Male, "nam": Male, "Nam": Male, "female": Female, "nữ": Female, "nu": Female} {
		got, err := ParseSex(in)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseSex("x")
	assert.Error(t, err)
}
