package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// The defects of issue 9, each replayed as a person typed it.

func allHTML(r bot.Response) string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.HTML + "\n")
	}
	return b.String()
}

func TestDefectRetirementAgeQuestionGetsTheDate(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("nữ sinh tháng 3 năm 1980 bao nhiêu tuổi nghỉ hưu"))
	got := firstHTML(r)
	assert.NotContains(t, got, "3 năm đóng", "'tháng 3' is a birth month, not years of contributions")
	// Women born 03/1980 reach the final age 60 (from 2035, facts §5.2) in 03/2040.
	assert.Contains(t, got, "Tuổi nghỉ hưu")
	assert.Contains(t, got, "03/2040")

	f2 := newFixture(t, nil)
	got = firstHTML(f2.send(t, text("sinh năm 1995 nữ bao giờ được nghỉ hưu")))
	assert.Contains(t, got, "60 tuổi", "the person's own age, not the table")
	assert.Contains(t, got, "sinh năm 1995")
}

func TestDefectBirthStepTakesDayAndYearOnly(t *testing.T) {
	for _, in := range []string{"12/03/1981", "1981", "3/1981", "tháng 3 năm 1981", "sinh năm 1981"} {
		f := newFixture(t, nil)
		f.send(t, cmd("luonghuu", ""))
		f.send(t, press("c:pen:sex:female"))
		r := f.send(t, text(in))
		assert.Contains(t, firstHTML(r), "đã đóng", in)
	}
}

func TestDefectBirthMonthAtYearsStepIsNotYears(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("luonghuu", ""))
	f.send(t, press("c:pen:sex:female"))
	f.send(t, text("1980"))
	r := f.send(t, text("3/1981"))
	assert.Contains(t, firstHTML(r), "đã đóng", "the years step is asked again")
	assert.NotContains(t, firstHTML(r), "thu nhập", "3/1981 was not taken as 3 years")
}

func TestDefectTwoCodesIsNotMoney(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("tôi có 2 mã số bhxh thì làm sao"))
	assert.NotContains(t, firstHTML(r), "2.000.000", "'2 mã' is not an income")
	assert.NotContains(t, firstHTML(r), "🧮")
}

func TestDefectYearsBySchemeAddUp(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("nu sinh 1981, da dong 8 nam bat buoc, dong them 12 nam tu nguyen muc 3tr thi luong huu bao nhieu"))
	got := allHTML(r)
	assert.Contains(t, got, "20 năm (8 bắt buộc + 12 tự nguyện)")
	assert.NotContains(t, got, "còn thiếu 7 năm")
	assert.Contains(t, got, "Lương hưu ước tính", "sex, birth, years and income were all given")
	// 20 years in all: withdrawing after 12 months without paying is closed
	// (L41 Art. 102(1)(đ): fewer than 20 years), so no lump sum is quoted.
	assert.Contains(t, got, "không rút một lần khi dừng đóng")
	assert.NotContains(t, got, "112.080.000 đ")

	// 6 + 10 years: the lump sum is 16 × 2 × 3 triệu − the support the
	// voluntary months had, taken as the 120 months 11/2016–10/2026 (the
	// fixture's today is in 11/2026): none before 2018, 48 × 15.400 (2018–
	// 2021), 42 × 33.000 (01/2022–06/2025), 16 × 66.000 (07/2025–10/2026)
	// = 3.181.200, so 96.000.000 − 3.181.200; the person paid 22 %
	// themselves only for the 120 voluntary months: 120 × 660.000 −
	// 3.181.200. (Before, today's 66.000 was deducted for every month:
	// 7.920.000.)
	r = f.send(t, text("nu sinh 1981, da dong 6 nam bat buoc, dong them 10 nam tu nguyen muc 3tr thi luong huu bao nhieu"))
	got = allHTML(r)
	assert.Contains(t, got, "16 năm (6 bắt buộc + 10 tự nguyện)")
	assert.Contains(t, got, "rút một lần: khoảng <b>92.818.800 đ</b>")
	assert.Contains(t, got, "76.018.800 đ")
}

