package agents

import (
	"github.com/bhxh-tn/bhxhbot/bot/agents/agentstest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ict builds a time in Vietnam: 2026-11-23 is a Monday.
func ict(day, hh, mm int) time.Time { return agentstest.At(day, hh, mm) }

func TestParseHours(t *testing.T) {
	good := []string{
		"T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30",
		"T2,T4,T6 8:00-11:00",
		"CN 00:00-24:00",
		"T2-CN 07:00-19:00",
		"t2-t6 07:30-11:30, 13:30-17:00",
	}
	for _, s := range good {
		_, err := ParseHours(s)
		assert.NoError(t, err, s)
	}
	bad := []string{"", "T2-T6", "T8 07:00-08:00", "T6-T2 07:00-08:00", "T2 07:00", "T2 7-8", "T2 08:00-07:00",
		"T2 07:00-09:00,08:00-10:00", "T2 25:00-26:00", "T2 07:60-08:00", "T2 07:00-08:00; T2 09:00-10:00", "thứ hai 07:00-08:00"}
	for _, s := range bad {
		_, err := ParseHours(s)
		assert.Error(t, err, s)
	}
}

func TestOpenAtAndNextOpening(t *testing.T) {
	h, err := ParseHours("T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30")
	require.NoError(t, err)
	cases := []struct {
		name string
		at   time.Time
		open bool
		next time.Time
	}{
		{"Monday morning", ict(23, 9, 0), true, ict(23, 9, 0)},
		{"Monday lunch", ict(23, 12, 0), false, ict(23, 13, 30)},
		{"opening minute", ict(23, 7, 30), true, ict(23, 7, 30)},
		{"closing minute", ict(23, 17, 0), false, ict(24, 7, 30)},
		{"Saturday afternoon", ict(28, 14, 0), false, ict(30, 7, 30)},
		{"Sunday", ict(29, 10, 0), false, ict(30, 7, 30)},
		{"Friday night", ict(27, 22, 0), false, ict(28, 7, 30)},
		{"UTC input judged in calc.Vietnam", time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), true, ict(23, 9, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.open, h.OpenAt(c.at))
			assert.True(t, c.next.Equal(h.NextOpening(c.at)), "got %v want %v", h.NextOpening(c.at), c.next)
		})
	}
	assert.True(t, Hours{}.NextOpening(ict(23, 9, 0)).IsZero())
}

func TestAddWorking(t *testing.T) {
	h, err := ParseHours("T2-T6 07:30-11:30,13:30-17:00")
	require.NoError(t, err)
	cases := []struct {
		name  string
		start time.Time
		want  time.Time
	}{
		{"within the morning", ict(23, 7, 30), ict(23, 11, 30)},
		{"across lunch", ict(23, 10, 0), ict(23, 16, 0)},
		{"across the night", ict(23, 16, 0), ict(24, 10, 30)},
		{"Friday afternoon to Monday", ict(27, 15, 0), ict(30, 9, 30)},
		{"Saturday counts from Monday", ict(28, 9, 0), ict(30, 11, 30)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := h.AddWorking(c.start, 4*time.Hour)
			assert.True(t, c.want.Equal(got), "got %v want %v", got, c.want)
		})
	}
	assert.Equal(t, ict(23, 9, 0).Add(time.Hour), Hours{}.AddWorking(ict(23, 9, 0), time.Hour))
}

func TestDescribeAndWhen(t *testing.T) {
	h, _ := ParseHours("T2-T6 07:30-11:30,13:30-17:00")
	assert.Equal(t, "Đang mở cửa", h.Describe(ict(23, 8, 0)))
	assert.Equal(t, "Đang đóng cửa, mở lại 13:30 hôm nay", h.Describe(ict(23, 12, 0)))
	assert.Equal(t, "Đang đóng cửa, mở lại 07:30 ngày mai", h.Describe(ict(23, 18, 0)))
	assert.Equal(t, "Đang đóng cửa, mở lại 07:30 T2 30/11", h.Describe(ict(28, 8, 0)))
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30", "CN 00:00-24:00", ";;", "T2 -", "T2-CN 1:00-2:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			return
		}
		at := ict(23, 12, 0)
		next := h.NextOpening(at)
		if !next.IsZero() {
			assert.True(t, h.OpenAt(next), "NextOpening must be open: %q", s)
			assert.False(t, next.Before(at))
		}
		w := h.AddWorking(at, 3*time.Hour)
		assert.False(t, w.Before(at))
	})
}

// The confirmation says when the call can come, in the part of the day the
// person chose: a morning request at lunch waits for the next morning.
