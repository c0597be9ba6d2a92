package telegram

import (
	"errors"
	"net/http"
	"net/url"
	"time"
)

// newHTTPClient is the Bot API client: one overall timeout (a long poll plus
// margin) and enough idle connections for the sender's parallel sends.
func newHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Timeout: timeout + 5*time.Second, Transport: t}
}

// libraryError receives the errors the library cannot return. They are
// logged without the token or response bodies.
func (a *Adapter) libraryError(err error) {
	if err == nil {
		return
	}
	a.log.Warn("telegram: library", "err", a.clean(err.Error()))
}

// apiClient is the HTTP client handed to the library. It replaces the
// *url.Error an HTTP client returns with a transportError: go-telegram/bot
// v1.19.0 rewrites the URL field of a *url.Error (to hide the token) while
// the goroutine writing the request body may be formatting the same error —
// a data race (raw_request.go:36 against :80) that -race reported when a
// poll failed at shutdown. The library leaves other error types alone, and
// the message of a transportError never holds the URL, hence never the token.
type apiClient struct {
	c *http.Client
}

func (a apiClient) Do(r *http.Request) (*http.Response, error) {
	resp, err := a.c.Do(r)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, &transportError{op: ue.Op, err: ue.Err}
		}
		return nil, err
	}
	return resp, nil
}

// transportError is a failed Bot API request without its URL.
type transportError struct {
	op  string
	err error
}

func (e *transportError) Error() string { return e.op + " Bot API request: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// Timeout reports whether the request timed out (as net.Error does).
func (e *transportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}
