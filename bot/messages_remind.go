package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// What the reminders say (the rest of the bot's wording is in messages.go).

// Reminder button actions (CbRemind's Value).
const (
	RemindMenu    = "menu"    // /nhacnho
	RemindSetPay  = "pay"     // set up payment reminders
	RemindSetCard = "card"    // set up a card reminder
	RemindSetNews = "news"    // subscribe to notices
	RemindMethod  = "m"       // N: months a payment
	RemindPeriod  = "p"       // N: first month of the current period, YYYYMM
	RemindPaid    = "paid"    // N: period paid (YYYYMM)
	RemindLater   = "later"   // N: period to remind again in 3 days (YYYYMM)
	RemindRenewed = "renewed" // the card was renewed: ask the new expiry
	RemindOffPay  = "offpay"
	RemindOffCard = "offcard"
	RemindOffNews = "offnews"
)

// Reminder button labels.
const (
	BtnRemindPay   = "🔔 Nhắc tôi đóng tiền"
	BtnRemindCard  = "🔔 Nhắc gia hạn thẻ BHYT"
	BtnRemindNews  = "🔔 Nhận tin mới khi có"
	BtnSetPay      = "💰 Nhắc đóng BHXH tự nguyện"
	BtnSetCard     = "🏥 Nhắc gia hạn thẻ BHYT"
	BtnPaid        = "✅ Đã đóng"
	BtnLater       = "⏰ Nhắc lại sau 3 ngày"
	BtnRenewed     = "✅ Đã gia hạn"
	BtnOff         = "🔕 Tắt nhắc"
	BtnOffPay      = "🔕 Tắt nhắc đóng tiền"
	BtnOffCard     = "🔕 Tắt nhắc thẻ BHYT"
	BtnOffNews     = "🔕 Thôi nhận tin mới"
	BtnMonthly     = "Hằng tháng"
	msgRemindFloor = "mức thấp nhất"
)

// Conversation texts of /nhacnho.
const (
	msgRemindIntro = "🔔 <b>Nhắc đóng tiền, gia hạn thẻ</b>\n" +
		"Mình nhắn bạn trước hạn đóng BHXH tự nguyện và trước khi thẻ BHYT hết hạn, trong khoảng 8:00–20:00. Mỗi tin nhắc có nút để tắt."
	msgRemindNone    = "Bạn chưa bật nhắc nào."
	msgRemindOn      = "<b>Đang bật:</b>"
	msgRemindMethod  = "Bạn đóng BHXH tự nguyện theo phương thức nào?"
	msgRemindPeriod  = "Kỳ đóng hiện tại của bạn là kỳ nào? (Kỳ tính từ tháng bạn bắt đầu đóng theo phương thức này.)\nChọn bên dưới, hoặc gõ tháng bắt đầu, ví dụ <b>10/2026</b>."
	msgRemindCardAsk = "Thẻ BHYT của bạn hết hạn ngày nào? Gõ ngày/tháng/năm, ví dụ <b>31/03/2027</b>.\n" +
		"Hạn thẻ ghi trên thẻ, trong ứng dụng VssID hoặc VNeID (mục thẻ BHYT)."
	msgRemindCardNew    = "Thẻ mới của bạn hết hạn ngày nào? Gõ ngày/tháng/năm, ví dụ <b>31/03/2028</b>."
	msgRemindDateBad    = "Mình chưa đọc được ngày này. Bạn gõ ngày/tháng/năm, ví dụ 31/03/2027."
	msgRemindFar        = "Ngày này xa quá (thẻ BHYT hộ gia đình mua tối đa 12 tháng). Bạn xem lại hạn thẻ giúp mình nhé."
	msgRemindUnavail    = "Chức năng nhắc hẹn đang tạm nghỉ. Bạn gọi tổng đài <b>" + Hotline + "</b> hoặc hỏi đại lý thu để biết hạn đóng nhé."
	msgRemindGone       = "Nhắc này đã tắt. Bật lại: /nhacnho."
	msgRemindOffDone    = "🔕 Đã tắt. Bật lại bất cứ lúc nào: /nhacnho."
	msgRemindPeriodOver = "Kỳ này đã qua hạn đóng nên mình không nhắc lại nữa. Mình sẽ nhắc kỳ sau như đã hẹn."
	msgRemindOffFooter  = "Mỗi tin nhắc có nút 🔕 Tắt nhắc; /xoa xóa hết dữ liệu của bạn."
	msgRemindKeeps      = "Mình lưu thu nhập và nhóm bạn chọn cùng lời nhắc, chỉ để tính số tiền mỗi kỳ; tắt nhắc hoặc /xoa là xóa."
	// msgCardWhy is why a household HI card should not lapse (HI Law
	// Art. 16(3)(c), Art. 22(1) as amended by L51; facts.md §6).
	msgCardWhy      = "Vì sao nên gia hạn đúng hạn: thẻ gián đoạn từ <b>90 ngày</b> trở lên thì mất thời gian tham gia liên tục (tính 5 năm liên tục để được hưởng thêm quyền lợi), và thẻ mua lại chỉ có giá trị sau <b>30 ngày</b> kể từ ngày đóng đủ tiền."
	msgCardWhere    = "Gia hạn ở bưu điện xã, đại lý thu, hoặc online trên VssID, VNeID."
	msgNewsOn       = "✅ Mình sẽ gửi bạn tin mới về mức đóng, quy định sắp đổi khi có, mỗi tin một lần, trong khoảng 8:00–20:00. Tắt: nút dưới mỗi tin, hoặc /nhacnho."
	toastRemindOff  = "Đã tắt nhắc"
	toastThanksPaid = "Cảm ơn bạn!"
)

