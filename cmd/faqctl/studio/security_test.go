package studio

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckListen(t *testing.T) {
	for _, tc := range []struct {
		addr, password string
		ok             bool
	}{
		{"127.0.0.1:8090", "", true},
		{"localhost:8090", "", true},
		{"[::1]:8090", "", true},
		{"127.0.0.2:0", "", true},
		{":8090", "", false},
		{"0.0.0.0:8090", "", false},
		{"[::]:8090", "", false},
		{"192.168.1.20:8090", "", false},
		{"studio.example.vn:8090", "", false},
		{"0.0.0.0:8090", "đủ-dài-rồi-nhé", true},
		{"0.0.0.0:8090", "ngắn", false},
		{"127.0.0.1", "", false},
	} {
		err := CheckListen(tc.addr, tc.password)
		if tc.ok {
			assert.NoError(t, err, tc.addr)
			continue
		}
		require.Error(t, err, tc.addr)
		assert.NotContains(t, err.Error(), "\n", "one line for staff")
	}
	err := CheckListen(":8090", "")
	assert.Contains(t, err.Error(), "BHXHBOT_STUDIO_PASSWORD")
	assert.Contains(t, err.Error(), "127.0.0.1:8090")
}

func TestLoginRequiredWithPassword(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Password: "một mật khẩu dài"})
	c := newClient(t, ts.URL)

	for _, p := range []string{"/", "/thu?q=x", "/hop-thu", "/noi-dung", "/dai-ly", "/ket-qua?id=x", "/hop-thu/nhom?k=x"} {
		resp, _ := c.get(p)
		require.Equal(t, http.StatusSeeOther, resp.StatusCode, p)
		assert.Equal(t, "/dang-nhap?next="+url.QueryEscape(p), resp.Header.Get("Location"), p)
	}
	resp, body := c.get("/dang-nhap?next=%2Fnoi-dung")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `name="next" value="/noi-dung"`)

	// Forms need a session, even with a token of another session.
	resp, _ = c.post("/gan", url.Values{"q": {"x"}, "id": {"hotline"}, "csrf": {"x"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)

	resp, body = c.post("/dang-nhap", url.Values{"password": {"sai"}, "next": {"/noi-dung"}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, body, "Mật khẩu không đúng")

	resp, _ = c.post("/dang-nhap", url.Values{"password": {"một mật khẩu dài"}, "next": {"/noi-dung"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/noi-dung", resp.Header.Get("Location"))
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie && ck.Value != "" {
			cookie = ck
		}
	}
	require.NotNil(t, cookie)
	assert.True(t, cookie.HttpOnly, "HttpOnly")
	assert.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
	assert.False(t, cookie.Secure, "plain HTTP on loopback: a Secure cookie would not come back")
	assert.GreaterOrEqual(t, len(cookie.Value), 40, "256 random bits")

	resp, body = c.get("/thu")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "Đăng xuất")

	// Log out: the cookie no longer opens anything.
	resp, _ = c.post("/dang-xuat", url.Values{"csrf": {c.csrf("/thu?q=x")}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	old := newClient(t, ts.URL)
	u, _ := url.Parse(ts.URL)
	old.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: cookie.Value}})
	resp, _ = old.get("/thu")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "a session ended by logout is gone")
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Password: "một mật khẩu dài"})
	c := newClient(t, ts.URL)
	resp, _ := c.do(http.MethodPost, "/dang-nhap", url.Values{"password": {"một mật khẩu dài"}},
		map[string]string{"X-Forwarded-Proto": "https", "Sec-Fetch-Site": "same-origin"})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.NotEmpty(t, resp.Cookies())
	assert.True(t, resp.Cookies()[0].Secure)
}

