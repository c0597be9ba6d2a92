package faq

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testNotices = `notices:
  - from: 2026-12-01
    until: 2027-01-31
    text: Từ 01/01/2027 mức thấp nhất dự kiến là 2.200.000 đồng. {{dated 01/01/2027}}
  - from: 2027-01-01
    until: 2027-01-10
    text: |
      Hôm nay mức thấp nhất là **{{vsi.floor}}**.
`

func TestLoadNotices(t *testing.T) {
	fsys := fstest.MapFS{NoticesFile: {Data: []byte(testNotices)}}
	notices, err := LoadNotices(fsys)
	require.NoError(t, err)
	require.Len(t, notices, 2)
	assert.True(t, notices[0].Active(onDay(t, "2026-12-01")))
	assert.True(t, notices[0].Active(onDay(t, "2027-01-31")), "until is the last day shown")
	assert.False(t, notices[0].Active(onDay(t, "2027-02-01")))
	assert.False(t, notices[1].Active(onDay(t, "2026-12-31")))

	none, err := LoadNotices(fstest.MapFS{})
	require.NoError(t, err, "no notices.yaml: no notices")
	assert.Empty(t, none)
}

func TestLoadNoticesProblems(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"no expiry", "notices:\n  - from: 2026-12-01\n    text: x\n", `notices.yaml:2: thông báo thiếu "until"`},
		{"until before from", "notices:\n  - from: 2026-12-01\n    until: 2026-11-01\n    text: x\n", "notices.yaml:2: until 2026-11-01 trước from 2026-12-01"},
		{"bad date", "notices:\n  - from: 01/12/2026\n    until: 2027-01-01\n    text: x\n", `notices.yaml:2: from: ngày "01/12/2026" không đúng dạng`},
		{"unknown field", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: x\n    title: y\n", `notices.yaml:5: trường "title" không dùng được`},
		{"empty text", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: \"\"\n", "notices.yaml:4: text đang trống"},
		{"unknown amount", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: |\n      Dòng một.\n      Mức {{vsi.flor}}.\n", `notices.yaml:6: {{vsi.flor}}: không có số tiền nào tên "vsi.flor"`},
		{"too long", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: " + strings.Repeat("dài ", 120) + "\n", "notices.yaml:4: thông báo quá dài"},
		{"heading", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: \"# Tiêu đề\"\n", "notices.yaml:4: không dùng tiêu đề"},
		{"not a list", "notice: []\n", `notices.yaml:1: mục "notice" không dùng được`},
		{"syntax", "notices: [\n", "notices.yaml:"},
		{"control character raw", "notices:\n  - from: 2026-12-01\n    until: 2027-01-01\n    text: |\n      Mức\x0b mới.\n", "notices.yaml:5: ký tự điều khiển U+000B không nhìn thấy ở cột 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadNotices(fstest.MapFS{NoticesFile: {Data: []byte(tt.yaml)}})
			assert.Contains(t, strings.Join(problemsOf(t, err), "\n"), tt.want)
		})
	}
}

func TestNoticesHTMLAndChecks(t *testing.T) {
	a := shippedAmounts(t)
	notices, err := LoadNotices(fstest.MapFS{NoticesFile: {Data: []byte(testNotices)}})
	require.NoError(t, err)
	ix := &Index{kb: &KB{amounts: a}, notices: notices}
	assert.Equal(t, []string{"Từ 01/01/2027 mức thấp nhất dự kiến là 2.200.000 đồng."}, ix.NoticesHTML(onDay(t, "2026-12-20")))
	assert.Equal(t, []string{"Từ 01/01/2027 mức thấp nhất dự kiến là 2.200.000 đồng.", "Hôm nay mức thấp nhất là <b>2.200.000 đồng</b>."},
		ix.NoticesHTML(onDay(t, "2027-01-05")), "the amount of the day the notice is read")
	assert.Empty(t, ix.NoticesHTML(onDay(t, "2027-02-01")))

	errs, warns := CheckNotices(notices, a, onDay(t, "2027-02-01"))
	assert.Empty(t, errs)
	require.Len(t, warns, 2)
	assert.Equal(t, "notices.yaml:2: cảnh báo: thông báo đã hết hạn ngày 2027-01-31, bot không còn hiện nữa; xoá khỏi tệp", warns[0].String())
	_, warns = CheckNotices([]Notice{{Text: "Mức thấp nhất 1.500.000 đồng.", textLine: 7, Until: onDay(t, "2027-12-31")}}, a, onDay(t, "2026-12-20"))
	require.Len(t, warns, 1)
	assert.Contains(t, warns[0].String(), `notices.yaml:7: cảnh báo: "1.500.000" viết sẵn trong thông báo`)
	errs, _ = CheckNotices([]Notice{{Text: "Tự trả {{vsi.pay 1500000 other}}.", textLine: 9, Until: onDay(t, "2027-12-31")}}, a, onDay(t, "2027-01-05"))
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].String(), "notices.yaml:9: {{vsi.pay 1500000 other}}: Thu nhập chọn đóng phải từ 2.200.000 đ")
}

func TestShippedNotices(t *testing.T) {
	notices, err := LoadNotices(content.FS())
	require.NoError(t, err)
	errs, _ := CheckNotices(notices, shippedAmounts(t), onDay(t, "2026-12-20"))
	assert.Empty(t, errs)
}
