package telegramtest

import "encoding/json"

// The Bot API objects the fake speaks, with Telegram's JSON field names. They
// are the fake's own types (not the client library's), so a mistake in the
// client's JSON shows up in tests instead of being mirrored.

// Update is https://core.telegram.org/bots/api#update (the fields used).
type Update struct {
	UpdateID          int64          `json:"update_id"`
	Message           *Message       `json:"message,omitempty"`
	EditedMessage     *Message       `json:"edited_message,omitempty"`
	ChannelPost       *Message       `json:"channel_post,omitempty"`
	EditedChannelPost *Message       `json:"edited_channel_post,omitempty"`
	CallbackQuery     *CallbackQuery `json:"callback_query,omitempty"`
	MyChatMember      *struct {
		Chat Chat  `json:"chat"`
		From User  `json:"from"`
		Date int64 `json:"date"`
	} `json:"my_chat_member,omitempty"`
}

// Message is https://core.telegram.org/bots/api#message (the fields used).
// For messages the bot sent, Text is the text after entity parsing (tags
// removed, entities decoded) and HTML the text as the bot sent it.
type Message struct {
	MessageID   int             `json:"message_id"`
	From        *User           `json:"from,omitempty"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Chat        Chat            `json:"chat"`
	Text        string          `json:"text,omitempty"`
	Entities    []MessageEntity `json:"entities,omitempty"`
	Location    *Location       `json:"location,omitempty"`
	Contact     *Contact        `json:"contact,omitempty"`
	Photo       []PhotoSize     `json:"photo,omitempty"`
	Caption     string          `json:"caption,omitempty"`
	ReplyMarkup *ReplyMarkup    `json:"reply_markup,omitempty"`

	HTML string `json:"-"` // fake only: the text as sent, before parsing
}

// Chat is https://core.telegram.org/bots/api#chat.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // private, group, supergroup, channel
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

// User is https://core.telegram.org/bots/api#user.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// CallbackQuery is https://core.telegram.org/bots/api#callbackquery.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// MessageEntity is https://core.telegram.org/bots/api#messageentity.
type MessageEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// Location is https://core.telegram.org/bots/api#location.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Contact is https://core.telegram.org/bots/api#contact.
type Contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name,omitempty"`
	UserID      int64  `json:"user_id,omitempty"`
}

// PhotoSize is https://core.telegram.org/bots/api#photosize.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// ReplyMarkup is the union of InlineKeyboardMarkup, ReplyKeyboardMarkup and
// ReplyKeyboardRemove as a reply_markup parameter carries them.
type ReplyMarkup struct {
	InlineKeyboard  [][]InlineButton `json:"inline_keyboard,omitempty"`
	Keyboard        [][]KeyButton    `json:"keyboard,omitempty"`
	ResizeKeyboard  bool             `json:"resize_keyboard,omitempty"`
	OneTimeKeyboard bool             `json:"one_time_keyboard,omitempty"`
	IsPersistent    bool             `json:"is_persistent,omitempty"`
	RemoveKeyboard  bool             `json:"remove_keyboard,omitempty"`
	ForceReply      bool             `json:"force_reply,omitempty"`
}

// InlineButton is https://core.telegram.org/bots/api#inlinekeyboardbutton
// (the kinds the fake understands; others are rejected).
type InlineButton struct {
	Text         string          `json:"text"`
	CallbackData string          `json:"callback_data,omitempty"`
	URL          string          `json:"url,omitempty"`
	CopyText     *CopyTextButton `json:"copy_text,omitempty"`
}

// CopyTextButton is https://core.telegram.org/bots/api#copytextbutton.
type CopyTextButton struct {
	Text string `json:"text"`
}

// KeyButton is https://core.telegram.org/bots/api#keyboardbutton (text,
// contact and location requests).
type KeyButton struct {
	Text            string `json:"text"`
	RequestContact  bool   `json:"request_contact,omitempty"`
	RequestLocation bool   `json:"request_location,omitempty"`
}

// BotCommand is https://core.telegram.org/bots/api#botcommand.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// response is the envelope of every Bot API answer.
type response struct {
	OK          bool                `json:"ok"`
	Result      json.RawMessage     `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

// responseParameters is https://core.telegram.org/bots/api#responseparameters.
type responseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}
