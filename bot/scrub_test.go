package bot

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScrub(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"mobile", "sdt em 0912345678 goi lai nhe", "sdt em [SĐT] goi lai nhe"},
		{"mobile with dots", "số 0912.345.678 nhé", "số [SĐT] nhé"},
		{"plus84", "call +84 912 345 678", "call [SĐT]"},
		{"84 prefix", "so 84912345678", "so [SĐT]"},
		{"cccd 12 digits", "cccd 001099012345 của em", "cccd [số giấy tờ] của em"},
		{"cmnd 9 digits", "cmnd 123456789", "cmnd [số giấy tờ]"},
		{"name", "tên tôi là Nguyễn Văn An, hỏi về bhxh", "tên tôi là [tên], hỏi về bhxh"},
		{"name unaccented", "ten la lan muon hoi", "ten la [tên] muon hoi"},
		{"i am named", "em tên Hoa muốn hỏi", "em tên [tên] muốn hỏi"},
		{"money untouched", "thu nhập 1500000 đóng bao nhiêu", "thu nhập 1500000 đóng bao nhiêu"},
		{"year untouched", "sinh năm 1995", "sinh năm 1995"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Scrub(tt.in))
		})
	}
}

func TestSmallTalk(t *testing.T) {
	tests := []struct {
		in   string
		want talk
	}{
		{"chào", talkHello}, {"Xin chào ạ", talkHello}, {"hi bot", talkHello}, {"hello!", talkHello},
		{"cảm ơn nhiều nhé", talkThanks}, {"thanks", talkThanks}, {"ok", talkThanks}, {"Cám ơn bạn", talkThanks},
		{"chào, đóng bhxh bao nhiêu", talkNone}, {"ok vậy rút 1 lần được không", talkNone}, {"bhyt", talkNone},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, smallTalk(tt.in), tt.in)
	}
}

func TestParseBirthMonth(t *testing.T) {
	for in, want := range map[string]string{"05/1995": "1995-05", "5/1995": "1995-05", "1995-05": "1995-05", "tháng 5 năm 1995": "1995-05", "12.1990": "1990-12"} {
		m, ok := parseBirthMonth(in)
		if assert.True(t, ok, in) {
			assert.Equal(t, want, monthToken(m), in)
		}
	}
	for _, in := range []string{"13/1990", "1990", "hôm qua", "00/2000"} {
		_, ok := parseBirthMonth(in)
		assert.False(t, ok, in)
	}
}

func TestFindMoney(t *testing.T) {
	for in, want := range map[string]string{
		"thu nhap 5 trieu dong bao nhieu": "5 trieu",
		"luong 3tr thi dong bao nhieu":    "3tr",
		"thu nhap 2500000 dong":           "2500000",
		"nha 4 nguoi":                     "",
	} {
		assert.Equal(t, want, findMoney(in), in)
	}
}
