package agents

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDistanceKm(t *testing.T) {
	// Hà Nội (Hoàn Kiếm) – TP Hồ Chí Minh (Bến Thành): about 1,140 km.
	d := DistanceKm(21.0285, 105.8542, 10.7725, 106.6980)
	assert.InDelta(t, 1140, d, 15)
	assert.Zero(t, DistanceKm(10, 106, 10, 106))
	assert.InDelta(t, 111.2, DistanceKm(10, 106, 11, 106), 0.5, "one degree of latitude")
}

func TestNearest(t *testing.T) {
	d := loadReal(t)
	// A point in Diêm Điền (former huyện Thái Thụy, Thái Bình).
	got := d.Nearest(20.565, 106.565, 3)
	require.Len(t, got, 3)
	assert.Equal(t, "hyn-bd-thaithuy", got[0].ID)
	assert.Less(t, got[0].Km, got[1].Km)
	assert.LessOrEqual(t, got[1].Km, got[2].Km)
	// Phú Quốc.
	assert.Equal(t, "agg-bd-phuquoc", d.Nearest(10.22, 103.97, 1)[0].ID)
	assert.Empty(t, d.Nearest(10, 106, 0))
}

func TestServingAgents(t *testing.T) {
	d := loadReal(t)
	m := d.FindCommune("hung-yen", "thai thuy")
	require.Len(t, m, 1)
	got := m[0].ServingAgents(3)
	require.Len(t, got, 2)
	assert.Equal(t, "hyn-bd-thaithuy", got[0].ID, "the agent sitting in the commune first")
	assert.Equal(t, "hyn-hoi-thaithuy", got[1].ID)

	m = d.FindCommune("an-giang", "rach gia")
	require.Len(t, m, 1)
	got = m[0].ServingAgents(3)
	require.Len(t, got, 2)
	for _, n := range got {
		assert.Equal(t, "an-giang", n.ProvinceID)
	}
}

func BenchmarkNearest(b *testing.B) {
	d := loadReal(b)
	for b.Loop() {
		d.Nearest(20.565, 106.565, MaxAgents)
	}
}
