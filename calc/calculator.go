package calc

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Calculator answers questions on one set of parameters. It holds no mutable
// state and is safe for concurrent use.
type Calculator struct{ p *Params }

// New returns a calculator on p (from LoadParams).
func New(p *Params) *Calculator { return &Calculator{p: p} }

// Params returns the parameters the calculator uses.
func (c *Calculator) Params() *Params { return c.p }

// Hotline is BHXH Việt Nam's customer-care number, given whenever a value is
// uncertain.
const Hotline = "1900 9068"

// hundred turns percentages into fractions; never modified.
var hundred = decimal.NewFromInt(100)

// percentOf returns pct % of v at full precision.
func percentOf(v, pct decimal.Decimal) decimal.Decimal { return v.Mul(pct).Div(hundred) }

// dong rounds half-up to whole đồng (amounts here are never negative).
func dong(d decimal.Decimal) decimal.Decimal { return d.Round(0) }

// viDate writes a day as people read it: 26/11/2026.
func viDate(t time.Time) string { return t.Format("02/01/2006") }

// at looks up the value of s on day d, or returns an *InputError saying we
// have no data for that day.
func at[T any](s Series[T], d time.Time, what string) (Dated[T], error) {
	e, ok := s.At(d)
	if !ok {
		return e, &InputError{Msg: fmt.Sprintf("Chưa có dữ liệu về %s cho ngày %s. Bạn hỏi tổng đài %s giúp mình nhé.", what, viDate(d), Hotline)}
	}
	return e, nil
}

// collector gathers the sources and notes of one answer, without repeats.
type collector struct {
	sources []Source
	notes   []string
}

func (c *collector) source(s Source) {
	for _, x := range c.sources {
		if x == s {
			return
		}
	}
	c.sources = append(c.sources, s)
}

func (c *collector) note(n string) {
	for _, x := range c.notes {
		if x == n {
			return
		}
	}
	c.notes = append(c.notes, n)
}

// use records a dated value's source and, when it is only planned, a note.
func use[T any](c *collector, e Dated[T], what string) T {
	c.source(e.Source)
	if e.Planned {
		c.note(fmt.Sprintf("%s áp dụng từ %s là mức dự kiến, chưa được xác nhận chính thức. Hỏi đại lý thu hoặc tổng đài %s trước khi đóng.",
			what, viDate(e.From), Hotline))
	}
	return e.Value
}

// noteFundRate is attached to every result that uses the fund rate r.
func noteFundRate(r decimal.Decimal) string {
	return fmt.Sprintf("Lãi suất dùng để tính (%s %%/tháng) chưa được xác nhận (độ tin cậy thấp), nên số tiền chỉ để tham khảo. "+
		"Hỏi đại lý thu hoặc tổng đài %s để biết số chính xác.", viPercent(r), Hotline)
}

// viPercent writes a percentage with a decimal comma: 0,31.
func viPercent(d decimal.Decimal) string {
	s := d.String()
	out := []byte(s)
	for i := range out {
		if out[i] == '.' {
			out[i] = ','
		}
	}
	return string(out)
}
