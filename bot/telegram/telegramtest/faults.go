package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
)

// fault makes the next calls of a method fail.
type fault struct {
	method     string // "" for every method except getUpdates
	times      int
	status     int
	retryAfter int
	desc       string
}

func (f *fault) matches(method string) bool {
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

// ServerError makes the next times calls of method ("" for every method but
// getUpdates) fail with status (e.g. 500, 502) and Telegram's JSON error.
func (s *Server) ServerError(method string, times, status int) {
	s.addFault(&fault{method: method, times: times, status: status, desc: http.StatusText(status)})
}

func (s *Server) addFault(f *fault) {
	if f.times <= 0 || f.status < 400 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// takeFault consumes and returns the first fault for method, if any.
func (s *Server) takeFaultLocked(method string) *fault {
	for i, f := range s.faults {
		if f.matches(method) {
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
