package agents

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Span is one opening period of a day, in minutes after midnight.
type Span struct{ From, To int }

// Hours is a weekly opening schedule in Vietnam time. Days not listed are
// closed. Public holidays are not modelled: the text says "giờ hành chính".
type Hours struct {
	days [7][]Span // indexed by time.Weekday
	text string
}

var dayNames = map[string]time.Weekday{
	"t2": time.Monday, "t3": time.Tuesday, "t4": time.Wednesday, "t5": time.Thursday,
	"t6": time.Friday, "t7": time.Saturday, "cn": time.Sunday,
}

var dayLabels = [7]string{"CN", "T2", "T3", "T4", "T5", "T6", "T7"}

// ParseHours reads a schedule written as segments separated by ";", each
// "DAYS RANGES": DAYS is a day (T2…T7, CN), a run "T2-T6" or a list
// "T2,T4,T6"; RANGES is "HH:MM-HH:MM" periods separated by ",".
// Example: "T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30".
// It returns an error saying what is wrong in plain words.
func ParseHours(s string) (Hours, error) {
	var h Hours
	h.text = strings.TrimSpace(s)
	if h.text == "" {
		return h, fmt.Errorf("giờ mở cửa trống")
	}
	for _, seg := range strings.Split(s, ";") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		f := strings.Fields(seg)
		if len(f) < 2 {
			return Hours{}, fmt.Errorf("%q: cần \"NGÀY GIỜ\", ví dụ \"T2-T6 07:30-11:30,13:30-17:00\"", seg)
		}
		days, err := parseDays(f[0])
		if err != nil {
			return Hours{}, err
		}
		spans, err := parseSpans(strings.Join(f[1:], ""))
		if err != nil {
			return Hours{}, err
		}
		for _, d := range days {
			if len(h.days[d]) > 0 {
				return Hours{}, fmt.Errorf("%s được ghi hai lần", dayLabels[d])
			}
			h.days[d] = spans
		}
	}
	return h, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.Split(strings.ToLower(s), ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayNames[from]
		if !ok {
			return nil, fmt.Errorf("ngày %q không hiểu (dùng T2…T7, CN)", from)
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, ok := dayNames[to]
		if !ok {
			return nil, fmt.Errorf("ngày %q không hiểu (dùng T2…T7, CN)", to)
		}
		// Monday-based order: T2=0 … CN=6.
		ai, bi := (int(a)+6)%7, (int(b)+6)%7
		if bi < ai {
			return nil, fmt.Errorf("khoảng ngày %q ngược", part)
		}
		for i := ai; i <= bi; i++ {
			out = append(out, time.Weekday((i+1)%7))
		}
	}
	return out, nil
}

func parseSpans(s string) ([]Span, error) {
	var out []Span
	last := -1
	for _, part := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("khoảng giờ %q phải là HH:MM-HH:MM", part)
		}
		a, err := parseClock(from)
		if err != nil {
			return nil, err
		}
		b, err := parseClock(to)
		if err != nil {
			return nil, err
		}
		if b <= a || a < last {
			return nil, fmt.Errorf("khoảng giờ %q không hợp lệ (phải tăng dần)", part)
		}
		last = b
		out = append(out, Span{a, b})
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(mm) != 2 || len(hh) == 0 || len(hh) > 2 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("giờ %q phải là HH:MM", s)
	}
	return h*60 + m, nil
}

// String returns the schedule as written.
func (h Hours) String() string { return h.text }

// IsZero reports whether the schedule has no opening at all.
func (h Hours) IsZero() bool {
	for _, d := range h.days {
		if len(d) > 0 {
			return false
		}
	}
	return true
}

// OpenAt reports whether the place is open at t (any zone; judged in calc.Vietnam).
func (h Hours) OpenAt(t time.Time) bool {
	t = t.In(calc.Vietnam)
	m := t.Hour()*60 + t.Minute()
	for _, sp := range h.days[t.Weekday()] {
		if m >= sp.From && m < sp.To {
			return true
		}
	}
	return false
}

// NextOpening returns the first opening time at or after t, in calc.Vietnam; t itself
// when open. It returns the zero time when the schedule never opens.
func (h Hours) NextOpening(t time.Time) time.Time {
	if h.OpenAt(t) {
		return t.In(calc.Vietnam)
	}
	t = t.In(calc.Vietnam)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calc.Vietnam)
	now := t.Hour()*60 + t.Minute()
	for i := 0; i <= 7; i++ {
		d := day.AddDate(0, 0, i)
		for _, sp := range h.days[d.Weekday()] {
			if i == 0 && sp.From <= now {
				continue
			}
			return d.Add(time.Duration(sp.From) * time.Minute)
		}
	}
	return time.Time{}
}

// NextOpeningWithin returns the first moment at or after t when the place is
// open between the clock times from and to (minutes after midnight, Vietnam
// time), e.g. 12:00–24:00 for "in the afternoon"; zero when it never is.
func (h Hours) NextOpeningWithin(t time.Time, from, to int) time.Time {
	t = t.In(calc.Vietnam)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calc.Vietnam)
	now := t.Hour()*60 + t.Minute()
	for i := 0; i <= 7; i++ {
		d := day.AddDate(0, 0, i)
		for _, sp := range h.days[d.Weekday()] {
			a, b := max(sp.From, from), min(sp.To, to)
			if i == 0 && a < now {
				if now >= b {
					continue
				}
				return t // open now, in that part of the day
			}
			if a < b {
				return d.Add(time.Duration(a) * time.Minute)
			}
		}
	}
	return time.Time{}
}

// AddWorking returns the time at which d of opening time has passed after t
// (e.g. "4 working hours later"). With no opening at all it returns t+d.
func (h Hours) AddWorking(t time.Time, d time.Duration) time.Time {
	if h.IsZero() || d <= 0 {
		return t.Add(max(d, 0))
	}
	t = t.In(calc.Vietnam)
	left := d
	for range 400 { // at most a year of weeks; schedules open at least weekly
		if !h.OpenAt(t) {
			t = h.NextOpening(t)
		}
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calc.Vietnam)
		m := t.Sub(day)
		for _, sp := range h.days[t.Weekday()] {
			end := time.Duration(sp.To) * time.Minute
			if m >= time.Duration(sp.From)*time.Minute && m < end {
				if avail := end - m; left <= avail {
					return t.Add(left)
				} else {
					left -= avail
					t = day.Add(end)
				}
				break
			}
		}
	}
	return t
}

// Describe says in Vietnamese whether the place is open at now, or when it
// opens next: "Đang mở cửa", "Mở lại 13:30 hôm nay", "Mở lại 07:30 thứ Hai (T2) 01/12".
func (h Hours) Describe(now time.Time) string {
	if h.IsZero() {
		return ""
	}
	if h.OpenAt(now) {
		return "Đang mở cửa"
	}
	next := h.NextOpening(now)
	if next.IsZero() {
		return ""
	}
	return "Đang đóng cửa, mở lại " + WhenText(now, next)
}

// WhenText renders a future time relative to now in calc.Vietnam: "13:30 hôm nay",
// "07:30 ngày mai", "07:30 T2 01/12".
func WhenText(now, t time.Time) string {
	now, t = now.In(calc.Vietnam), t.In(calc.Vietnam)
	clock := t.Format("15:04")
	y1, m1, d1 := now.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, calc.Vietnam)
	switch days := int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calc.Vietnam).Sub(today).Hours() / 24); days {
	case 0:
		return clock + " hôm nay"
	case 1:
		return clock + " ngày mai"
	default:
		return clock + " " + dayLabels[t.Weekday()] + " " + t.Format("02/01")
	}
}
