package faq

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func kinds(f Focus) []SentenceKind {
	var out []SentenceKind
	for _, s := range f.Sentences {
		out = append(out, s.Kind)
	}
	return out
}

func TestReadFocusLetter(t *testing.T) {
	f := ReadFocus("Kính gửi BHXH tỉnh. Tôi là thợ may, sinh năm 1979, ở Hà Tĩnh. Tôi đóng bắt buộc 9 năm rồi nghỉ từ 2018. " +
		"Vậy cho tôi hỏi bây giờ đóng tiếp tự nguyện thì bao lâu được lương hưu? Mỗi tháng đóng ít nhất bao nhiêu? Xin cảm ơn.")
	assert.Equal(t, []SentenceKind{SentenceSocial, SentenceStory, SentenceStory, SentenceAsk, SentenceAsk, SentenceSocial}, kinds(f))
	assert.Equal(t, []string{
		"Vậy cho tôi hỏi bây giờ đóng tiếp tự nguyện thì bao lâu được lương hưu?",
		"Mỗi tháng đóng ít nhất bao nhiêu?",
	}, f.Asking())
	assert.Equal(t, weightStory, f.Sentences[2].Weight)
	assert.Equal(t, 0.0, f.Sentences[0].Weight)
	assert.NotContains(t, f.Text(weightAsk), "thợ may")
	assert.Contains(t, f.Text(weightStory), "thợ may")
}

func TestReadFocusMarkerInsideSentence(t *testing.T) {
	f := ReadFocus("em đóng bhxh tn được 3 năm rồi giờ đi làm công ty, cho em hỏi tiền đã đóng có mất không")
	require.Len(t, f.Sentences, 2)
	assert.Equal(t, SentenceStory, f.Sentences[0].Kind)
	assert.Equal(t, "cho em hỏi tiền đã đóng có mất không", f.Sentences[1].Text)
	assert.Equal(t, SentenceAsk, f.Sentences[1].Kind)
}

func TestReadFocusChatIsOneQuestion(t *testing.T) {
	for _, q := range []string{"dong bhxh tu nguyen 1 thang bao nhieu", "bhyt hgd 4 nguoi het bn", "rút 1 lần"} {
		f := ReadFocus(q)
		require.Len(t, f.Sentences, 1, q)
		assert.Equal(t, weightAsk, f.Sentences[0].Weight, q)
		assert.Equal(t, q, f.Text(weightAsk))
	}
}

func TestReadFocusAmountsAreNotSentenceEnds(t *testing.T) {
	f := ReadFocus("Tôi chọn mức 1.500.000 đ, vậy mỗi tháng đóng bao nhiêu.")
	require.Len(t, f.Sentences, 1)
	assert.Contains(t, f.Sentences[0].Text, "1.500.000")
	assert.Empty(t, f.Personal)
}

func TestReadFocusPersonalNumbers(t *testing.T) {
	tests := []struct {
		msg  string
		want []string
	}{
		{"mã số bhxh của tôi là 0123456789 đã đóng đến đâu", []string{PersonalSI}},
		{"cccd 001203004567, sdt 0912 345 678 cho em hỏi", []string{PersonalID, PersonalPhone}},
		{"số điện thoại +84 912345678", []string{PersonalPhone}},
		{"thẻ bhyt GD4797932123456 hết hạn", []string{PersonalCard}},
		{"gọi 1900 9068 hay 19009068 được không", nil},
		{"đóng 2.000.000 hay 2000000 đồng", nil},
		{"sinh năm 1985, đóng từ 2012 đến 2020", nil},
		{"mã 12345678 là gì", []string{PersonalOther}},
	}
	for _, tt := range tests {
		f := ReadFocus(tt.msg)
		assert.Equal(t, tt.want, f.Personal, tt.msg)
		for _, s := range f.Sentences {
			for _, d := range []string{"0123456789", "001203004567", "345 678", "912345678", "4797932123456", "12345678"} {
				assert.NotContains(t, s.Text, d, tt.msg)
			}
		}
	}
}

func TestReadFocusPlaceholdersAndSocial(t *testing.T) {
	f := ReadFocus("Chào anh chị. Bà [họ tên] ở Nghệ An hỏi: mẹ tôi [ngày sinh] có được hưởng trợ cấp hằng tháng không?")
	assert.NotContains(t, f.Text(0), "[")
	assert.Equal(t, SentenceSocial, f.Sentences[0].Kind)

	only := ReadFocus("Em chào ad ạ. Cảm ơn ad!")
	for _, s := range only.Sentences {
		assert.Equal(t, weightAsk, s.Weight, "a message of only greetings keeps its words; the caller decides")
	}
}

