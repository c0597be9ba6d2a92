package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// storeChecks is what /healthz and the metrics ask the store.
type storeChecks interface {
	Health(ctx context.Context, now time.Time) error
	OutboxStats(ctx context.Context) (sqlite.OutboxStats, error)
}

// stuckChecker is the Telegram sender as /healthz sees it.
type stuckChecker interface {
	Stuck() (bool, time.Duration)
}

// checks are what /healthz looks at: the store can write (and found no
// damage), and the sender settles the replies that are due.
type checks struct {
	store  storeChecks
	sender stuckChecker // nil without Telegram (console)
	now    func() time.Time
}

// run returns the problems (none: healthy) and a line about the outbox.
func (c checks) run(ctx context.Context) (problems []string, outbox string) {
	if err := c.store.Health(ctx, c.now()); err != nil {
		problems = append(problems, "store: "+err.Error())
	}
	if c.sender != nil {
		if stuck, d := c.sender.Stuck(); stuck {
			problems = append(problems, fmt.Sprintf("outbox: replies are due but none was sent, retried or dropped for %s", d.Round(time.Second)))
		}
	}
	st, err := c.store.OutboxStats(ctx)
	switch {
	case err != nil:
		problems = append(problems, "outbox: "+err.Error())
	case st.Depth == 0:
		outbox = "outbox: empty"
	default:
		outbox = fmt.Sprintf("outbox: %d waiting, oldest %s", st.Depth, c.now().Sub(st.Oldest).Round(time.Second))
	}
	return problems, outbox
}

// adminHandler serves /healthz (200 "ok", or 503 with one line per
// problem) and /metrics.
func adminHandler(reg *prometheus.Registry, c checks) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		problems, outbox := c.run(ctx)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if len(problems) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "unhealthy\n%s\n", strings.Join(problems, "\n"))
			return
		}
		fmt.Fprintf(w, "ok\n%s\n", outbox)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}

// registerStoreMetrics adds the outbox's depth and age (read at each
// scrape) and whether the last start found the -wal file lost.
func registerStoreMetrics(reg prometheus.Registerer, store storeChecks, su sqlite.Startup) error {
	stats := func() sqlite.OutboxStats {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		st, _ := store.OutboxStats(ctx)
		return st
	}
	walLost := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "bhxhbot_store_wal_lost",
		Help: "1 when this start found the -wal file missing after an unclean stop (changes since the last checkpoint lost).",
	})
	if su.WALLost {
		walLost.Set(1)
	}
	return errors.Join(
		reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bhxhbot_outbox_depth", Help: "Replies waiting in the outbox (not yet accepted by Telegram).",
		}, func() float64 { return float64(stats().Depth) })),
		reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bhxhbot_outbox_oldest_seconds", Help: "Age of the oldest reply waiting in the outbox (0 when empty).",
		}, func() float64 {
			if st := stats(); st.Depth > 0 {
				return time.Since(st.Oldest).Seconds()
			}
			return 0
		})),
		reg.Register(walLost),
	)
}

// serveAdmin runs the admin server on ln until ctx is done, then shuts it down.
func serveAdmin(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
