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
		{"i am + name", "em là Lê Thị Hoa 0987654321 cho hỏi vay tiền", "em là [tên] [SĐT] cho hỏi vay tiền"},
		{"I am + name, sentence start", "Tôi là Trần Bình, muốn hỏi", "Tôi là [tên], muốn hỏi"},
		{"i am + not a name", "tôi là người dân tộc thiểu số", "tôi là người dân tộc thiểu số"},
		{"i am + acronym", "mình là HSSV có được giảm không", "mình là HSSV có được giảm không"},
		{"glued phone", "sdt0912345678 goi lai", "sdt[SĐT] goi lai"},
		{"social insurance code", "mã bhxh 7912345678 đóng đến đâu", "mã bhxh [mã BHXH] đóng đến đâu"},
		{"health card code", "thẻ GD4797932123456 còn hạn không", "thẻ [mã thẻ BHYT] còn hạn không"},
		{"hotline untouched", "gọi 1900 9068 mất phí không", "gọi 1900 9068 mất phí không"},
		{"money untouched", "thu nhập 1500000 đóng bao nhiêu", "thu nhập 1500000 đóng bao nhiêu"},
		{"year untouched", "sinh năm 1995", "sinh năm 1995"},
		{"terminal escapes and invisible characters", "giá vàng \x1b[31mhôm nay\x1b]0;x\a\u202e?", "giá vàng  [31mhôm nay ]0;x ?"},
		{"line breaks", "dòng 1\r\ndòng 2", "dòng 1  dòng 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Scrub(tt.in))
		})
	}
}
