package calc

import (
	"time"

	"github.com/shopspring/decimal"
)

// Dated is one value of a parameter with the days it applies (From and To
// inclusive; To is zero while the value is still in force), its legal source
// and the line of rates.yaml it came from.
type Dated[T any] struct {
	From    time.Time
	To      time.Time // zero: open-ended
	Value   T
	Source  Source
	Planned bool // announced for the future, not yet confirmed in force
	Line    int
}

// Covers reports whether the value applies on day d.
func (e Dated[T]) Covers(d time.Time) bool {
	return !d.Before(e.From) && (e.To.IsZero() || !d.After(e.To))
}

// Series is the history of one parameter, oldest first, without gaps or
// overlaps (LoadParams checks this).
type Series[T any] struct {
	Name    string
	Entries []Dated[T]
}

// At returns the value in force on day d.
func (s Series[T]) At(d time.Time) (Dated[T], bool) {
	d = day(d)
	for i := len(s.Entries) - 1; i >= 0; i-- {
		if s.Entries[i].Covers(d) {
			return s.Entries[i], true
		}
	}
	var zero Dated[T]
	return zero, false
}

// PaymentMethods are the allowed ways to pay voluntary SI.
type PaymentMethods struct {
	Months          []int // 1, 3, 6, 12
	AdvanceYearsMax int   // 5
}

// RateBand gives the pension rate from Years of contributions on:
// Percent + Step × (years − Years).
type RateBand struct {
	Years   int
	Percent decimal.Decimal
	Step    decimal.Decimal
}

// PensionRule holds the pension rules in force on a date.
type PensionRule struct {
	MinYears         int
	MaxPercent       decimal.Decimal
	Female, Male     []RateBand // ascending by Years
	MissingMonthsMax int        // 0: not known
}

// Rate returns the pension rate in percent for whole years of contributions,
// or zero when the years are below the first band.
func (r PensionRule) Rate(sex Sex, years int) decimal.Decimal {
	bands := r.Male
	if sex == Female {
		bands = r.Female
	}
	rate := decimal.Zero
	for _, b := range bands {
		if years >= b.Years {
			rate = b.Percent.Add(b.Step.Mul(decimal.NewFromInt(int64(years - b.Years))))
		}
	}
	if rate.GreaterThan(r.MaxPercent) {
		rate = r.MaxPercent
	}
	return rate
}

// LumpSumRule holds the lump-sum rules in force on a decision date.
type LumpSumRule struct {
	PerYearBefore   decimal.Decimal // 1.5 × average income per year before SplitYear
	PerYearFrom     decimal.Decimal // 2 × per year from SplitYear
	SplitYear       int             // 2014
	UnderOneYearCap decimal.Decimal // 2 × average income
	// NewParticipantsFrom: people whose first contribution is on or after
	// this day may withdraw only in the listed cases (zero: no such rule).
	NewParticipantsFrom time.Time
	// IncapacityPercent is the work-capacity loss that allows withdrawing
	// without the state support being deducted (zero: not a case then).
	IncapacityPercent decimal.Decimal
	// StopRouteMaxYears: withdrawing after 12 months without contributing
	// is open only with fewer than this many years (zero: no such route).
	StopRouteMaxYears int
}

// Age is an age in years and months.
type Age struct{ Years, Months int }

// InMonths returns the age as a number of months.
func (a Age) InMonths() int { return a.Years*12 + a.Months }

// AgeRow is the retirement age for people who reach it in Year.
type AgeRow struct {
	Year         int
	Male, Female Age
	Line         int
}

// RetirementSchedule is the Labour Code schedule: Before applies to people who
// reach it before the first row's year; the last row is final.
type RetirementSchedule struct {
	Before       map[Sex]Age
	Rows         []AgeRow
	Source       Source
	Line         int
	BeforeLineNo int
}

// CoefficientTable is the income adjustment table for benefits decided in
// DecisionYear: contribution year → coefficient.
type CoefficientTable struct {
	DecisionYear int
	Values       map[int]decimal.Decimal
	Source       Source
	Line         int
}

// Params are the dated legal parameters read from rates.yaml. They are not
// changed after LoadParams returns and are safe for concurrent use.
type Params struct {
	ReferenceLevel    Series[decimal.Decimal]
	RuralPovertyLine  Series[decimal.Decimal]
	VSIRate           Series[decimal.Decimal] // percent
	CeilingMultiplier Series[decimal.Decimal]
	IncomeStep        Series[decimal.Decimal]
	SupportPercent    Series[map[Group]decimal.Decimal]
	SupportCapMonths  Series[int] // 0: no cap
	PaymentMethods    Series[PaymentMethods]
	FundRate          Series[decimal.Decimal] // percent per month
	HIRate            Series[decimal.Decimal] // percent
	HIMemberRatios    Series[[]decimal.Decimal]
	HIPaymentMonths   Series[[]int] // 3, 6, 12
	// HIBenefitPercent is the share of covered costs the HI fund pays (80);
	// HISmallVisitPercent the % of the reference level under which a visit
	// is paid in full (15); HICopayCapMultiplier × the reference level is
	// the yearly co-payment after which 5 continuous years pay in full (6).
	HIBenefitPercent     Series[decimal.Decimal]
	HISmallVisitPercent  Series[decimal.Decimal]
	HICopayCapMultiplier Series[decimal.Decimal]
	SocialPension        Series[decimal.Decimal]
	MaternitySupport     Series[decimal.Decimal]
	FuneralMultiplier    Series[decimal.Decimal]
	Pension              Series[PensionRule]
	LumpSum              Series[LumpSumRule]
	RetirementAge        RetirementSchedule
	Coefficients         []CoefficientTable // ascending by DecisionYear
}

// CoefficientsFor returns the adjustment table for a decision year.
func (p *Params) CoefficientsFor(decisionYear int) (CoefficientTable, bool) {
	for _, t := range p.Coefficients {
		if t.DecisionYear == decisionYear {
			return t, true
		}
	}
	return CoefficientTable{}, false
}

// day truncates t to its calendar day at midnight UTC, keeping the date as
// written in t's own location.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// firstOf returns the first day of a month.
func firstOf(m Month) time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }
