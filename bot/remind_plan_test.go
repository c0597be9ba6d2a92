package bot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/calc"
)

func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calc.Vietnam)
}

func month(y int, m time.Month) calc.Month { return calc.Month{Year: y, Month: m} }

func TestPayPeriodDeadlines(t *testing.T) {
	tests := []struct {
		name  string
		p     PayPeriod
		want  time.Time
		label string
	}{
		{"monthly: within the month", PayPeriod{month(2026, 12), 1}, vn(2026, 12, 31, 0, 0), "12/2026"},
		{"monthly in February of a leap year", PayPeriod{month(2028, 2), 1}, vn(2028, 2, 29, 0, 0), "02/2028"},
		{"3 months: within the 3 months", PayPeriod{month(2026, 10), 3}, vn(2026, 12, 31, 0, 0), "10/2026–12/2026"},
		{"3 months across the new year", PayPeriod{month(2026, 12), 3}, vn(2027, 2, 28, 0, 0), "12/2026–02/2027"},
		{"6 months: within the first 4", PayPeriod{month(2026, 11), 6}, vn(2027, 2, 28, 0, 0), "11/2026–04/2027"},
		{"12 months: within the first 7", PayPeriod{month(2026, 6), 12}, vn(2026, 12, 31, 0, 0), "06/2026–05/2027"},
		{"12 months from July", PayPeriod{month(2026, 7), 12}, vn(2027, 1, 31, 0, 0), "07/2026–06/2027"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.Deadline())
			assert.Equal(t, tt.label, tt.p.String())
		})
	}
}

// fireAll runs a payment reminder from its first occurrence to until,
// firing each occurrence when due, and returns the times it was sent.
func fireAll(t *testing.T, r Reminder, until time.Time) ([]time.Time, []PayPeriod) {
	t.Helper()
	var at []time.Time
	var ps []PayPeriod
	for r.NextAt.Before(until) {
		now := r.NextAt
		p, send, next := planPay(r, now)
		require.True(t, send, "an occurrence fired on time is sent (%s)", now)
		at, ps = append(at, now), append(ps, p)
		require.True(t, next.NextAt.After(now), "the schedule moves forward")
		r = next
	}
	return at, ps
}

func TestPlanPayTwoRemindersEachPeriodAcrossMonthEnds(t *testing.T) {
	p, first := firstPay(PayPeriod{month(2027, 1), 1}, vn(2027, 1, 2, 10, 0))
	at, _ := fireAll(t, Reminder{Kind: RemindPay, Months: 1, Start: p.Start, NextAt: first}, vn(2027, 4, 1, 0, 0))
	assert.Equal(t, []time.Time{
		vn(2027, 1, 24, 9, 0), vn(2027, 1, 29, 9, 0),
		vn(2027, 2, 21, 9, 0), vn(2027, 2, 26, 9, 0), // 28 days
		vn(2027, 3, 24, 9, 0), vn(2027, 3, 29, 9, 0),
	}, at)
}

func TestPlanPayTwelveMonthCycles(t *testing.T) {
	p, first := firstPay(PayPeriod{month(2026, 7), 12}, vn(2026, 12, 6, 10, 0))
	at, ps := fireAll(t, Reminder{Kind: RemindPay, Months: 12, Start: p.Start, NextAt: first}, vn(2029, 1, 1, 0, 0))
	assert.Equal(t, []time.Time{
		vn(2027, 1, 24, 9, 0), vn(2027, 1, 29, 9, 0),
		vn(2028, 1, 24, 9, 0), vn(2028, 1, 29, 9, 0),
	}, at)
	assert.Equal(t, "07/2027–06/2028", ps[2].String())
}

func TestPlanPayQuarterAcrossNewYear(t *testing.T) {
	p, first := firstPay(PayPeriod{month(2026, 10), 3}, vn(2026, 12, 6, 10, 0))
	require.Equal(t, month(2026, 10), p.Start)
	at, ps := fireAll(t, Reminder{Kind: RemindPay, Months: 3, Start: p.Start, NextAt: first}, vn(2027, 7, 1, 0, 0))
	assert.Equal(t, []time.Time{
		vn(2026, 12, 24, 9, 0), vn(2026, 12, 29, 9, 0),
		vn(2027, 3, 24, 9, 0), vn(2027, 3, 29, 9, 0),
		vn(2027, 6, 23, 9, 0), vn(2027, 6, 28, 9, 0),
	}, at)
	assert.Equal(t, "01/2027–03/2027", ps[2].String())
}

