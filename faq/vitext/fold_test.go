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

func TestStripSymbols(t *testing.T) {
	cases := map[string]string{
		"đóng 😀 bhxh\u200d\ufe0f?": "đóng   bhxh ?", // the joiner is dropped, the selector a space
		"1,5% (tháng)":             "1,5% (tháng)",
		"a\x00b\tc":                "a b c",
		"<b>&</b>":                 " b   /b ",
	}
	for in, want := range cases {
		assert.Equal(t, want, StripSymbols(in), "StripSymbols(%q)", in)
	}
}

func TestWords(t *testing.T) {
	assert.Equal(t, []string{"dong", "bhxh", "1", "5tr"}, Words("Đóng BHXH: 1,5tr?"))
	assert.Empty(t, Words(" 😀 "))
}

func TestASCIIFastPaths(t *testing.T) {
	assert.Equal(t, "dong bhxh 1tr5 ?", Fold("Dong BHXH 1tr5 ?"))
	assert.Equal(t, "Dong BHXH", NFC("Dong BHXH"))
	assert.Equal(t, "dong bhxh", Lower("Dong BHXH"))
}

// The fast path of Fold agrees with the general one on every rune it
// handles and on mixed text.
func TestFoldFastPathAgrees(t *testing.T) {
	for r := rune(0); r < 0x2000; r++ {
		s := "a" + string(r) + "Đ"
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Fatalf("Fold(%q) = %q, general path %q", s, got, want)
		}
	}
	for _, s := range []string{"Đóng BHXH tự nguyện", "THẺ BHYT Hộ Gia Đình", "ưo ươ ÀẢÃẠ", "e\u0301 nfd", "bảo hiểm 日本"} {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Errorf("Fold(%q) = %q, general path %q", s, got, want)
		}
	}
}

func FuzzFoldFastPath(f *testing.F) {
	f.Add("Đóng BHXH tự nguyện")
	f.Add("e\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Fatalf("Fold(%q) = %q, general path %q", s, got, want)
		}
	})
}

// TestInvisibleCharactersInsideWords: text pasted from elsewhere carries
// zero-width and other invisible format characters inside words; every
// normalisation drops them so the word stays one word.
func TestInvisibleCharactersInsideWords(t *testing.T) {
	for _, in := range []string{
		"b\u200bh\u200bx\u200bh tự nguyện",       // zero-width space
		"bh\u200cxh t\u200dự ngu\u2060yện",       // non-joiner, joiner, word joiner
		"\ufeffbhxh tự ngu\u00adyện",             // byte-order mark, soft hyphen
		"\u200ebhxh\u200f tự \u202anguyện\u202c", // direction marks and embedding
	} {
		assert.Equal(t, "bhxh tu nguyen", Fold(in), "%q", in)
		assert.Equal(t, "bhxh tự nguyện", Lower(in), "%q", in)
		assert.Equal(t, "bhxh tự nguyện", LowerTones(in), "%q", in)
		assert.Equal(t, []string{"bhxh", "tu", "nguyen"}, Words(in), "%q", in)
		assert.Equal(t, "bhxh tự nguyện", Lower(StripSymbols(in)), "%q", in)
	}
	assert.Equal(t, "đóng bhxh", DropInvisible("đóng\u200b \u200bbhxh"))
	assert.Equal(t, "  ", StripSymbols("👍\ufe0f"), "emoji and their selectors still become spaces")
}
