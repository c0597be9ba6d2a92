package telegram

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the adapter's Prometheus collectors.
type metrics struct {
	updates   *prometheus.CounterVec   // by kind
	apiErrors *prometheus.CounterVec   // by method and kind
	handler   *prometheus.HistogramVec // handler latency by event kind
	failures  *prometheus.CounterVec   // handler failures by reason: error, panic, timeout, store
	outbox    *prometheus.CounterVec   // queued replies settled or retried, by outcome
	replyAge  prometheus.Histogram     // from queued to accepted by Telegram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_telegram_updates_total",
			Help: "Telegram updates received, by kind (text, command, button, location, contact, ignored kinds).",
		}, []string{"kind"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_telegram_api_errors_total",
			Help: "Failed Telegram Bot API calls, by method and kind of error.",
		}, []string{"method", "kind"}),
		handler: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bhxhbot_telegram_handler_duration_seconds",
			Help:    "Time the conversation engine took per update, by event kind.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15},
		}, []string{"kind"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_telegram_handler_failures_total",
			Help: "Updates whose handling failed, by reason (error, panic, timeout; store: not stored, delivered again later).",
		}, []string{"reason"}),
		outbox: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_outbox_replies_total",
			Help: "Queued replies by outcome: delivered; retry, rate_limited (tried again later); unreachable, rejected, expired (dropped).",
		}, []string{"outcome"}),
		replyAge: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "bhxhbot_outbox_delivery_seconds",
			Help:    "Time from a reply being queued to Telegram accepting it.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 5, 30, 120, 600, 3600, 86400},
		}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	m.updates, err = register(reg, m.updates)
	if err != nil {
		return nil, err
	}
	m.apiErrors, err = register(reg, m.apiErrors)
	if err != nil {
		return nil, err
	}
	m.handler, err = register(reg, m.handler)
	if err != nil {
		return nil, err
	}
	m.failures, err = register(reg, m.failures)
	if err != nil {
		return nil, err
	}
	m.outbox, err = register(reg, m.outbox)
	if err != nil {
		return nil, err
	}
	m.replyAge, err = register(reg, m.replyAge)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the identical collector registered
// earlier (two adapters on one registry, as in tests).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	if err == nil {
		return c, nil
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	var zero C
	return zero, fmt.Errorf("telegram: register metrics: %w", err)
}
