package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// remindersDB holds a quarterly payment reminder set on 06/12/2026 for the
// period 10–12/2026 at the floor (chat 1), a card expiring 04/02/2027
// (chat 2) and a news subscription (chat 3).
func remindersDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	set := time.Date(2026, 12, 6, 10, 0, 0, 0, calc.Vietnam)
	for _, r := range []bot.Reminder{
		{ChatID: 1, Kind: bot.RemindPay, Months: 3, Start: calc.Month{Year: 2026, Month: 10}, Group: calc.GroupOther,
			NextAt: time.Date(2026, 12, 24, 9, 0, 0, 0, calc.Vietnam)},
		{ChatID: 2, Kind: bot.RemindCard, Expiry: time.Date(2027, 2, 4, 0, 0, 0, 0, calc.Vietnam),
			NextAt: time.Date(2027, 1, 5, 9, 0, 0, 0, calc.Vietnam)},
		{ChatID: 3, Kind: bot.RemindNews},
	} {
		_, err := s.SetReminder(ctx, r, nil, set)
		require.NoError(t, err)
	}
	return path
}

func due(t *testing.T, path, at string) []map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"reminders", "due", "-db", path, "-at", at, "--json"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		lines = append(lines, m)
	}
	return lines
}

func byKind(lines []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, l := range lines {
		out[l["kind"].(string)] = l
	}
	return out
}

func TestRemindersDueAroundTheNewYear(t *testing.T) {
	path := remindersDB(t)
	tests := []struct {
		at       string
		kinds    []string
		amount   float64 // the payment's, when one is due
		period   string
		daysLeft float64
	}{
		{"2026-12-24T09:00", []string{"pay", "news"}, 792_000, "10/2026–12/2026", 7},
		{"2026-12-29T09:30", []string{"pay", "news"}, 792_000, "10/2026–12/2026", 2},
		{"2027-01-05T09:00", []string{"card", "news"}, 0, "", 0},
		{"2027-03-24T09:00", []string{"pay"}, 1_161_600, "01/2027–03/2027", 7}, // the 2.200.000 floor; the notice has expired
		{"2027-03-10T09:00", nil, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			lines := due(t, path, tt.at)
			var kinds []string
			for _, l := range lines {
				kinds = append(kinds, l["kind"].(string))
			}
			assert.ElementsMatch(t, tt.kinds, kinds)
			k := byKind(lines)
			if tt.amount > 0 {
				require.Contains(t, k, "pay")
				assert.Equal(t, tt.amount, k["pay"]["amount"])
				assert.Equal(t, tt.period, k["pay"]["period"])
				assert.Equal(t, tt.daysLeft, k["pay"]["days_left"])
				assert.Equal(t, float64(1), k["pay"]["chat"])
				assert.Contains(t, k["pay"]["buttons"], bot.BtnPaid)
			}
			if c, ok := k["card"]; ok {
				assert.Equal(t, float64(30), c["days_left"])
				assert.Nil(t, c["amount"])
				assert.Contains(t, c["text"], "90 ngày")
			}
			if n, ok := k["news"]; ok {
				assert.Contains(t, n["text"], "2.200.000", "the notice of content/notices.yaml")
			}
		})
	}
}

func TestRemindersDueOutsideTheWindowAndStats(t *testing.T) {
	path := remindersDB(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"reminders", "due", "-db", path, "-at", "2026-12-24T21:00"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, errOut.String(), "ngoài 08:00–20:00")
	assert.Contains(t, out.String(), "24/12/2026 09:00 · chat 1 · đóng tiền · 10/2026–12/2026 · 792.000 đ")

	out.Reset()
	code = run(context.Background(), []string{"reminders", "stats", "-db", path, "--json"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	var st sqlite.ReminderStats
	require.NoError(t, json.Unmarshal(out.Bytes(), &st))
	assert.Equal(t, map[string]int{"pay": 1, "card": 1, "news": 1}, st.Active)
	require.Len(t, st.Months, 3)
	assert.Equal(t, "2026-12", st.Months[0].Month)
	assert.Equal(t, 1, st.Months[0].Set)

	out.Reset()
	code = run(context.Background(), []string{"reminders", "stats", "-db", path}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "Đang bật: đóng tiền 1, thẻ BHYT 1, tin mới 1.")

	assert.Equal(t, 2, run(context.Background(), []string{"reminders", "due", "-db", path, "-at", "24/12/2026"}, &out, &errOut))
	assert.Equal(t, 2, run(context.Background(), []string{"reminders"}, &out, &errOut))
}
