package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// Both stores tell the reminders which chats refuse the bot's messages.
var (
	_ telegram.UnreachableMarker = (*sqlite.Store)(nil)
	_ telegram.UnreachableMarker = (*postgres.Store)(nil)
)

// outboxClaimer is the outbox as the console drains it.
type outboxClaimer interface {
	ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error)
	DeleteOutbox(ctx context.Context, owner string, ids ...int64) error
}

// parseReminderRate reads BHXHBOT_REMINDER_RATE: reminder messages a
// second, overall (default 25; Telegram allows about 30 a second to
// different chats).
func parseReminderRate(getenv func(string) string) (float64, error) {
	s := strings.TrimSpace(getenv("BHXHBOT_REMINDER_RATE"))
	if s == "" {
		return bot.DefaultReminderRate, nil
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || r < 0.1 || r > 30 {
		return bot.DefaultReminderRate, fmt.Errorf("BHXHBOT_REMINDER_RATE %q must be a number of messages a second between 0.1 and 30 (default 25)", s)
	}
	return r, nil
}

// parseReminderHours reads BHXHBOT_REMINDER_HOURS, "8-20": reminders go
// out from 08:00 up to 20:00 Vietnam time.
func parseReminderHours(getenv func(string) string) ([2]int, error) {
	def := [2]int{8, 20}
	s := strings.TrimSpace(getenv("BHXHBOT_REMINDER_HOURS"))
	if s == "" {
		return def, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || from < 0 || to > 24 || from >= to {
		return def, fmt.Errorf("BHXHBOT_REMINDER_HOURS %q must be two hours FROM-TO in Vietnam time, such as 8-20 (the default)", s)
	}
	return [2]int{from, to}, nil
}

// noticeSource gives the reminders the staff notices in force.
type noticeSource struct{ ix *faq.Index }

func (n noticeSource) Notices(d time.Time) []bot.Notice {
	var out []bot.Notice
	for _, r := range n.ix.NoticesInForce(d) {
		out = append(out, bot.Notice{Key: r.Key, HTML: r.HTML})
	}
	return out
}

// parseClock reads -clock: a moment in Vietnam time, for the console only.
func parseClock(s string, console bool) (time.Time, error) {
	if !console {
		return time.Time{}, errors.New("-clock works only with -console (it shifts the bot's clock, for trying reminders)")
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), calc.Vietnam); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("-clock %q must look like 2026-12-24T08:59 (Vietnam time)", s)
}

// clockFrom is the wall clock, or a clock that started at start.
func clockFrom(start time.Time) func() time.Time {
	if start.IsZero() {
		return time.Now
	}
	off := time.Until(start)
	return func() time.Time { return time.Now().Add(off) }
}

// consoleOutbox prints the reminders queued for the console's chat every
// second until ctx is done: the console has no sender of its own (its
// replies are printed, not queued); it takes them from the same outbox the
// Telegram sender drains.
func consoleOutbox(ctx context.Context, store outboxClaimer, out bot.Sender, now func() time.Time, log *slog.Logger) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var done []int64
	for {
		var err error
		if done, err = printOutbox(ctx, store, out, now, done); err != nil {
			log.Error("console outbox", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return forgetPrinted(ctx, store, now, done)
		case <-t.C:
		}
	}
}

const consoleOwner = "console"

// forgetPrinted deletes printed messages from the outbox.
func forgetPrinted(ctx context.Context, store outboxClaimer, now func() time.Time, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return store.DeleteOutbox(context.WithoutCancel(ctx), consoleOwner, ids...)
}

// printOutbox forgets what was printed (done), then prints what is due and
// returns its ids.
func printOutbox(ctx context.Context, store outboxClaimer, out bot.Sender, now func() time.Time, done []int64) ([]int64, error) {
	if err := forgetPrinted(ctx, store, now, done); err != nil {
		return done, err
	}
	chats, err := store.ClaimOutbox(context.WithoutCancel(ctx), bot.OutboxClaim{
		Now: now(), Owner: consoleOwner, Lease: 30 * time.Second, Chats: 16, PerChat: 10,
	})
	if err != nil {
		return done, err
	}
	var printed []int64
	for _, qs := range chats {
		for _, q := range qs {
			if _, err := out.Send(ctx, q.Message); err != nil {
				return printed, err
			}
			printed = append(printed, q.ID)
		}
	}
	return printed, nil
}
