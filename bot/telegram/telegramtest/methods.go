package telegramtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// answer is what a method handler decided.
type answer struct {
	status     int
	result     any
	desc       string
	retryAfter int
	migrateTo  int64 // parameters.migrate_to_chat_id
	html       bool  // a proxy's HTML error page instead of Telegram's JSON
}

func ok(result any) answer { return answer{status: http.StatusOK, result: result} }
func bad(desc string) answer {
	return answer{status: http.StatusBadRequest, desc: desc}
}

// serve routes /bot<token>/<method>.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, _ := strings.Cut(rest, "/")
	if !s.whileDown(w, r, method) {
		return
	}
	if !found || method == "" || strings.Contains(method, "/") {
		writeAnswer(w, answer{status: http.StatusNotFound, desc: "Not Found"})
		return
	}
	if token != s.Token {
		s.record(method, nil, answer{status: http.StatusUnauthorized, desc: "Unauthorized"}, w)
		return
	}
	params, err := readParams(r)
	if err != nil {
		s.record(method, nil, bad("Bad Request: "+err.Error()), w)
		return
	}
	if method == "getUpdates" || strings.EqualFold(method, "getUpdates") {
		s.getUpdates(w, r, params)
		return
	}

	s.mu.Lock()
	var a answer
	if f := s.outageLocked(method); f != nil {
		a = answer{status: f.status, desc: f.desc, html: f.html}
	} else if f := s.takeFaultLocked(method, params); f != nil {
		a = answer{status: f.status, desc: f.desc, retryAfter: f.retryAfter, html: f.html}
	} else {
		a = s.methodLocked(method, params)
	}
	s.mu.Unlock()
	s.record(method, params, a, w)
}

// record stores the call, wakes waiters and writes the answer.
func (s *Server) record(method string, params map[string]string, a answer, w http.ResponseWriter) {
	c := Call{Method: method, Params: params, Status: a.status, At: time.Now()}
	if a.status != http.StatusOK {
		c.Error = a.desc
	}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.counts[strings.ToLower(method)]++
	if c.OK() && strings.EqualFold(method, "sendMessage") {
		s.sentTo[c.ChatID()]++
	}
	s.changedLocked()
	s.mu.Unlock()
	writeAnswer(w, a)
}

