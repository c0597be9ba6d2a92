package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
)

// config is everything read from the environment and flags, validated once.
type config struct {
	Token         string        // TELEGRAM_BOT_TOKEN; secret
	APIURL        string        // TELEGRAM_API_URL
	DB            string        // BHXHBOT_DB
	WebhookURL    string        // BHXHBOT_WEBHOOK_URL
	WebhookSecret string        // BHXHBOT_WEBHOOK_SECRET; secret
	ListenAddr    string        // BHXHBOT_LISTEN_ADDR
	AdminAddr     string        // BHXHBOT_ADMIN_ADDR; "off" disables
	LogFormat     string        // BHXHBOT_LOG_FORMAT: json or text
	Content       string        // -content DIR
	Console       bool          // -console
	Handoff       handoffConfig // BHXHBOT_STAFF_CHAT, BHXHBOT_LEAD_RETENTION_DAYS, BHXHBOT_ESCALATE_AFTER
	ReminderRate  float64       // BHXHBOT_REMINDER_RATE: reminder messages a second
	ReminderHours [2]int        // BHXHBOT_REMINDER_HOURS: from, to (Vietnam time)
	Clock         time.Time     // -clock (console only): the moment the program starts at
}

const (
	defaultDB         = "data/bhxhbot.db"
	defaultAdminAddr  = "127.0.0.1:9090"
	defaultListenAddr = ":8080"
)

var (
	reToken  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	reSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

const noTokenHelp = `bhxhbot: chưa có TELEGRAM_BOT_TOKEN.
  Để chạy trên Telegram: nhắn @BotFather trên Telegram, gõ /newbot, rồi đặt
  mã bot nhận được vào biến môi trường TELEGRAM_BOT_TOKEN.
  Để thử ngay trên máy, không cần Telegram:  go run ./cmd/bhxhbot -console
(no TELEGRAM_BOT_TOKEN: get one from @BotFather, or try the bot with -console)`

// parseConfig reads flags and the environment. It returns errHelp for -h and
// a joined error with one line per problem otherwise.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	c := config{
		Token:         strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		APIURL:        strings.TrimSpace(getenv("TELEGRAM_API_URL")),
		DB:            getenv("BHXHBOT_DB"),
		WebhookURL:    strings.TrimSpace(getenv("BHXHBOT_WEBHOOK_URL")),
		WebhookSecret: getenv("BHXHBOT_WEBHOOK_SECRET"),
		ListenAddr:    getenv("BHXHBOT_LISTEN_ADDR"),
		AdminAddr:     getenv("BHXHBOT_ADMIN_ADDR"),
		LogFormat:     strings.ToLower(getenv("BHXHBOT_LOG_FORMAT")),
	}
	fs := flag.NewFlagSet("bhxhbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.Console, "console", false, "chat with the bot in this terminal (no Telegram, no token)")
	fs.StringVar(&c.Content, "content", "", "content directory to use instead of the embedded copy (e.g. ./content)")
	fs.StringVar(&c.DB, "db", c.DB, "SQLite database file, or the postgres:// URL of a PostgreSQL database that several replicas share (env BHXHBOT_DB, default "+defaultDB+")")
	clock := fs.String("clock", "", "with -console: start the clock at this moment, Vietnam time (e.g. 2026-12-24T08:59), to try reminders")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: bhxhbot [-console] [-content DIR] [-db FILE|postgres://URL]")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\nEnvironment: TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL, BHXHBOT_DB, BHXHBOT_WEBHOOK_URL,\n"+
			"BHXHBOT_WEBHOOK_SECRET, BHXHBOT_LISTEN_ADDR, BHXHBOT_ADMIN_ADDR (\"off\" disables), BHXHBOT_LOG_FORMAT (json|text),\n"+
			"BHXHBOT_STAFF_CHAT (chat id for call-back requests), BHXHBOT_LEAD_RETENTION_DAYS (90), BHXHBOT_ESCALATE_AFTER (4h),\n"+
			"BHXHBOT_REMINDER_RATE (reminder messages a second, 25), BHXHBOT_REMINDER_HOURS (8-20, Vietnam time)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("bhxhbot: unexpected argument %q", fs.Arg(0))
	}
	if c.DB == "" {
		c.DB = defaultDB
	}
	if c.LogFormat == "" {
		c.LogFormat = "json"
		if c.Console {
			c.LogFormat = "text"
		}
	}
	if c.AdminAddr == "" && !c.Console {
		c.AdminAddr = defaultAdminAddr
	}
	if c.WebhookURL != "" && c.ListenAddr == "" {
		c.ListenAddr = defaultListenAddr
	}
	hc, herr := parseHandoffConfig(getenv)
	c.Handoff = hc
	rate, rerr := parseReminderRate(getenv)
	c.ReminderRate = rate
	hours, herr2 := parseReminderHours(getenv)
	c.ReminderHours = hours
	rerr = errors.Join(rerr, herr2)
	cerr := error(nil)
	if *clock != "" {
		c.Clock, cerr = parseClock(*clock, c.Console)
	}
	return c, errors.Join(c.validate(), herr, rerr, cerr)
}

