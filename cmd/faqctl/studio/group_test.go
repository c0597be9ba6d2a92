package studio

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq"
)

func TestGroupRowsBySimilarWording(t *testing.T) {
	day := func(d int) time.Time { return testNow.AddDate(0, 0, -d) }
	rows := []bot.ReportRow{
		{Kind: "unanswered", Text: "bảo hiểm xe máy mua ở đâu", Count: 5, Users: 5, LastAt: day(3)},
		{Kind: "rejected", Text: "bảo hiểm xe máy mua ở đâu", Count: 1, Users: 1, LastAt: day(1)},
		{Kind: "unanswered", Text: "bao hiem xe may mua o dau vay ad", Count: 2, Users: 2, LastAt: day(2)},
		{Kind: "clarify", Text: "đóng bhxh qua momo được không", Count: 3, Users: 2, LastAt: day(4)},
		{Kind: "clarify", Text: "đóng bhxh tự nguyện ở đâu", Count: 4, Users: 4, LastAt: day(5)},
		{Kind: "thumbs-down", Text: "", FAQID: "hotline", Count: 2, Users: 2, LastAt: day(6)},
		{Kind: "thumbs-down", Text: "", FAQID: "lump-sum-when", Count: 1, Users: 1, LastAt: day(6)},
		{Kind: "unanswered", Text: "giá vàng hôm nay", Count: 1, Users: 1, LastAt: day(7)},
	}
	g := &generation{
		labelled: map[string]faq.Labelled{faq.QuestionKey("giá vàng hôm nay"): {File: "questions/a.tsv", Line: 9, Question: "giá vàng hôm nay", ID: faq.NoneID}},
		aside:    map[string]faq.SetAside{faq.QuestionKey("đóng bhxh qua momo được không"): {File: faq.NeededFile, Line: 2}},
	}
	groups := groupRows(rows, g)
	var texts [][]string
	for _, gr := range groups {
		var ts []string
		for _, m := range gr.Members {
			ts = append(ts, m.Text)
		}
		texts = append(texts, ts)
	}
	assert.Equal(t, [][]string{
		{"bảo hiểm xe máy mua ở đâu", "bao hiem xe may mua o dau vay ad"},
		{"đóng bhxh tự nguyện ở đâu"},
		{"đóng bhxh qua momo được không"}, // "đóng bhxh" alone is not enough to be alike
		{""},                              // 👎 without the question, one group per answer
		{""},
		{"giá vàng hôm nay"},
	}, texts)
	xe := groups[0]
	assert.Equal(t, 8, xe.Count)
	assert.Equal(t, day(1), xe.Last)
	assert.Equal(t, []kindCount{{"unanswered", kindWords["unanswered"], 7}, {"rejected", kindWords["rejected"], 1}}, xe.Kinds)
	assert.Equal(t, statusOpen, xe.Status)
	assert.Equal(t, statusNeeded, groups[2].Status)
	assert.Equal(t, []string{"hotline"}, groups[3].Members[0].FAQIDs)
	assert.Equal(t, statusLabelled, groups[5].Status)
	assert.Equal(t, 9, groups[5].Members[0].Label.Line)
}

func TestNearLabelledQuestions(t *testing.T) {
	lines := []faq.Labelled{
		{File: "q.tsv", Line: 2, Question: "số tổng đài bảo hiểm xã hội", ID: "hotline"},
		{File: "q.tsv", Line: 3, Question: "đóng bảo hiểm xã hội thấp nhất bao nhiêu", ID: "floor"},
		{File: "q.tsv", Line: 4, Question: "bảo hiểm xã hội tự nguyện là gì", ID: "what"},
		{File: "q.tsv", Line: 5, Question: "giá vàng hôm nay", ID: faq.NoneID},
	}
	n := newNearIndex(lines)
	got := n.find("cho xin so tong dai bao hiem", 2, 0.1)
	require.NotEmpty(t, got)
	assert.Equal(t, "hotline", got[0].ID, "folded words match, the rare ones weigh most")
	assert.Equal(t, []string{"so", "tong", "dai", "bao", "hiem"}, got[0].Shared)
	assert.LessOrEqual(t, len(got), 2)
	assert.Empty(t, n.find("xem bói", 5, 0.1))
	assert.Empty(t, n.find("!!!", 5, 0))
	exact := n.find("Giá vàng hôm nay?", 1, 0)
	assert.InDelta(t, 1.0, exact[0].Score, 1e-9)
}
