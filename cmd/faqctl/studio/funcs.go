package studio

import (
	"fmt"
	"html/template"
	"net/url"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// funcs are the template helpers.
var funcs = template.FuncMap{
	// withForm gives a drawn reply what the forms of its buttons need.
	"withForm": func(v chatView, csrf, day, q string) chatView {
		v.CSRF, v.Day, v.Q = csrf, day, q
		return v
	},
	"pct100": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"percent": func(a, b int) string {
		if b == 0 {
			return "0%"
		}
		return fmt.Sprintf("%d%%", a*100/b)
	},
	"tryURL": func(q, day string) string { return "/thu?" + url.Values{"q": {q}, "ngay": {day}}.Encode() },
	"vnDate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(calc.Vietnam).Format("02/01/2006")
	},
	"seconds": func(d time.Duration) string { return fmt.Sprintf("%.0f giây", d.Seconds()) },
	"minus1":  func(n int) int { return n - 1 },
	"plus1":   func(n int) int { return n + 1 },
	"allRight": func(ds []done) bool {
		for _, d := range ds {
			if d.Status != doneInvalid && !d.After.Right() {
				return false
			}
		}
		return len(ds) > 0
	},
}