func TestDefectMissingYearsHeadlineFollowsTheRule(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("luonghuu", ""))
	f.send(t, press("c:pen:sex:female"))
	f.send(t, text("03/1970")) // retires 2026-27: almost no time left
	f.send(t, text("3 năm"))
	r := f.send(t, text("3tr"))
	got := firstHTML(r)
	assert.NotContains(t, got, "đóng một lần 1", "more than 5 missing years cannot be bought at once")
	assert.Contains(t, got, "Điều 23")
	assert.Contains(t, got, "rút một lần")
}

func TestDefectYoungPersonGetsAProjection(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("toi 35 tuoi, da dong 3 nam bhxh tu nguyen, luong huu duoc bao nhieu"))
	assert.Contains(t, firstHTML(r), "35 tuổi")
	f.send(t, text("nam"))
	r = f.send(t, text("3tr"))
	got := firstHTML(r)
	assert.NotContains(t, got, "còn thiếu 12 năm")
	assert.Contains(t, got, "Đóng tiếp đến khi nghỉ hưu")
	assert.Contains(t, got, "Dừng ở 15 năm")
	assert.Contains(t, got, "Dừng ở 20 năm")
	assert.Contains(t, got, "Nếu dừng đóng đủ 12 tháng rồi rút một lần")
}

func TestDefectQuestionAtGroupStepIsAnsweredAndStepKept(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("tinh", ""))
	f.send(t, text("3tr"))
	r := f.send(t, text("ho ngheo la gi"))
	got := allHTML(r)
	assert.NotContains(t, got, "Nhóm: Hộ nghèo", "a question about a group does not pick it")
	assert.Contains(t, r.Messages[len(r.Messages)-1].HTML, "Bạn thuộc nhóm nào")
}

func TestDefectWordsForButtonsInsideFlows(t *testing.T) {
	for _, w := range []string{"huy", "hủy", "thôi", "Hủy nhé"} {
		f := newFixture(t, nil)
		f.send(t, cmd("tinh", ""))
		assert.Contains(t, firstHTML(f.send(t, text(w))), "Đã hủy", w)
	}
	f := newFixture(t, nil)
	f.send(t, cmd("tinh", ""))
	assert.Contains(t, firstHTML(f.send(t, text("menu"))), "Bạn muốn làm gì")
	f.send(t, cmd("tinh", ""))
	f.send(t, text("3tr"))
	assert.Contains(t, firstHTML(f.send(t, text("quay lại"))), "mức <b>thu nhập</b>")
	f.send(t, text("3tr"))
	r := f.send(t, text("không biết"))
	assert.Contains(t, firstHTML(r), "Đối tượng khác", "help choosing the group")
	assert.Contains(t, firstHTML(r), "Bạn thuộc nhóm nào", "the step stays")
}

func TestDefectHouseholdSizeLimitOwnedByCalc(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("bhyt", ""))
	r := f.send(t, text(fmt.Sprint(calc.MaxHouseholdMembers)))
	assert.Contains(t, firstHTML(r), fmt.Sprintf("%d người", calc.MaxHouseholdMembers))
	f.send(t, cmd("bhyt", ""))
	r = f.send(t, text(fmt.Sprint(calc.MaxHouseholdMembers+1)))
	assert.Contains(t, firstHTML(r), fmt.Sprintf("từ 1 đến %d", calc.MaxHouseholdMembers))
}

func TestDefectSevenAtMembersStepIsSeven(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, cmd("bhyt", ""))
	assert.True(t, r.Messages[0].NumericReply, "the console must send a bare number as text here")
	assert.Contains(t, firstHTML(f.send(t, text("7"))), "7 người")
}

func TestDefectDeepLinkGreetingNamesTheAgent(t *testing.T) {
	f := newFixture(t, &fakeHandoff{})
	r := f.send(t, cmd("start", "hyn-bd-thaithuy"))
	assert.Contains(t, firstHTML(r), "Bưu điện xã Mẫu")
}

