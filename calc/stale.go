package calc

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/shopspring/decimal"
)

// seriesInfo is what Stale needs to know about one series.
type seriesInfo struct {
	name    string
	entries []entryInfo
}

type entryInfo struct {
	from, to time.Time
	planned  bool
	line     int
	value    string
	key      string // the value in full, to tell a new value from a new source
	source   Source
}

func info[T any](s Series[T], show func(T) string) seriesInfo {
	si := seriesInfo{name: s.Name}
	for _, e := range s.Entries {
		si.entries = append(si.entries, entryInfo{from: e.From, to: e.To, planned: e.Planned, line: e.Line,
			value: show(e.Value), key: fmt.Sprint(e.Value), source: e.Source})
	}
	return si
}

func (p *Params) allSeries() []seriesInfo {
	str := func(v fmt.Stringer) string { return v.String() }
	none := func(any) string { return "" }
	return []seriesInfo{
		info(p.ReferenceLevel, func(v decimal.Decimal) string { return FormatVND(v) }),
		info(p.RuralPovertyLine, func(v decimal.Decimal) string { return FormatVND(v) }),
		info(p.VSIRate, func(v decimal.Decimal) string { return str(v) + " %" }),
		info(p.CeilingMultiplier, func(v decimal.Decimal) string { return str(v) }),
		info(p.IncomeStep, func(v decimal.Decimal) string { return FormatVND(v) }),
		info(p.SupportPercent, func(v map[Group]decimal.Decimal) string { return none(v) }),
		info(p.SupportCapMonths, func(v int) string { return fmt.Sprint(v) }),
		info(p.PaymentMethods, func(v PaymentMethods) string { return none(v) }),
		info(p.FundRate, func(v decimal.Decimal) string { return str(v) + " %" }),
		info(p.HIRate, func(v decimal.Decimal) string { return str(v) + " %" }),
		info(p.HIMemberRatios, func(v []decimal.Decimal) string { return none(v) }),
		info(p.HIPaymentMonths, func(v []int) string { return none(v) }),
		info(p.HIBenefitPercent, func(v decimal.Decimal) string { return str(v) + " %" }),
		info(p.HISmallVisitPercent, func(v decimal.Decimal) string { return str(v) + " %" }),
		info(p.HICopayCapMultiplier, func(v decimal.Decimal) string { return str(v) }),
		info(p.SocialPension, func(v decimal.Decimal) string { return FormatVND(v) }),
		info(p.MaternitySupport, func(v decimal.Decimal) string { return FormatVND(v) }),
		info(p.FuneralMultiplier, func(v decimal.Decimal) string { return str(v) }),
		info(p.Pension, func(v PensionRule) string { return none(v) }),
		info(p.LumpSum, func(v LumpSumRule) string { return none(v) }),
	}
}

// Stale lists, as "rates.yaml:LINE: message", the values that need a person's
// attention on day now: planned values whose date has come (still marked
// planned), series whose last value has ended, a retirement-age schedule
// that is missing, and a missing income-adjustment table for now's year.
func (p *Params) Stale(now time.Time) []string {
	now = day(now)
	pr := &problems{}
	for _, s := range p.allSeries() {
		for i, e := range s.entries {
			if e.planned && !now.Before(e.from) {
				v := ""
				if e.value != "" {
					v = " " + e.value
				}
				pr.add(e.line, "%s%s là mức dự kiến từ %s và ngày đó đã đến: kiểm tra văn bản chính thức, rồi đổi thành status: in-force (hoặc sửa lại cho đúng)",
					s.name, v, e.from.Format(time.DateOnly))
			}
			if i == len(s.entries)-1 && !e.to.IsZero() && now.After(e.to) {
				pr.add(e.line, "%s hết hiệu lực ngày %s: thêm mục mới áp dụng từ sau ngày đó", s.name, e.to.Format(time.DateOnly))
			}
		}
	}
	if _, ok := p.CoefficientsFor(now.Year()); !ok {
		line := 1
		if n := len(p.Coefficients); n > 0 {
			line = p.Coefficients[n-1].Line
		}
		pr.add(line, "income_coefficients: chưa có bảng hệ số cho năm giải quyết %d (bảng mới ra mỗi năm vào tháng 1–2); máy tính từ chối tính BHXH một lần cho năm nay đến khi có bảng",
			now.Year())
	}
	return pr.list
}

// LintRates loads rates.yaml from fsys and returns every problem and every
// stale value on day now, one "rates.yaml:LINE: message" per line. An empty
// result means the file is fine. faqctl lint runs it.
func LintRates(fsys fs.FS, now time.Time) []string {
	p, err := LoadParams(fsys)
	if err != nil {
		var pe *ParamsError
		if errors.As(err, &pe) {
			return pe.Problems
		}
		return []string{err.Error()}
	}
	return p.Stale(now)
}
