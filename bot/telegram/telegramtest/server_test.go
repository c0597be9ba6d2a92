package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type reply struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// callJSON posts params as JSON, as some clients do.
func callJSON(t *testing.T, s *Server, method string, params any) reply {
	t.Helper()
	body, err := json.Marshal(params)
	require.NoError(t, err)
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/"+method, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var r reply
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	assert.Equal(t, r.OK, resp.StatusCode == http.StatusOK)
	return r
}

// callForm posts params urlencoded.
func callForm(t *testing.T, s *Server, method string, params url.Values) reply {
	t.Helper()
	resp, err := http.PostForm(s.URL+"/bot"+s.Token+"/"+method, params)
	require.NoError(t, err)
	defer resp.Body.Close()
	var r reply
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	return r
}

func TestGetUpdatesOffset(t *testing.T) {
	s := New(t)
	s.PollWait = 50 * time.Millisecond
	a := s.PushMessage(1, "a")
	b := s.PushMessage(1, "b")

	var ups []Update
	r := callJSON(t, s, "getUpdates", map[string]any{"timeout": 0})
	require.True(t, r.OK)
	require.NoError(t, json.Unmarshal(r.Result, &ups))
	assert.Equal(t, []int64{a, b}, []int64{ups[0].UpdateID, ups[1].UpdateID})

	r = callJSON(t, s, "getUpdates", map[string]any{"offset": b, "timeout": 0})
	require.NoError(t, json.Unmarshal(r.Result, &ups))
	require.Len(t, ups, 1, "a confirmed")
	assert.Equal(t, "b", ups[0].Message.Text)

	r = callJSON(t, s, "getUpdates", map[string]any{"offset": b + 1, "timeout": 30})
	require.NoError(t, json.Unmarshal(r.Result, &ups))
	assert.Empty(t, ups, "long poll ends after PollWait with nothing")
	assert.Equal(t, 0, s.Pending())
}

func TestSendMessageRules(t *testing.T) {
	s := New(t)
	long := strings.Repeat("a", 4097)
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"ok", map[string]any{"chat_id": 1, "text": "<b>x</b>", "parse_mode": "HTML"}, ""},
		{"bad html", map[string]any{"chat_id": 1, "text": "<b>x", "parse_mode": "HTML"}, "can't parse entities"},
		{"empty", map[string]any{"chat_id": 1, "text": " "}, "message text is empty"},
		{"only tags", map[string]any{"chat_id": 1, "text": "<b></b>", "parse_mode": "HTML"}, "message text is empty"},
		{"too long", map[string]any{"chat_id": 1, "text": long}, "message is too long"},
		{"no chat", map[string]any{"text": "x"}, "chat_id is empty"},
		{"long callback data", map[string]any{"chat_id": 1, "text": "x", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "b", "callback_data": strings.Repeat("d", 65)}}}}}, "BUTTON_DATA_INVALID"},
		{"text button in inline keyboard", map[string]any{"chat_id": 1, "text": "x", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "b"}}}}}, "Text buttons are unallowed"},
		{"bad button url", map[string]any{"chat_id": 1, "text": "x", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "b", "url": "javascript:x"}}}}}, "BUTTON_URL_INVALID"},
		{"contact button in a group", map[string]any{"chat_id": -5, "text": "x", "reply_markup": map[string]any{
			"keyboard": [][]map[string]any{{{"text": "b", "request_contact": true}}}}}, "only in private chats"},
		{"two markups", map[string]any{"chat_id": 1, "text": "x", "reply_markup": map[string]any{
			"keyboard": [][]map[string]any{{{"text": "b"}}}, "remove_keyboard": true}}, "exactly one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := callJSON(t, s, "sendMessage", tt.params)
			if tt.want == "" {
				require.True(t, r.OK, r.Description)
				return
			}
			assert.False(t, r.OK)
			assert.Equal(t, 400, r.ErrorCode)
			assert.Contains(t, r.Description, tt.want)
		})
	}
	assert.Equal(t, []string{"<b>x</b>"}, s.Sent(1))
	assert.Equal(t, "x", s.Messages(1)[0].Text)
}