func TestDefectSmallTalkNotRecorded(t *testing.T) {
	f := newFixture(t, nil)
	for _, s := range []string{"?", ".", "ok", "ừ", "dạ", "...", "??"} {
		f.send(t, text(s))
	}
	var n int
	require.NoError(t, f.store.DB().QueryRow("SELECT count(*) FROM questions").Scan(&n))
	assert.Zero(t, n)
}

func TestDefectOffTopicSaysWhatTheBotCovers(t *testing.T) {
	f := newFixtureWith(t, noneFAQ{}, nil)
	got := firstHTML(f.send(t, text("thời tiết hà nội mai thế nào")))
	assert.Contains(t, got, "Mình chỉ trả lời về")
	assert.NotContains(t, got, "Mình đã ghi lại để bổ sung")
}

func TestDefectMenuCommand(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, cmd("menu", ""))
	assert.Contains(t, buttons(r), bot.BtnVSI)
}

func TestDefectAssumedGroupIsShownWithChange(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("thu nhập 5 triệu đóng bao nhiêu"))
	assert.Contains(t, firstHTML(r), "mình tạm chọn")
	change := buttons(r)[bot.BtnChangeGroup]
	require.NotEmpty(t, change)
	r = f.send(t, press(change))
	assert.Contains(t, firstHTML(r), "Bạn thuộc nhóm nào")
	r = f.send(t, press("c:vsi:grp:poor"))
	assert.Contains(t, firstHTML(r), "Thu nhập 5.000.000"[:0]+"5.000.000 đ/tháng")
	assert.Contains(t, firstHTML(r), "Nhóm: Hộ nghèo")
}

// TestReplyLengths prints the length in characters of the main replies and
// holds calculator results to about 600 characters (details behind 📚).
func TestReplyLengths(t *testing.T) {
	cases := []struct {
		name string
		evs  []bot.Event
	}{
		{"vsi direct", []bot.Event{text("thu nhap 3tr ho can ngheo dong 6 thang bao nhieu")}},
		{"vsi flow", []bot.Event{cmd("tinh", ""), text("5tr"), press("c:vsi:grp:other")}},
		{"hi direct", []bot.Event{text("nha 4 nguoi mua bhyt 12 thang het bao nhieu")}},
		{"pension letter", []bot.Event{text("nu sinh 1981, da dong 8 nam bat buoc, dong them 12 nam tu nguyen muc 3tr thi luong huu bao nhieu")}},
		{"pension young", []bot.Event{text("toi 35 tuoi, da dong 3 nam bhxh tu nguyen, luong huu duoc bao nhieu"), text("nam"), text("3tr")}},
		{"pension short", []bot.Event{cmd("luonghuu", ""), text("nu"), text("03/1970"), text("3"), text("3tr")}},
		{"retirement age", []bot.Event{text("nữ sinh tháng 3 năm 1980 bao nhiêu tuổi nghỉ hưu")}},
	}
	for _, tc := range cases {
		f := newFixture(t, nil)
		var r bot.Response
		for _, ev := range tc.evs {
			r = f.send(t, ev)
		}
		n := utf8.RuneCountInString(firstHTML(r))
		t.Logf("%-16s %4d characters", tc.name, n)
		assert.LessOrEqual(t, n, 700, tc.name)
	}
}

// At the household-size step, a question with a count of something else
// ("1 lần") is answered and the step kept, not read as one person.
func TestQuestionWithACountAtMembersStepIsNotTheSize(t *testing.T) {
	f := newFixture(t, nil)
	f.send(t, cmd("bhyt", ""))
	r := f.send(t, text("rút bhxh 1 lần được không"))
	got := allHTML(r)
	assert.NotContains(t, got, "BHYT hộ gia đình, 1 người")
	assert.Contains(t, strings.ToLower(got), "rút")
}
