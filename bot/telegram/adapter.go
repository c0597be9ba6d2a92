// Package telegram connects the conversation engine (package bot) to Telegram
// through github.com/go-telegram/bot. It is the only package that imports that
// library. It receives updates by long polling (default) or by webhook, turns
// them into neutral bot.Event values, runs them through a bounded worker pool
// (updates of one chat in order, different chats in parallel, a deadline and
// panic recovery per update), and renders bot.Response values as Telegram HTML
// messages with inline or reply keyboards. Telegram errors are classified:
// 429 is retried after retry_after, a user who blocked the bot becomes
// bot.ErrForbidden and is not retried. The bot token never appears in logs or
// errors.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Handler is the conversation engine as the transport sees it.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) (bot.Response, error)
}

// Config configures the adapter. Only Token is required.
type Config struct {
	Token         string // bot token from @BotFather; never logged
	APIURL        string // Bot API base URL; default https://api.telegram.org
	WebhookURL    string // when set, webhook mode: the public https URL Telegram posts to
	WebhookSecret string // secret_token registered with setWebhook and checked on every call
	ListenAddr    string // address the webhook server listens on (webhook mode only)

	Workers       int           // parallel update workers; default 8
	UpdateTimeout time.Duration // deadline per update (handler and replies); default 15s
	Commands      []bot.Command // registered with setMyCommands at start

	Registerer prometheus.Registerer // metrics go here; may be nil
	Logger     *slog.Logger          // may be nil (logs discarded)
}

// Defaults.
const (
	DefaultAPIURL        = "https://api.telegram.org"
	DefaultWorkers       = 8
	DefaultUpdateTimeout = 15 * time.Second
)

// Adapter is the Telegram transport. Create it with New, start it with Run.
// Send may be used concurrently at any time, also while Run is running.
type Adapter struct {
	cfg     Config
	h       Handler
	log     *slog.Logger
	api     *tg.Bot
	metrics *metrics
	pool    *pool
	taken   *inflight // polled updates not yet handled (see confirmGate)

	hookPath string // webhook mode: URL path the server answers on
	started  atomic.Bool

	botUsername atomic.Pointer[string] // from getMe; lower case; used for /cmd@name

	// Retry policy; unexported so tests can shorten the waits.
	maxRetries int
	wait       func(ctx context.Context, d time.Duration) error
}

var _ bot.Sender = (*Adapter)(nil)

// New validates cfg and builds the adapter. It makes no network call.
// Errors: a missing token, an invalid API or webhook URL, or a metrics
// registration conflict.
func New(cfg Config, h Handler) (*Adapter, error) {
	if h == nil {
		return nil, errors.New("telegram: nil handler")
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("telegram: empty bot token")
	}
	if strings.ContainsAny(cfg.Token, "/?#% \t\r\n") {
		return nil, errors.New("telegram: the bot token contains characters a token never has")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telegram: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.UpdateTimeout <= 0 {
		cfg.UpdateTimeout = DefaultUpdateTimeout
	}
	a := &Adapter{
		cfg:        cfg,
		h:          h,
		log:        cfg.Logger,
		maxRetries: defaultMaxRetries,
		wait:       sleepCtx,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if cfg.WebhookURL != "" {
		p, err := webhookPath(cfg.WebhookURL)
		if err != nil {
			return nil, err
		}
		if cfg.ListenAddr == "" {
			return nil, errors.New("telegram: webhook mode needs a listen address")
		}
		if err := checkSecret(cfg.WebhookSecret); err != nil {
			return nil, err
		}
		a.hookPath = p
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	a.metrics = m
	a.pool = newPool(cfg.Workers, a.process)
	a.taken = newInflight()

	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(1), // one dispatcher; the real work runs in a.pool
		tg.WithUpdatesChannelCap(0),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "callback_query"}),
		tg.WithHTTPClient(pollTimeout, apiClient{newHTTPClient(pollTimeout, a.taken)}),
		tg.WithDefaultHandler(a.dispatch),
		tg.WithErrorsHandler(a.libraryError),
	)
	if err != nil {
		return nil, a.sanitize(fmt.Errorf("telegram: %w", err))
	}
	a.api = api
	return a, nil
}
