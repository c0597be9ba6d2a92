package calc

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDay reads a day written YYYY-MM-DD. A day in the right form that does
// not exist ("2026-02-30", "2026-13-01") is reported as such, not as a
// format error. Errors are *InputError.
func ParseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	p := strings.Split(s, "-")
	if len(p) == 3 && len(p[0]) == 4 && len(p[1]) == 2 && len(p[2]) == 2 {
		y, e1 := strconv.Atoi(p[0])
		m, e2 := strconv.Atoi(p[1])
		_, e3 := strconv.Atoi(p[2])
		if e1 == nil && e2 == nil && e3 == nil {
			if m < 1 || m > 12 {
				return time.Time{}, &InputError{Msg: fmt.Sprintf("Ngày %q không có thật: tháng phải từ 01 đến 12.", s)}
			}
			last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return time.Time{}, &InputError{Msg: fmt.Sprintf("Ngày %q không có thật: tháng %02d/%d chỉ có %d ngày.", s, m, y, last)}
		}
	}
	return time.Time{}, &InputError{Msg: fmt.Sprintf("Ngày %q chưa đúng dạng YYYY-MM-DD, ví dụ 2026-11-26.", s)}
}