func TestReadFocusSalutationAndThanks(t *testing.T) {
	// A salutation ended by a comma is cut from the question it opens.
	f := ReadFocus("Thưa luật sư, bố tôi mất thì nhà tôi có được tiền mai táng không?")
	assert.Equal(t, "bố tôi mất thì nhà tôi có được tiền mai táng không?", f.Text(weightAsk))
	assert.Equal(t, SentenceSocial, f.Sentences[0].Kind)
	// A long clause starting with "gửi" is not a salutation.
	long := ReadFocus("Gửi tiền đóng bảo hiểm cho mẹ ở quê qua bưu điện xã bên nhà ngoại, có được không?")
	assert.Len(t, long.Sentences, 1)

	// Thanks after a pronoun, thanking for an answer or advice, ask nothing.
	for _, thanks := range []string{
		"Tôi xin chân thành cảm ơn luật sư vì đã trả lời câu hỏi của tôi.",
		"Em cảm ơn ad đã tư vấn ạ.",
		"Xin cảm ơn quý cơ quan đã giải đáp",
	} {
		f := ReadFocus("Đóng BHXH tự nguyện mức thấp nhất là bao nhiêu? " + thanks)
		assert.Equal(t, SentenceSocial, f.Sentences[len(f.Sentences)-1].Kind, thanks)
	}
	// Thanks followed by a question still asks.
	f = ReadFocus("Em cảm ơn, nhưng đóng bao nhiêu năm thì được lương hưu")
	assert.Equal(t, SentenceAsk, f.Sentences[len(f.Sentences)-1].Kind)
}

func TestReadFocusBounds(t *testing.T) {
	assert.Empty(t, ReadFocus("").Sentences)
	assert.Empty(t, ReadFocus("   \n\n ").Sentences)
	assert.Empty(t, ReadFocus("😀 ??? ...").Sentences)
	huge := strings.Repeat("đóng bhxh tự nguyện bao nhiêu? ", 2000)
	f := ReadFocus(huge)
	total := 0
	for _, s := range f.Sentences {
		total += utf8.RuneCountInString(s.Text)
	}
	assert.LessOrEqual(t, total, maxFocusRunes)
	assert.NotEmpty(t, ReadFocus("\xff\xfe bhxh \xc3").Sentences, "invalid UTF-8 is tolerated")
}

func FuzzReadFocus(f *testing.F) {
	for _, s := range []string{"", "Kính gửi. Vậy cho tôi hỏi?", "0912345678", "[họ tên] 1.500.000", "\xff", "a.b.c?!;…\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fo := ReadFocus(s)
		for _, se := range fo.Sentences {
			if !utf8.ValidString(se.Text) {
				t.Fatalf("invalid UTF-8 in %q", se.Text)
			}
			if se.Weight < 0 || se.Weight > weightAsk {
				t.Fatalf("weight %v", se.Weight)
			}
		}
	})
}

func TestFindPersonal(t *testing.T) {
	tests := []struct {
		in   string
		want []string // the numbers found, with their kinds
	}{
		{"sdt0912345678 goi lai", []string{"0912345678 phone"}},
		{"so 84912345678 nhe", []string{"84912345678 phone"}},
		{"+84 912 345 678", []string{"+84 912 345 678 phone"}},
		{"ma bhxh 7912345678, cccd 036190001234", []string{"7912345678 bhxh", "036190001234 cccd"}},
		{"cmnd 123456789", []string{"123456789 cccd"}},
		{"thẻ GD 47 97 9321234567 hết hạn", []string{"GD 47 97 9321234567 card"}},
		{"thu nhập 1500000, 2.000.000 đồng, gọi 19009068, năm 2026", nil},
		{"số 12345678901234", []string{"12345678901234 code"}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range FindPersonal(tt.in) {
			got = append(got, tt.in[p.Start:p.End]+" "+p.Kind)
		}
		assert.Equal(t, tt.want, got, tt.in)
	}
}

// All is the message as read: greetings kept, personal numbers out.
func TestFocusAll(t *testing.T) {
	f := ReadFocus("Chào anh chị. Em gọi 0912345678 mãi không được. Đóng BHXH tự nguyện bao nhiêu?")
	assert.Equal(t, "Chào anh chị. Em gọi mãi không được. Đóng BHXH tự nguyện bao nhiêu?", strings.Join(strings.Fields(f.All()), " "))
}
