// Package telegramtest is a fake Telegram Bot API server for tests: an
// httptest.Server that speaks Telegram's real JSON for the methods the bot
// uses, records every call with its parameters, checks Telegram's rules the
// way Telegram does (HTML parse mode, text and callback_data sizes, keyboard
// shapes, callback query ids) and can be told to fail (429 with retry_after,
// 5xx, a chat that blocked the bot, a chat that does not exist, Telegram
// hanging or closing connections).
//
// Typical use, long polling:
//
//	fake := telegramtest.New(t)
//	a, _ := telegram.New(telegram.Config{Token: fake.Token, APIURL: fake.URL}, engine)
//	go a.Run(ctx)
//	fake.PushMessage(42, "/start")
//	texts, err := fake.WaitSent(42, 1, 5*time.Second)
//
// In webhook mode (after the bot called setWebhook) pushed updates are POSTed
// to the registered URL with the registered secret, one at a time and in
// order, like Telegram does; otherwise they wait for getUpdates, which
// honours offset (updates below it are confirmed and forgotten), limit and
// timeout (a long poll returns as soon as an update is queued, or after at
// most PollWait); a getUpdates arriving while another one waits ends that
// one with 409 Conflict, as Telegram does when two processes poll one bot.
//
// Methods: getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo,
// setMyCommands, sendMessage, editMessageText, answerCallbackQuery,
// sendChatAction. Parameters may come as a query string, urlencoded or
// multipart form, or JSON, as with Telegram. Anything else is 404.
//
// Waiting never sleeps: WaitForCalls, WaitSent and WaitUntil block on a
// channel that is signalled on every call and state change.
package telegramtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults of a new server.
const (
	DefaultToken       = "123456789:AAH-test_token_for_the_fake_api_00"
	BotID        int64 = 123456789
	BotUsername        = "bhxh_test_bot"
	// DefaultPollWait is the longest a getUpdates long poll waits for an
	// update before answering with an empty list.
	DefaultPollWait = 2 * time.Second
)

// Server is the fake Bot API. Its methods are safe for concurrent use.
type Server struct {
	URL   string // base URL: use it as the bot's API URL
	Token string // the token the fake accepts

	// PollWait caps the long-poll wait of getUpdates; set it before use.
	PollWait time.Duration

	srv    *httptest.Server
	closed chan struct{}
	wg     sync.WaitGroup // webhook deliverer

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	calls      []Call
	counts     map[string]int // calls by lower-case method
	sentTo     map[int64]int  // accepted sendMessage calls by chat
	queue      []Update       // not yet confirmed (polling) or delivered (webhook)
	nextUpdate int64
	nextMsg    map[int64]int
	msgs       map[int64][]*Message
	callbacks  map[string]bool // callback query id -> answered
	commands   []BotCommand
	hook       webhook
	deliveries []Delivery
	faults     []*fault
	blocked    map[int64]bool
	unknown    map[int64]bool
	migrated   map[int64]int64 // old group id -> supergroup id
	muted      map[int64]bool  // groups where the bot may not send
	down       Down
	outage     Outage
	gate       *gateListener // lets Refuse close the port and Accept open it again
	clock      func() time.Time
	pollSeq    int64 // getUpdates calls so far
	polling    int64 // the getUpdates call waiting (0: none)
	cutPoll    int64 // a waiting getUpdates that a newer one ended (answered 409)
}

type webhook struct {
	URL, Secret    string
	AllowedUpdates string
	MaxConnections string
}

// New starts a fake Bot API server; it is closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := NewServer(DefaultToken)
	tb.Cleanup(s.Close)
	return s
}

// NewServer starts a fake accepting token. Close it when done.
func NewServer(token string) *Server {
	s := &Server{
		Token:      token,
		PollWait:   DefaultPollWait,
		closed:     make(chan struct{}),
		changed:    make(chan struct{}),
		nextUpdate: 1000,
		nextMsg:    map[int64]int{},
		counts:     map[string]int{},
		sentTo:     map[int64]int{},
		msgs:       map[int64][]*Message{},
		callbacks:  map[string]bool{},
		blocked:    map[int64]bool{},
		unknown:    map[int64]bool{},
		migrated:   map[int64]int64{},
		muted:      map[int64]bool{},
		clock:      time.Now,
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.gate = &gateListener{ln: s.srv.Listener, addr: s.srv.Listener.Addr()}
	s.srv.Listener = s.gate
	s.srv.Start()
	s.URL = s.srv.URL
	s.wg.Add(1)
	go s.deliverWebhooks()
	return s
}

// Close stops the server, unblocking long polls and hanging calls.
func (s *Server) Close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wg.Wait()
}

