package telegram

import (
	"log/slog"
	"net/url"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Telegram limits.
const (
	maxCallbackData = 64   // bytes of callback_data
	maxMessageLen   = 4096 // characters of message text
	maxButtonText   = 64   // characters shown on a button (longer is cut by clients)
	maxCallbackText = 200  // characters of an answerCallbackQuery toast
)

// The reply_markup objects are our own types rather than the library's, so
// the JSON holds exactly the fields Telegram documents (the library's
// InlineKeyboardButton always adds an empty "copy_text").

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type keyButton struct {
	Text            string `json:"text"`
	RequestContact  bool   `json:"request_contact,omitempty"`
	RequestLocation bool   `json:"request_location,omitempty"`
}

type replyKeyboard struct {
	Keyboard        [][]keyButton `json:"keyboard"`
	ResizeKeyboard  bool          `json:"resize_keyboard"`
	OneTimeKeyboard bool          `json:"one_time_keyboard"`
}

type removeKeyboard struct {
	RemoveKeyboard bool `json:"remove_keyboard"`
}

// inlineMarkup converts inline buttons, dropping (and logging) any button
// Telegram would reject: no text, callback data over 64 bytes or not UTF-8,
// both or neither of data and URL, a URL that is not http(s) or tg.
// It returns nil when no button is left.
func inlineMarkup(rows [][]bot.Button, log *slog.Logger) *inlineKeyboard {
	var out [][]inlineButton
	for _, row := range rows {
		var r []inlineButton
		for _, b := range row {
			if reason := badButton(b); reason != "" {
				log.Warn("telegram: button dropped", "reason", reason, "data_bytes", len(b.Data))
				continue
			}
			r = append(r, inlineButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &inlineKeyboard{InlineKeyboard: out}
}

func badButton(b bot.Button) string {
	switch {
	case b.Text == "":
		return "empty text"
	case b.Data == "" && b.URL == "":
		return "neither data nor url"
	case b.Data != "" && b.URL != "":
		return "both data and url"
	case len(b.Data) > maxCallbackData:
		return "callback data over 64 bytes"
	case b.Data != "" && !utf8.ValidString(b.Data):
		return "callback data not UTF-8"
	case b.URL != "":
		u, err := url.Parse(b.URL)
		if err != nil || u.Host == "" && u.Scheme != "tg" || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "tg") {
			return "bad url"
		}
	}
	return ""
}

// keyboardMarkup converts a reply keyboard; nil when it has no button.
func keyboardMarkup(rows [][]bot.KeyButton) *replyKeyboard {
	var out [][]keyButton
	for _, row := range rows {
		var r []keyButton
		for _, b := range row {
			if b.Text == "" {
				continue
			}
			r = append(r, keyButton{Text: b.Text, RequestContact: b.RequestContact, RequestLocation: b.RequestLocation && !b.RequestContact})
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &replyKeyboard{Keyboard: out, ResizeKeyboard: true, OneTimeKeyboard: true}
}
