package handoff

// Everything the hand-off says to people lives here (and in consent.go,
// render.go and card.go for texts built from data), so staff can review it in
// one place. Constants are hand-written Telegram HTML; dynamic values are
// escaped where the texts are assembled.

import "github.com/bhxh-tn/bhxhbot/calc"

const (
	msgLocationTaken     = "📍 Đã nhận vị trí (mình không lưu)."
	toastStale           = "Nút đã cũ"
	toastRecorded        = "Đã ghi: "     // + the lead's new status
	toastAlreadyRecorded = "Đã ghi rồi: " // + the lead's status, unchanged
	msgWhere             = "📍 <b>Tìm đại lý gần bạn</b>\n" +
		"Bấm <b>Gửi vị trí của tôi</b> bên dưới để tìm nơi gần nhất (vị trí chỉ dùng cho lần tìm này, không lưu)."
	msgWhereGroup = "📍 <b>Tìm đại lý gần bạn</b>"
	msgPickProv   = "Hoặc chọn tỉnh, thành phố của bạn (tên mới sau sáp nhập; tỉnh cũ như Thái Bình, Kiên Giang cũng gõ được):"
	msgPickProv2  = "Chọn tỉnh, thành phố của bạn (hoặc gõ tên tỉnh, kể cả tên cũ):"
	msgAskCommune = "Bạn ở xã, phường nào của <b>%s</b>?\n" +
		"Gõ tên, có dấu hay không đều được, tên cũ cũng được (ví dụ: <i>%s</i>)."
	msgCommuneButtons = "Hoặc chọn bên dưới:"
	msgMerged         = "Từ 01/07/2025, <b>%s</b> thuộc %s."
	msgNoAgentsProv   = "Danh bạ chưa có đại lý nào ở <b>%s</b>."
	msgNotFound       = "Mình chưa tìm thấy <b>%s</b> trong danh bạ đại lý của %s. Bạn kiểm tra lại tên, hoặc chọn một nơi bên dưới."
	msgNotFoundAny    = "Mình chưa tìm thấy nơi này. Bạn gõ tên xã, phường (ví dụ <i>thai thuy</i>) hoặc chọn tỉnh bên dưới.\n" +
		"Cần hỏi ngay: gọi tổng đài BHXH Việt Nam <b>" + calc.Hotline + "</b>."
	msgWhich          = "Bạn ở nơi nào trong các nơi này?"
	msgServing        = "Đại lý phục vụ <b>%s</b>:"
	msgServingOther   = "Đại lý phục vụ <b>%s</b> (%s):"
	msgNearYou        = "Đại lý gần bạn nhất:"
	msgNearestFar     = "Đại lý gần nhất trong danh bạ (có thể ở tỉnh khác với nơi bạn ở; hỏi thêm ở BHXH cơ sở nơi bạn ở):"
	msgFarAway        = "Danh bạ chưa có đại lý nào trong vòng %d km quanh vị trí bạn gửi. Bạn chọn tỉnh để tìm, hoặc gọi tổng đài <b>" + calc.Hotline + "</b>."
	msgSampleNote     = "<i>Lưu ý: đây là dữ liệu mẫu để thử bot, chưa phải danh bạ thật.</i>"
	msgCallHint       = "Muốn đại lý gọi lại cho bạn? Bấm <b>Nhờ gọi lại</b>."
	msgNoCallback     = "Đại lý này chưa nhận yêu cầu gọi lại qua bot. Bạn gọi trực tiếp số ở trên, hoặc tổng đài <b>" + calc.Hotline + "</b>."
	msgAskTime        = "Bạn muốn được gọi vào lúc nào?"
	msgTimeAgain      = "Đại lý gọi trong giờ hành chính (sáng hoặc chiều, theo giờ mở cửa ở trên)."
	msgGroupOnly      = "Để nhờ gọi lại, bạn nhắn riêng cho bot nhé (nút chia sẻ số điện thoại chỉ có trong tin nhắn riêng)."
	msgConsentWait    = "Bạn bấm nút <b>Đồng ý, gửi số điện thoại</b> ở bàn phím bên dưới, hoặc <b>Không, cảm ơn</b> nếu không muốn."
	msgNotOwnContact  = "Mình chỉ nhận số điện thoại của chính bạn, qua nút <b>Đồng ý, gửi số điện thoại</b>."
	msgContactUnasked = "Mình chưa dùng số này và không lưu nó. Muốn nhờ đại lý gọi lại, gõ /daily."
	msgDeclined       = "Được rồi, mình không gửi gì cả. Bạn vẫn gọi trực tiếp được cho đại lý ở trên, hoặc tổng đài <b>" + calc.Hotline + "</b>."
	msgConsentChanged = "Nội dung đồng ý vừa được cập nhật, bạn đọc lại giúp mình nhé."
	msgSent           = "✅ Đã gửi yêu cầu gọi lại (mã <b>#%d</b>) tới <b>%s</b>.\n" +
		"Họ sẽ gọi vào số bạn vừa chia sẻ, %s.\n" +
		"Cần gấp: gọi %s hoặc tổng đài <b>" + calc.Hotline + "</b>.\n" +
		"Bạn xoá yêu cầu và số điện thoại lúc nào cũng được bằng /xoa."
	msgAlreadySent = "✅ Yêu cầu gọi lại của bạn (mã <b>#%d</b>) đã gửi tới <b>%s</b> lúc %s. Họ sẽ gọi cho bạn, không cần gửi lại.\n" +
		"Cần gấp: gọi tổng đài <b>" + calc.Hotline + "</b>. Muốn huỷ yêu cầu và xoá số điện thoại: /xoa."
	msgAttributed = "Bạn đến từ mã của đại lý này:"
	msgBadButton  = "Nút này đã cũ, bạn gõ /daily để tìm lại nhé."

	btnLocation   = "📍 Gửi vị trí của tôi"
	btnConsent    = "📱 Đồng ý, gửi số điện thoại"
	btnDecline    = "Không, cảm ơn"
	btnPrev       = "◀️ Trước"
	btnNext       = "Sau ▶️"
	btnOtherPlace = "🔎 Tìm nơi khác"
	btnCancel     = "✖️ Hủy"
	btnCallback   = "📞 Nhờ số %d gọi lại"
	btnCallbackAt = "📞 Nhờ đại lý này gọi lại"
)

// Preferred call times offered before the consent screen.
var callTimes = []struct{ code, label, text string }{
	{"sang", "🌅 Buổi sáng", "buổi sáng"},
	{"chieu", "🌇 Buổi chiều", "buổi chiều"},
	{"any", "Lúc nào cũng được", "giờ hành chính, lúc nào cũng được"},
}
