package handoff

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribeTopic(t *testing.T) {
	cases := map[string]string{
		"vsi 5000000 other m1":        "Tính mức đóng BHXH tự nguyện, thu nhập 5.000.000 đ, đối tượng khác, đóng hằng tháng",
		"vsi 1500000 poor m3":         "Tính mức đóng BHXH tự nguyện, thu nhập 1.500.000 đ, hộ nghèo, đóng 3 tháng một lần",
		"vsi 3000000 near-poor y5":    "Tính mức đóng BHXH tự nguyện, thu nhập 3.000.000 đ, hộ cận nghèo, đóng trước 5 năm",
		"vsi 3000000 ethnic-minority": "Tính mức đóng BHXH tự nguyện, thu nhập 3.000.000 đ, người dân tộc thiểu số",
		"hi 4 12":                     "Tính BHYT hộ gia đình, 4 người, 12 tháng",
		"pension female 20 5000000":   "Ước tính lương hưu, nữ, 20 năm đóng, thu nhập 5.000.000 đ",
	}
	for in, want := range cases {
		got, ok := describeTopic(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "min-income-floor", "vsi abc", "hi", "pension x y z"} {
		_, ok := describeTopic(in)
		assert.False(t, ok, in)
	}
}
