package bot

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the engine's Prometheus collectors. Create them once with
// NewMetrics and pass them in Deps; a nil *Metrics records nothing.
type Metrics struct {
	Updates *prometheus.CounterVec // by kind: text, command, button, location, contact, duplicate
	Answers *prometheus.CounterVec // FAQ outcomes by decision: answer, clarify, none, smalltalk
	Latency prometheus.Histogram   // seconds per handled event
	Errors  prometheus.Counter     // internal errors shown to users as a calm message
}

// NewMetrics creates the collectors and registers them with reg (when not nil).
// Errors: a registration conflict from reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_updates_total", Help: "Events handled by the engine, by kind.",
		}, []string{"kind"}),
		Answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bhxhbot_answers_total", Help: "Replies to free text, by FAQ decision.",
		}, []string{"decision"}),
		Latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "bhxhbot_handler_seconds", Help: "Time to handle one event.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		Errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bhxhbot_handler_errors_total", Help: "Internal errors while handling events.",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.Updates, m.Answers, m.Latency, m.Errors} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("bot: register metrics: %w", err)
			}
		}
	}
	return m, nil
}

func (m *Metrics) update(kind string) {
	if m != nil {
		m.Updates.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) answer(decision string) {
	if m != nil {
		m.Answers.WithLabelValues(decision).Inc()
	}
}

func (m *Metrics) observe(seconds float64) {
	if m != nil {
		m.Latency.Observe(seconds)
	}
}

func (m *Metrics) failed() {
	if m != nil {
		m.Errors.Inc()
	}
}
