package handoff

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/bot/agents/agentstest"
	"github.com/bhxh-tn/bhxhbot/content"
)

func ict(day, hh, mm int) time.Time { return agentstest.At(day, hh, mm) }

func testFS(rows string) fstest.MapFS { return agentstest.FS(rows) }

func TestExpectedCallAt(t *testing.T) {
	h, err := agents.ParseHours("T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30")
	require.NoError(t, err)
	at := ict
	cases := []struct {
		now  time.Time
		pref string
		want string
	}{
		{at(23, 9, 0), "any", "trong giờ làm việc hôm nay"},
		{at(23, 9, 0), "sang", "trong sáng nay"},
		{at(23, 9, 0), "chieu", "từ 13:30 hôm nay (buổi chiều, như bạn chọn)"},
		{at(23, 12, 0), "any", "từ 13:30 hôm nay (giờ mở cửa tiếp theo)"},
		{at(23, 12, 0), "sang", "từ 07:30 ngày mai (buổi sáng, như bạn chọn)"},
		{at(23, 14, 0), "chieu", "trong chiều nay"},
		{at(27, 18, 0), "sang", "từ 07:30 ngày mai (buổi sáng, như bạn chọn)"},
		{at(27, 18, 0), "chieu", "từ 13:30 T2 30/11 (buổi chiều, như bạn chọn)"},
		{at(28, 12, 0), "any", "từ 07:30 T2 30/11 (giờ mở cửa tiếp theo)"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, ExpectedCallAt(h, c.now, c.pref), "%s %s", c.now.Format("Mon 15:04"), c.pref)
	}
	assert.Equal(t, "trong giờ hành chính", ExpectedCallAt(agents.Hours{}, at(23, 9, 0), "any"))
}

func loadReal(t testing.TB) *agents.Directory {
	t.Helper()
	d, err := agents.LoadDirectory(content.FS())
	require.NoError(t, err)
	return d
}
