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
	o := newOutsideList([]string{"bảo hiểm thất nghiệp", "ô tô", "thuế"}, kb)
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
			assert.Equal(t, tt.want, o.find(CleanQuery(tt.q), tt.top))
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
