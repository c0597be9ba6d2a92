package bot

import (
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// Everything the bot says lives in this file so staff can review the wording
// in one place. Constants are Telegram HTML written by hand (only b, i, a,
// blockquote tags); functions that take dynamic values escape them with the
// helpers of render.go. Keep sentences short and plain: readers are young
// people on a phone.

// Hotline is the BHXH Việt Nam customer-care number (owned by calc).
const Hotline = calc.Hotline

// Menu and navigation button labels.
const (
	BtnFAQ      = "❓ Hỏi đáp"
	BtnVSI      = "🧮 Tính mức đóng BHXH tự nguyện"
	BtnHI       = "🏥 Tính BHYT hộ gia đình"
	BtnPension  = "👵 Ước tính lương hưu"
	BtnAgent    = "📍 Gặp đại lý gần bạn"
	BtnAgentS   = "📍 Gặp đại lý"
	BtnNotThese = "🙅 Không phải những câu này"
	// alsoPrefix opens a button for another question the same message asked.
	alsoPrefix  = "Bạn cũng hỏi: "
	BtnBack     = "⬅️ Quay lại"
	BtnCancel   = "✖️ Hủy"
	BtnMenu     = "☰ Menu"
	BtnUp       = "👍"
	BtnDown     = "👎"
	BtnDelete   = "🗑 Xóa hết"
	BtnKeep     = "Không xóa"
	BtnAgain    = "🔁 Tính lại"
	BtnPensionT = "👵 Ước tính lương hưu"
	BtnDetails  = "📚 Chi tiết"
	BtnHotline  = "☎️ Tổng đài " + Hotline

	BtnChangeGroup   = "🔄 Đổi nhóm"
	BtnChangeMembers = "🔄 Đổi số người"
	BtnChangeIncome  = "🔄 Đổi thu nhập"
)

// Commands returns the command menu registered with the transport.
func Commands() []Command {
	return []Command{
		{Name: "start", Description: "Bắt đầu, xem menu"},
		{Name: "menu", Description: "Xem menu"},
		{Name: "help", Description: "Cách dùng bot"},
		{Name: "hoidap", Description: "Hỏi đáp về BHXH tự nguyện, BHYT"},
		{Name: "tinh", Description: "Tính mức đóng BHXH tự nguyện"},
		{Name: "bhyt", Description: "Tính BHYT hộ gia đình"},
		{Name: "luonghuu", Description: "Ước tính lương hưu"},
		{Name: "daily", Description: "Tìm đại lý thu gần bạn"},
		{Name: "hotline", Description: "Số tổng đài BHXH 1900 9068"},
		{Name: "tintuc", Description: "Tin mới: mức đóng, quy định sắp đổi"},
		{Name: "nhacnho", Description: "Nhắc hạn đóng tiền, hạn thẻ BHYT"},
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
	msgHello   = "Chào bạn 👋 Bạn cứ gõ câu hỏi về BHXH tự nguyện hay BHYT hộ gia đình, hoặc chọn bên dưới nhé."
	msgThanks  = "Không có gì 😊 Cần gì bạn cứ hỏi nhé."
	msgNoNews  = "📰 Hiện chưa có tin mới. Mức đóng, mức hưởng trong câu trả lời luôn tính theo quy định của ngày bạn hỏi."
	msgClarify = "Bạn muốn hỏi:"
	// msgNotThese answers "none of these": the question is kept for the
	// people who write the answers, and real people are offered now.
	msgNotThese = "Cảm ơn bạn. Mình đã ghi lại câu hỏi để bổ sung câu trả lời.\n" +
		"Bây giờ thì người thật giúp bạn nhanh nhất: <b>đại lý thu</b> gần nhà (bưu điện xã, điểm thu), hoặc tổng đài BHXH Việt Nam <b>" + Hotline + "</b>."
	// msgPersonalNumber comes before the answer to a message that holds a
	// CCCD, BHXH code, card or phone number: the bot never looks anyone up.
	msgPersonalNumber = "🔒 Bạn đừng gửi số CCCD, mã số BHXH, số thẻ BHYT hay số điện thoại ở đây nhé: mình không tra được hồ sơ của ai. Mình trả lời phần chung của câu hỏi:"
	msgNone           = "Mình chưa có câu trả lời chắc chắn cho câu này, nên không muốn đoán.\n" +
		"Mình chỉ trả lời về <b>BHXH tự nguyện</b> và <b>BHYT hộ gia đình</b>: mức đóng, hỗ trợ của Nhà nước, lương hưu, rút một lần, thẻ BHYT, nơi đăng ký.\n\n" +
		"Hỏi trực tiếp: tổng đài BHXH Việt Nam <b>" + Hotline + "</b>, hoặc chọn bên dưới."
	msgDontKnowFree = "Không sao 😊 Bạn có thể hỏi mình bất cứ điều gì về BHXH tự nguyện và BHYT hộ gia đình, ví dụ <i>đóng thấp nhất bao nhiêu</i>, <i>bao giờ được nghỉ hưu</i>. Hoặc chọn bên dưới."
	msgThumbsDown   = "Cảm ơn bạn đã báo. Bạn thử hỏi lại bằng cách khác (thêm chi tiết), hoặc nhờ người thật giúp:"
	msgDetailsGone  = "Kết quả này đã cũ, mình không còn giữ chi tiết. Bạn tính lại nhé."
	msgBadButton    = "Nút này đã cũ hoặc không hợp lệ, bạn chọn lại từ menu nhé."
	msgUnknownCmd   = "Mình chưa biết lệnh này. Bạn xem /help hoặc chọn bên dưới nhé."
	msgInternal     = "Xin lỗi, mình đang gặp trục trặc. Bạn thử lại sau ít phút, hoặc gọi <b>" + Hotline + "</b> nhé."
	msgCancelled    = "Đã hủy. Bạn muốn làm gì tiếp?"
	msgResume       = "Mình tiếp tục chỗ bạn đang làm dở (gõ /huy để bỏ):"
	msgNotText      = "Mình chỉ đọc được chữ thôi. Bạn gõ câu hỏi hoặc chọn bên dưới nhé."
	msgMenu         = "Bạn muốn làm gì?"
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
		"• /nhacnho: nhắc hạn đóng tiền, hạn thẻ BHYT\n" +
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
	msgDeleteAsk = "Bạn muốn xóa <b>mọi dữ liệu</b> mình lưu về bạn (bước đang làm, câu hỏi, góp ý, mã giới thiệu, yêu cầu gọi lại, lịch nhắc)?\n" +
		"Việc này không hoàn tác được."
	msgDeleted  = "Đã xóa hết dữ liệu của bạn. Khi cần, bạn cứ quay lại hỏi nhé."
	msgKept     = "Được rồi, mình không xóa gì."
	msgStepHint = "Mình chưa hiểu câu trả lời này."
)

// newsText is the /tintuc reply: the staff notices in force (HTML).
func newsText(notices []string) string {
	if len(notices) == 0 {
		return msgNoNews
	}
	return "📰 <b>Tin mới</b>\n\n" + strings.Join(notices, "\n\n")
}

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
		"• Nếu bạn đồng ý nhờ đại lý gọi lại: tên, số điện thoại, xã/phường và câu hỏi, chỉ gửi cho đại lý đó (và BHXH tỉnh khi đại lý không nhận), chỉ để gọi lại hướng dẫn bạn tham gia. Giữ tối đa %d ngày rồi tự xóa.\n"+
		"• Nếu bạn bật nhắc (/nhacnho, /tintuc): mã chat Telegram và lịch nhắc (phương thức đóng, kỳ đóng, thu nhập và nhóm hỗ trợ để tính số tiền, đại lý bạn đã chọn; hoặc ngày hết hạn thẻ BHYT). Giữ đến khi bạn tắt nhắc hoặc gõ /xoa; nhắc thẻ tự xóa 90 ngày sau ngày thẻ hết hạn, và nhắc của ai chặn bot tự xóa sau 6 tháng. Mỗi tin nhắc có nút tắt.\n\n"+
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

// Calculator prompts and help.
const (
	msgVSIGroup        = "Bạn thuộc nhóm nào? Nhà nước hỗ trợ một phần tiền đóng, tùy nhóm:"
	msgHIMembers       = "Nhà bạn có mấy người cùng mua <b>BHYT hộ gia đình</b>?\nChọn bên dưới hoặc gõ số người, ví dụ \"4\"."
	msgPensionSex      = "Bạn là nam hay nữ? (Tuổi nghỉ hưu và cách tính lương hưu khác nhau.)"
	msgPensionBorn     = "Bạn sinh tháng nào, năm nào? Gõ ví dụ <b>05/1995</b> (ngày sinh gõ cũng được: 12/05/1995; chỉ năm: 1995)."
	msgBornHelp        = "Bạn gõ tháng và năm sinh, ví dụ 05/1995, hoặc chỉ năm sinh, ví dụ 1995. Tuổi cũng được, ví dụ \"35 tuổi\"."
	msgBornRange       = "Năm sinh này chưa hợp lý (cần từ 15 đến 100 tuổi). Bạn kiểm tra lại giúp mình nhé."
	msgPensionYears    = "Bạn <b>đã đóng</b> BHXH được bao nhiêu năm (bắt buộc và tự nguyện cộng lại; chưa đóng thì chọn 0)?\nVí dụ: \"8 năm bắt buộc, 12 năm tự nguyện\"."
	msgYearsHelp       = "Số năm đã đóng phải từ 0 đến 60. Bạn gõ ví dụ \"10 năm\"."
	msgYearsDontKnow   = "Bạn xem số năm đã đóng trong ứng dụng <b>VssID</b> (mục Quá trình tham gia), hoặc hỏi bưu điện xã. Tạm thời bạn có thể chọn số gần đúng."
	msgMembersDontKnow = "Tính những người <b>cùng hộ khẩu</b> (cùng nơi thường trú hoặc tạm trú) mua BHYT theo hộ, trừ người đã có thẻ BHYT khác (đi làm, hưu trí, trẻ dưới 6 tuổi, hộ nghèo...)."
	msgGroupHelp       = "Nếu bạn không có tên trong danh sách hộ nghèo, cận nghèo của xã, không phải người dân tộc thiểu số và không sống ở xã đảo, đặc khu, chọn <b>Đối tượng khác</b>. Chưa chắc thì hỏi UBND xã hoặc bưu điện xã."
	msgIncomeHelp      = "Thu nhập chọn đóng do bạn tự chọn, không cần đúng lương thật. Chọn thấp nhất thì đóng ít nhất; chọn cao thì lương hưu cao hơn."
	msgBackToStep      = "↩️ Quay lại bước đang làm:"
	msgTakenOther      = "Mình đã ghi thông tin đó."
)

// msgMembersHelp gives the household-size limit, which calc owns.
var msgMembersHelp = fmt.Sprintf("Số người trong hộ cùng mua BHYT phải từ 1 đến %d.", calc.MaxHouseholdMembers)

func msgVSIIncome(floor, ceiling string) string {
	return "Bạn muốn đóng theo mức <b>thu nhập</b> bao nhiêu mỗi tháng?\n" +
		"Chọn bên dưới hoặc gõ, ví dụ \"3 triệu\", \"3tr\", \"2.500.000\".\n" +
		"Thấp nhất " + esc(floor) + ", cao nhất " + esc(ceiling) + "."
}

func msgPensionIncome(floor string) string {
	return "Bạn định đóng tiếp với thu nhập bao nhiêu mỗi tháng (tiền hôm nay)?\n" +
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

func msgAdvanceLabel(years int) string {
	return fmt.Sprintf("Đóng trước %d năm (có giảm)", years)
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
	Assumed, Monthly                             bool
	Rows                                         []string // rendered by msgMethodLine
}

func msgVSICard(d vsiCardData) string {
	var b strings.Builder
	b.WriteString("🧮 <b>BHXH tự nguyện, thu nhập " + esc(d.Income) + "/tháng</b>\n")
	if d.Assumed {
		b.WriteString("Nhóm: " + esc(d.Group) + " (mình tạm chọn; bấm <b>Đổi nhóm</b> nếu bạn thuộc hộ nghèo, cận nghèo...)\n")
	} else {
		b.WriteString("Nhóm: " + esc(d.Group) + "\n")
	}
	mark := ""
	if d.Monthly {
		mark = " ✅"
	}
	b.WriteString("👉 Hằng tháng: " + bold(d.Payable) + mark + " (" + esc(viNum(d.Rate)) + "% là " + esc(d.Gross) + ", Nhà nước hỗ trợ " + esc(d.Support) + ")\n")
	b.WriteString(strings.Join(d.Rows, "\n"))
	b.WriteString("\n\n" + msgNextRegister)
	return b.String()
}

// msgNextRegister is the one line of what to do next after a contribution result.
const msgNextRegister = "Đăng ký và đóng ở bưu điện xã hoặc BHXH cơ sở: bấm <b>📍 Gặp đại lý</b>."

func msgVSIFormula(rate, support string, supportMonths int) string {
	s := "Bạn đóng " + esc(rate) + "% thu nhập chọn, trừ phần Nhà nước hỗ trợ (" + esc(support) + "/tháng, tính trên chuẩn hộ nghèo, không tăng theo thu nhập)."
	if supportMonths > 0 {
		s += fmt.Sprintf(" Hỗ trợ tối đa %d tháng.", supportMonths)
	}
	return s + " Đóng 3, 6, 12 tháng một lần không được giảm; đóng trước từ 2 năm mới được giảm."
}

func msgHIMemberLine(pos int, ratio, total string, andAfter bool) string {
	who := fmt.Sprintf("Người thứ %d", pos)
	if andAfter {
		who = fmt.Sprintf("Từ người thứ %d", pos)
	}
	return fmt.Sprintf("• %s (%s%%): %s/năm", who, esc(ratio), bold(total))
}

func msgHICard(members int, memberLines, totals []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "🏥 <b>BHYT hộ gia đình, %d người</b>\n", members)
	b.WriteString(strings.Join(memberLines, "\n"))
	b.WriteString("\n👉 Cả hộ đóng:\n")
	b.WriteString(strings.Join(totals, "\n"))
	b.WriteString("\n\n" + msgNextBuyHI)
	return b.String()
}

// msgNextBuyHI is the one line of what to do next after a household HI result.
const msgNextBuyHI = "Mua ở bưu điện xã hoặc đại lý thu: bấm <b>📍 Gặp đại lý</b>."

func msgHIRule(rate, base string) string {
	return "Người thứ nhất đóng " + esc(rate) + "% lương cơ sở (" + esc(base) + "/tháng); người thứ 2, 3, 4 đóng 70%, 60%, 50% mức của người thứ nhất; từ người thứ 5 đóng 40%."
}

const msgPensionRules = "Cần đủ 15 năm đóng và đủ tuổi nghỉ hưu. Nữ: 45% cho 15 năm, thêm 2% mỗi năm, tối đa 75%. Nam: 40% cho 15 năm, thêm 1% mỗi năm đến 20 năm (45%), rồi thêm 2% mỗi năm, tối đa 75%. Tính trên thu nhập bình quân, theo tiền hôm nay."

// yearsLabel is a years button: "0", "15 năm".
func yearsLabel(y int) string {
	if y == 0 {
		return "Chưa đóng"
	}
	return fmt.Sprintf("%d năm", y)
}

func itoa(n int) string { return fmt.Sprint(n) }

// msgPensionGot opens a pension estimate started from a question with
// numbers: what was understood.
func msgPensionGot(rd read.Reading) string {
	var got []string
	if rd.Sex != "" {
		got = append(got, strings.ToLower(rd.Sex.Label()))
	}
	switch {
	case !rd.Born.IsZero() && rd.Born.Month != 0:
		got = append(got, fmt.Sprintf("sinh %02d/%d", rd.Born.Month, rd.Born.Year))
	case !rd.Born.IsZero():
		got = append(got, fmt.Sprintf("sinh năm %d", rd.Born.Year))
	case rd.Age > 0:
		got = append(got, fmt.Sprintf("%d tuổi", rd.Age))
	}
	if rd.Years.Given {
		got = append(got, yearsText(rd.Years.Compulsory, rd.Years.Voluntary+rd.Years.Other))
	}
	if rd.HasIncome {
		got = append(got, "thu nhập "+calc.FormatVND(rd.Income)+"/tháng")
	}
	if len(got) == 0 {
		return ""
	}
	return "Mình ghi nhận: " + esc(strings.Join(got, ", ")) + "."
}

// yearsText says years contributed: "20 năm đã đóng (8 bắt buộc + 12 tự nguyện)".
func yearsText(compulsory, voluntary int) string {
	total := compulsory + voluntary
	if compulsory > 0 && voluntary > 0 {
		return fmt.Sprintf("đã đóng %d năm (%d bắt buộc + %d tự nguyện)", total, compulsory, voluntary)
	}
	if total == 0 {
		return "chưa đóng năm nào"
	}
	return fmt.Sprintf("đã đóng %d năm", total)
}

// msgRetireLine says the retirement age and when it is reached.
func msgRetireLine(years, months int, reached calc.Month, left int, yearOnly bool) string {
	age := fmt.Sprintf("%d tuổi", years)
	if months > 0 {
		age += fmt.Sprintf(" %d tháng", months)
	}
	s := "Tuổi nghỉ hưu: " + bold(age) + fmt.Sprintf(", tức tháng <b>%02d/%d</b>", reached.Month, reached.Year)
	switch {
	case left > 0:
		s += " (còn " + durationText(left) + ")"
	default:
		s += " (bạn đã đủ tuổi nghỉ hưu)"
	}
	if yearOnly {
		s += ". <i>Tính theo tháng 1; tháng sinh khác có thể lệch vài tháng.</i>"
	} else {
		s += "."
	}
	return s
}

func durationText(months int) string {
	y, m := months/12, months%12
	switch {
	case y > 0 && m > 0:
		return fmt.Sprintf("%d năm %d tháng", y, m)
	case y > 0:
		return fmt.Sprintf("%d năm", y)
	}
	return fmt.Sprintf("%d tháng", m)
}

func msgRetireCard(sex calc.Sex, born calc.Month, yearOnly bool, line string) string {
	who := strings.ToLower(sex.Label())
	if yearOnly {
		who += fmt.Sprintf(", sinh năm %d", born.Year)
	} else {
		who += fmt.Sprintf(", sinh %02d/%d", born.Month, born.Year)
	}
	return "👵 <b>Tuổi nghỉ hưu của bạn</b> (" + esc(who) + ")\n" + line +
		"\nĐể có lương hưu cần thêm đủ <b>15 năm</b> đóng BHXH. Bấm <b>👵 Ước tính lương hưu</b> để xem số tiền."
}

type pensionStep struct {
	Years   int
	Monthly string
	Now     bool // the years already contributed
}

type pensionCardData struct {
	Head                          string
	Sex                           calc.Sex
	Paid, Compulsory, Until       int
	Income, UntilMonthly          string
	Steps                         []pensionStep
	Missing, MinYears, MissingMax int
	MissingCost, LumpSum, OwnPaid string
	LumpMonths                    int
	LumpClosed                    string // why withdrawing after stopping is not open to this person
	Reached                       bool   // retirement age already reached
	LumpNow                       bool   // the lump sum can be taken now, without 12 months' wait
}

// Why a person cannot withdraw once after stopping (L41 Art. 102(1)(đ)).
const (
	msgLumpClosedYears = "💰 Đã đóng từ %d năm trở lên thì không rút một lần khi dừng đóng được (chỉ khi ra nước ngoài định cư, mắc bệnh hiểm nghèo hoặc suy giảm khả năng lao động nặng). Thời gian đã đóng được giữ để tính lương hưu.\n"
	msgLumpClosedNew   = "💰 Người bắt đầu đóng từ %s không rút một lần khi dừng đóng được; chỉ khi đủ tuổi nghỉ hưu mà chưa đủ năm, ra nước ngoài định cư hoặc mắc bệnh hiểm nghèo.\n"
)

func msgPensionCard(d pensionCardData) string {
	var b strings.Builder
	b.WriteString("👵 <b>Lương hưu ước tính</b> (" + esc(strings.ToLower(d.Sex.Label())) + ", " + esc(yearsText(d.Compulsory, d.Paid-d.Compulsory)) + ")\n")
	b.WriteString(d.Head + "\n")
	if d.UntilMonthly != "" {
		fmt.Fprintf(&b, "👉 Đóng tiếp đến khi nghỉ hưu (%d năm), thu nhập %s: khoảng %s/tháng.\n", d.Until, esc(d.Income), bold(d.UntilMonthly))
		for _, s := range d.Steps {
			what := fmt.Sprintf("Dừng ở %d năm", s.Years)
			if s.Now {
				what = fmt.Sprintf("Dừng ngay (%d năm)", s.Years)
			}
			fmt.Fprintf(&b, "• %s: %s/tháng\n", esc(what), bold(s.Monthly))
		}
	} else {
		switch {
		case d.Reached:
			fmt.Fprintf(&b, "⚠️ Bạn đã đủ tuổi nghỉ hưu, mới đóng %d năm, thiếu %d năm so với %d năm để có lương hưu.\n", d.Until, d.Missing, d.MinYears)
		default:
			fmt.Fprintf(&b, "⚠️ Đóng tiếp đến tuổi nghỉ hưu vẫn chỉ được %d năm, thiếu %d năm so với %d năm để có lương hưu.\n", d.Until, d.Missing, d.MinYears)
		}
		switch {
		case d.MissingCost != "" && d.Reached:
			fmt.Fprintf(&b, "Bạn có thể đóng một lần %d năm còn thiếu: khoảng %s.\n", d.Missing, bold(d.MissingCost))
		case d.MissingCost != "":
			fmt.Fprintf(&b, "Khi đủ tuổi, bạn có thể đóng một lần %d năm còn thiếu: khoảng %s.\n", d.Missing, bold(d.MissingCost))
		default:
			if d.MissingMax > 0 {
				fmt.Fprintf(&b, "Đóng một lần phần thiếu chỉ được khi thiếu không quá %d năm. ", d.MissingMax)
			}
			b.WriteString("Bạn vẫn có thể đóng tiếp hằng tháng sau tuổi nghỉ hưu cho đủ, nhận trợ cấp hằng tháng (Điều 23), hoặc rút một lần.\n")
		}
	}
	b.WriteString(d.LumpClosed)
	switch {
	case d.LumpSum != "" && d.LumpNow:
		fmt.Fprintf(&b, "💰 Nếu không đóng tiếp mà rút một lần ngay: khoảng %s", bold(d.LumpSum))
	case d.LumpSum != "":
		fmt.Fprintf(&b, "💰 Nếu dừng đóng đủ 12 tháng rồi rút một lần: khoảng %s", bold(d.LumpSum))
	}
	if d.LumpSum != "" {
		if d.LumpMonths > 0 {
			fmt.Fprintf(&b, ", chỉ bằng %d tháng lương hưu", d.LumpMonths)
		}
		if d.OwnPaid != "" {
			b.WriteString(" (bạn tự đóng khoảng " + esc(d.OwnPaid) + ")")
		}
		b.WriteString(". Rút rồi thì mất thời gian đã đóng.\n")
	}
	b.WriteString("\n<i>Theo tiền hôm nay.</i> Hỏi kỹ trước khi quyết định: bấm <b>📍 Gặp đại lý</b>.")
	return b.String()
}

// detailsHTML is the "📚 Chi tiết" reply: how it is computed, caveats, sources.
func detailsHTML(rules, notes, sources []string) string {
	var b strings.Builder
	b.WriteString("📚 <b>Chi tiết</b>")
	for _, r := range rules {
		b.WriteString("\n" + r)
	}
	for _, n := range notes {
		b.WriteString("\n• " + esc(n))
	}
	if len(sources) > 0 {
		b.WriteString("\n\n<i>Nguồn: " + esc(strings.Join(sources, "; ")) + "</i>")
	}
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
	scrubSI    = "[mã BHXH]"
	scrubCard  = "[mã thẻ BHYT]"
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

// msgViaAgent names the agent whose QR code or link the person came with.
func msgViaAgent(name string) string {
	return "📍 Bạn đến từ mã của <b>" + esc(name) + "</b>. Khi cần đăng ký hay đóng tiền, bấm <b>" + BtnAgent + "</b> để gặp đại lý này."
}
