package bot_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// amountsIndex is a small content tree whose one answer names amounts, with
// the shipped rates.yaml and a notice shown from 2026-12-01 to 2027-01-31.
func amountsIndex(t *testing.T) *faq.Index {
	t.Helper()
	read := func(name string) []byte {
		b, err := fs.ReadFile(content.FS(), name)
		require.NoError(t, err)
		return b
	}
	fsys := fstest.MapFS{
		"topics.yaml":  {Data: read("topics.yaml")},
		"rates.yaml":   {Data: read("rates.yaml")},
		"synonyms.txt": {Data: read("synonyms.txt")},
		"notices.yaml": {Data: []byte("notices:\n  - from: 2026-12-01\n    until: 2027-01-31\n    text: Mức thấp nhất hôm nay là **{{vsi.floor}}**.\n")},
		"faq/floor.md": {Data: []byte("---\nid: floor\ntopic: min-max-income\nquestion: Đóng thấp nhất bao nhiêu?\n" +
			"alternates: [dong thap nhat, muc thap nhat, it nhat bao nhieu]\nsources: [\"Luật BHXH 41/2024/QH15, Điều 31\"]\nreviewed: 2026-12-06\n---\n" +
			"Người khác tự trả **{{vsi.pay floor other}}/tháng**.\n")},
	}
	ix, err := faq.Open(fsys)
	require.NoError(t, err)
	t.Cleanup(func() { ix.Close() })
	return ix
}

// An answer shows the amounts of the day it is read, in Vietnam, with the
// dated line about the planned poverty line around 01/01/2027.
func TestAnswerAmountsOfTheDay(t *testing.T) {
	f := newFixtureWith(t, faqIndex{amountsIndex(t)}, nil)
	answer := func() string {
		return firstHTML(f.send(t, press(bot.AnswerCb("floor").EncodeOrEmpty())))
	}
	at := func(s string) { // 00:30 in Vietnam is still the day before in UTC
		d, err := time.ParseInLocation("2006-01-02 15:04", s+" 00:30", time.FixedZone("ICT", 7*3600))
		require.NoError(t, err)
		f.clock.Add(d.Sub(f.clock.Now()))
	}
	at("2026-10-15")
	got := answer()
	assert.Contains(t, got, "<b>264.000 đồng/tháng</b>")
	assert.NotContains(t, got, "📅", "15/10/2026: the change is more than 60 days away")

	at("2026-12-20")
	got = answer()
	assert.Contains(t, got, "<b>264.000 đồng/tháng</b>")
	assert.Contains(t, got, "📅 Từ 01/01/2027, chuẩn hộ nghèo khu vực nông thôn")
	assert.Contains(t, got, "dự kiến là 2.200.000 đồng, chưa được xác nhận chính thức. Khi đó 264.000 đồng ở trên sẽ thành 387.200 đồng.")

	at("2027-01-01")
	got = answer()
	assert.Contains(t, got, "<b>387.200 đồng/tháng</b>")
	assert.Contains(t, got, "(trước đó là 1.500.000 đồng)")
}

func TestNoticesUnderGreetingAndInTinTuc(t *testing.T) {
	f := newFixtureWith(t, faqIndex{amountsIndex(t)}, nil)
	assert.NotContains(t, firstHTML(f.send(t, cmd("start", ""))), "Mức thấp nhất hôm nay", "26/11/2026: before the notice")
	assert.Contains(t, firstHTML(f.send(t, cmd("tintuc", ""))), "Hiện chưa có tin mới")

	f.clock.Add(24 * 24 * time.Hour) // 20/12/2026
	start := firstHTML(f.send(t, cmd("start", "")))
	assert.True(t, strings.HasSuffix(start, "\n\nMức thấp nhất hôm nay là <b>1.500.000 đồng</b>."), start)
	assert.Equal(t, "📰 <b>Tin mới</b>\n\nMức thấp nhất hôm nay là <b>1.500.000 đồng</b>.", firstHTML(f.send(t, cmd("tintuc", ""))))

	f.clock.Add(20 * 24 * time.Hour) // 09/01/2027: the amount of that day
	assert.Contains(t, firstHTML(f.send(t, cmd("tintuc", ""))), "<b>2.200.000 đồng</b>")

	f.clock.Add(30 * 24 * time.Hour) // 08/02/2027: expired
	assert.Contains(t, firstHTML(f.send(t, cmd("tintuc", ""))), "Hiện chưa có tin mới")
	assert.NotContains(t, firstHTML(f.send(t, cmd("start", ""))), "Mức thấp nhất hôm nay")
}
