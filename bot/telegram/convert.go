package telegram

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Update kinds that never reach the engine (metrics label values).
const (
	kindEdited      = "edited"
	kindChannelPost = "channel_post"
	kindOtherBot    = "other_bot_command"
	kindNotOwn      = "contact_not_own"
	kindMedia       = "media"
	kindService     = "service"
	kindCallbackBad = "callback_unusable"
	kindOther       = "other"
	kindNil         = "nil"
)

// incoming is an update after conversion: either an event for the engine, or
// the reason it is ignored, plus what the transport must do regardless
// (acknowledge the button press, send a calm reply).
type incoming struct {
	updateID   int64
	kind       string    // metrics and log label: an event kind or one of the kind* constants
	ev         bot.Event // valid when forward is true
	forward    bool      // pass ev to the engine
	chatID     int64     // chat to answer in; 0 when there is none
	callbackID string    // callback query to acknowledge; "" when none
	reply      string    // calm transport reply when not forwarded; "" for none
}

// convert turns a Telegram update into an incoming. botName is the bot's
// username in lower case ("" when unknown); commands addressed to another bot
// ("/start@otherbot") are ignored. It never dereferences a nil field.
func convert(u *models.Update, botName string) incoming {
	if u == nil {
		return incoming{kind: kindNil}
	}
	in := incoming{updateID: u.ID, kind: kindOther}
	switch {
	case u.Message != nil:
		convertMessage(&in, u.Message, botName)
	case u.CallbackQuery != nil:
		convertCallback(&in, u.CallbackQuery)
	case u.EditedMessage != nil:
		in.kind = kindEdited
	case u.ChannelPost != nil, u.EditedChannelPost != nil:
		in.kind = kindChannelPost
	}
	in.ev.UpdateID = u.ID
	return in
}

func convertMessage(in *incoming, m *models.Message, botName string) {
	private := m.Chat.Type == models.ChatTypePrivate
	in.chatID = m.Chat.ID
	if m.Chat.Type == models.ChatTypeChannel {
		in.kind = kindChannelPost
		return
	}
	in.ev = bot.Event{ChatID: m.Chat.ID, Private: private}
	if m.From != nil {
		in.ev.UserID = m.From.ID
		in.ev.FirstName = m.From.FirstName
		if m.From.IsBot {
			in.kind = kindOther
			return
		}
	}
	switch {
	case m.Text != "":
		cmd, rest, target, ok := parseCommand(m.Text)
		switch {
		case ok && target != "" && botName != "" && target != botName:
			in.kind = kindOtherBot
			return
		case ok:
			in.ev.Kind = bot.KindCommand
			in.ev.Command = cmd
			in.ev.Text = rest
		default:
			in.ev.Kind = bot.KindText
			in.ev.Text = m.Text
		}
	case m.Location != nil:
		in.ev.Kind = bot.KindLocation
		in.ev.Location = &bot.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
	case m.Venue != nil:
		in.ev.Kind = bot.KindLocation
		in.ev.Location = &bot.Location{Lat: m.Venue.Location.Latitude, Lon: m.Venue.Location.Longitude}
	case m.Contact != nil:
		c := m.Contact
		if m.From == nil || c.UserID == 0 || c.UserID != m.From.ID || c.PhoneNumber == "" {
			in.kind = kindNotOwn
			if private {
				in.reply = msgNotOwnContact
			}
			return
		}
		in.ev.Kind = bot.KindContact
		in.ev.Contact = &bot.Contact{Phone: c.PhoneNumber, FirstName: c.FirstName, LastName: c.LastName, UserID: c.UserID}
	case hasMedia(m):
		in.kind = kindMedia
		if private {
			in.reply = msgTextOnly
		}
		return
	default:
		in.kind = kindService
		return
	}
	in.kind = string(in.ev.Kind)
	in.forward = true
}

// hasMedia reports whether m carries something a person sent that the bot
// cannot read (as opposed to a service message such as a pinned message).
func hasMedia(m *models.Message) bool {
	return len(m.Photo) > 0 || m.Sticker != nil || m.Voice != nil || m.Video != nil ||
		m.VideoNote != nil || m.Audio != nil || m.Document != nil || m.Animation != nil ||
		m.Poll != nil || m.Dice != nil || m.Caption != ""
}

func convertCallback(in *incoming, q *models.CallbackQuery) {
	in.callbackID = q.ID
	var chat *models.Chat
	msgID := 0
	switch {
	case q.Message.Message != nil:
		chat, msgID = &q.Message.Message.Chat, q.Message.Message.ID
	case q.Message.InaccessibleMessage != nil:
		chat, msgID = &q.Message.InaccessibleMessage.Chat, q.Message.InaccessibleMessage.MessageID
	}
	if chat == nil || chat.ID == 0 || q.Data == "" || q.ID == "" {
		// Inline-mode or game buttons: nothing to answer in, but the
		// press is still acknowledged.
		in.kind = kindCallbackBad
		return
	}
	in.chatID = chat.ID
	in.ev = bot.Event{
		ChatID:     chat.ID,
		UserID:     q.From.ID,
		Private:    chat.Type == models.ChatTypePrivate,
		Kind:       bot.KindButton,
		Data:       q.Data,
		CallbackID: q.ID,
		MessageID:  msgID,
		FirstName:  q.From.FirstName,
	}
	in.kind = string(bot.KindButton)
	in.forward = true
}

// parseCommand splits "/Start@MyBot payload" into ("start", "payload",
// "mybot", true). A command is "/" followed by 1 to 32 letters, digits or
// underscores, then the end of the text, whitespace or "@botname".
func parseCommand(text string) (cmd, rest, target string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, rest, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		rest = head[i+1:] + " " + rest
		head = head[:i]
	}
	name, target, _ := strings.Cut(head, "@")
	if len(name) == 0 || len(name) > 32 {
		return "", "", "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", "", false
		}
	}
	return strings.ToLower(name), strings.TrimSpace(rest), strings.ToLower(target), true
}
