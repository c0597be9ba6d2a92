package bot

import (
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// Everything the bot says lives in this file so staff can review the wording
// in one place. Constants are Telegram HTML written by hand (only b, i, a,
// blockquote tags); functions that take dynamic values escape them with the
// helpers of render.go. Keep sentences short and plain: readers are young
// people on a phone.

// Hotline is the BHXH Việt Nam customer-care number.
const Hotline = "1900 9068"

// Menu and navigation button labels.
const (
	BtnFAQ      = "❓ Hỏi đáp"
	BtnVSI      = "🧮 Tính mức đóng BHXH tự nguyện"
	BtnHI       = "🏥 Tính BHYT hộ gia đình"
	BtnPension  = "👵 Ước tính lương hưu"
	BtnAgent    = "📍 Gặp đại lý gần bạn"
	BtnAgentS   = "📍 Gặp đại lý"
	BtnBack     = "⬅️ Quay lại"
	BtnCancel   = "✖️ Hủy"
	BtnMenu     = "☰ Menu"
	BtnUp       = "👍"
	BtnDown     = "👎"
	BtnDelete   = "🗑 Xóa hết"
	BtnKeep     = "Không xóa"
	BtnAgain    = "🔁 Tính lại"
	BtnPensionT = "👵 Ước tính lương hưu"
)

// Commands returns the command menu registered with the transport.
func Commands() []Command {
	return []Command{
		{Name: "start", Description: "Bắt đầu, xem menu"},
		{Name: "help", Description: "Cách dùng bot"},
		{Name: "hoidap", Description: "Hỏi đáp về BHXH tự nguyện, BHYT"},
		{Name: "tinh", Description: "Tính mức đóng BHXH tự nguyện"},
		{Name: "bhyt", Description: "Tính BHYT hộ gia đình"},
		{Name: "luonghuu", Description: "Ước tính lương hưu"},
		{Name: "daily", Description: "Tìm đại lý thu gần bạn"},
		{Name: "hotline", Description: "Số tổng đài BHXH 1900 9068"},
		{Name: "baomat", Description: "Bot lưu gì về bạn"},
		{Name: "huy", Description: "Hủy việc đang làm"},
		{Name: "xoa", Description: "Xóa mọi dữ liệu của bạn"},
	}
}

// General replies.
const (
	msgGreetingBody = "Mình là trợ lý <b>BHXH tự nguyện</b> và <b>BHYT hộ gia đình</b>. Mình có thể:\n" +
		"• trả lời câu hỏi (gõ không dấu, viết tắt đều được)\n" +
		"• tính mức đóng BHXH tự nguyện, BHYT hộ gia đình, ước tính lương hưu\n" +
		"• chỉ bạn chỗ đăng ký, đóng tiền gần nhà\n\n" +
		"🔒 Mình <b>không bao giờ</b> hỏi số CCCD, mã OTP hay tài khoản ngân hàng. Ai hỏi những thứ đó là lừa đảo.\n\n" +
		"Bạn chọn bên dưới hoặc gõ câu hỏi nhé."
	msgFAQPrompt = "Bạn cứ gõ câu hỏi, có dấu hay không dấu đều được.\n" +
		"Ví dụ: <i>mức đóng thấp nhất bhxh tự nguyện</i>, <i>bhyt ho gia dinh 4 nguoi</i>, <i>rut bhxh 1 lan duoc khong</i>."
	msgHello      = "Chào bạn 👋 Bạn cứ gõ câu hỏi về BHXH tự nguyện hay BHYT hộ gia đình, hoặc chọn bên dưới nhé."
	msgThanks     = "Không có gì 😊 Cần gì bạn cứ hỏi nhé."
	msgClarify    = "Bạn muốn hỏi:"
	msgNone       = "Mình chưa có câu trả lời chắc chắn cho câu này, nên không muốn đoán. Mình đã ghi lại để bổ sung.\n\nBạn có thể gọi tổng đài BHXH Việt Nam <b>" + Hotline + "</b>, hoặc chọn một mục bên dưới."
	msgBadButton  = "Nút này đã cũ hoặc không hợp lệ, bạn chọn lại từ menu nhé."
	msgUnknownCmd = "Mình chưa biết lệnh này. Bạn xem /help hoặc chọn bên dưới nhé."
	msgInternal   = "Xin lỗi, mình đang gặp trục trặc. Bạn thử lại sau ít phút, hoặc gọi <b>" + Hotline + "</b> nhé."
	msgCancelled  = "Đã hủy. Bạn muốn làm gì tiếp?"
	msgResume     = "Mình tiếp tục chỗ bạn đang làm dở (gõ /huy để bỏ):"
	msgNotText    = "Mình chỉ đọc được chữ thôi. Bạn gõ câu hỏi hoặc chọn bên dưới nhé."
	msgMenu       = "Bạn muốn làm gì?"
	// msgKeyboardClosed carries the removal of a share-contact/location
	// keyboard left by a step the person moved away from.
	msgKeyboardClosed = "Đã ẩn nút chia sẻ bên dưới."
	msgEmptyAnswer    = "Câu trả lời này đang được cập nhật. Bạn gọi <b>" + Hotline + "</b> để hỏi trực tiếp nhé."
	toastThanksUp     = "Cảm ơn bạn đã góp ý!"
	toastThanksDn     = "Cảm ơn bạn. Mình sẽ xem lại câu trả lời này."
	msgHelp           = "<b>Cách dùng</b>\n" +
		"• Gõ câu hỏi bất kỳ về BHXH tự nguyện, BHYT hộ gia đình.\n" +
		"• /tinh: tính mức đóng BHXH tự nguyện\n" +
		"• /bhyt: tính BHYT hộ gia đình\n" +
		"• /luonghuu: ước tính lương hưu\n" +
		"• /daily: tìm chỗ đăng ký, đóng tiền gần bạn\n" +
		"• /hotline: số tổng đài\n" +
		"• /huy: hủy việc đang làm\n" +
		"• /baomat: mình lưu gì về bạn\n" +
		"• /xoa: xóa mọi dữ liệu của bạn\n\n" +
		"Mình không bao giờ hỏi số CCCD, mã OTP hay tài khoản ngân hàng."
	msgHotline = "☎️ Tổng đài BHXH Việt Nam: <b>" + Hotline + "</b>\n\n" +
		"Bạn cũng có thể đến <b>BHXH cơ sở</b> nơi bạn ở, hoặc <b>bưu điện xã, phường</b> (đại lý thu) để được hướng dẫn và đóng tiền. " +
		"Đóng online: ứng dụng <b>VssID</b> hoặc dichvucong.gov.vn."
	// msgNoHandoff is what "Gặp đại lý" says when no hand-off module is plugged in.
	msgNoHandoff = "📍 <b>Đăng ký, đóng tiền ở đâu?</b>\n" +
		"• Bưu điện xã, phường nơi bạn ở (đại lý thu BHXH, BHYT)\n" +
		"• BHXH cơ sở của tỉnh, thành phố nơi bạn ở\n" +
		"• Online: ứng dụng VssID hoặc dichvucong.gov.vn\n\n" +
		"Cần hỏi thêm, bạn gọi tổng đài <b>" + Hotline + "</b>."
	msgDeleteAsk = "Bạn muốn xóa <b>mọi dữ liệu</b> mình lưu về bạn (bước đang làm, câu hỏi, góp ý, mã giới thiệu, yêu cầu gọi lại)?\n" +
		"Việc này không hoàn tác được."
	msgDeleted  = "Đã xóa hết dữ liệu của bạn. Khi cần, bạn cứ quay lại hỏi nhé."
	msgKept     = "Được rồi, mình không xóa gì."
	msgStepHint = "Mình chưa hiểu câu trả lời này."
)

// greeting returns the /start text; name may be empty.
func greeting(name string) string {
	hi := "Chào bạn! 👋"
	if name = strings.TrimSpace(name); name != "" {
		hi = "Chào " + esc(clip(name, 40)) + "! 👋"
	}
	return hi + "\n" + msgGreetingBody
}

// privacyText is the /baomat text. stateMinutes, keepMonths and leadDays come
// from the engine's configuration so the text always matches what the store does.
func privacyText(stateMinutes, keepMonths, leadDays int) string {
	return fmt.Sprintf("🔒 <b>Mình lưu gì về bạn</b>\n"+
		"• Bước bạn đang làm (ví dụ đang tính mức đóng): tự hết hạn sau %d phút không dùng.\n"+
		"• Câu hỏi mình chưa trả lời được và góp ý 👍/👎, đã xóa số điện thoại, số giấy tờ và tên: để viết thêm câu trả lời. Giữ tối đa %d tháng.\n"+
		"• Mã giới thiệu nếu bạn vào bot qua link hoặc mã QR của đại lý: giữ tối đa %d tháng.\n"+
		"• Nếu bạn đồng ý nhờ đại lý gọi lại: tên, số điện thoại, xã/phường và câu hỏi, chỉ gửi cho đại lý đó (và BHXH tỉnh khi đại lý không nhận), chỉ để gọi lại hướng dẫn bạn tham gia. Giữ tối đa %d ngày rồi tự xóa.\n\n"+
		"Mình không lưu vị trí bạn gửi, không hỏi số CCCD, OTP hay tài khoản ngân hàng.\n"+
		"Gõ /xoa để xóa hết dữ liệu của bạn bất cứ lúc nào.\n\n"+
		"<i>Theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.</i>", stateMinutes, keepMonths, keepMonths, leadDays)
}

// answerFooter is the short line under an FAQ answer.
func answerFooter(sources []string, reviewed string) string {
	var parts []string
	if len(sources) > 0 {
		parts = append(parts, "📚 Nguồn: "+esc(strings.Join(sources, "; ")))
	}
	if reviewed != "" {
		parts = append(parts, "🗓 Kiểm tra lần cuối: "+esc(reviewed))
	}
	if len(parts) == 0 {
		return ""
	}
	return "<i>" + strings.Join(parts, "\n") + "</i>"
}

// stepHint is the reply to a typed answer the current step cannot read.
func stepHint(example string) string {
	return msgStepHint + " " + example
}

// Calculator prompts and help.
const (
	msgVSIGroup  = "Bạn thuộc nhóm nào? Nhà nước hỗ trợ một phần tiền đóng, tùy nhóm:"
	msgVSIMethod = "Bạn muốn đóng theo kỳ nào?\n" +
		"Đóng 3, 6, 12 tháng một lần <b>không được giảm</b>; chỉ đóng trước nhiều năm một lần mới được giảm."
	msgMethodHelp   = "Bạn chọn nút bên dưới, hoặc gõ ví dụ \"hằng tháng\", \"6 tháng\", \"đóng trước 5 năm\"."
	msgHIMembers    = "Nhà bạn có mấy người cùng mua <b>BHYT hộ gia đình</b>?\nChọn bên dưới hoặc gõ số người, ví dụ \"4 người\"."
	msgMembersHelp  = "Bạn gõ số người, ví dụ \"4\" hoặc \"4 người\" (từ 1 đến 20)."
	msgHIPeriod     = "Bạn muốn mua cho bao lâu?"
	msgPeriodHelp   = "Bạn chọn 3, 6 hoặc 12 tháng nhé."
	msgPensionSex   = "Bạn là nam hay nữ? (Tuổi nghỉ hưu và cách tính lương hưu khác nhau.)"
	msgPensionBorn  = "Bạn sinh tháng nào? Gõ ví dụ <b>05/1995</b> hoặc <b>1995-05</b>.\n(Chỉ cần tháng và năm, không cần ngày.)"
	msgBornHelp     = "Mình chưa đọc được tháng sinh. Bạn gõ ví dụ 05/1995 hoặc 1995-05 nhé."
	msgBornRange    = "Tháng sinh này chưa hợp lý (cần từ 15 tuổi trở lên). Bạn kiểm tra lại giúp mình nhé."
	msgPensionYears = "Bạn dự định đóng BHXH tổng cộng bao nhiêu năm?\nChọn bên dưới hoặc gõ số năm, ví dụ \"20 năm\"."
	msgYearsHelp    = "Bạn gõ số năm, ví dụ \"20\" hoặc \"20 năm\"."
)

func msgVSIIncome(floor, ceiling string) string {
	return "Bạn muốn đóng theo mức <b>thu nhập</b> bao nhiêu mỗi tháng?\n" +
		"Chọn bên dưới hoặc gõ, ví dụ \"3 triệu\", \"3tr\", \"2.500.000\".\n" +
		"Thấp nhất " + esc(floor) + ", cao nhất " + esc(ceiling) + "."
}

// msgPensionGot opens a pension estimate started from a question with
// numbers: what was understood, then the first question.
func msgPensionGot(got []string) string {
	return "Mình tính lương hưu với " + strings.Join(got, ", ") + ". Cần thêm vài thông tin nữa:"
}

func msgGotYears(years string) string   { return "<b>" + esc(years) + " năm</b> đóng" }
func msgGotIncome(income string) string { return "thu nhập <b>" + esc(income) + "</b>/tháng" }

func msgPensionIncome(floor string) string {
	return "Thu nhập bình quân bạn định đóng mỗi tháng là bao nhiêu (theo tiền hôm nay)?\n" +
		"Chọn bên dưới hoặc gõ, ví dụ \"3 triệu\". Thấp nhất " + esc(floor) + "."
}

func msgUseNearest(amount string) string { return "Chọn " + amount }

// groupHint explains each support group in one line.
func groupHint(g calc.Group) string {
	switch g {
	case calc.GroupPoor:
		return "có tên trong danh sách hộ nghèo của xã"
	case calc.GroupNearPoor:
		return "có tên trong danh sách hộ cận nghèo"
	case calc.GroupEthnic:
		return "bạn là người dân tộc thiểu số"
	case calc.GroupIsland:
		return "bạn sống ở xã đảo hoặc đặc khu"
	case calc.GroupOther:
		return "không thuộc các nhóm trên"
	}
	return ""
}

func msgGroupLine(label, hint, support string) string {
	return "• " + bold(label) + ": " + esc(hint) + ". Hỗ trợ " + esc(support) + "/tháng."
}

func methodLabel(tok string) string {
	switch tok {
	case "m1":
		return "Hằng tháng"
	case "m3":
		return "3 tháng"
	case "m6":
		return "6 tháng"
	case "m12":
		return "12 tháng"
	}
	if len(tok) == 2 && tok[0] == 'y' {
		return "Trước " + tok[1:] + " năm"
	}
	return tok
}

func msgAdvanceLabel(years int) string {
	return fmt.Sprintf("Đóng trước %d năm một lần (ước tính, đã được giảm)", years)
}

func msgMethodLine(label, amount string, chosen bool) string {
	mark := ""
	if chosen {
		mark = " ✅"
	}
	return "• " + esc(label) + ": " + bold(amount) + mark
}

type vsiCardData struct {
	Income, Group, Rate, Gross, Support, Payable string
	Rows                                         []string // rendered by msgMethodLine
	HasSupp                                      bool
	Notes, Sources                               []string
}

func msgVSICard(d vsiCardData) string {
	var b strings.Builder
	b.WriteString("🧮 <b>Mức đóng BHXH tự nguyện</b>\n")
	b.WriteString("Thu nhập chọn: " + esc(d.Income) + "/tháng\n")
	b.WriteString("Nhóm: " + esc(d.Group) + "\n")
	b.WriteString(esc(viNum(d.Rate)) + "% thu nhập: " + esc(d.Gross) + "\n")
	if d.HasSupp {
		b.WriteString("Nhà nước hỗ trợ: −" + esc(d.Support) + "\n")
	}
	b.WriteString("👉 Bạn đóng: " + bold(d.Payable) + " mỗi tháng\n\n")
	b.WriteString("<b>Mỗi lần đóng:</b>\n")
	b.WriteString(strings.Join(d.Rows, "\n"))
	// When state support stops (the 120-month cap) is one of calc's notes.
	writeNotes(&b, d.Notes, d.Sources)
	return b.String()
}

func writeNotes(b *strings.Builder, notes, sources []string) {
	if len(notes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range notes {
		b.WriteString("\n<i>" + esc(n) + "</i>")
	}
	if len(sources) > 0 {
		b.WriteString("\n\n<i>📚 Nguồn: " + esc(strings.Join(sources, "; ")) + "</i>")
	}
}

func msgHIMemberLine(pos int, ratio, total string) string {
	return fmt.Sprintf("• Người thứ %d (%s%%): %s", pos, esc(viNum(ratio)), bold(total))
}

func msgHICard(members, months int, rows []string, total, rate, base string, notes, sources []string) string {
	var b strings.Builder
	b.WriteString(fmt.Sprintf("🏥 <b>BHYT hộ gia đình: %d người, %d tháng</b>\n", members, months))
	b.WriteString(strings.Join(rows, "\n"))
	b.WriteString("\n👉 Tổng cộng: " + bold(total) + "\n\n")
	b.WriteString("Người thứ nhất đóng " + esc(viNum(rate)) + "% lương cơ sở (" + esc(base) + "), người sau được giảm dần.")
	writeNotes(&b, notes, sources)
	return b.String()
}

type pensionCardData struct {
	Age, AgeMonths, Years, MinYears, MissingYears, LumpMonths  int
	Reached, Income, Rate, Monthly, MissingCost, LumpSum, Paid string
	Eligible                                                   bool
	Notes, Sources                                             []string
}

func msgPensionCard(d pensionCardData) string {
	var b strings.Builder
	b.WriteString("👵 <b>Ước tính lương hưu</b>\n")
	age := fmt.Sprintf("%d tuổi", d.Age)
	if d.AgeMonths > 0 {
		age += fmt.Sprintf(" %d tháng", d.AgeMonths)
	}
	b.WriteString("Tuổi nghỉ hưu của bạn: " + bold(age) + ", tức tháng " + esc(d.Reached) + ".\n")
	b.WriteString(fmt.Sprintf("Đóng %d năm, thu nhập bình quân %s/tháng:\n", d.Years, esc(d.Income)))
	if d.Eligible {
		b.WriteString("👉 Lương hưu khoảng " + bold(d.Monthly) + " mỗi tháng (" + esc(viNum(d.Rate)) + "% thu nhập bình quân).\n")
		b.WriteString("Lương hưu nhận suốt đời, được điều chỉnh theo giá cả, và có thẻ BHYT do quỹ BHXH đóng.")
	} else {
		b.WriteString(fmt.Sprintf("⚠️ Chưa đủ %d năm để có lương hưu (còn thiếu %d năm).", d.MinYears, d.MissingYears))
		if d.MissingCost != "" {
			b.WriteString(" Khi đến tuổi nghỉ hưu, bạn có thể đóng một lần cho số năm còn thiếu, khoảng " + bold(d.MissingCost) + ".")
		}
	}
	if d.LumpSum != "" {
		b.WriteString("\n\n<b>Nếu rút BHXH một lần</b> thay vì nhận lương hưu (theo tiền hôm nay, nhóm đối tượng khác): khoảng " + bold(d.LumpSum))
		if d.Paid != "" {
			b.WriteString(" (bạn đã tự đóng khoảng " + esc(d.Paid) + ")")
		}
		b.WriteString(".")
		if d.LumpMonths > 0 {
			b.WriteString(fmt.Sprintf(" Số này chỉ bằng khoảng <b>%d tháng</b> lương hưu.", d.LumpMonths))
		}
		b.WriteString("\nNgười bắt đầu đóng từ 01/07/2025 chỉ được rút một lần trong vài trường hợp: đủ tuổi nghỉ hưu mà chưa đủ năm đóng, ra nước ngoài định cư, bệnh nặng, hoặc suy giảm khả năng lao động từ 81% trở lên.")
	}
	b.WriteString("\n\n<i>Đây là ước tính theo tiền hôm nay; số thật còn tùy hệ số trượt giá và quy định lúc bạn nghỉ hưu.</i>")
	writeNotes(&b, d.Notes, d.Sources)
	return b.String()
}

// viNum writes a decimal number the Vietnamese way: "4.5" → "4,5".
func viNum(s string) string { return strings.Replace(s, ".", ",", 1) }

// Short toasts shown on a button press.
const (
	toastError   = "Có lỗi, bạn thử lại nhé"
	toastStale   = "Nút đã cũ"
	toastDeleted = "Đã xóa"
)

// Markers that replace personal data in stored questions.
const (
	scrubPhone = "[SĐT]"
	scrubID    = "[số giấy tờ]"
	scrubName  = "[tên]"
)

// warn shows a calm message for people (e.g. calc's InputError) above a step.
func warn(plain string) string { return "⚠️ " + esc(plain) }

// warnHTML is warn for a constant already written as HTML.
func warnHTML(html string) string { return "⚠️ " + html }

// relatedLabel is the label of a related-question button.
func relatedLabel(question string) string { return "➡️ " + clip(question, 60) }

// periodLabel is a household-HI period button.
func periodLabel(months int) string { return fmt.Sprintf("%d tháng", months) }

// shortVND is a compact button label: "1,5 triệu", "3 triệu", "800.000 đ".
func shortVND(d decimal.Decimal) string {
	mil := decimal.NewFromInt(1_000_000)
	if d.GreaterThanOrEqual(mil) {
		return viNum(d.Div(mil).String()) + " triệu"
	}
	return calc.FormatVND(d)
}
