package telegramtest

import (
	"encoding/json"
	"net/url"
	"unicode/utf8"
)

// checkMarkup validates a reply_markup parameter the way Telegram does and
// returns Telegram's error description, or "" when it is acceptable.
// inlineOnly is set for editMessageText, which takes only inline keyboards.
func checkMarkup(raw string, chatID int64, inlineOnly bool) (*ReplyMarkup, string) {
	if raw == "" {
		return nil, ""
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &keys); err != nil {
		return nil, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	m, err := decodeMarkup(raw)
	if err != nil {
		return nil, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	_, hasInline := keys["inline_keyboard"]
	_, hasKeyboard := keys["keyboard"]
	_, hasRemove := keys["remove_keyboard"]
	_, hasForce := keys["force_reply"]
	kinds := 0
	for _, b := range []bool{hasInline, hasKeyboard, hasRemove, hasForce} {
		if b {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		return nil, "Bad Request: object expected as reply markup"
	case kinds > 1:
		return nil, "Bad Request: reply markup must hold exactly one of inline_keyboard, keyboard, remove_keyboard, force_reply"
	case inlineOnly && !hasInline:
		return nil, "Bad Request: inline keyboard expected"
	}
	switch {
	case hasInline:
		n := 0
		for _, row := range m.InlineKeyboard {
			for _, b := range row {
				n++
				if d := checkInlineButton(b); d != "" {
					return nil, d
				}
			}
		}
		if n > 100 {
			return nil, "Bad Request: reply markup is too long"
		}
	case hasKeyboard:
		if len(m.Keyboard) == 0 {
			return nil, "Bad Request: keyboard must be non-empty"
		}
		for _, row := range m.Keyboard {
			for _, b := range row {
				switch {
				case b.Text == "":
					return nil, "Bad Request: keyboard button text must be non-empty"
				case b.RequestContact && b.RequestLocation:
					return nil, "Bad Request: keyboard button can request only one of contact and location"
				case (b.RequestContact || b.RequestLocation) && chatID < 0:
					return nil, "Bad Request: contact and location buttons can be used only in private chats"
				}
			}
		}
	case hasRemove:
		if !m.RemoveKeyboard {
			return nil, "Bad Request: remove_keyboard must be true"
		}
	}
	return m, ""
}

func checkInlineButton(b InlineButton) string {
	if b.Text == "" {
		return "Bad Request: can't parse inline keyboard button: Text must be non-empty"
	}
	actions := 0
	if b.CallbackData != "" {
		actions++
		if len(b.CallbackData) > 64 || !utf8.ValidString(b.CallbackData) {
			return "Bad Request: BUTTON_DATA_INVALID"
		}
	}
	if b.URL != "" {
		actions++
		u, err := url.Parse(b.URL)
		if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "tg") || (u.Scheme != "tg" && u.Host == "") {
			return "Bad Request: BUTTON_URL_INVALID"
		}
	}
	if b.CopyText != nil && b.CopyText.Text != "" {
		actions++
	}
	switch {
	case actions == 0:
		return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
	case actions > 1:
		return "Bad Request: can't parse inline keyboard button: exactly one of callback_data, url, copy_text must be used"
	}
	return ""
}
