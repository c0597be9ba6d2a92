package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PushUpdate queues u for the bot (getUpdates, or the webhook when one is
// set) and returns its update_id. A zero UpdateID gets the next free id; a
// callback query's id is remembered so answerCallbackQuery accepts it.
func (s *Server) PushUpdate(u Update) int64 {
	return s.PushUpdates(u)[0]
}

// PushUpdates queues several updates at once, so one getUpdates call returns
// them together (use it to deliver the same update_id twice in one batch).
func (s *Server) PushUpdates(us ...Update) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, len(us))
	for i, u := range us {
		if u.UpdateID == 0 {
			s.nextUpdate++
			u.UpdateID = s.nextUpdate
		} else if u.UpdateID > s.nextUpdate {
			s.nextUpdate = u.UpdateID
		}
		if q := u.CallbackQuery; q != nil && q.ID != "" {
			if _, seen := s.callbacks[q.ID]; !seen {
				s.callbacks[q.ID] = false
			}
		}
		s.queue = append(s.queue, u)
		ids[i] = u.UpdateID
	}
	s.changedLocked()
	return ids
}

// User returns the fake user of a private chat (its id equals the chat id).
func (s *Server) User(chatID int64) User {
	return User{ID: chatID, FirstName: "Lan", LastName: "Nguyen", LanguageCode: "vi"}
}

// IncomingMessage builds a user's message in the private chat chatID.
// Text starting with "/" gets a bot_command entity, as Telegram adds.
func (s *Server) IncomingMessage(chatID int64, text string) *Message {
	u := s.User(chatID)
	m := &Message{
		MessageID: int(time.Now().UnixNano() % 1e9),
		From:      &u,
		Date:      s.clock().Unix(),
		Chat:      Chat{ID: chatID, Type: "private", FirstName: u.FirstName},
		Text:      text,
	}
	if strings.HasPrefix(text, "/") {
		n := strings.IndexAny(text, " \n")
		if n < 0 {
			n = len(text)
		}
		m.Entities = []MessageEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(text[:n])}}
	}
	return m
}

// PushMessage queues a text message from the user of private chat chatID.
func (s *Server) PushMessage(chatID int64, text string) int64 {
	return s.PushUpdate(Update{Message: s.IncomingMessage(chatID, text)})
}

// IncomingCallback builds a press of the button with data on the bot's
// message msgID in the private chat chatID, as PushCallback queues it, with
// the next free update_id; its callback query id is known to
// answerCallbackQuery. It is not queued: see Prepare.
func (s *Server) IncomingCallback(chatID int64, data string, msgID int) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	id := s.nextUpdate
	msg := &Message{MessageID: msgID, Date: s.clock().Unix(), Chat: chatOf(chatID),
		From: &User{ID: BotID, IsBot: true, FirstName: "BHXH test", Username: BotUsername}}
	for _, m := range s.msgs[chatID] {
		if m.MessageID == msgID {
			c := *m
			msg = &c
		}
	}
	q := &CallbackQuery{
		ID:           "cb" + strconv.FormatInt(id, 10),
		From:         s.User(chatID),
		Message:      msg,
		ChatInstance: "ci" + strconv.FormatInt(chatID, 10),
		Data:         data,
	}
	s.callbacks[q.ID] = false
	return Update{UpdateID: id, CallbackQuery: q}
}

// PushCallback queues a press on a button with data under the bot's message
// msgID in chatID. The callback query id is "cb<update_id>". When msgID is
// a message the bot sent, the query carries it as Telegram does.
func (s *Server) PushCallback(chatID int64, data string, msgID int) int64 {
	return s.PushUpdate(s.IncomingCallback(chatID, data, msgID))
}

// Prepare gives u the next free update_id (unless it has one) and makes its
// callback query known to answerCallbackQuery, without queueing it: for
// tests that deliver updates to the bot themselves, as Telegram does with
// several webhook connections at once (the fake's own webhook delivery posts
// one update at a time).
func (s *Server) Prepare(u Update) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UpdateID == 0 {
		s.nextUpdate++
		u.UpdateID = s.nextUpdate
	} else if u.UpdateID > s.nextUpdate {
		s.nextUpdate = u.UpdateID
	}
	if q := u.CallbackQuery; q != nil && q.ID != "" {
		if _, seen := s.callbacks[q.ID]; !seen {
			s.callbacks[q.ID] = false
		}
	}
	return u
}

// PushLocation queues a location shared by the user of chatID.
func (s *Server) PushLocation(chatID int64, lat, lon float64) int64 {
	m := s.IncomingMessage(chatID, "")
	m.Location = &Location{Latitude: lat, Longitude: lon}
	return s.PushUpdate(Update{Message: m})
}

// PushContact queues a contact shared by the user of chatID. With
// userID == chatID it is the user's own number (Telegram's share button);
// another userID is someone else's contact card.
func (s *Server) PushContact(chatID int64, phone string, userID int64) int64 {
	m := s.IncomingMessage(chatID, "")
	m.Contact = &Contact{PhoneNumber: phone, FirstName: "Lan", LastName: "Nguyen", UserID: userID}
	return s.PushUpdate(Update{Message: m})
}