func TestFaults(t *testing.T) {
	s := New(t)
	s.RateLimit("sendMessage", 1, 3)
	r := callForm(t, s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
	assert.Equal(t, 429, r.ErrorCode)
	assert.Equal(t, 3, r.Parameters.RetryAfter)
	assert.Equal(t, "Too Many Requests: retry after 3", r.Description)
	assert.True(t, callForm(t, s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}}).OK, "only the next call")

	s.ServerError("", 1, 502)
	assert.Equal(t, 502, callForm(t, s, "getMe", nil).ErrorCode)

	s.BlockChat(2)
	r = callForm(t, s, "sendMessage", url.Values{"chat_id": {"2"}, "text": {"x"}})
	assert.Equal(t, 403, r.ErrorCode)
	assert.Equal(t, "Forbidden: bot was blocked by the user", r.Description)
	s.UnblockChat(2)
	assert.True(t, callForm(t, s, "sendMessage", url.Values{"chat_id": {"2"}, "text": {"x"}}).OK)

	s.ForgetChat(3)
	assert.Equal(t, "Bad Request: chat not found", callForm(t, s, "sendMessage", url.Values{"chat_id": {"3"}, "text": {"x"}}).Description)

	resp, err := http.Post(s.URL+"/botWRONG/getMe", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
}

func TestCallbacksAndEdits(t *testing.T) {
	s := New(t)
	r := callForm(t, s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"},
		"reply_markup": {`{"inline_keyboard":[[{"text":"b","callback_data":"d"}]]}`}})
	require.True(t, r.OK)
	id := s.PushCallback(1, "d", 1)
	q := "cb" + strings.TrimSpace(jsonNumber(id))

	assert.True(t, callForm(t, s, "answerCallbackQuery", url.Values{"callback_query_id": {q}}).OK)
	assert.Contains(t, callForm(t, s, "answerCallbackQuery", url.Values{"callback_query_id": {q}}).Description, "query is too old", "answered twice")
	assert.Contains(t, callForm(t, s, "answerCallbackQuery", url.Values{"callback_query_id": {"nope"}}).Description, "query ID is invalid")

	edit := url.Values{"chat_id": {"1"}, "message_id": {"1"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"b","callback_data":"d"}]]}`}}
	assert.Contains(t, callForm(t, s, "editMessageText", edit).Description, "message is not modified")
	edit.Set("text", "y")
	assert.True(t, callForm(t, s, "editMessageText", edit).OK)
	edit.Set("reply_markup", `{"remove_keyboard":true}`)
	assert.Contains(t, callForm(t, s, "editMessageText", edit).Description, "inline keyboard expected")
	edit.Set("message_id", "9")
	assert.Contains(t, callForm(t, s, "editMessageText", edit).Description, "message to edit not found")
}

func TestWebhookDelivery(t *testing.T) {
	s := New(t)
	got := make(chan Update, 10)
	var secrets []string
	hook := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		var u Update
		_ = json.NewDecoder(r.Body).Decode(&u)
		got <- u
	})}
	target := newLocalServer(t, &hook)
	require.True(t, callForm(t, s, "setWebhook", url.Values{"url": {target}, "secret_token": {"abc"}}).OK)
	assert.Equal(t, 409, callForm(t, s, "getUpdates", nil).ErrorCode, "no polling while a webhook is set")
	assert.Contains(t, callForm(t, s, "setWebhook", url.Values{"url": {target}, "secret_token": {"a b"}}).Description, "unallowed characters")

	id := s.PushMessage(5, "hi")
	u := <-got
	assert.Equal(t, id, u.UpdateID)
	assert.Equal(t, "hi", u.Message.Text)
	require.NoError(t, s.WaitUntil(5*time.Second, func() bool { return len(s.Deliveries()) == 1 && s.Pending() == 0 }))
	assert.Equal(t, []string{"abc"}, secrets)
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }
