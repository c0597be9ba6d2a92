package telegram

import (
	"net/http"
	"time"
)

// newHTTPClient is the Bot API client: one overall timeout (a long poll plus
// margin) and enough idle connections for the workers' parallel sends.
func newHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Timeout: timeout + 5*time.Second, Transport: t}
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
