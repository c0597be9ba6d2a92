package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// scriptedFAQ answers every question with a fixed result built on the real
// entries, to test what the engine does with each kind of result.
type scriptedFAQ struct {
	faqIndex
	res func(q string) faq.Result
}

func (s scriptedFAQ) Search(_ context.Context, q string) (faq.Result, error) { return s.res(q), nil }

func entry(t testing.TB, ix faqIndex, id string) *faq.Entry {
	t.Helper()
	e, ok := ix.Entry(id)
	require.True(t, ok, id)
	return e
}

func TestClarifyOffersNotTheseWhichRecordsAndOffersPeople(t *testing.T) {
	ix, _ := realDeps(t)
	fi := faqIndex{ix}
	f := newFixtureWith(t, scriptedFAQ{fi, func(q string) faq.Result {
		return faq.Result{Query: q, Cleaned: q, Decision: faq.DecisionClarify, Choices: 2, Hits: []faq.Hit{
			{Entry: entry(t, fi, "min-income-floor")}, {Entry: entry(t, fi, "max-income-ceiling")}, {Entry: entry(t, fi, "refund-when")},
		}}
	}}, nil)
	r := f.send(t, text("đóng bao nhiêu thì được"))
	b := buttons(r)
	require.Contains(t, b, bot.BtnNotThese)
	assert.Len(t, r.Messages[0].Buttons, 4, "two choices (only those above the floor), none of these, menu")
	assert.NotContains(t, b, entry(t, fi, "refund-when").Question)

	r = f.send(t, press(b[bot.BtnNotThese]))
	assert.Contains(t, firstHTML(r), "đã ghi lại")
	assert.Contains(t, firstHTML(r), bot.Hotline)
	nb := buttons(r)
	assert.Contains(t, nb, bot.BtnAgentS)
	assert.Contains(t, nb, bot.BtnHotline)

	rows, err := f.store.Report(context.Background(), time.Time{}, 10)
	require.NoError(t, err)
	var kinds []string
	for _, row := range rows {
		kinds = append(kinds, row.Kind+":"+row.Text)
	}
	assert.Contains(t, kinds, "rejected:đóng bao nhiêu thì được")
	assert.Contains(t, kinds, "clarify:đóng bao nhiêu thì được")
}

func TestOtherQuestionsOfTheMessageGetButtons(t *testing.T) {
	ix, _ := realDeps(t)
	fi := faqIndex{ix}
	f := newFixtureWith(t, scriptedFAQ{fi, func(q string) faq.Result {
		return faq.Result{Query: q, Cleaned: q, Decision: faq.DecisionAnswer,
			Hits: []faq.Hit{{Entry: entry(t, fi, "pension-years-needed")}},
			Also: []faq.Hit{{Entry: entry(t, fi, "min-income-floor")}}}
	}}, nil)
	r := f.send(t, text("Đóng bao nhiêu năm thì có lương hưu? Mỗi tháng đóng ít nhất bao nhiêu?"))
	require.Len(t, r.Messages, 1)
	assert.Contains(t, firstHTML(r), entry(t, fi, "pension-years-needed").Question)
	first := r.Messages[0].Buttons[0][0]
	assert.True(t, strings.HasPrefix(first.Text, "Bạn cũng hỏi: "), first.Text)
	cb, err := bot.DecodeCallback(first.Data)
	require.NoError(t, err)
	assert.Equal(t, "min-income-floor", cb.ID)
}

// A letter with personal numbers is warned about once and still answered
// (real index): how to check one's own record, nothing looked up.
func TestPersonalNumbersWarnedAndAnswered(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("Chào anh chị, mã số BHXH của tôi là 7912345678, CCCD 036190001234. Tôi muốn xem công ty cũ đã đóng bảo hiểm cho tôi đến tháng nào thì làm sao?"))
	require.GreaterOrEqual(t, len(r.Messages), 2)
	assert.Contains(t, r.Messages[0].HTML, "không tra được hồ sơ")
	answer := r.Messages[1].HTML
	assert.Contains(t, strings.ToLower(answer), "vssid")
	for _, m := range r.Messages {
		assert.NotContains(t, m.HTML, "7912345678")
		assert.NotContains(t, m.HTML, "036190001234")
	}
}