func btnMethod(months int) string {
	if months == 1 {
		return BtnMonthly
	}
	return fmt.Sprintf("%d tháng", months)
}

// methodText is "3 tháng một lần", "hằng tháng".
func methodText(months int) string {
	if months == 1 {
		return "hằng tháng"
	}
	return fmt.Sprintf("%d tháng một lần", months)
}

func viDay(t time.Time) string { return t.In(calc.Vietnam).Format("02/01/2006") }

// daysLeftText says how far a day is: "còn 7 ngày", "hôm nay là hạn cuối",
// "đã quá 3 ngày".
func daysLeftText(days int) string {
	switch {
	case days == 0:
		return "hôm nay là ngày cuối"
	case days > 0:
		return fmt.Sprintf("còn %d ngày", days)
	}
	return fmt.Sprintf("đã qua %d ngày", -days)
}

// payButtons are the buttons under a payment reminder.
func payButtons(p PayPeriod, agentFinder bool) [][]Button {
	n := periodN(p.Start)
	rows := [][]Button{{btn(BtnPaid, RemindCb(RemindPaid, n)), btn(BtnLater, RemindCb(RemindLater, n))}}
	if agentFinder {
		rows = append(rows, []Button{btn(BtnAgentS, AgentCb(""))})
	}
	return keyboard(append(rows, []Button{btn(BtnOff, RemindCb(RemindOffPay, 0))})...)
}

// periodN is a month as YYYYMM (callback data).
func periodN(m calc.Month) int64 { return int64(m.Year*100 + int(m.Month)) }

// monthFromN reads periodN's form.
func monthFromN(n int64) (calc.Month, bool) {
	y, m := int(n/100), int(n%100)
	if y < 2000 || y > 2999 || m < 1 || m > 12 {
		return calc.Month{}, false
	}
	return calc.Month{Year: y, Month: time.Month(m)}, true
}

// amountLines are the amount of a payment reminder and its caveats.
func amountLines(a PayAmount, p PayPeriod, at time.Time) []string {
	total := "💰 Số tiền cả kỳ: " + bold(calc.FormatVND(a.Total))
	if p.Months > 1 {
		total += " (" + esc(calc.FormatVND(a.Monthly)) + "/tháng)"
	}
	income := esc(calc.FormatVND(a.Income))
	if a.AtFloor {
		income += " (" + msgRemindFloor + ")"
	}
	out := []string{total + ", thu nhập " + income + ", nhóm " + esc(a.Group.Label()) + ", theo quy định ngày " + esc(viDay(at)) + "."}
	if a.Planned != "" {
		out = append(out, "⚠️ "+esc(a.Planned))
	}
	if a.Raised != "" {
		out = append(out, "⚠️ Thu nhập bạn chọn ("+esc(a.Raised)+") nay thấp hơn mức thấp nhất, nên mình tính theo mức thấp nhất.")
	}
	if a.Lowered != "" {
		out = append(out, "⚠️ Thu nhập bạn chọn ("+esc(a.Lowered)+") nay cao hơn mức cao nhất, nên mình tính theo mức cao nhất.")
	}
	if a.Change != "" {
		out = append(out, "📅 Từ "+esc(a.Change)+" mức thu nhập thấp nhất là "+esc(calc.FormatVND(a.NewFloor))+
			" (theo quy định mới, có thể chưa được xác nhận): số tiền của các tháng từ đó có thể khác. Hỏi đại lý hoặc "+Hotline+" trước khi đóng.")
	}
	return out
}

// agentLine says where to pay.
func agentLine(a *AgentInfo) string {
	if a == nil {
		return "📍 Đóng ở bưu điện xã, đại lý thu, hoặc online qua VssID. Bấm <b>📍 Gặp đại lý</b> để tìm chỗ gần bạn."
	}
	s := "📍 Đóng tại " + bold(a.Name)
	if a.Address != "" {
		s += ", " + esc(a.Address)
	}
	if a.Phone != "" {
		s += ", ☎️ " + esc(a.Phone)
	}
	return s + ". Hoặc online qua VssID."
}

// msgRemindPay is the payment reminder of period p at now.
func msgRemindPay(r Reminder, p PayPeriod, a PayAmount, agent *AgentInfo, now time.Time) string {
	left := daysUntil(p.Deadline(), now)
	parts := []string{
		"🔔 <b>Nhắc đóng BHXH tự nguyện</b>",
		"Kỳ " + bold(p.String()) + " (đóng " + esc(methodText(r.Months)) + "): hạn đóng " + bold(viDay(p.Deadline())) + ", " + esc(daysLeftText(left)) + ".",
	}
	parts = append(parts, amountLines(a, p, now)...)
	parts = append(parts, agentLine(agent), "<i>Đóng xong, bấm ✅ Đã đóng để mình nhắc kỳ sau.</i>")
	return strings.Join(parts, "\n")
}

// cardMessage is the card reminder at now.
func cardMessage(r Reminder, now time.Time) Message {
	left := daysUntil(r.Expiry, now)
	head := "🔔 <b>Thẻ BHYT sắp hết hạn</b>\nThẻ BHYT của bạn hết hạn ngày " + bold(viDay(r.Expiry)) + ", " + esc(daysLeftText(left)) + "."
	if left < 0 {
		keep := r.Expiry.AddDate(0, 0, cardGapDays)
		head = "🔔 <b>Thẻ BHYT đã hết hạn</b>\nThẻ BHYT của bạn hết hạn ngày " + bold(viDay(r.Expiry)) + ". Gia hạn trước ngày " + bold(viDay(keep)) + " để không bị gián đoạn từ 90 ngày."
	}
	return Message{
		HTML: strings.Join([]string{head, msgCardWhy, msgCardWhere}, "\n"),
		Buttons: keyboard(
			[]Button{btn(BtnRenewed, RemindCb(RemindRenewed, 0)), btn(BtnAgentS, AgentCb(""))},
			[]Button{btn(BtnOff, RemindCb(RemindOffCard, 0))},
		),
	}
}

// newsMessage carries one staff notice to a subscriber.
func newsMessage(html string) Message {
	return Message{
		HTML:    "📰 <b>Tin mới</b>\n\n" + html + "\n\n<i>Bạn nhận tin này vì đã bật nhận tin mới (/tintuc).</i>",
		Buttons: keyboard([]Button{btn(BtnOffNews, RemindCb(RemindOffNews, 0))}),
	}
}

// msgCardLapsed answers an expiry date already past.
func msgCardLapsed(expiry time.Time, now time.Time) string {
	ago := -daysUntil(expiry, now)
	if ago < cardGapDays {
		return fmt.Sprintf("⚠️ Thẻ của bạn đã hết hạn %d ngày (từ %s). Gia hạn <b>trước ngày %s</b> để thẻ không gián đoạn từ 90 ngày: khi đó bạn giữ được thời gian tham gia liên tục.\n%s",
			ago, esc(viDay(expiry)), esc(viDay(expiry.AddDate(0, 0, cardGapDays))), msgCardWhere)
	}
	return fmt.Sprintf("⚠️ Thẻ của bạn đã hết hạn từ %s, quá 90 ngày: khi mua lại, thẻ mới có giá trị sau <b>%d ngày</b> kể từ ngày đóng đủ tiền, và thời gian tham gia liên tục tính lại từ đầu. Bạn nên mua sớm.\n%s",
		esc(viDay(expiry)), cardWait, msgCardWhere)
}

// msgCardSoon answers an expiry date too near for a reminder.
func msgCardSoon(expiry, now time.Time) string {
	return "⚠️ Thẻ của bạn hết hạn ngày " + bold(viDay(expiry)) + ", " + esc(daysLeftText(daysUntil(expiry, now))) +
		": bạn gia hạn ngay nhé, không cần chờ nhắc.\n" + msgCardWhy + "\n" + msgCardWhere
}

// msgCardSet confirms a card reminder.
func msgCardSet(expiry time.Time, times []time.Time) string {
	var when []string
	for _, t := range times {
		when = append(when, fmt.Sprintf("%s (%d ngày trước)", viDay(t), daysUntil(expiry, t)))
	}
	return "✅ Đã bật nhắc gia hạn thẻ BHYT hết hạn " + bold(viDay(expiry)) + ".\n" +
		"Mình nhắn lúc 9:00 ngày " + esc(strings.Join(when, " và ")) + ".\n" + msgCardWhy + "\n" + msgRemindOffFooter
}

// msgPaySet confirms a payment reminder: the period chosen, when the first
// reminder goes, and the amount today.
func msgPaySet(chosen, first PayPeriod, at time.Time, a PayAmount, assumed bool, now time.Time) string {
	var b strings.Builder
	b.WriteString("✅ Đã bật nhắc đóng BHXH tự nguyện, " + esc(methodText(chosen.Months)) + ".\n")
	fmt.Fprintf(&b, "Kỳ %s: hạn đóng %s", bold(chosen.String()), bold(viDay(chosen.Deadline())))
	if first.Start != chosen.Start {
		left := daysUntil(chosen.Deadline(), now)
		// Whether a period can be paid after its deadline is not known
		// (facts.md, open question 8): ask, do not say "pay it".
		what := "bạn nhớ đóng nhé"
		if left < 0 {
			what = "đóng muộn được không, bạn hỏi đại lý thu hoặc tổng đài " + Hotline
		}
		fmt.Fprintf(&b, " (%s, %s).\nMình nhắc từ kỳ %s: 9:00 ngày %s.\n", esc(daysLeftText(left)), esc(what), esc(first.String()), esc(viDay(at)))
	} else {
		last := first.times()[1]
		if at.Equal(last) {
			fmt.Fprintf(&b, ". Mình nhắc lúc 9:00 ngày %s.\n", esc(viDay(at)))
		} else {
			fmt.Fprintf(&b, ". Mình nhắc lúc 9:00 ngày %s, và %s nếu bạn chưa bấm \"Đã đóng\".\n", esc(viDay(at)), esc(viDay(last)))
		}
	}
	b.WriteString(strings.Join(amountLines(a, chosen, now), "\n"))
	if assumed {
		b.WriteString("\nSố tiền tính theo mức thấp nhất, nhóm Đối tượng khác. Muốn đúng số tiền của bạn: bấm <b>" + BtnVSI + "</b>, rồi bấm <b>" + BtnRemindPay + "</b> dưới kết quả.")
	} else {
		// The group can say a person is poor or of an ethnic minority:
		// say that it is kept, and how to remove it.
		b.WriteString("\n" + msgRemindKeeps)
	}
	b.WriteString("\n" + msgRemindOffFooter)
	return b.String()
}

// msgPaidNext thanks for a payment and says when the next reminder goes.
func msgPaidNext(next PayPeriod, at time.Time) string {
	return "✅ Cảm ơn bạn! Kỳ tới " + bold(next.String()) + " hạn đóng " + bold(viDay(next.Deadline())) + "; mình nhắc lúc 9:00 ngày " + esc(viDay(at)) + "."
}

// msgSnoozed confirms "Nhắc lại sau 3 ngày".
func msgSnoozed(at time.Time) string {
	return "⏰ Được, mình nhắc lại lúc 9:00 ngày " + esc(viDay(at)) + "."
}

// remindLine describes an active reminder in /nhacnho.
func remindLine(r Reminder) string {
	next := ""
	if !r.NextAt.IsZero() {
		next = "; lần nhắc tới: " + viDay(r.NextAt)
	}
	paused := ""
	if !r.BlockedAt.IsZero() {
		paused = " (tạm dừng vì tin không gửi được)"
	}
	switch r.Kind {
	case RemindPay:
		p := r.Period()
		return "• 💰 Đóng BHXH tự nguyện " + esc(methodText(r.Months)) + ", kỳ " + esc(p.String()) + " (hạn " + esc(viDay(p.Deadline())) + ")" + esc(next) + paused + "."
	case RemindCard:
		if r.NextAt.IsZero() {
			next = "; đã nhắc xong"
		}
		return "• 🏥 Thẻ BHYT hết hạn " + esc(viDay(r.Expiry)) + esc(next) + paused + "."
	case RemindNews:
		return "• 📰 Tin mới khi có" + paused + "."
	}
	return ""
}

// periodChoice is the label of a period button: "10/2026–12/2026 (hạn 31/12)".
func periodChoice(p PayPeriod) string {
	return p.String() + " (hạn " + p.Deadline().Format("02/01") + ")"
}
