package studio

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// What protects the studio (each point has a test in security_test.go):
//   - without BHXHBOT_STUDIO_PASSWORD it listens only on a loopback
//     address (CheckListen) and answers only requests addressed to a
//     loopback name, so a web page cannot reach it through DNS rebinding;
//   - with a password, every page but the login asks for a session: a
//     random 256-bit cookie, HttpOnly, SameSite=Strict (Secure behind
//     HTTPS), 12 hours; failed logins are limited per address;
//   - every form carries a token tied to the session, and the browser's
//     Sec-Fetch-Site / Origin must say the request comes from the studio
//     itself (http.CrossOriginProtection);
//   - request bodies are bounded (maxBody), the headers by the server;
//   - every answer carries a Content-Security-Policy without any script
//     (the pages have none), no framing, no referrer, no sniffing, no cache;
//   - files are read and written only inside the content directory
//     (os.Root), at paths the studio chooses, never at one a request names.

// MinPassword is the shortest password accepted.
const MinPassword = 10

// CheckListen refuses an address reachable from other machines when there
// is no password, and a password too short to stand in front of a
// network. Its errors are one line for staff.
func CheckListen(addr, password string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("địa chỉ %q không đúng dạng host:cổng, ví dụ 127.0.0.1:8090", addr)
	}
	if password != "" {
		if len([]rune(password)) < MinPassword {
			return fmt.Errorf("BHXHBOT_STUDIO_PASSWORD cần ít nhất %d ký tự", MinPassword)
		}
		return nil
	}
	if !loopbackHost(host) {
		return fmt.Errorf("địa chỉ %s mở cho máy khác vào, mà chưa đặt mật khẩu: đặt BHXHBOT_STUDIO_PASSWORD, hoặc dùng -addr 127.0.0.1:8090 (chỉ máy này)", addr)
	}
	return nil
}

// loopbackHost: "localhost" or a loopback IP literal. An empty host (all
// interfaces) is not.
func loopbackHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// maxBody bounds a request body: a form labels at most maxBatch questions
// of at most 2000 characters.
const maxBody = 256 << 10

// csp allows the studio's own style sheet and nothing else: no script at
// all, no frames, forms only to the studio.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// secure wraps the handler with the headers, the host check, the body
// limit and the cross-origin check.
func (s *Server) secure(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, "Yêu cầu này không đến từ trang của studio nên bị từ chối.")
	}))
	inner := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		if s.cfg.Password == "" {
			host, _, err := net.SplitHostPort(r.Host)
			if err != nil {
				host = r.Host
			}
			if !loopbackHost(host) {
				s.fail(w, r, http.StatusMisdirectedRequest, "Studio chỉ mở cho chính máy này (127.0.0.1 hoặc localhost).")
				return
			}
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		inner.ServeHTTP(w, r)
	})
}

// auth keeps the sessions, in memory: a restart logs everyone out.
type auth struct {
	password string
	now      func() time.Time
	key      []byte // signs form tokens

	mu       sync.Mutex
	sessions map[string]time.Time // token → expiry
	failures map[string][]time.Time
}

const (
	sessionCookie = "studio_session"
	sessionTTL    = 12 * time.Hour
	maxSessions   = 1000
	// A client address gets maxFailures wrong passwords per failWindow.
	maxFailures = 5
	failWindow  = 10 * time.Minute
)

func newAuth(password string, now func() time.Time) *auth {
	return &auth{password: password, now: now, key: randomBytes(32), sessions: map[string]time.Time{}, failures: map[string][]time.Time{}}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return b
}

// session returns the request's valid session token, or "".
func (a *auth) session(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.sessions[c.Value]
	if !ok {
		return ""
	}
	if !a.now().Before(exp) {
		delete(a.sessions, c.Value)
		return ""
	}
	return c.Value
}

// start creates a session and sets its cookie.
func (a *auth) start(w http.ResponseWriter, r *http.Request) string {
	tok := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	now := a.now()
	a.mu.Lock()
	if len(a.sessions) >= maxSessions {
		for k, exp := range a.sessions {
			if !now.Before(exp) || len(a.sessions) >= maxSessions {
				delete(a.sessions, k)
			}
		}
	}
	a.sessions[tok] = now.Add(sessionTTL)
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: overHTTPS(r),
	})
	return tok
}

// end forgets the request's session and clears the cookie.
func (a *auth) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		delete(a.sessions, c.Value)
		a.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: overHTTPS(r)})
}

// overHTTPS: the request came over TLS, directly or through a proxy that
// says so.
func overHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// token is the form token of a session.
func (a *auth) token(session string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkToken compares a submitted form token with the session's.
func (a *auth) checkToken(session, got string) bool {
	return session != "" && subtle.ConstantTimeCompare([]byte(a.token(session)), []byte(got)) == 1
}

// errTooMany: the client address failed too often lately.
var errTooMany = errors.New("studio: too many failed logins")

// login checks a password for a client address.
func (a *auth) login(client, password string) (bool, error) {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	recent := a.failures[client][:0]
	for _, t := range a.failures[client] {
		if now.Sub(t) < failWindow {
			recent = append(recent, t)
		}
	}
	a.failures[client] = recent
	if len(recent) >= maxFailures {
		return false, errTooMany
	}
	want, got := sha256.Sum256([]byte(a.password)), sha256.Sum256([]byte(password))
	if subtle.ConstantTimeCompare(want[:], got[:]) == 1 {
		delete(a.failures, client)
		return true, nil
	}
	if len(a.failures) > 10000 {
		clear(a.failures)
	}
	a.failures[client] = append(recent, now)
	return false, nil
}

// clientAddr is the address failed logins are counted for.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
