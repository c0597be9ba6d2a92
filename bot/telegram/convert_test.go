package telegram

import (
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/stretchr/testify/assert"

	"github.com/bhxh-tn/bhxhbot/bot"
)

func private(id int64) models.Chat { return models.Chat{ID: id, Type: models.ChatTypePrivate} }

func TestConvert(t *testing.T) {
	from := &models.User{ID: 7, FirstName: "Lan"}
	msg := func(m models.Message) *models.Message {
		if m.Chat.ID == 0 {
			m.Chat = private(7)
		}
		if m.From == nil {
			m.From = from
		}
		m.Date = 1
		return &m
	}
	tests := []struct {
		name string
		u    *models.Update
		want incoming
	}{
		{"nil update", nil, incoming{kind: kindNil}},
		{"empty update", &models.Update{ID: 1}, incoming{updateID: 1, kind: kindOther, ev: bot.Event{UpdateID: 1}}},
		{"text", &models.Update{ID: 2, Message: msg(models.Message{Text: "dong bhxh bao nhieu"})},
			incoming{updateID: 2, kind: "text", forward: true, chatID: 7, ev: bot.Event{UpdateID: 2, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindText, Text: "dong bhxh bao nhieu", FirstName: "Lan"}}},
		{"command with payload", &models.Update{ID: 3, Message: msg(models.Message{Text: "/start ref_fb"})},
			incoming{updateID: 3, kind: "command", forward: true, chatID: 7, ev: bot.Event{UpdateID: 3, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindCommand, Command: "start", Text: "ref_fb", FirstName: "Lan"}}},
		{"command to this bot", &models.Update{ID: 4, Message: msg(models.Message{Text: "/Help@BHXH_Test_Bot"})},
			incoming{updateID: 4, kind: "command", forward: true, chatID: 7, ev: bot.Event{UpdateID: 4, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindCommand, Command: "help", FirstName: "Lan"}}},
		{"command to another bot", &models.Update{ID: 5, Message: msg(models.Message{Text: "/help@other_bot"})},
			incoming{updateID: 5, kind: kindOtherBot, chatID: 7, ev: bot.Event{UpdateID: 5, ChatID: 7, UserID: 7, Private: true, FirstName: "Lan"}}},
		{"slash text is not a command", &models.Update{ID: 6, Message: msg(models.Message{Text: "/ đóng"})},
			incoming{updateID: 6, kind: "text", forward: true, chatID: 7, ev: bot.Event{UpdateID: 6, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindText, Text: "/ đóng", FirstName: "Lan"}}},
		{"location", &models.Update{ID: 7, Message: msg(models.Message{Location: &models.Location{Latitude: 21.5, Longitude: 105.8}})},
			incoming{updateID: 7, kind: "location", forward: true, chatID: 7, ev: bot.Event{UpdateID: 7, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindLocation, Location: &bot.Location{Lat: 21.5, Lon: 105.8}, FirstName: "Lan"}}},
		{"own contact", &models.Update{ID: 8, Message: msg(models.Message{Contact: &models.Contact{PhoneNumber: "0912345678", FirstName: "Lan", UserID: 7}})},
			incoming{updateID: 8, kind: "contact", forward: true, chatID: 7, ev: bot.Event{UpdateID: 8, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "Lan", UserID: 7}, FirstName: "Lan"}}},
		{"someone else's contact gets a calm reply", &models.Update{ID: 9, Message: msg(models.Message{Contact: &models.Contact{PhoneNumber: "0987654321", UserID: 99}})},
			incoming{updateID: 9, kind: kindNotOwn, chatID: 7, reply: msgNotOwnContact, ev: bot.Event{UpdateID: 9, ChatID: 7, UserID: 7, Private: true, FirstName: "Lan"}}},
		{"contact without user id", &models.Update{ID: 10, Message: msg(models.Message{Contact: &models.Contact{PhoneNumber: "0987654321"}})},
			incoming{updateID: 10, kind: kindNotOwn, chatID: 7, reply: msgNotOwnContact, ev: bot.Event{UpdateID: 10, ChatID: 7, UserID: 7, Private: true, FirstName: "Lan"}}},
		{"photo gets a hint", &models.Update{ID: 11, Message: msg(models.Message{Photo: []models.PhotoSize{{FileID: "x"}}})},
			incoming{updateID: 11, kind: kindMedia, chatID: 7, reply: msgTextOnly, ev: bot.Event{UpdateID: 11, ChatID: 7, UserID: 7, Private: true, FirstName: "Lan"}}},
		{"service message is ignored", &models.Update{ID: 12, Message: msg(models.Message{})},
			incoming{updateID: 12, kind: kindService, chatID: 7, ev: bot.Event{UpdateID: 12, ChatID: 7, UserID: 7, Private: true, FirstName: "Lan"}}},
		{"message without sender", &models.Update{ID: 13, Message: &models.Message{Chat: models.Chat{ID: -5, Type: models.ChatTypeGroup}, Text: "hi"}},
			incoming{updateID: 13, kind: "text", forward: true, chatID: -5, ev: bot.Event{UpdateID: 13, ChatID: -5, Kind: bot.KindText, Text: "hi"}}},
		{"edited message", &models.Update{ID: 14, EditedMessage: msg(models.Message{Text: "x"})}, incoming{updateID: 14, kind: kindEdited, ev: bot.Event{UpdateID: 14}}},
		{"channel post", &models.Update{ID: 15, ChannelPost: &models.Message{Text: "x"}}, incoming{updateID: 15, kind: kindChannelPost, ev: bot.Event{UpdateID: 15}}},
		{"button", &models.Update{ID: 16, CallbackQuery: &models.CallbackQuery{ID: "q1", From: *from, Data: "v1:g:poor",
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: msg(models.Message{ID: 44, Text: "x"})}}},
			incoming{updateID: 16, kind: "button", forward: true, chatID: 7, callbackID: "q1", ev: bot.Event{UpdateID: 16, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindButton, Data: "v1:g:poor", CallbackID: "q1", MessageID: 44, FirstName: "Lan"}}},
		{"button on an old message", &models.Update{ID: 17, CallbackQuery: &models.CallbackQuery{ID: "q2", From: *from, Data: "d",
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage, InaccessibleMessage: &models.InaccessibleMessage{Chat: private(7), MessageID: 3}}}},
			incoming{updateID: 17, kind: "button", forward: true, chatID: 7, callbackID: "q2", ev: bot.Event{UpdateID: 17, ChatID: 7, UserID: 7, Private: true, Kind: bot.KindButton, Data: "d", CallbackID: "q2", MessageID: 3, FirstName: "Lan"}}},
		{"inline-mode button without message is only acknowledged", &models.Update{ID: 18, CallbackQuery: &models.CallbackQuery{ID: "q3", From: *from, Data: "d", InlineMessageID: "im"}},
			incoming{updateID: 18, kind: kindCallbackBad, callbackID: "q3", ev: bot.Event{UpdateID: 18}}},
		{"button without data is only acknowledged", &models.Update{ID: 19, CallbackQuery: &models.CallbackQuery{ID: "q4", From: *from,
			Message: models.MaybeInaccessibleMessage{Message: msg(models.Message{ID: 1})}}},
			incoming{updateID: 19, kind: kindCallbackBad, callbackID: "q4", ev: bot.Event{UpdateID: 19}}},
		{"message from a bot", &models.Update{ID: 20, Message: msg(models.Message{From: &models.User{ID: 8, IsBot: true}, Text: "x"})},
			incoming{updateID: 20, kind: kindOther, chatID: 7, ev: bot.Event{UpdateID: 20, ChatID: 7, UserID: 8, Private: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, convert(tt.u, "bhxh_test_bot"))
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in                string
		cmd, rest, target string
		ok                bool
	}{
		{"/start", "start", "", "", true},
		{"/start abc def", "start", "abc def", "", true},
		{"/START@Bot x", "start", "x", "bot", true},
		{"/start\npayload", "start", "payload", "", true},
		{"/xoa_du_lieu", "xoa_du_lieu", "", "", true},
		{"/", "", "", "", false},
		{"/đ", "", "", "", false},
		{"hello /start", "", "", "", false},
		{"/" + string(make([]byte, 33)), "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cmd, rest, target, ok := parseCommand(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.cmd, cmd)
			assert.Equal(t, tt.rest, rest)
			assert.Equal(t, tt.target, target)
		})
	}
}