func TestSessionExpires(t *testing.T) {
	now := testNow
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Password: "một mật khẩu dài", Now: func() time.Time { return now }})
	c := newClient(t, ts.URL)
	resp, _ := c.post("/dang-nhap", url.Values{"password": {"một mật khẩu dài"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	resp, _ = c.get("/thu")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	now = now.Add(sessionTTL)
	resp, _ = c.get("/thu")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "after 12 hours the session is over")
}

func TestLoginAttemptsLimited(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Password: "một mật khẩu dài"})
	c := newClient(t, ts.URL)
	for i := range maxFailures {
		resp, _ := c.post("/dang-nhap", url.Values{"password": {"đoán " + string(rune('a'+i))}})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, body := c.post("/dang-nhap", url.Values{"password": {"một mật khẩu dài"}})
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "even the right password waits after five wrong ones")
	assert.Contains(t, body, "chờ 10 phút")
}

func TestLoginRedirectStaysOnStudio(t *testing.T) {
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "thu"} {
		assert.Equal(t, "/thu", localPath(next), next)
	}
	assert.Equal(t, "/hop-thu?xem=bo-qua", localPath("/hop-thu?xem=bo-qua"))

	_, ts := newServer(t, Config{ContentDir: smallContent(t), Password: "một mật khẩu dài"})
	c := newClient(t, ts.URL)
	resp, _ := c.post("/dang-nhap", url.Values{"password": {"một mật khẩu dài"}, "next": {"//evil.example/"}})
	assert.Equal(t, "/thu", resp.Header.Get("Location"))
}

func TestFormsRejectCrossSiteRequests(t *testing.T) {
	dir := smallContent(t)
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	token := c.csrf("/thu?q=abc")
	form := func(tok string) url.Values {
		return url.Values{"q": {"bà bán xôi muốn hỏi tổng đài"}, "id": {"hotline"}, "csrf": {tok}}
	}
	for _, tc := range []struct {
		name    string
		form    url.Values
		headers map[string]string
	}{
		{"no token", url.Values{"q": {"x"}, "id": {"hotline"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}},
		{"wrong token", form("AAAA"), map[string]string{"Sec-Fetch-Site": "same-origin"}},
		{"another session's token", form(newClient(t, ts.URL).csrf("/thu?q=x")), map[string]string{"Sec-Fetch-Site": "same-origin"}},
		{"cross-site, right token", form(token), map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"other origin, right token", form(token), map[string]string{"Origin": "https://evil.example"}},
	} {
		resp, body := c.do(http.MethodPost, "/gan", tc.form, tc.headers)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, tc.name)
		assert.Contains(t, body, "<h1>", tc.name)
	}
	_, err := os.Stat(filepath.Join(dir, "questions", "studio.tsv"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was written")

	resp, _ := c.post("/gan", form(token))
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, err = os.Stat(filepath.Join(dir, "questions", "studio.tsv"))
	assert.NoError(t, err, "the same form from the studio's page is written")
}

func TestOnlyLoopbackNamesWithoutPassword(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	for host, want := range map[string]int{
		"evil.example":       http.StatusMisdirectedRequest, // DNS rebinding: a page of evil.example resolved to 127.0.0.1
		"evil.example:8090":  http.StatusMisdirectedRequest,
		"192.168.1.20:8090":  http.StatusMisdirectedRequest,
		"localhost:8090":     http.StatusOK,
		"127.0.0.1:8090":     http.StatusOK,
		"[::1]:8090":         http.StatusOK,
		"LOCALHOST.":         http.StatusOK,
		"localhost.evil.com": http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/thu", nil)
		req.Host = host
		resp, err := c.hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, host)
	}
}

func TestBodiesBounded(t *testing.T) {
	dir := smallContent(t)
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	big := url.Values{"q": {strings.Repeat("a", maxBody)}, "id": {"hotline"}, "csrf": {c.csrf("/thu?q=x")}}
	resp, body := c.post("/gan", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Contains(t, body, "quá lớn")
	_, err := os.Stat(filepath.Join(dir, "questions", "studio.tsv"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	many := url.Values{"id": {"hotline"}, "csrf": {c.csrf("/thu?q=x")}}
	for i := range maxBatch + 1 {
		many.Add("q", "câu "+strings.Repeat("x", i))
	}
	resp, _ = c.post("/gan", many)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "at most maxBatch questions a form")

	resp, _ = c.post("/dang-nhap", url.Values{"password": {strings.Repeat("p", maxBody)}})
	assert.NotEqual(t, http.StatusOK, resp.StatusCode)
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	st := seedDB(t, nil)
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Records: st})
	c := newClient(t, ts.URL)
	for _, p := range []string{"/thu", "/thu?q=t%E1%BB%95ng+%C4%91%C3%A0i", "/hop-thu", "/noi-dung", "/dai-ly", "/khong-co", "/ket-qua?id=none", "/static/style.css", "/static/"} {
		resp, body := c.get(p)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		assert.Contains(t, csp, "default-src 'none'", p)
		assert.NotContains(t, csp, "unsafe-inline", p)
		assert.NotContains(t, csp, "script-src", p, "no script allowed from anywhere")
		assert.Contains(t, csp, "frame-ancestors 'none'", p)
		assert.Contains(t, csp, "form-action 'self'", p)
		assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), p)
		assert.Equal(t, "DENY", h.Get("X-Frame-Options"), p)
		assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), p)
		if !strings.HasPrefix(p, "/static/") {
			assert.Equal(t, "no-store", h.Get("Cache-Control"), p)
		}
		assert.NotContains(t, strings.ToLower(body), "<script", p)
		assert.NotContains(t, strings.ToLower(body), " style=", p, "no inline style either")
		assert.NotRegexp(t, `(?i)<[^>]*\son[a-z]+\s*=`, body, p+": no event handler attribute") // onclick=, onload=…
	}
	resp, _ := c.get("/static/")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "no directory listing")
}