var errNoToken = errors.New(noTokenHelp)

func (c config) validate() error {
	var errs []error
	if !c.Console {
		switch {
		case c.Token == "":
			return errNoToken
		case !reToken.MatchString(c.Token):
			errs = append(errs, errors.New("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters/digits, as @BotFather gives it)"))
		}
		if c.APIURL != "" {
			if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("TELEGRAM_API_URL %q must be an http(s) URL such as http://127.0.0.1:8081", telegram.RedactURL(c.APIURL, c.Token)))
			} else if telegram.RedactURL(c.APIURL, c.Token) != u.Redacted() {
				// https://api.telegram.org/bot<token> pasted whole: the bot
				// would call …/bot<token>/bot<token>/getMe, and log the token.
				errs = append(errs, fmt.Errorf("TELEGRAM_API_URL %q holds a bot token: give the server's address alone, e.g. %s; the token goes in TELEGRAM_BOT_TOKEN", telegram.RedactURL(c.APIURL, c.Token), "https://api.telegram.org"))
			}
		}
		if c.WebhookURL != "" {
			u, err := url.Parse(c.WebhookURL)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				// Telegram delivers webhooks over HTTPS only: an http:// URL
				// would pass setWebhook's check here and then get nothing.
				errs = append(errs, fmt.Errorf("BHXHBOT_WEBHOOK_URL %q must be a public https URL such as https://bot.example.vn/tg", telegram.RedactURL(c.WebhookURL, c.Token)))
			}
			if c.WebhookSecret == "" {
				errs = append(errs, errors.New("BHXHBOT_WEBHOOK_SECRET is required in webhook mode (1-256 characters: A-Z a-z 0-9 _ -)"))
			} else if !reSecret.MatchString(c.WebhookSecret) {
				errs = append(errs, errors.New("BHXHBOT_WEBHOOK_SECRET may only use A-Z a-z 0-9 _ - (1-256 characters)"))
			}
			if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
				errs = append(errs, fmt.Errorf("BHXHBOT_LISTEN_ADDR %q must be host:port, e.g. :8080", c.ListenAddr))
			}
		}
	}
	if c.AdminAddr != "" && c.AdminAddr != "off" {
		if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
			errs = append(errs, fmt.Errorf("BHXHBOT_ADMIN_ADDR %q must be host:port, e.g. 127.0.0.1:9090, or off", c.AdminAddr))
		}
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("BHXHBOT_LOG_FORMAT %q must be json or text", c.LogFormat))
	}
	if c.Content != "" {
		if st, err := os.Stat(c.Content); err != nil || !st.IsDir() {
			errs = append(errs, fmt.Errorf("-content %q is not a directory", c.Content))
		}
	}
	switch {
	case postgres.IsURL(c.DB):
		if u, err := url.Parse(c.DB); err != nil || u.Host == "" || strings.Trim(u.Path, "/") == "" {
			errs = append(errs, fmt.Errorf("BHXHBOT_DB %q must be a PostgreSQL URL with a host and a database, e.g. postgres://bhxh:PASSWORD@db.example.vn:5432/bhxh", redactDB(c.DB)))
		}
	case strings.TrimSpace(c.DB) == "" || strings.HasSuffix(c.DB, string(filepath.Separator)) || isDir(c.DB):
		errs = append(errs, fmt.Errorf("BHXHBOT_DB %q must be a file path, e.g. %s, or a postgres:// URL", c.DB, defaultDB))
	}
	return errors.Join(errs...)
}

// isDir reports whether path names an existing directory.
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// redactDB hides the password of a database URL (a file path is shown as is).
func redactDB(db string) string {
	if !postgres.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://***"
	}
	return u.Redacted()
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// LogValue prints the effective configuration with secrets masked.
func (c config) LogValue() slog.Value {
	mode := "polling"
	switch {
	case c.Console:
		mode = "console"
	case c.WebhookURL != "":
		mode = "webhook"
	}
	return slog.GroupValue(
		slog.String("mode", mode),
		slog.String("token", mask(c.Token)),
		slog.String("api_url", telegram.RedactURL(c.APIURL, c.Token)),
		slog.String("db", redactDB(c.DB)),
		slog.String("webhook_url", telegram.RedactURL(c.WebhookURL, c.Token)), // a secret path may be the token
		slog.String("webhook_secret", mask(c.WebhookSecret)),
		slog.String("listen_addr", c.ListenAddr),
		slog.String("admin_addr", c.AdminAddr),
		slog.String("log_format", c.LogFormat),
		slog.String("content", c.Content),
		slog.Any("handoff", c.Handoff),
		slog.Float64("reminder_rate", c.ReminderRate),
		slog.String("reminder_hours", fmt.Sprintf("%02d-%02d", c.ReminderHours[0], c.ReminderHours[1])),
	)
}
