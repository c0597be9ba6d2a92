package telegram

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

// counts returns metric name -> joined label values -> value (counters and
// histogram sample counts).
func counts(t *testing.T, reg *prometheus.Registry) map[string]map[string]float64 {
	mfs, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]map[string]float64{}
	for _, mf := range mfs {
		m := map[string]float64{}
		for _, metric := range mf.GetMetric() {
			key := ""
			for _, l := range metric.GetLabel() {
				key += l.GetValue() + "/"
			}
			switch {
			case metric.GetCounter() != nil:
				m[key] = metric.GetCounter().GetValue()
			case metric.GetHistogram() != nil:
				m[key] = float64(metric.GetHistogram().GetSampleCount())
			}
		}
		out[mf.GetName()] = m
	}
	return out
}

func TestMetrics(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, echo)
	a.run(t)
	fake.PushMessage(5, "/start") // command
	fake.PushMessage(5, "hỏi")    // text
	fake.PushMessage(5, "nữa")    // text
	_, err := fake.WaitSent(5, 3, wait)
	require.NoError(t, err)

	c := counts(t, a.reg)
	assert.Equal(t, 2.0, c["bhxhbot_telegram_updates_total"]["text/"])
	assert.Equal(t, 1.0, c["bhxhbot_telegram_updates_total"]["command/"])
	assert.Equal(t, 2.0, c["bhxhbot_telegram_handler_duration_seconds"]["text/"])

	fake.BlockChat(66)
	_, err = a.Send(context.Background(), bot.Message{ChatID: 66, HTML: "x"})
	require.ErrorIs(t, err, bot.ErrForbidden)
	assert.Equal(t, 1.0, counts(t, a.reg)["bhxhbot_telegram_api_errors_total"]["forbidden/sendMessage/"])

	// A second adapter on the same registry reuses the collectors.
	b, err := New(Config{Token: fake.Token, APIURL: fake.URL, Registerer: a.reg, Outbox: a.store}, echo)
	require.NoError(t, err)
	_, err = b.Send(context.Background(), bot.Message{ChatID: 66, HTML: "x"})
	require.ErrorIs(t, err, bot.ErrForbidden)
	assert.Equal(t, 2.0, counts(t, a.reg)["bhxhbot_telegram_api_errors_total"]["forbidden/sendMessage/"])
}
