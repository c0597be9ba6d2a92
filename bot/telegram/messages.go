package telegram

// What the transport itself says to people. Everything else comes from the
// conversation engine (package bot). Plain, short Vietnamese; no HTML markup
// except escaped text, so these are valid Telegram HTML as they are.
const (
	// msgTrouble answers an update whose handling failed (error, panic, timeout).
	msgTrouble = "Xin lỗi, mình đang gặp trục trặc. Bạn thử lại sau ít phút, hoặc gọi tổng đài 1900 9068."
	// msgNotOwnContact answers a shared contact that is not the sender's own number.
	msgNotOwnContact = "Mình chỉ nhận số điện thoại của chính bạn, gửi bằng nút chia sẻ số điện thoại. Bạn không cần gửi số của người khác."
	// msgTextOnly answers a photo, sticker, voice note or file in a private chat.
	msgTextOnly = "Mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi giúp mình nhé, ví dụ: đóng BHXH tự nguyện bao nhiêu một tháng?"
)
