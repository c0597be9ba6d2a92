package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Reading what people type when they set a reminder.

var (
	reDay   = regexp.MustCompile(`(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})\b`)
	reMonth = regexp.MustCompile(`\b(\d{1,2})\s*[/.\-]\s*(\d{4})\b`)
)

// ParseDay reads a date typed day first, as in Vietnam: 31/03/2027,
// 31-3-2027, 31.03.27 (years 00–99 are 2000–2099), anywhere in the text.
// It refuses days that do not exist (30/02/2027). The day is returned at
// 00:00 in Vietnam.
func ParseDay(text string) (time.Time, bool) {
	m := reDay.FindStringSubmatch(text)
	if m == nil {
		return time.Time{}, false
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		y += 2000
	}
	if y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1 {
		return time.Time{}, false
	}
	t := dayVN(y, time.Month(mo), d)
	if t.Day() != d || t.Month() != time.Month(mo) {
		return time.Time{}, false
	}
	return t, true
}

// parseStartMonth reads "10/2026" (or "tháng 10/2026").
func parseStartMonth(text string) (calc.Month, bool) {
	m := reMonth.FindStringSubmatch(text)
	if m == nil {
		return calc.Month{}, false
	}
	mo, _ := strconv.Atoi(m[1])
	y, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 || y < 2000 || y > 2999 {
		return calc.Month{}, false
	}
	return calc.Month{Year: y, Month: time.Month(mo)}, true
}

// parseMethod reads a method typed in words: "hằng tháng", "3 tháng", "6", "1 năm".
func parseMethod(text string) (int, bool) {
	f := vitext.Fold(text)
	switch {
	case strings.Contains(f, "hang thang") || strings.Contains(f, "moi thang"):
		return 1, true
	case strings.Contains(f, "1 nam") || strings.Contains(f, "mot nam") || strings.Contains(f, "ca nam"):
		return 12, true
	case strings.Contains(f, "nua nam"):
		return 6, true
	case strings.Contains(f, "quy"):
		return 3, true
	}
	for _, w := range strings.Fields(f) {
		if n, err := strconv.Atoi(strings.TrimSuffix(w, "t")); err == nil && deadlineMonths[n] > 0 {
			return n, true
		}
	}
	return 0, false
}
