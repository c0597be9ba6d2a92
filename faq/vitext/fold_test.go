package vitext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Đóng BHXH tự nguyện":      "dong bhxh tu nguyen",
		"ĐĂNG KÝ hộ gia đình":      "dang ky ho gia dinh",
		"\u0111o\u0301ng":          "dong", // NFD input
		"Thái Thụy, p. Trần Phú 1": "thai thuy, p. tran phu 1",
		"":                         "",
	}
	for in, want := range cases {
		assert.Equal(t, want, Fold(in), "Fold(%q)", in)
	}
}

func TestHasDiacritics(t *testing.T) {
	assert.True(t, HasDiacritics("đóng"))
	assert.True(t, HasDiacritics("đ"))
	assert.False(t, HasDiacritics("dong bhxh 1tr5 ?"))
}
