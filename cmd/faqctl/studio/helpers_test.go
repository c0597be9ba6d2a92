package studio

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
	"github.com/bhxh-tn/bhxhbot/content"
)

// testNow is the studio's clock in tests.
var testNow = time.Date(2026, 12, 6, 10, 0, 0, 0, calc.Vietnam)

// smallContent is a content directory with the shipped rates, topics,
// synonyms, places and agents, and the six entries and labelled questions
// of testdata/content: an index builds in a fraction of a second.
func smallContent(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	require.NoError(t, studiotest.CopyFS(content.FS(), dir, "faq", "questions"))
	require.NoError(t, studiotest.CopyFS(os.DirFS("testdata/content"), dir))
	return dir
}

// seedDB writes a bot database with recorded questions and the leads of
// studiotest.SeedLeads.
func seedDB(t testing.TB, qs []studiotest.Recorded) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, studiotest.Seed(ctx, st, qs, testNow))
	require.NoError(t, studiotest.SeedLeads(ctx, st, testNow))
	return st
}

// newServer starts a studio on dir behind an httptest server.
func newServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	cfg.ScratchDir = t.TempDir()
	s, err := New(cfg)
	require.NoError(t, err)
	s.ws.recheck = 0 // look at the files on every request: tests edit them
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// get returns the status and the body.
func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, nil)
}

// post sends a form as the studio's own page would (same origin).
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodPost, path, form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": c.base})
}

func (c *client) do(method, path string, form url.Values, headers map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	require.NoError(c.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token of a page.
func (c *client) csrf(page string) string {
	c.t.Helper()
	_, body := c.get(page)
	m := csrfRE.FindStringSubmatch(body)
	require.NotNil(c.t, m, "no form token on %s", page)
	return m[1]
}