func TestFilesStayInContentDirectory(t *testing.T) {
	dir := smallContent(t)
	outside := filepath.Join(t.TempDir(), "outside.tsv")
	require.NoError(t, os.WriteFile(outside, []byte("question\tid\n"), 0o644))
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)

	// A labelled-question file that is a link to a file outside: the
	// content no longer loads (the link is not followed) and nothing is
	// written through it.
	token := c.csrf("/thu?q=x")
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "questions", "studio.tsv")))
	resp, _ := c.post("/gan", url.Values{"q": {"bà bán xôi muốn hỏi tổng đài"}, "id": {"hotline"}, "csrf": {token}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, body := c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "questions/studio.tsv", "the problem is named")
	assert.Contains(t, body, "Nội dung đang có lỗi")
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	_, err = appendLines(root, StudioFile, labelledHeader, []string{"x\thotline"})
	assert.Error(t, err, "appending through the link is refused")
	b, _ := os.ReadFile(outside)
	assert.Equal(t, "question\tid\n", string(b), "the file outside is untouched")
	require.NoError(t, os.Remove(filepath.Join(dir, "questions", "studio.tsv")))

	// A file named by the request is only ever one the content holds now,
	// at the line that holds the question.
	for _, file := range []string{"../outside.tsv", "questions/../../outside.tsv", outside, "questions/base.tsv\x00", "/etc/passwd"} {
		resp, _ := c.post("/sua-nhan", url.Values{"file": {file}, "line": {"2"}, "q": {"tổng đài bảo hiểm xã hội số mấy"}, "id": {"lump-sum-when"}, "csrf": {c.csrf("/thu?q=x")}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode, file)
		_, body := c.get(resp.Header.Get("Location"))
		assert.Contains(t, body, "Không tìm thấy dòng", file)
	}
	b, _ = os.ReadFile(outside)
	assert.Equal(t, "question\tid\n", string(b))

	// Static files come from the studio's own embedded files only.
	for _, p := range []string{"/static/../studio.go", "/static/%2e%2e/studio.go", "/static/..%2fstudio.go", "/static/templates/layout.html"} {
		resp, body := c.get(p)
		assert.NotEqual(t, http.StatusOK, resp.StatusCode, p)
		assert.NotContains(t, body, "package studio", p)
	}
}
