package faq

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchFixture(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		query  string
		wantID string
	}{
		{"Thu nhập thấp nhất để đóng BHXH tự nguyện là bao nhiêu?", "min-income-floor"},
		{"dong bhxh tn thap nhat bn", "min-income-floor"},
		{"mức đóng cao nhất", "max-income-ceiling"},
		{"rút bhxh 1 lần đc ko", "lump-sum-when"},
		{"rut bao hiem xa hoi mot lan", "lump-sum-when"},
		{"bhyt hgđ 1 người bn tiền", "household-hi-fee"},
		{"mua bao hiem y te cho ca nha", "household-hi-fee"},
		{"e 25t lam tu do co dc tham gia k", "who-can-join-age"},
		{"số hotline bhxh", "hotline"},
		{"can I withdraw my social insurance", "lump-sum-when"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.query)
			require.NoError(t, err)
			require.NotEmpty(t, res.Hits)
			assert.Equal(t, tt.wantID, res.Hits[0].Entry.ID)
			assert.NotEqual(t, DecisionNone, res.Decision, "signals %+v", res.Signals)
		})
	}
}

func TestSearchTypo(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.Search(context.Background(), "hotlinne") // one letter too many
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "hotline", res.Hits[0].Entry.ID)
}

func TestSearchAccentedRanksExactAbove(t *testing.T) {
	ix := testIndex(t)
	// "mức trần" (ceiling) with diacritics must prefer the entry tagged
	// "mức trần" over folded look-alikes.
	res, err := ix.Search(context.Background(), "mức trần")
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "max-income-ceiling", res.Hits[0].Entry.ID)
}

func TestSearchNone(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"", "   ", "😀🎉", "<b></b>", "cho em hỏi ạ", "thời tiết hà nội hôm nay", "công thức làm bánh flan", "/start", "https://example.com"} {
		t.Run(q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), q)
			require.NoError(t, err)
			assert.Equal(t, DecisionNone, res.Decision, "signals %+v", res.Signals)
			assert.Equal(t, q, res.Query)
		})
	}
}

func TestSearchOptions(t *testing.T) {
	ix := testIndex(t)
	res, err := ix.SearchWith(context.Background(), "thu nhập thấp nhất để đóng", SearchOptions{K: 2, Explain: true})
	require.NoError(t, err)
	require.Len(t, res.Hits, 2)
	assert.Contains(t, res.Hits[0].Explain, "value")
	assert.GreaterOrEqual(t, res.Hits[0].Score, res.Hits[1].Score)
	res, err = ix.Search(context.Background(), "bhxh")
	require.NoError(t, err)
	assert.LessOrEqual(t, len(res.Hits), DefaultK)
	assert.Empty(t, res.Hits[0].Explain)
}

func TestSearchDecisionShape(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"bhxh", "rút 1 lần", "đóng bao nhiêu", "bhyt"} {
		res, err := ix.Search(context.Background(), q)
		require.NoError(t, err)
		switch res.Decision {
		case DecisionClarify:
			assert.GreaterOrEqual(t, res.Choices, 2)
			assert.LessOrEqual(t, res.Choices, 3)
			assert.GreaterOrEqual(t, len(res.Hits), res.Choices)
		case DecisionAnswer:
			assert.NotEmpty(t, res.Hits)
			assert.Zero(t, res.Choices)
		}
	}
}

func TestSearchCancelled(t *testing.T) {
	ix := testIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, "bhxh tự nguyện")
	assert.Error(t, err)
}

func TestCleanQuery(t *testing.T) {
	tests := map[string]string{
		"  đóng   bhxh\t\n😀 ":              "đóng bhxh",
		"/start@bhxh_bot rút 1 lần":        "rút 1 lần",
		"xem https://a.vn/x?y=1 giúp em":   "xem giúp em",
		"<b>x</b> & a\\b":                  "b x /b a b",
		"\x00\x07ab\u200dcd":               "abcd", // an invisible joiner does not split a word
		"b\u200bh\u200bx\u200bh tự nguyện": "bhxh tự nguyện",
		"\u0111o\u0301ng":                  "đóng",
	}
	for in, want := range tests {
		assert.Equal(t, want, CleanQuery(in), "CleanQuery(%q)", in)
	}
	long := strings.Repeat("bảo hiểm ", 1000) + "cuối"
	got := CleanQuery(long)
	assert.LessOrEqual(t, len([]rune(got)), MaxQueryRunes+1)
	assert.True(t, strings.HasSuffix(got, "cuối"), "keeps the end of a long letter")
}

func TestBaselineIndex(t *testing.T) {
	kb := testIndex(t).KB()
	ix, err := NewBaselineIndex(kb)
	require.NoError(t, err)
	defer ix.Close()
	res, err := ix.Search(context.Background(), "Khi nào được rút BHXH một lần?")
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "lump-sum-when", res.Hits[0].Entry.ID)
}

func FuzzSearch(f *testing.F) {
	ix := testIndex(f)
	for _, s := range []string{"", "bhxh", "1tr5", "a:b:c ~~~ ^^ \"", "<script>", strings.Repeat("😀", 600), "1.500.000.000.000.000.000đ", "99999999999999999999tr9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision != DecisionAnswer && res.Decision != DecisionClarify && res.Decision != DecisionNone {
			t.Fatalf("decision %q", res.Decision)
		}
		if res.Decision == DecisionAnswer && len(res.Hits) == 0 {
			t.Fatal("answer without hits")
		}
		if len([]rune(res.Cleaned)) > MaxQueryRunes+1 {
			t.Fatalf("cleaned query too long: %d", len([]rune(res.Cleaned)))
		}
	})
}

func TestOneEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"nguyen", "nguyn", true}, {"nguyen", "nguyne", true}, {"tham", "thma", true},
		{"gia", "gai", true}, {"dong", "dongg", true}, {"dong", "dang", true},
		{"dong", "dong", false}, {"dong", "dgno", false}, {"dong", "do", false}, {"abc", "xyz", false},
	} {
		assert.Equal(t, tt.want, oneEdit(tt.a, tt.b), "%q %q", tt.a, tt.b)
	}
}

func TestSignalsCorrectTypos(t *testing.T) {
	ix := testIndex(t)
	typo, err := ix.Search(context.Background(), "khi nao thi duocc rut bao hiemm xa hoi mot lan")
	require.NoError(t, err)
	clean, err := ix.Search(context.Background(), "khi nao thi duoc rut bao hiem xa hoi mot lan")
	require.NoError(t, err)
	require.NotEmpty(t, typo.Hits)
	assert.Equal(t, "lump-sum-when", typo.Hits[0].Entry.ID)
	assert.InDelta(t, clean.Signals.Coverage, typo.Signals.Coverage, 0.15, "typos barely change coverage")
}

func TestSearchConcurrent(t *testing.T) {
	ix := testIndex(t)
	qs := []string{"rút bhxh 1 lần đc ko", "bhyt hgđ bn tiền", "hotline", "thời tiết", "1tr5 đóng bn"}
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			var err error
			for i := range 20 {
				if _, e := ix.Search(context.Background(), qs[(g+i)%len(qs)]); e != nil {
					err = e
				}
			}
			done <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-done)
	}
}

// Old and new tone placement and the "ưo" slip are the same word to the
// search and to the decision.
func TestSearchSpellingVariants(t *testing.T) {
	ix := shippedIndex(t)
	for _, pair := range [][2]string{
		{"huỷ tham gia bhxh tự nguyện được không", "hủy tham gia bhxh tự nguyện được không"},
		{"lưong hưu tính ra sao", "lương hưu tính ra sao"},
	} {
		a, err := ix.Search(t.Context(), pair[0])
		require.NoError(t, err)
		b, err := ix.Search(t.Context(), pair[1])
		require.NoError(t, err)
		require.NotEmpty(t, a.Hits, pair[0])
		require.NotEmpty(t, b.Hits, pair[1])
		assert.Equal(t, b.Hits[0].Entry.ID, a.Hits[0].Entry.ID, pair[0])
		assert.InDelta(t, b.Signals.Confidence, a.Signals.Confidence, 1e-9, pair[0])
		assert.Equal(t, b.Decision, a.Decision, pair[0])
	}
}

// A letter that asks a second thing gets it as a "Bạn cũng hỏi" button; a
// sentence that only means something with its letter ("Và được bao nhiêu
// phần trăm?" after a hospital bill) is not read alone as another topic.
func TestAlsoNeedsTheWholeMessage(t *testing.T) {
	ix := shippedIndex(t)
	// offered returns the topics the reply offers (the answer or the
	// choices) and the "Bạn cũng hỏi" topics.
	offered := func(msg string) (shown, also []string) {
		res, err := ix.Search(context.Background(), msg)
		require.NoError(t, err)
		require.NotEqual(t, DecisionNone, res.Decision, msg)
		n := 1
		if res.Decision == DecisionClarify {
			n = res.Choices
		}
		for _, h := range res.Hits[:n] {
			shown = append(shown, h.Entry.Topic)
		}
		for _, h := range res.Also {
			also = append(also, h.Entry.Topic)
		}
		return shown, also
	}
	// Two questions: both reach the person, as the reply or as a button,
	// whichever way round the model reads them.
	shown, also := offered("Mẹ tôi 58 tuổi đóng tự nguyện được 12 năm. Mẹ tôi có được đóng một lần cho 3 năm còn thiếu không? Nếu đóng ở mức thu nhập 3 triệu thì mỗi tháng hết bao nhiêu tiền?")
	assert.Subset(t, append(shown, also...), []string{"pay-missing-years", "contribution-rate"})
	// "Được bao nhiêu phần trăm?" after a hospital bill is the bill's share,
	// not a pension rate (two of these got a pension button before
	// AlsoSupport).
	for _, bill := range []string{
		"Con tôi 6 tuổi vừa mổ ruột thừa ở bệnh viện tỉnh, có thẻ BHYT hộ gia đình. Tôi muốn hỏi mổ như vậy BHYT có trả không? Và được bao nhiêu phần trăm?",
		"Bố tôi nằm viện 10 ngày ở bệnh viện huyện, có thẻ BHYT hộ gia đình, hết 15 triệu. BHYT có thanh toán không? Được bao nhiêu phần trăm?",
		"Mẹ tôi mổ mắt ở bệnh viện tỉnh khác, thẻ BHYT hộ gia đình đăng ký ở trạm y tế xã. Như vậy có được BHYT trả không? Nếu được thì bao nhiêu phần trăm?",
		"Con tôi đi khám răng ở phòng khám tư, có thẻ BHYT học sinh. BHYT có trả không? Được bao nhiêu phần trăm?",
	} {
		_, also = offered(bill)
		assert.NotContains(t, also, "pension-amount", bill)
	}
}
