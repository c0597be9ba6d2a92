package telegramtest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// fault makes the next calls of a method fail.
type fault struct {
	method     string // "" for every method except getUpdates
	chat       int64  // when not 0, only calls with this chat_id
	times      int
	status     int
	retryAfter int
	desc       string
	html       bool // answer a proxy's HTML error page
}

func (f *fault) matches(method string, params map[string]string) bool {
	if f.chat != 0 {
		if id, ok := parseChatID(params["chat_id"]); !ok || id != f.chat {
			return false
		}
	}
	if f.method == "" {
		return !strings.EqualFold(method, "getUpdates")
	}
	return strings.EqualFold(f.method, method)
}

// RateLimit makes the next times calls of method ("" for every method but
// getUpdates) fail with 429 "Too Many Requests: retry after N" and
// parameters.retry_after = retryAfter, as Telegram does.
func (s *Server) RateLimit(method string, times, retryAfter int) {
	s.addFault(&fault{method: method, times: times, status: http.StatusTooManyRequests, retryAfter: retryAfter,
		desc: "Too Many Requests: retry after " + strconv.Itoa(retryAfter)})
}

// RateLimitChat makes the next times messages to chatID (sendMessage,
// editMessageText) fail with 429 and retry_after, as Telegram does for one
// chat that gets too much; other chats are served.
func (s *Server) RateLimitChat(chatID int64, times, retryAfter int) {
	for _, m := range []string{"sendMessage", "editMessageText"} {
		s.addFault(&fault{method: m, chat: chatID, times: times, status: http.StatusTooManyRequests, retryAfter: retryAfter,
			desc: "Too Many Requests: retry after " + strconv.Itoa(retryAfter)})
	}
}

// ServerError makes the next times calls of method ("" for every method but
// getUpdates) fail with status (e.g. 500, 502) and Telegram's JSON error.
func (s *Server) ServerError(method string, times, status int) {
	s.addFault(&fault{method: method, times: times, status: status, desc: http.StatusText(status)})
}

// HTMLError makes the next times calls of method ("" for every method but
// getUpdates) fail with status and an HTML page, as a reverse proxy in
// front of the Bot API answers (nginx's "502 Bad Gateway"): not JSON.
func (s *Server) HTMLError(method string, times, status int) {
	s.addFault(&fault{method: method, times: times, status: status, desc: http.StatusText(status), html: true})
}

// Outage is a period during which every call fails the same way.
type Outage struct {
	Status  int  // HTTP status of every answer (500, 502...); 0 ends the outage
	HTML    bool // an HTML error page instead of Telegram's JSON
	Updates bool // getUpdates fails too (otherwise only the other methods)
}

// SetOutage starts (or, with the zero Outage, ends) an outage. Calls it
// refuses are recorded with its status.
func (s *Server) SetOutage(o Outage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outage = o
	s.changedLocked()
}

// outageLocked returns the outage's answer for method, or nil.
func (s *Server) outageLocked(method string) *fault {
	o := s.outage
	if o.Status == 0 || (!o.Updates && strings.EqualFold(method, "getUpdates")) {
		return nil
	}
	return &fault{status: o.Status, desc: http.StatusText(o.Status), html: o.HTML}
}

func (s *Server) addFault(f *fault) {
	if f.times <= 0 || f.status < 400 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// takeFaultLocked consumes and returns the first fault for method and its
// parameters, if any.
func (s *Server) takeFaultLocked(method string, params map[string]string) *fault {
	for i, f := range s.faults {
		if f.matches(method, params) {
			f.times--
			if f.times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// BlockChat makes every message to chatID fail with 403 "Forbidden: bot was
// blocked by the user", as after the user blocked the bot.
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// UnblockChat undoes BlockChat.
func (s *Server) UnblockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// ForgetChat makes every message to chatID fail with 400 "Bad Request: chat
// not found", as for a chat that never talked to the bot.
func (s *Server) ForgetChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unknown[chatID] = true
}

// MigrateChat makes every message to the group oldID fail with 400 "Bad
// Request: group chat was upgraded to a supergroup chat" and
// parameters.migrate_to_chat_id newID, as after the group became a
// supergroup (its id changes).
func (s *Server) MigrateChat(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[oldID] = newID
}

// MuteChat makes every message to the group chatID fail with 400 "Bad
// Request: not enough rights to send text messages to the chat", as when an
// admin took the bot's right to write there.
func (s *Server) MuteChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.muted[chatID] = true
}

// Down is how the fake behaves while Telegram is "down".
type Down int

// Down modes.
const (
	Up        Down = iota // answer normally
	Hang                  // keep every request open until Up, the client gives up, or Close
	CloseConn             // close the connection without answering
)

// SetDown switches the whole API (getUpdates included) to mode.
func (s *Server) SetDown(mode Down) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = mode
	s.changedLocked()
}

// Refuse closes the fake's port: calls fail with "connection refused", as
// when the Bot API (or the proxy in front of it) is not running. Accept
// opens it again on the same address.
func (s *Server) Refuse() {
	s.gate.refuse()
	s.srv.CloseClientConnections()
	s.mu.Lock()
	s.changedLocked()
	s.mu.Unlock()
}

// Accept ends Refuse. Errors: the address could not be listened on again.
func (s *Server) Accept() error {
	if err := s.gate.open(); err != nil {
		return err
	}
	s.mu.Lock()
	s.changedLocked()
	s.mu.Unlock()
	return nil
}

// gateListener is the fake's listener: Refuse closes the real one (the port
// refuses connections) while the server keeps waiting in Accept for the one
// open makes.
type gateListener struct {
	addr net.Addr

	mu     sync.Mutex
	ln     net.Listener  // nil while refusing
	ready  chan struct{} // closed when ln is set again
	closed bool
}

func (g *gateListener) Accept() (net.Conn, error) {
	for {
		g.mu.Lock()
		ln, ready, closed := g.ln, g.ready, g.closed
		g.mu.Unlock()
		switch {
		case closed:
			return nil, net.ErrClosed
		case ln == nil:
			<-ready
			continue
		}
		c, err := ln.Accept()
		if err == nil {
			return c, nil
		}
		g.mu.Lock()
		swapped := g.ln != ln && !g.closed
		g.mu.Unlock()
		if !swapped {
			return nil, err
		}
	}
}

func (g *gateListener) refuse() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ln == nil || g.closed {
		return
	}
	_ = g.ln.Close()
	g.ln, g.ready = nil, make(chan struct{})
}

func (g *gateListener) open() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ln != nil || g.closed {
		return nil
	}
	ln, err := net.Listen("tcp", g.addr.String())
	if err != nil {
		return fmt.Errorf("telegramtest: listen on %s again: %w", g.addr, err)
	}
	g.ln = ln
	close(g.ready)
	return nil
}

func (g *gateListener) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	if g.ln == nil {
		close(g.ready)
		return nil
	}
	return g.ln.Close()
}

func (g *gateListener) Addr() net.Addr { return g.addr }
