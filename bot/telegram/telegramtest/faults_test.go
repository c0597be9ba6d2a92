package telegramtest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, s *Server, method, body string) (int, string, error) {
	t.Helper()
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func TestHTMLErrorIsAProxyPage(t *testing.T) {
	s := New(t)
	s.HTMLError("sendMessage", 1, http.StatusBadGateway)
	code, body, err := post(t, s, "sendMessage", `{"chat_id":1,"text":"a"}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, code)
	assert.Contains(t, body, "<h1>502 Bad Gateway</h1>")
	code, _, err = post(t, s, "sendMessage", `{"chat_id":1,"text":"a"}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, code, "once only")
}

func TestRateLimitChatLeavesOthersAlone(t *testing.T) {
	s := New(t)
	s.RateLimitChat(5, 1, 25)
	r := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 6, "text": "other"})
	assert.True(t, r.OK)
	r = callJSON(t, s, "sendMessage", map[string]any{"chat_id": 5, "text": "limited"})
	assert.False(t, r.OK)
	assert.Equal(t, 429, r.ErrorCode)
	assert.Equal(t, 25, r.Parameters.RetryAfter)
	r = callJSON(t, s, "sendMessage", map[string]any{"chat_id": 5, "text": "again"})
	assert.True(t, r.OK)
}

func TestOutage(t *testing.T) {
	s := New(t)
	s.SetOutage(Outage{Status: 500})
	r := callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "a"})
	assert.Equal(t, 500, r.ErrorCode)
	r = callJSON(t, s, "getUpdates", map[string]any{"timeout": 0})
	assert.True(t, r.OK, "getUpdates works unless Updates is set")
	s.SetOutage(Outage{Status: 502, HTML: true, Updates: true})
	code, body, err := post(t, s, "getUpdates", `{}`)
	require.NoError(t, err)
	assert.Equal(t, 502, code)
	assert.Contains(t, body, "nginx")
	s.SetOutage(Outage{})
	r = callJSON(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "a"})
	assert.True(t, r.OK)
	assert.Equal(t, 500, s.Calls("sendMessage")[0].Status, "refused calls are recorded")
}

func TestRefuseAndAccept(t *testing.T) {
	s := New(t)
	s.Refuse()
	_, _, err := post(t, s, "getMe", `{}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
	require.NoError(t, s.Accept())
	code, _, err := post(t, s, "getMe", `{}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, code)
}