func TestFirstPayWhenThePeriodIsAlmostOver(t *testing.T) {
	// Set on 30/12: both reminders of 10–12/2026 are past; the first is the next period's.
	p, at := firstPay(PayPeriod{month(2026, 10), 3}, vn(2026, 12, 30, 10, 0))
	assert.Equal(t, month(2027, 1), p.Start)
	assert.Equal(t, vn(2027, 3, 24, 9, 0), at)
	// Set on 27/12: the last reminder of this period is still ahead.
	p, at = firstPay(PayPeriod{month(2026, 10), 3}, vn(2026, 12, 27, 10, 0))
	assert.Equal(t, month(2026, 10), p.Start)
	assert.Equal(t, vn(2026, 12, 29, 9, 0), at)
}

func TestPlanPayAfterDowntimeSkipsEndedPeriods(t *testing.T) {
	r := Reminder{Kind: RemindPay, Months: 1, Start: month(2026, 12), NextAt: vn(2026, 12, 24, 9, 0)}
	// The bot comes back on 10/02/2027: December and January have ended;
	// February's first reminder is not due yet.
	p, send, next := planPay(r, vn(2027, 2, 10, 8, 0))
	assert.False(t, send)
	assert.Equal(t, month(2027, 2), p.Start)
	assert.Equal(t, vn(2027, 2, 21, 9, 0), next.NextAt)
	// Back on 27/02: February's reminder is sent now, and the next is March's.
	p, send, next = planPay(r, vn(2027, 2, 27, 8, 0))
	assert.True(t, send)
	assert.Equal(t, month(2027, 2), p.Start)
	assert.Equal(t, month(2027, 3), next.Start)
	assert.Equal(t, vn(2027, 3, 24, 9, 0), next.NextAt)
}

func TestPlanCard(t *testing.T) {
	e := dayVN(2027, 2, 4)
	first := nextCardAfter(e, vn(2026, 12, 6, 10, 0), 0)
	assert.Equal(t, vn(2027, 1, 5, 9, 0), first)
	send, next := planCard(Reminder{Kind: RemindCard, Expiry: e, NextAt: first}, first)
	assert.True(t, send)
	assert.Equal(t, vn(2027, 1, 28, 9, 0), next.NextAt)
	send, next = planCard(next, next.NextAt)
	assert.True(t, send)
	assert.True(t, next.NextAt.IsZero(), "nothing after the 7-day reminder")
	// Down until long after the card lapsed: nothing useful to say.
	send, next = planCard(Reminder{Kind: RemindCard, Expiry: e, NextAt: first}, vn(2027, 6, 1, 9, 0))
	assert.False(t, send)
	assert.True(t, next.NextAt.IsZero())
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"31/03/2027", dayVN(2027, 3, 31), true},
		{"het han 4/2/2027 a", dayVN(2027, 2, 4), true},
		{"31-3-27", dayVN(2027, 3, 31), true},
		{"31.03.2027", dayVN(2027, 3, 31), true},
		{"29/02/2028", dayVN(2028, 2, 29), true},
		{"29/02/2027", time.Time{}, false},
		{"31/04/2027", time.Time{}, false},
		{"0/1/2027", time.Time{}, false},
		{"03/2027", time.Time{}, false},
		{"ngày mai", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDay(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.True(t, tt.want.Equal(got), "got %s want %s", got, tt.want)
		})
	}
}

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"31/03/2027", "1-1-27", "29.02.2028", "99/99/9999", "３１/０３/２０２７"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDay(s)
		if !ok {
			return
		}
		if d.Location() != calc.Vietnam || d.Hour() != 0 || d.Year() < 2000 || d.Year() > 2999 {
			t.Fatalf("ParseDay(%q) = %s", s, d)
		}
	})
}

func TestParseMethodAndMonth(t *testing.T) {
	for in, want := range map[string]int{"hằng tháng": 1, "3 tháng": 3, "6t": 6, "1 năm": 12, "theo quý": 3, "12": 12} {
		got, ok := parseMethod(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	_, ok := parseMethod("2 tháng")
	assert.False(t, ok)
	m, ok := parseStartMonth("tháng 10/2026")
	assert.True(t, ok)
	assert.Equal(t, month(2026, 10), m)
}

func TestRemindCallbacksRoundTrip(t *testing.T) {
	for _, cb := range []Callback{
		RemindCb(RemindMenu, 0), RemindCb(RemindMethod, 12), RemindCb(RemindPeriod, 202610),
		RemindCb(RemindPaid, 202701), RemindCb(RemindOffNews, 0),
	} {
		s, err := cb.Encode()
		require.NoError(t, err)
		got, err := DecodeCallback(s)
		require.NoError(t, err, s)
		assert.Equal(t, cb, got)
	}
	for _, bad := range []string{"n:", "n:m", "n:menu:3", "n:paid:0", "n:paid:01", "n:nope", "n:m:1:2"} {
		_, err := DecodeCallback(bad)
		assert.ErrorIs(t, err, ErrBadCallback, bad)
	}
}
