package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// newHTTPClient is the Bot API client: one overall timeout (a long poll plus
// margin) and enough idle connections for the workers' parallel sends.
// A getUpdates call first waits until taken is idle (see confirmGate).
func newHTTPClient(timeout time.Duration, taken *inflight) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Timeout: timeout + 5*time.Second, Transport: &confirmGate{next: t, taken: taken}}
}

// confirmGate holds a getUpdates request until every update taken from the
// previous ones has been handled. getUpdates with offset N tells Telegram to
// forget every update below N, and the library asks for the next batch as
// soon as it has handed the last one over; without the gate an update still
// queued or running when the process dies (SIGKILL, OOM, power) would be
// lost. With it, such an update is delivered again after the restart, and
// the store's processed update ids keep it from being answered twice.
type confirmGate struct {
	next  http.RoundTripper
	taken *inflight
}

func (g *confirmGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/getUpdates") {
		if err := g.taken.wait(r.Context()); err != nil {
			return nil, err
		}
	}
	return g.next.RoundTrip(r)
}

// inflight counts updates taken but not yet handled.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

func newInflight() *inflight {
	ch := make(chan struct{})
	close(ch)
	return &inflight{idle: ch}
}

func (f *inflight) add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
}

func (f *inflight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n--
	if f.n == 0 {
		close(f.idle)
	}
}

// wait blocks until nothing is in flight. Errors: ctx.Err().
func (f *inflight) wait(ctx context.Context) error {
	f.mu.Lock()
	ch := f.idle
	f.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// libraryError receives the errors the library cannot return (from its
// polling loop). They are logged without the token or response bodies.
func (a *Adapter) libraryError(err error) {
	if err == nil {
		return
	}
	a.log.Warn("telegram: polling", "err", a.clean(err.Error()))
	if k := errKind(err); k != "" && k != errCanceled {
		a.metrics.apiErrors.WithLabelValues("getUpdates", k).Inc()
	}
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
