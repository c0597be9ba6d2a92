// Package telegram connects the conversation engine (package bot) to Telegram
// through github.com/go-telegram/bot. It is the only package that imports that
// library. It receives updates by long polling (default) or by webhook, turns
// them into neutral bot.Event values and runs them through a bounded worker
// pool (updates of one chat in order, different chats in parallel, a
// deadline and panic recovery per update). An update counts as taken care of
// once its handling is stored, replies included (the engine writes them to
// the store's outbox in the transaction that records the update): only then
// does the next getUpdates confirm it, or the webhook answer 200. A sender
// delivers the outbox, chat by chat in order and chats in parallel, as
// Telegram HTML messages with inline or reply keyboards; Telegram's errors
// are classified: network errors, 5xx and 429 are retried with backoff (or
// after retry_after) across restarts, a chat that blocked the bot becomes
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
	"sync"
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
	UpdateTimeout time.Duration // deadline per update (the handler); default 15s
	Commands      []bot.Command // registered with setMyCommands at start

	Outbox      Outbox        // the durable outbox of replies (required)
	Senders     int           // chats the sender delivers to in parallel; default 16
	MaxReplyAge time.Duration // a reply not delivered after this long is dropped; default 24h

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
	client  apiClient // for getUpdates, which the adapter runs itself
	metrics *metrics
	pool    *pool
	out     *sender
	acks    chan struct{}  // bounds the button acknowledgements in flight
	ackWG   sync.WaitGroup // acknowledgements in flight

	hookPath string // webhook mode: URL path the server answers on
	started  atomic.Bool

	botUsername atomic.Pointer[string] // from getMe; lower case; used for /cmd@name

	// Retry policy and clock; unexported so tests can shorten the waits.
	maxRetries int
	wait       func(ctx context.Context, d time.Duration) error
	now        func() time.Time // the outbox's clock: when replies are queued, due and too old
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
	if cfg.Outbox == nil {
		return nil, errors.New("telegram: no outbox store")
	}
	if cfg.Senders <= 0 {
		cfg.Senders = DefaultSenders
	}
	if cfg.MaxReplyAge <= 0 {
		cfg.MaxReplyAge = DefaultMaxReplyAge
	}
	a := &Adapter{
		cfg:        cfg,
		h:          h,
		log:        cfg.Logger,
		maxRetries: defaultMaxRetries,
		wait:       sleepCtx,
		now:        time.Now,
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
	a.out = newSender(a, cfg.Outbox, cfg.Senders, cfg.MaxReplyAge, func() time.Time { return a.now() })
	a.acks = make(chan struct{}, maxAcksInFlight)
	a.client = apiClient{newHTTPClient(pollTimeout)}

	// The library makes the Bot API calls; the adapter polls itself (poll.go).
	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(pollTimeout, a.client),
		tg.WithErrorsHandler(a.libraryError),
	)
	if err != nil {
		return nil, a.sanitize(fmt.Errorf("telegram: %w", err))
	}
	a.api = api
	return a, nil
}
