package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/console"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// pruneEvery is how often old update ids, idle chat states and expired
// records are removed; checkpointEvery how often the WAL is copied into the
// main database file.
const (
	pruneEvery      = 10 * time.Minute
	checkpointEvery = time.Minute
)

// run is the whole program; main only adds signals and the exit code.
// Exit codes: 0 clean stop, 1 runtime failure, 2 configuration problem
// (a second replica in polling mode included).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		if !errors.Is(err, errNoToken) {
			fmt.Fprintln(stderr, "bhxhbot: fix the settings above and start again (bhxhbot -h lists them)")
		}
		return 2
	}
	log := newLogger(cfg, stderr)
	log.Info("starting", slog.Any("config", cfg))

	if !postgres.IsURL(cfg.DB) {
		// One bot per SQLite database: then what an earlier run left
		// half-sent is this run's to send, at once. (Replicas share a
		// PostgreSQL database: there a lease is waited out.) The console
		// takes the lock too: a bot started on its file meanwhile would
		// have its queue printed in the terminal.
		unlock, err := sqlite.Lock(cfg.DB)
		if err != nil {
			log.Error("start failed", slog.Any("err", err))
			fmt.Fprintln(stderr, "bhxhbot:", err)
			return 1
		}
		defer unlock()
	}
	app, err := buildOrStop(ctx, cfg, log)
	if errors.Is(err, context.Canceled) {
		log.Info("stopped while starting")
		return 0
	}
	if err != nil {
		log.Error("start failed", slog.Any("err", err))
		fmt.Fprintln(stderr, "bhxhbot:", err)
		return 1
	}
	defer func() {
		if err := app.store.Close(); err != nil {
			log.Error("close store", slog.Any("err", err))
		}
	}()
	if t, ok := app.store.(outboxTakeOver); ok && !cfg.Console {
		n, err := t.TakeOverOutbox(ctx)
		if err != nil {
			log.Error("start failed", slog.Any("err", err))
			fmt.Fprintln(stderr, "bhxhbot:", err)
			return 1
		}
		if n > 0 {
			log.Info("replies the previous run was sending are sent again now (a few may arrive twice)", slog.Int("count", n))
		}
	}
	if err := app.serve(ctx, cfg, stdin, stdout); err != nil {
		log.Error("stopped with error", slog.Any("err", err))
		fmt.Fprintln(stderr, "bhxhbot:", err)
		if errors.Is(err, telegram.ErrPollConflict) {
			return 2 // another replica polls: starting again will not help
		}
		return 1
	}
	log.Info("stopped")
	return 0
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.Console {
		opts.Level = slog.LevelWarn // keep the terminal for the conversation
	}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// app holds the wired program.
type app struct {
	log    *slog.Logger
	store  store
	engine *bot.Engine
	reg    *prometheus.Registry
	ret    bot.Retention
	ho     *handoffParts
	sched  *bot.Scheduler   // sends the reminders that are due
	now    func() time.Time // the clock (shifted by -clock in the console)
}

// faqIndex adapts *faq.Index to bot.FAQ.
type faqIndex struct{ *faq.Index }

func (f faqIndex) Entry(id string) (*faq.Entry, bool) { return f.KB().Entry(id) }

// buildOrStop is build, given up as soon as ctx is done (SIGINT or SIGTERM
// while the content loads and the search trains, which takes seconds):
// context.Canceled then, and what build opened is closed when it returns.
func buildOrStop(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	type result struct {
		app *app
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := build(ctx, cfg, log)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.app, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.app != nil {
				r.app.store.Close()
			}
		}()
		return nil, context.Canceled
	}
}

