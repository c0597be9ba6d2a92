// Package bot is the conversation: a transport-agnostic engine that turns
// events (text, command, button, location, contact) into neutral messages
// (Telegram-HTML text, inline buttons, reply-keyboard requests). Flows live in
// their own files; per-chat state lives in the store; handlers only parse,
// call faq/calc, and render. Transports (bot/telegram, bot/console) and the
// store adapter (bot/sqlite) are subpackages; interfaces are declared here.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// EventKind says what the user did.
type EventKind string

// Event kinds.
const (
	KindText     EventKind = "text"
	KindCommand  EventKind = "command"
	KindButton   EventKind = "button"
	KindLocation EventKind = "location"
	KindContact  EventKind = "contact"
)

// Event is one thing a user did, independent of the transport.
type Event struct {
	UpdateID   int64 // transport id used to drop redeliveries; 0 when the transport has none
	ChatID     int64
	UserID     int64
	Private    bool // a one-to-one chat (location and contact buttons work only there)
	Kind       EventKind
	Text       string // message text; for commands, the text after the command
	Command    string // command without "/" and "@bot", lower case
	Data       string // callback data of the pressed button
	CallbackID string // id to acknowledge a button press
	MessageID  int    // the message that carried the pressed button
	Location   *Location
	Contact    *Contact
	FirstName  string // display name from the transport; personal data, never logged
}

// Location is a point the user shared. It is used for one answer and never stored.
type Location struct {
	Lat, Lon float64
}

// Contact is a phone number the user shared by tapping Telegram's button.
type Contact struct {
	Phone     string
	FirstName string
	LastName  string
	UserID    int64 // the contact's own user id; equal to Event.UserID when it is the user's own number
}

// LogValue keeps phone numbers and names out of logs (slog.LogValuer).
func (c Contact) LogValue() slog.Value { return slog.StringValue("contact(redacted)") }

// LogValue keeps the point out of logs: it is used for one answer only.
func (l Location) LogValue() slog.Value { return slog.StringValue("location(redacted)") }

// LogValue logs only what identifies the event, never its text, name,
// contact or location.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("update_id", e.UpdateID),
		slog.Int64("chat_id", e.ChatID),
		slog.String("kind", string(e.Kind)),
		slog.String("command", e.Command),
	)
}

// Button is an inline button: it sends Data back as a button event, or opens URL.
type Button struct {
	Text string
	Data string
	URL  string
}

// KeyButton is a reply-keyboard button that asks Telegram to share the
// user's contact or location.
type KeyButton struct {
	Text            string
	RequestContact  bool
	RequestLocation bool
}

// Message is one neutral outgoing message.
type Message struct {
	ChatID         int64
	HTML           string     // Telegram HTML subset; every dynamic value already escaped
	Buttons        [][]Button // inline keyboard rows
	Keyboard       [][]KeyButton
	RemoveKeyboard bool // remove a reply keyboard shown earlier
	EditMessageID  int  // when not zero, edit that message instead of sending a new one
	// NumericReply says the step reads a typed number (a household size, a
	// number of years): a transport that presses buttons by number (the
	// console) must send a bare number as text.
	NumericReply bool
}

// Response is everything the engine wants done for one event.
type Response struct {
	Messages     []Message
	CallbackText string // short toast for the button press (may be empty)
	// Queued says the messages are already in the store's outbox
	// (Config.QueueReplies): the transport's sender delivers them, and the
	// transport must not send them again.
	Queued bool
}

// Sender delivers a message outside the request/response cycle (e.g. a lead
// card to an agent's chat from the outbox). It returns the id of the sent
// message. Errors: ErrForbidden when the chat blocked the bot or does not
// exist (do not retry), *RetryAfterError when rate-limited, anything else is
// temporary.
type Sender interface {
	Send(ctx context.Context, m Message) (messageID int, err error)
}

// ErrForbidden means the recipient blocked the bot or the chat is gone.
var ErrForbidden = errors.New("bot: recipient unreachable")

// RetryAfterError asks the caller to wait before sending again (HTTP 429).
type RetryAfterError struct {
	After time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("bot: rate limited, retry after %s", e.After)
}

// Command is one entry of the command menu registered with the transport
// (Telegram's setMyCommands).
type Command struct {
	Name        string // without "/"
	Description string
}

// CmdResume is the command a transport sends when a user comes back (the
// console at start): it asks again the step of a flow in progress, or
// greets like /start when there is none. It is not in the command menu.
const CmdResume = "tieptuc"
