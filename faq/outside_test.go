package faq

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSynonymsOutside(t *testing.T) {
	syn, err := ParseSynonyms("s.txt", []byte("bhxh = bảo hiểm xã hội\n[outside]\nthuế, Xe  Ô TÔ\n\nhoà giải # ghi chú\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"thuế", "xe ô tô", "hòa giải"}, syn.outside)
	assert.Equal(t, 1, syn.Len(), "outside phrases are not expansion rules")
}

func TestOutsideFind(t *testing.T) {
	kb := &KB{entries: []*Entry{
		{ID: "a", Question: "Đóng BHXH tự nguyện ở đâu?", Body: "Ở bưu điện xã."},
		{ID: "b", Question: "BHXH tự nguyện khác bảo hiểm thất nghiệp thế nào?", Body: "Bảo hiểm thất nghiệp chỉ có ở BHXH bắt buộc."},
	}}
	o := newOutsideList(&Synonyms{outside: []string{"bảo hiểm thất nghiệp", "ô tô", "thuế"}}, kb)
	tests := []struct{ q, top, want string }{
		{"bảo hiểm thất nghiệp hưởng mấy tháng", "a", "bảo hiểm thất nghiệp"},
		{"bao hiem that nghiep huong may thang", "a", "bao hiem that nghiep"},
		{"bảo hiểm thất nghiệp khác tự nguyện sao", "b", ""}, // the entry speaks about it
		{"mua bảo hiểm ô tô", "a", "ô tô"},
		{"ghi ở tờ khai nào", "a", ""}, // with diacritics "ở tờ" is not "ô tô"
		{"ghi o to khai nao", "a", "o to"},
		{"Thuế thu nhập", "a", "thuế"},
		{"thuê nhà", "a", ""},
		{"thu nhập 1500000 thì đóng bao nhiêu", "a", ""}, // an amount
		{"gọi 19009068 có mất phí không", "a", ""},       // the hotline
		{"năm 2026 đóng bao nhiêu", "a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			assert.Equal(t, tt.want, o.find(CleanQuery(tt.q), tt.q, tt.top))
		})
	}
}

func TestSearchOutsideIsNone(t *testing.T) {
	ix := shippedIndex(t)
	for _, q := range []string{"cách tính thuế thu nhập cá nhân", "bảo hiểm thất nghiệp được mấy tháng"} {
		res, err := ix.Search(t.Context(), q)
		require.NoError(t, err)
		assert.Equal(t, DecisionNone, res.Decision, q)
		assert.NotEmpty(t, res.Signals.Outside, q)
	}
}

// A message with a personal number is answered (how to check one's own
// record), the number left out of the search and reported.
func TestSearchPersonalNumberIsAnswered(t *testing.T) {
	ix := shippedIndex(t)
	for _, tt := range []struct {
		q    string
		kind string
	}{
		{"tra cứu giúp em mã số bhxh 7912345678 đã đóng đến tháng nào", PersonalSI},
		{"Chào anh chị, CCCD của tôi là 036190001234, tôi muốn xem quá trình đóng bảo hiểm của mình thì làm thế nào?", PersonalID},
	} {
		res, err := ix.Search(t.Context(), tt.q)
		require.NoError(t, err)
		assert.NotEqual(t, DecisionNone, res.Decision, tt.q)
		require.NotEmpty(t, res.Hits, tt.q)
		assert.Equal(t, "check-contribution-history", res.Hits[0].Entry.Topic, tt.q)
		assert.Equal(t, []string{tt.kind}, res.Personal, tt.q)
		assert.NotContains(t, res.Cleaned, "7912345678")
		assert.NotContains(t, res.Cleaned, "036190001234")
	}
}

// A [context] phrase (a job, a vehicle) refuses a question only when the
// message does not name the subject; an [outside] phrase refuses it even
// then.
func TestOutsideContext(t *testing.T) {
	syn, err := ParseSynonyms("s.txt", []byte("[outside]\nthuế\n[context]\nXe máy\n[subject]\nbhxh, bảo hiểm xã hội\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"xe máy"}, syn.context)
	assert.Equal(t, []string{"bhxh", "bảo hiểm xã hội"}, syn.subject)
	kb := &KB{entries: []*Entry{{ID: "a", Question: "Đóng BHXH tự nguyện bao nhiêu?", Body: "Ít nhất 330.000 đồng."}}}
	o := newOutsideList(syn, kb)
	tests := []struct{ ask, whole, want string }{
		{"tôi chạy xe máy giao hàng, đóng bhxh tự nguyện bao nhiêu", "", ""},
		{"chay xe may giao hang dong bao hiem xa hoi bn", "", ""},
		{"mua xe máy trả góp ở đâu", "", "xe máy"},
		{"mua xe may tra gop o dau", "", "xe may"},
		// The story names the subject: "Tôi muốn đóng BHXH. Đi xe máy ra bưu điện xa thì làm sao?"
		{"đi xe máy ra bưu điện xa thì làm sao", "Tôi muốn đóng BHXH. Đi xe máy ra bưu điện xa thì làm sao?", ""},
		{"thuế thu nhập khi đóng bhxh", "", "thuế"},
	}
	for _, tt := range tests {
		t.Run(tt.ask, func(t *testing.T) {
			whole := tt.whole
			if whole == "" {
				whole = tt.ask
			}
			assert.Equal(t, tt.want, o.find(CleanQuery(tt.ask), whole, "a"))
		})
	}
	_, err = ParseSynonyms("s.txt", []byte("[subject]\nbhxh = bảo hiểm xã hội\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "s.txt:2:")
	assert.Contains(t, err.Error(), "[subject]")
}