// build loads content, opens the store and creates the engine.
func build(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	fsys, err := content.OpenContext(ctx, cfg.Content)
	if err != nil {
		return nil, fmt.Errorf("content: %w", err)
	}
	idx, err := faq.Open(fsys)
	if err != nil {
		return nil, fmt.Errorf("faq: %w", err)
	}
	params, err := calc.LoadParams(fsys)
	if err != nil {
		return nil, fmt.Errorf("rates: %w", err)
	}
	for _, w := range params.Stale(time.Now()) {
		log.Warn("rates need review", slog.String("problem", w))
	}
	store, su, err := openStore(ctx, cfg.DB, cfg.Console, log)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := registerStoreMetrics(reg, store, su); err != nil {
		store.Close()
		return nil, err
	}
	metrics, err := bot.NewMetrics(reg)
	if err != nil {
		store.Close()
		return nil, err
	}
	hcfg := cfg.Handoff
	if cfg.Console && hcfg.StaffChat == 0 {
		hcfg.StaffChat = consoleStaffChat
	}
	ho, err := buildHandoff(fsys, store, hcfg, log)
	if err != nil {
		store.Close()
		return nil, err
	}
	ret := bot.DefaultRetention()
	ret.Leads = cfg.Handoff.Retention
	// On Telegram every reply goes through the store's outbox (the
	// adapter's sender delivers it); the console prints replies itself.
	now := clockFrom(cfg.Clock)
	calculator := calc.New(params)
	agentBook := handoff.ReminderAgents{Dir: ho.dir, Store: store}
	engine, err := bot.New(bot.Config{Retention: ret, QueueReplies: !cfg.Console}, bot.Deps{
		FAQ:       faqIndex{idx},
		Calc:      calculator,
		Store:     store,
		Handoff:   ho.flow,
		Reminders: store,
		Agents:    agentBook,
		Notices:   noticeSource{idx},
		Logger:    log,
		Now:       now,
		Metrics:   metrics,
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	sched, err := bot.NewScheduler(bot.SchedulerConfig{Rate: cfg.ReminderRate, From: cfg.ReminderHours[0], To: cfg.ReminderHours[1]}, bot.SchedulerDeps{
		Store: store, Calc: calculator, Notices: noticeSource{idx}, Agents: agentBook, Logger: log, Now: now,
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	return &app{log: log, store: store, engine: engine, reg: reg, ret: ret, ho: ho, sched: sched, now: now}, nil
}

// serve runs the console or the Telegram transport plus the admin server and
// the pruner, and returns after all of them stopped.
func (a *app) serve(ctx context.Context, cfg config, stdin io.Reader, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)

	var tg *telegram.Adapter
	if !cfg.Console {
		var err error
		tg, err = telegram.New(telegram.Config{
			Token:         cfg.Token,
			APIURL:        cfg.APIURL,
			WebhookURL:    cfg.WebhookURL,
			WebhookSecret: cfg.WebhookSecret,
			ListenAddr:    cfg.ListenAddr,
			Commands:      bot.Commands(),
			Outbox:        a.store,
			Registerer:    a.reg,
			Logger:        a.log,
		}, a.engine)
		if err != nil {
			return err
		}
	}
	if cfg.AdminAddr != "" && cfg.AdminAddr != "off" {
		ln, err := net.Listen("tcp", cfg.AdminAddr)
		if err != nil {
			return fmt.Errorf("admin server: %w", err)
		}
		a.log.Info("admin server", slog.String("addr", ln.Addr().String()))
		h := checks{store: a.store, now: time.Now}
		if tg != nil {
			h.sender = tg
		}
		g.Go(func() error { return serveAdmin(gctx, ln, adminHandler(a.reg, h)) })
	}
	g.Go(func() error { return a.maintain(gctx) })
	g.Go(func() error { return a.sched.Run(gctx) }) // reminders: queued in the outbox

	if cfg.Console {
		var c *console.Console
		opts := console.Options{Echo: !isTerminal(stdin)}
		if opts.Echo {
			// Piped input ends before the outbox's next tick: deliver the
			// queued lead cards before quitting, so they show.
			opts.Drain = func(ctx context.Context) error {
				_, err := handoff.NewOutbox(a.ho.store, c, a.ho.dir, handoff.OutboxConfig{StaffChatID: a.ho.cfg.StaffChat, Retention: a.ho.cfg.Retention}, a.log, time.Now).RunOnce(ctx, time.Now())
				if err != nil {
					return err
				}
				// And the reminders due now.
				if _, err := a.sched.RunOnce(ctx); err != nil {
					return err
				}
				printed, err := printOutbox(ctx, a.store, c, a.now, nil)
				if err != nil {
					return err
				}
				return forgetPrinted(ctx, a.store, a.now, printed)
			}
		}
		c = console.New(a.engine, stdin, stdout, opts)
		g.Go(func() error { return a.ho.runOutbox(gctx, c, a.reg, a.log) })         // lead cards printed in the terminal
		g.Go(func() error { return consoleOutbox(gctx, a.store, c, a.now, a.log) }) // reminders printed in the terminal
		g.Go(func() error {
			defer cancel() // Ctrl-D ends the program
			return c.Run(gctx)
		})
		return g.Wait()
	}

	g.Go(func() error { return a.ho.runOutbox(gctx, tg, a.reg, a.log) })
	g.Go(func() error {
		defer cancel() // the transport stopping ends the program
		return tg.Run(gctx)
	})
	return g.Wait()
}

// maintain keeps the store bounded (prune every 10 minutes) and its main
// file up to date (a WAL checkpoint every minute, so that losing the -wal
// file loses at most a minute) until ctx is done.
func (a *app) maintain(ctx context.Context) error {
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	var lastPrune time.Time
	for {
		now := a.now() // the bot's clock: stored times come from it (-clock shifts it in the console)
		if now.Sub(lastPrune) >= pruneEvery {
			ps, err := a.store.Prune(ctx, now, a.ret)
			if err != nil && ctx.Err() == nil {
				a.log.Error("prune", slog.Any("err", err))
			} else if err == nil {
				lastPrune = now
				a.log.Debug("pruned", slog.Int64("updates", ps.Updates), slog.Int64("states", ps.States), slog.Bool("skipped", ps.Skipped))
			}
		}
		if c, ok := a.store.(checkpointer); ok {
			if cp, err := c.Checkpoint(ctx, now); err != nil && ctx.Err() == nil {
				a.log.Error("checkpoint", slog.Any("err", err))
			} else if err == nil && cp.Busy {
				a.log.Debug("checkpoint partial (readers or writers busy); the next one finishes it", slog.Int("wal_frames", cp.Log), slog.Int("checkpointed", cp.Checkpointed))
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
