package bot_test

import (
	"github.com/bhxh-tn/bhxhbot/bot"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Defects found by replaying invented citizens through the console
// (December 2026 review), each as the person typed it.

// A person already at retirement age with fewer than 15 years may withdraw
// once now (L41 Art. 102(1)(a), facts.md §5.4): no 12 months to wait, and
// the route is open to those who first paid on or after 07/2025 too.
func TestPersonaAtRetirementAgeMayWithdrawNow(t *testing.T) {
	f := newFixture(t, nil)
	// Man born 1962: retirement age reached 07/2022; first paid 11/2025.
	got := firstHTML(f.send(t, text("nam sinh 1962, moi dong duoc 1 nam tu nguyen muc 2tr, luong huu bao nhieu")))
	assert.NotContains(t, got, "không rút một lần khi dừng đóng", "case (a) is open to new participants")
	assert.NotContains(t, got, "Đóng tiếp đến tuổi nghỉ hưu", "the age is already reached")
	// 2 × 2.000.000 × 1 year − 12 × 66.000 support.
	assert.Contains(t, got, "rút một lần ngay: khoảng <b>3.208.000 đ</b>")

	f = newFixture(t, nil)
	// Woman aged 58: retirement age reached; 12 years, first paid before 07/2025.
	got = firstHTML(f.send(t, text("nu 58 tuoi da dong 12 nam muc 2tr luong huu bao nhieu")))
	assert.NotContains(t, got, "dừng đóng đủ 12 tháng", "no wait at retirement age")
	assert.NotContains(t, got, "Khi đủ tuổi", "the age is already reached")
	assert.Contains(t, got, "rút một lần ngay")
	assert.Contains(t, got, "đóng một lần 3 năm còn thiếu")
}

// /xoa's question answered in words: the words of its buttons act like the
// buttons; before, "xóa hết" was searched in the FAQ ("Mình chưa có câu trả
// lời…") and the question silently dropped.
func TestPersonaDeleteConfirmedInWords(t *testing.T) {
	for _, w := range []string{"Xóa hết", "xoa het", "xóa đi", "đồng ý", "có"} {
		h := &fakeHandoff{}
		f := newFixture(t, h)
		f.send(t, cmd("start", "qr_code1"))
		f.send(t, cmd("xoa", ""))
		r := f.send(t, text(w))
		assert.Contains(t, firstHTML(r), "Đã xóa hết", w)
		assert.Equal(t, []int64{7}, h.deleted, w)
	}
	for _, w := range []string{"Không xóa", "khong", "ko xoa nua"} {
		h := &fakeHandoff{}
		f := newFixture(t, h)
		f.send(t, cmd("xoa", ""))
		r := f.send(t, text(w))
		assert.Contains(t, firstHTML(r), "không xóa gì", w)
		assert.Empty(t, h.deleted, w)
	}
	// A question instead: answered, nothing deleted.
	h := &fakeHandoff{}
	f := newFixture(t, h)
	f.send(t, cmd("xoa", ""))
	r := f.send(t, text("xóa dữ liệu rồi có lấy lại được không"))
	assert.NotContains(t, firstHTML(r), "Đã xóa hết")
	assert.Empty(t, h.deleted)
}

// A reminder set for a period whose deadline has passed: whether a missed
// period can still be paid is an open question (facts.md, open question 8),
// so the confirmation must not say "bạn nhớ đóng nhé" as if it could; it
// sends the person to the agent or the hotline.
func TestPersonaPassedDeadlineIsNotToldToPay(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 7, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	r = w.pressLabel(t, r, "12 tháng", 7)
	r = w.pressLabel(t, r, "01/2026–12/2026", 7)
	conf := plain(t, firstHTML(r))
	assert.Contains(t, conf, "hạn đóng 31/07/2026 (đã qua 129 ngày")
	assert.NotContains(t, conf, "nhớ đóng")
	assert.Contains(t, conf, "1900 9068")

	// A deadline still ahead, its reminders already past: "nhớ đóng" is right.
	w = newRemindWorld(t, vnTime(2026, 12, 30, 10, 0))
	r = w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	r = w.pressLabel(t, r, "3 tháng", 7)
	r = w.pressLabel(t, r, "10/2026–12/2026", 7)
	assert.Contains(t, plain(t, firstHTML(r)), "còn 1 ngày, bạn nhớ đóng nhé")
}

// The years step's "Chưa đóng" button typed in words is an answer (0
// years), not a question for the FAQ ("Ai được tham gia BHXH tự nguyện?").
func TestPersonaNotYetPaidTypedAtYearsStep(t *testing.T) {
	for _, w := range []string{"Chưa đóng", "chua dong ngay nao"} {
		f := newFixture(t, nil)
		f.send(t, cmd("luonghuu", ""))
		f.send(t, text("nam"))
		f.send(t, text("1990"))
		r := f.send(t, text(w))
		assert.Contains(t, firstHTML(r), "thu nhập bao nhiêu", w)
	}
}

// A question typed at a reminder step is answered and the step kept, as in
// the calculators; before, the card-date step answered "Mình chưa đọc được
// ngày này" and the method step "Mình chưa hiểu".
func TestPersonaQuestionAtReminderStepIsAnswered(t *testing.T) {
	w := newRemindWorld(t, vnTime(2026, 12, 7, 10, 0))
	r := w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetCard, 7)
	require.Contains(t, allHTML(r), "hết hạn ngày nào", "the card-date step")
	r = w.send(t, text("mua bhyt xong bao lâu thì dùng được?"))
	got := allHTML(r)
	assert.NotContains(t, got, "chưa đọc được ngày")
	assert.Contains(t, got, "30 ngày", "the waiting-period answer")
	assert.Contains(t, r.Messages[len(r.Messages)-1].HTML, "hết hạn ngày nào", "the step is asked again")
	r = w.send(t, text("31/03/2027"))
	assert.Contains(t, firstHTML(r), "Đã bật nhắc gia hạn thẻ BHYT")

	r = w.send(t, cmd("nhacnho", ""))
	r = w.pressLabel(t, r, bot.BtnSetPay, 7)
	r = w.send(t, text("đóng 3 tháng một lần có được giảm không"))
	got = allHTML(r)
	assert.NotContains(t, got, "chưa hiểu")
	assert.Contains(t, r.Messages[len(r.Messages)-1].HTML, "phương thức nào", "the step is asked again")
}

// "Đổi nhóm" under a result keeps the payment method the person asked
// about: the 5 years ahead stays ticked, not the monthly line.
func TestPersonaChangeGroupKeepsTheMethod(t *testing.T) {
	f := newFixture(t, nil)
	r := f.send(t, text("thu nhap 2tr dong truoc 5 nam thi bao nhieu"))
	require.Contains(t, firstHTML(r), "Đóng trước 5 năm (có giảm): <b>20.170.864 đ</b> ✅")
	r = f.send(t, press(buttons(r)[bot.BtnChangeGroup]))
	require.NotEmpty(t, buttons(r), "the group step offers its groups")
	r = f.send(t, text("hộ nghèo"))
	got := firstHTML(r)
	// 5 years ahead at 2 triệu, less 60 × 165.000 support.
	assert.Contains(t, got, "Đóng trước 5 năm (có giảm): <b>14.230.864 đ</b> ✅")
	assert.NotContains(t, got, "Hằng tháng: <b>275.000 đ</b> ✅")
}