// Call is one request the fake received.
type Call struct {
	Method string            // as in the URL, e.g. "sendMessage"
	Params map[string]string // every parameter; objects (reply_markup...) as their JSON text
	Status int               // HTTP status the fake answered
	Error  string            // Telegram's description when rejected, "" when accepted
	At     time.Time         // when the fake answered (wall clock)
}

// OK reports whether the fake accepted the call.
func (c Call) OK() bool { return c.Status == http.StatusOK }

// ChatID is the chat_id parameter as a number (0 when absent or not a number).
func (c Call) ChatID() int64 { id, _ := parseChatID(c.Params["chat_id"]); return id }

// Text is the text parameter.
func (c Call) Text() string { return c.Params["text"] }

// Markup decodes the reply_markup parameter (nil when absent).
func (c Call) Markup() (*ReplyMarkup, error) {
	raw := c.Params["reply_markup"]
	if raw == "" {
		return nil, nil
	}
	return decodeMarkup(raw)
}

// Calls returns the calls of method ("" for all), in arrival order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitUntil blocks until cond returns true or timeout passes. cond is
// evaluated after every call and state change; it may call the server's
// methods. Errors: a timeout error.
func (s *Server) WaitUntil(timeout time.Duration, cond func() bool) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-t.C:
			return fmt.Errorf("telegramtest: condition not met within %s", timeout)
		case <-s.closed:
			return errors.New("telegramtest: server closed")
		}
	}
}

// WaitForCalls waits until at least n calls of method ("" for any) arrived
// and returns all calls of that method. Errors: a timeout error (with the
// calls so far).
func (s *Server) WaitForCalls(method string, n int, timeout time.Duration) ([]Call, error) {
	err := s.WaitUntil(timeout, func() bool { return s.CallCount(method) >= n })
	calls := s.Calls(method)
	if err != nil {
		return calls, fmt.Errorf("telegramtest: %d %s calls, want %d: %w", len(calls), method, n, err)
	}
	return calls, nil
}

// CallCount returns how many calls of method ("" for all) arrived; it is
// cheap enough to poll in a WaitUntil condition under load.
func (s *Server) CallCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		return len(s.calls)
	}
	return s.counts[strings.ToLower(method)]
}

// SentCount returns how many sendMessage calls to chatID were accepted; it
// is cheap enough to poll in a WaitUntil condition under load.
func (s *Server) SentCount(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentTo[chatID]
}

// Sent returns the texts (as sent, HTML) of the accepted sendMessage calls
// to chatID, in order.
func (s *Server) Sent(chatID int64) []string {
	var out []string
	for _, c := range s.Calls("sendMessage") {
		if c.OK() && c.ChatID() == chatID {
			out = append(out, c.Text())
		}
	}
	return out
}

// WaitSent waits until at least n messages were accepted for chatID and
// returns their texts. Errors: a timeout error (with the texts so far).
func (s *Server) WaitSent(chatID int64, n int, timeout time.Duration) ([]string, error) {
	var texts []string
	err := s.WaitUntil(timeout, func() bool {
		texts = s.Sent(chatID)
		return len(texts) >= n
	})
	if err != nil {
		return texts, fmt.Errorf("telegramtest: %d messages to chat %d, want %d: %w", len(texts), chatID, n, err)
	}
	return texts, nil
}

// Messages returns the bot's messages in chatID as they are now (edits
// applied), oldest first.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, 0, len(s.msgs[chatID]))
	for _, m := range s.msgs[chatID] {
		out = append(out, *m)
	}
	return out
}

// Commands returns the command menu registered with setMyCommands.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand(nil), s.commands...)
}

// Webhook returns the registered webhook URL and secret ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.URL, s.hook.Secret
}

// Pending returns how many pushed updates are not yet confirmed (polling)
// or delivered with a 2xx answer (webhook).
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Reset forgets recorded calls and webhook deliveries (state such as
// messages, queued updates, faults and the webhook stays).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.counts = map[string]int{}
	s.sentTo = map[int64]int{}
	s.deliveries = nil
	s.changedLocked()
}

// changedLocked wakes every waiter. s.mu must be held.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitChange blocks until the next change, ctx done or the server closes.
// It reports false when the caller should give up.
func (s *Server) waitChange(ctx context.Context, ch <-chan struct{}, timer <-chan time.Time) bool {
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	case <-timer:
		return false
	case <-s.closed:
		return false
	}
}
