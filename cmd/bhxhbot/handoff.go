package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
)

// handoffConfig is the hand-off part of the configuration.
type handoffConfig struct {
	StaffChat     int64         // BHXHBOT_STAFF_CHAT: Telegram chat that gets leads nobody else can take
	Retention     time.Duration // BHXHBOT_LEAD_RETENTION_DAYS (default 90)
	EscalateAfter time.Duration // BHXHBOT_ESCALATE_AFTER, working time, e.g. 4h (default)
}

// parseHandoffConfig reads the hand-off settings; one error line per problem.
func parseHandoffConfig(getenv func(string) string) (handoffConfig, error) {
	c := handoffConfig{Retention: handoff.DefaultRetention, EscalateAfter: handoff.DefaultEscalateAfter}
	var errs []error
	if s := strings.TrimSpace(getenv("BHXHBOT_STAFF_CHAT")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id == 0 {
			errs = append(errs, fmt.Errorf("BHXHBOT_STAFF_CHAT %q must be a Telegram chat id (a group is negative, e.g. -1001234567890)", s))
		}
		c.StaffChat = id
	}
	if s := strings.TrimSpace(getenv("BHXHBOT_LEAD_RETENTION_DAYS")); s != "" {
		d, err := strconv.Atoi(s)
		if err != nil || d < 1 || d > 3650 {
			errs = append(errs, fmt.Errorf("BHXHBOT_LEAD_RETENTION_DAYS %q must be a number of days between 1 and 3650", s))
		}
		c.Retention = time.Duration(d) * 24 * time.Hour
	}
	if s := strings.TrimSpace(getenv("BHXHBOT_ESCALATE_AFTER")); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < time.Minute {
			errs = append(errs, fmt.Errorf("BHXHBOT_ESCALATE_AFTER %q must be a duration of working time such as 4h or 90m", s))
		}
		c.EscalateAfter = d
	}
	return c, errors.Join(errs...)
}

// LogValue shows the hand-off settings (none of them secret).
func (c handoffConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("staff_chat", c.StaffChat),
		slog.Int("lead_retention_days", int(c.Retention/(24*time.Hour))),
		slog.String("escalate_after", c.EscalateAfter.String()),
	)
}

// consoleStaffChat stands for the staff chat in -console mode when
// BHXHBOT_STAFF_CHAT is not set, so the whole call-back flow can be tried:
// the lead card is printed in the terminal.
const consoleStaffChat int64 = -1000

// handoffParts are the wired hand-off module.
type handoffParts struct {
	flow  *handoff.Flow
	store handoff.Store
	dir   *agents.Directory
	cfg   handoffConfig
}

// buildHandoff loads the agent directory and builds the conversation flow.
func buildHandoff(fsys fs.FS, store handoff.Store, cfg handoffConfig, log *slog.Logger) (*handoffParts, error) {
	dir, err := agents.LoadDirectory(fsys)
	if err != nil {
		return nil, fmt.Errorf("agents: %w", err)
	}
	if dir.HasSample() {
		log.Warn("the agent directory contains sample data ([MẪU]); load the real list (content/agents/README.md)")
	}
	if cfg.StaffChat == 0 {
		log.Warn("BHXHBOT_STAFF_CHAT is not set: agents and provinces without a Telegram chat cannot receive call-back requests")
	}
	svc := handoff.NewService(dir, store, handoff.Config{StaffChatID: cfg.StaffChat, Retention: cfg.Retention, EscalateAfter: cfg.EscalateAfter})
	return &handoffParts{flow: handoff.NewFlow(svc, time.Now, log), store: store, dir: dir, cfg: cfg}, nil
}

// runOutbox delivers lead cards through sender until ctx is done; outcomes
// are counted in bhxhbot_lead_cards_total{outcome} when reg is not nil.
func (h *handoffParts) runOutbox(ctx context.Context, sender bot.Sender, reg prometheus.Registerer, log *slog.Logger) error {
	cfg := handoff.OutboxConfig{StaffChatID: h.cfg.StaffChat, Retention: h.cfg.Retention}
	if reg != nil {
		cards := prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_lead_cards_total",
			Help: "Lead cards handled by the outbox, by outcome (sent, retry, rate_limited, rerouted, dead, escalated).",
		}, []string{"outcome"})
		if err := reg.Register(cards); err != nil {
			return fmt.Errorf("lead card metrics: %w", err)
		}
		cfg.Observe = func(outcome string) { cards.WithLabelValues(outcome).Inc() }
	}
	return handoff.NewOutbox(h.store, sender, h.dir, cfg, log, time.Now).Run(ctx)
}
