package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Retry policy.
const (
	defaultMaxRetries = 3                      // retries after a 429 or a 5xx, per call
	serverBackoff     = 500 * time.Millisecond // first wait after a 5xx; doubles
)

// Error kinds (metrics label values).
const (
	errRateLimited  = "rate_limited"
	errForbidden    = "forbidden"
	errChatNotFound = "chat_not_found"
	errMigrated     = "chat_migrated"
	errNoRights     = "no_rights"
	errBadRequest   = "bad_request"
	errUnauthorized = "unauthorized"
	errNotFound     = "not_found"
	errConflict     = "conflict"
	errServer       = "server"
	errTimeout      = "timeout"
	errCanceled     = "canceled"
	errNetwork      = "network"
	errOther        = "other"
)

// apiError is a failed Bot API call with the token removed from its text.
// It unwraps to the library's error, so errors.Is(err, tg.ErrorBadRequest)
// and friends still work.
type apiError struct {
	method string
	kind   string
	msg    string // sanitised
	err    error
}

func (e *apiError) Error() string { return "telegram: " + e.method + ": " + e.msg }
func (e *apiError) Unwrap() error { return e.err }

// errKind classifies an error returned by the library.
func errKind(err error) string {
	var tmr *tg.TooManyRequestsError
	var me *tg.MigrateError
	var ue *url.Error
	var te *transportError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &tmr):
		return errRateLimited
	case errors.As(err, &me):
		return errMigrated
	case errors.Is(err, tg.ErrorForbidden):
		return errForbidden
	case errors.Is(err, tg.ErrorBadRequest):
		s := strings.ToLower(err.Error())
		switch {
		case strings.Contains(s, "chat not found"):
			return errChatNotFound
		case strings.Contains(s, "not enough rights"), strings.Contains(s, "have no rights to send"):
			// The bot may not write in that group until an admin acts.
			return errNoRights
		}
		return errBadRequest
	case errors.Is(err, tg.ErrorUnauthorized):
		return errUnauthorized
	case errors.Is(err, tg.ErrorNotFound):
		return errNotFound
	case errors.Is(err, tg.ErrorConflict):
		return errConflict
	case errors.Is(err, context.DeadlineExceeded):
		return errTimeout
	case errors.Is(err, context.Canceled):
		return errCanceled
	case errors.As(err, &te):
		if te.Timeout() {
			return errTimeout
		}
		return errNetwork
	case errors.As(err, &ue):
		if ue.Timeout() {
			return errTimeout
		}
		return errNetwork
	}
	if code := responseCode(err.Error()); code >= 500 {
		return errServer
	}
	return errOther
}

// responseCode finds the HTTP status in the library's
// "error response from telegram for method M, 502 Bad Gateway" message.
func responseCode(msg string) int {
	const marker = "error response from telegram for method "
	i := strings.Index(msg, marker)
	if i < 0 {
		return 0
	}
	rest := msg[i+len(marker):]
	j := strings.Index(rest, ", ")
	if j < 0 {
		return 0
	}
	rest = rest[j+2:]
	k := strings.IndexByte(rest, ' ')
	if k < 0 {
		k = len(rest)
	}
	code, _ := strconv.Atoi(rest[:k])
	return code
}

// sanitize returns err with every occurrence of the token removed from its
// text, and response bodies (which could hold people's messages) cut off.
func (a *Adapter) sanitize(err error) error {
	if err == nil {
		return nil
	}
	return &apiError{method: "api", kind: errKind(err), msg: a.clean(err.Error()), err: err}
}

// RedactToken hides token in s, and its secret half alone: the numeric
// bot id before ":" is harmless, the secret must not leak either.
func RedactToken(s, token string) string {
	if token == "" {
		return s
	}
	s = strings.ReplaceAll(s, token, "<token>")
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
		s = strings.ReplaceAll(s, secret, "<token>")
	}
	return s
}

// reTokenInURL is a bot token in a Bot API URL's path (/bot123:AA…).
var reTokenInURL = regexp.MustCompile(`/bot[0-9]+:[A-Za-z0-9_-]+`)

