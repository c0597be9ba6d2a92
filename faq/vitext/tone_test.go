package vitext

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestLowerTones(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Huỷ tham gia", "hủy tham gia"},
		{"hủy", "hủy"},
		{"hoà giải, HOÀ", "hòa giải, hòa"},
		{"thuý và khoẻ", "thúy và khỏe"},
		{"quý", "quý"},     // qu + y: u is part of the onset
		{"hoàng", "hoàng"}, // closed syllable: the mark stays on a
		{"ngoài", "ngoài"}, // three vowels
		{"bảo hiểm", "bảo hiểm"},
		{"dong bhxh", "dong bhxh"},
		{"lưong hưu", "lương hưu"}, // a horn forgotten on the o
		{"trưóc", "trước"},
		{"lương", "lương"},
		{"", ""},
	} {
		assert.Equal(t, c.want, LowerTones(c.in), c.in)
	}
}

func FuzzLowerTones(f *testing.F) {
	for _, s := range []string{"huỷ", "hoà", "quý", "thuý khoẻ", "a\u0301", "oa\u0300\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // questions are made valid UTF-8 before analysis
		}
		out := LowerTones(s)
		assert.Equal(t, Fold(s), Fold(out), "only tone placement may change")
	})
}