func writeAnswer(w http.ResponseWriter, a answer) {
	if a.html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(a.status)
		text := strconv.Itoa(a.status) + " " + http.StatusText(a.status)
		_, _ = w.Write([]byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
			"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
		return
	}
	resp := response{OK: a.status == http.StatusOK}
	if resp.OK {
		raw, err := json.Marshal(a.result)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		resp.Result = raw
	} else {
		resp.ErrorCode = a.status
		resp.Description = a.desc
		if a.retryAfter > 0 || a.migrateTo != 0 {
			resp.Parameters = &responseParameters{RetryAfter: a.retryAfter, MigrateToChatID: a.migrateTo}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(resp)
}

// methodLocked runs one method. s.mu is held.
func (s *Server) methodLocked(method string, p map[string]string) answer {
	switch strings.ToLower(method) {
	case "getme":
		return ok(User{ID: BotID, IsBot: true, FirstName: "BHXH test", Username: BotUsername})
	case "setmycommands":
		return s.setMyCommands(p)
	case "setwebhook":
		return s.setWebhook(p)
	case "deletewebhook":
		s.hook = webhook{}
		if p["drop_pending_updates"] == "true" {
			s.queue = nil
		}
		return ok(true)
	case "getwebhookinfo":
		return ok(map[string]any{"url": s.hook.URL, "has_custom_certificate": false, "pending_update_count": len(s.queue)})
	case "sendmessage":
		return s.sendMessage(p)
	case "editmessagetext":
		return s.editMessageText(p)
	case "answercallbackquery":
		return s.answerCallbackQuery(p)
	case "sendchataction":
		if _, ok := parseChatID(p["chat_id"]); !ok {
			return bad("Bad Request: chat_id is empty")
		}
		return ok(true)
	}
	return answer{status: http.StatusNotFound, desc: "Not Found"}
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(p map[string]string) answer {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return bad("Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return bad("Bad Request: too many commands")
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			return bad("Bad Request: BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return bad("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.commands = cmds
	return ok(true)
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(p map[string]string) answer {
	u := p["url"]
	if u == "" {
		s.hook = webhook{}
		return ok(true)
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return bad("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	}
	if sec, set := p["secret_token"]; set && !secretRE.MatchString(sec) {
		return bad("Bad Request: secret token contains unallowed characters")
	}
	s.hook = webhook{URL: u, Secret: p["secret_token"], AllowedUpdates: p["allowed_updates"], MaxConnections: p["max_connections"]}
	s.changedLocked()
	return ok(true)
}

// checkChat applies BlockChat and ForgetChat.
func (s *Server) checkChat(p map[string]string) (int64, *answer) {
	raw := p["chat_id"]
	if raw == "" {
		a := bad("Bad Request: chat_id is empty")
		return 0, &a
	}
	id, valid := parseChatID(raw)
	if !valid || s.unknown[id] {
		a := bad("Bad Request: chat not found")
		return 0, &a
	}
	if to, ok := s.migrated[id]; ok {
		a := answer{status: http.StatusBadRequest, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
		return 0, &a
	}
	if s.muted[id] {
		a := bad("Bad Request: not enough rights to send text messages to the chat")
		return 0, &a
	}
	if s.blocked[id] {
		a := answer{status: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
		return 0, &a
	}
	return id, nil
}

// checkText parses text with parse_mode and applies the size rules. It
// returns the plain text or Telegram's error description.
func checkText(text, parseMode string) (string, string) {
	plain := text
	switch parseMode {
	case "":
	case "HTML":
		var err error
		plain, err = CheckHTML(text)
		if err != nil {
			return "", "Bad Request: can't parse entities: " + err.Error()
		}
	case "MarkdownV2", "Markdown":
		// Not checked by the fake; the bot sends HTML.
	default:
		return "", "Bad Request: unsupported parse_mode"
	}
	if strings.TrimSpace(plain) == "" {
		return "", "Bad Request: message text is empty"
	}
	if len(utf16.Encode([]rune(plain))) > 4096 {
		return "", "Bad Request: message is too long"
	}
	return plain, ""
}

func (s *Server) sendMessage(p map[string]string) answer {
	chatID, fail := s.checkChat(p)
	if fail != nil {
		return *fail
	}
	plain, desc := checkText(p["text"], p["parse_mode"])
	if desc != "" {
		return bad(desc)
	}
	markup, desc := checkMarkup(p["reply_markup"], chatID, false)
	if desc != "" {
		return bad(desc)
	}
	if raw := p["link_preview_options"]; raw != "" && !json.Valid([]byte(raw)) {
		return bad("Bad Request: can't parse link preview options JSON object")
	}
	s.nextMsg[chatID]++
	m := &Message{
		MessageID: s.nextMsg[chatID],
		From:      &User{ID: BotID, IsBot: true, FirstName: "BHXH test", Username: BotUsername},
		Date:      s.clock().Unix(),
		Chat:      chatOf(chatID),
		Text:      plain,
		HTML:      p["text"],
	}
	if markup != nil && markup.InlineKeyboard != nil {
		m.ReplyMarkup = &ReplyMarkup{InlineKeyboard: markup.InlineKeyboard}
	}
	s.msgs[chatID] = append(s.msgs[chatID], m)
	return ok(m)
}

func (s *Server) editMessageText(p map[string]string) answer {
	if p["inline_message_id"] != "" {
		return bad("Bad Request: the fake does not support inline messages")
	}
	chatID, fail := s.checkChat(p)
	if fail != nil {
		return *fail
	}
	msgID, err := strconv.Atoi(p["message_id"])
	if err != nil || msgID <= 0 {
		return bad("Bad Request: message_id is invalid")
	}
	var m *Message
	for _, x := range s.msgs[chatID] {
		if x.MessageID == msgID {
			m = x
		}
	}
	if m == nil {
		return bad("Bad Request: message to edit not found")
	}
	plain, desc := checkText(p["text"], p["parse_mode"])
	if desc != "" {
		return bad(desc)
	}
	markup, desc := checkMarkup(p["reply_markup"], chatID, true)
	if desc != "" {
		return bad(desc)
	}
	var newMarkup *ReplyMarkup
	if markup != nil && len(markup.InlineKeyboard) > 0 {
		newMarkup = &ReplyMarkup{InlineKeyboard: markup.InlineKeyboard}
	}
	if m.HTML == p["text"] && sameMarkup(m.ReplyMarkup, newMarkup) {
		return bad("Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.Text, m.HTML, m.ReplyMarkup, m.EditDate = plain, p["text"], newMarkup, s.clock().Unix()
	return ok(m)
}

func sameMarkup(a, b *ReplyMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func (s *Server) answerCallbackQuery(p map[string]string) answer {
	id := p["callback_query_id"]
	answered, known := s.callbacks[id]
	if id == "" || !known || answered {
		return bad("Bad Request: query is too old and response timeout expired or query ID is invalid")
	}
	if len([]rune(p["text"])) > 200 {
		return bad("Bad Request: MESSAGE_TOO_LONG")
	}
	s.callbacks[id] = true
	return ok(true)
}

func chatOf(id int64) Chat {
	if id > 0 {
		return Chat{ID: id, Type: "private", FirstName: "Test"}
	}
	return Chat{ID: id, Type: "supergroup", Title: "Test group"}
}