// RedactURL is a Bot API or webhook URL as logs and messages may show it:
// without a password, token, or any token in the /bot<id>:<secret> form.
func RedactURL(s, token string) string {
	s = reTokenInURL.ReplaceAllString(RedactToken(s, token), "/bot<token>")
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return s
}

func (a *Adapter) clean(s string) string {
	s = RedactToken(s, a.cfg.Token)
	if i := strings.Index(s, "error decode response body for method "); i >= 0 {
		rest := s[i+len("error decode response body for method "):]
		method, _, _ := strings.Cut(rest, ",")
		s = s[:i] + "error decode response body for method " + method + " (body omitted)"
	}
	s = redactNumbers(s)
	const maxLen = 300
	if len(s) > maxLen {
		s = s[:maxLen] + "…"
	}
	return s
}

// call runs one Bot API call with the retry policy: after a 429 it waits
// retry_after and tries again, after a 5xx it backs off and tries again, at
// most a.maxRetries times, never past ctx. Errors: bot.ErrForbidden (wrapped)
// when the chat blocked the bot or does not exist; *bot.RetryAfterError
// (wrapped) when still rate-limited after the retries or when the wait would
// pass ctx's deadline; ctx.Err() while waiting; otherwise an *apiError.
func (a *Adapter) call(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	return a.callN(ctx, method, a.maxRetries, fn)
}

// callN is call with at most retries retries.
func (a *Adapter) callN(ctx context.Context, method string, retries int, fn func(ctx context.Context) error) error {
	backoff := serverBackoff
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		kind := errKind(err)
		a.metrics.apiErrors.WithLabelValues(method, kind).Inc()
		var wait time.Duration
		switch kind {
		case errRateLimited:
			var tmr *tg.TooManyRequestsError
			errors.As(err, &tmr)
			wait = time.Duration(max(tmr.RetryAfter, 1)) * time.Second
			if attempt >= retries || passesDeadline(ctx, wait) {
				return fmt.Errorf("telegram: %s: %w", method, &bot.RetryAfterError{After: wait})
			}
		case errServer:
			if attempt >= retries || passesDeadline(ctx, backoff) {
				return &apiError{method: method, kind: kind, msg: a.clean(err.Error()), err: err}
			}
			wait, backoff = backoff, backoff*2
		case errForbidden, errChatNotFound, errNoRights:
			return fmt.Errorf("telegram: %s: %s: %w", method, a.clean(err.Error()), bot.ErrForbidden)
		case errMigrated:
			// A group that became a supergroup has a new id and never
			// takes a message at the old one: unreachable, and the
			// configuration must be updated (a group id is not personal).
			var me *tg.MigrateError
			errors.As(err, &me)
			a.log.Error("telegram: the group was upgraded to a supergroup and has a new chat id; put the new id in the configuration (BHXHBOT_STAFF_CHAT, staff_chat_id in provinces.yaml or telegram_chat_id in agents.csv)",
				"method", method, "new_chat_id", strconv.Itoa(me.MigrateToChatID))
			return fmt.Errorf("telegram: %s: group upgraded to a supergroup: %w", method, bot.ErrForbidden)
		default:
			return &apiError{method: method, kind: kind, msg: a.clean(err.Error()), err: err}
		}
		a.log.Warn("telegram: retrying", "method", method, "kind", kind, "wait", wait, "attempt", attempt+1)
		if err := a.wait(ctx, wait); err != nil {
			return fmt.Errorf("telegram: %s: waiting to retry: %w", method, err)
		}
	}
}

func passesDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redactNumbers replaces every run of 9 or more digits (phone and ID
// numbers, possibly with spaces, dots or dashes inside) by "<number>", so an
// error that quotes a person's input does not leak it into the logs.
func redactNumbers(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j, digits := i, 0
		for j < len(s) {
			if s[j] >= '0' && s[j] <= '9' {
				digits++
			} else if !(s[j] == ' ' || s[j] == '.' || s[j] == '-') || j+1 >= len(s) || s[j+1] < '0' || s[j+1] > '9' {
				break
			}
			j++
		}
		if digits >= 9 {
			b.WriteString("<number>")
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}