// getUpdates answers a long poll: updates with id >= offset (those below
// are confirmed and dropped), at most limit, waiting up to min(timeout,
// PollWait) for one to arrive.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]string) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, err := strconv.Atoi(p["limit"])
	if err != nil || limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	wait := time.Duration(timeout) * time.Second
	if wait > s.PollWait {
		wait = s.PollWait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()

	// Telegram lets one getUpdates wait at a time: a new one ends the one
	// waiting with 409, as when two processes poll the same bot.
	s.mu.Lock()
	s.pollSeq++
	me := s.pollSeq
	if s.polling != 0 {
		s.cutPoll = s.polling
		s.changedLocked()
	}
	s.polling = me
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.polling == me {
			s.polling = 0
		}
		s.mu.Unlock()
	}()

	for {
		s.mu.Lock()
		if s.cutPoll == me {
			s.cutPoll = 0
			s.mu.Unlock()
			s.record("getUpdates", p, answer{status: http.StatusConflict,
				desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}, w)
			return
		}
		if f := s.outageLocked("getUpdates"); f != nil {
			s.mu.Unlock()
			s.record("getUpdates", p, answer{status: f.status, desc: f.desc, html: f.html}, w)
			return
		}
		if f := s.takeFaultLocked("getUpdates", p); f != nil && strings.EqualFold(f.method, "getUpdates") {
			s.mu.Unlock()
			s.record("getUpdates", p, answer{status: f.status, desc: f.desc, retryAfter: f.retryAfter, html: f.html}, w)
			return
		}
		if s.hook.URL != "" {
			s.mu.Unlock()
			s.record("getUpdates", p, answer{status: http.StatusConflict,
				desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}, w)
			return
		}
		if offset > 0 {
			kept := s.queue[:0]
			for _, u := range s.queue {
				if u.UpdateID >= offset {
					kept = append(kept, u)
				}
			}
			s.queue = kept
		}
		if len(s.queue) > 0 || wait <= 0 {
			n := min(limit, len(s.queue))
			out := append([]Update{}, s.queue[:n]...)
			s.mu.Unlock()
			s.record("getUpdates", p, ok(out), w)
			return
		}
		ch := s.changed
		s.mu.Unlock()
		if !s.waitChange(r.Context(), ch, timer.C) {
			s.record("getUpdates", p, ok([]Update{}), w)
			return
		}
	}
}

// whileDown applies SetDown. It reports whether the request may proceed.
// A call refused this way is recorded with Status 0 and an Error saying so.
func (s *Server) whileDown(w http.ResponseWriter, r *http.Request, method string) bool {
	for {
		s.mu.Lock()
		mode, ch := s.down, s.changed
		s.mu.Unlock()
		switch mode {
		case Up:
			return true
		case CloseConn:
			s.mu.Lock()
			s.calls = append(s.calls, Call{Method: method, Error: "connection closed: Telegram is down"})
			s.counts[strings.ToLower(method)]++
			s.changedLocked()
			s.mu.Unlock()
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return false
				}
			}
			http.Error(w, "down", http.StatusBadGateway)
			return false
		case Hang:
			if !s.waitChange(r.Context(), ch, nil) {
				return false
			}
		}
	}
}

// Delivery is one webhook POST the fake made.
type Delivery struct {
	UpdateID int64
	Status   int    // HTTP status the bot answered; 0 when the request failed
	Err      string // transport error, if any
}

// Deliveries returns the webhook POSTs made so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// deliverWebhooks posts queued updates to the webhook, one at a time and in
// order; an update leaves the queue when the bot answers 2xx. After a
// failure it waits for the next change or a short backoff, like Telegram's
// retries.
func (s *Server) deliverWebhooks() {
	defer s.wg.Done()
	client := &http.Client{Timeout: 30 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-s.closed; cancel() }()
	backoff := 10 * time.Millisecond
	for {
		s.mu.Lock()
		hook, ch := s.hook, s.changed
		var u *Update
		if hook.URL != "" && len(s.queue) > 0 {
			c := s.queue[0]
			u = &c
		}
		s.mu.Unlock()
		if u == nil {
			if !s.waitChange(ctx, ch, nil) {
				return
			}
			continue
		}
		d := s.post(ctx, client, hook, u)
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		if d.Status >= 200 && d.Status < 300 && len(s.queue) > 0 && s.queue[0].UpdateID == u.UpdateID {
			s.queue = s.queue[1:]
		}
		s.changedLocked()
		s.mu.Unlock()
		if d.Status >= 200 && d.Status < 300 {
			backoff = 10 * time.Millisecond
			continue
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		backoff = min(backoff*2, time.Second)
	}
}

func (s *Server) post(ctx context.Context, client *http.Client, hook webhook, u *Update) Delivery {
	body, _ := json.Marshal(u)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return Delivery{UpdateID: u.UpdateID, Err: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.Secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.Secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Delivery{UpdateID: u.UpdateID, Err: err.Error()}
	}
	resp.Body.Close()
	return Delivery{UpdateID: u.UpdateID, Status: resp.StatusCode}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
