// Package calc computes voluntary social insurance contributions, household
// health insurance amounts, retirement age, pension and lump-sum estimates on
// dated, sourced legal parameters (content/rates.yaml). It is pure arithmetic
// on github.com/shopspring/decimal: no I/O beyond reading the parameters from
// an fs.FS, no logging, no Telegram. Amounts are whole đồng; the rounding of
// every step is documented where it happens.
package calc

import (
	"time"

	"github.com/shopspring/decimal"
)

// Vietnam is the time zone whose calendar date picks the rules in force
// (UTC+7, no daylight saving; fixed so binaries need no tzdata).
var Vietnam = time.FixedZone("ICT", 7*3600)

// Group is a state-support group for voluntary SI.
type Group string

// Support groups (Decree 159/2025, Art. 5).
const (
	GroupPoor     Group = "poor"            // poor household
	GroupNearPoor Group = "near-poor"       // near-poor household
	GroupEthnic   Group = "ethnic-minority" // ethnic-minority person
	GroupIsland   Group = "island"          // island commune / special zone
	GroupOther    Group = "other"           // everyone else
)

// Groups lists every group in the order the bot offers them.
var Groups = []Group{GroupPoor, GroupNearPoor, GroupEthnic, GroupIsland, GroupOther}

// Sex selects the retirement-age and pension-rate schedule.
type Sex string

// Sexes.
const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Month is a calendar month, e.g. a birth month or a contribution month.
type Month struct {
	Year  int
	Month time.Month
}

// Source is the legal basis of a value, with its confidence from the
// project's facts sheet ("high", "medium", "low").
type Source struct {
	Ref        string `json:"ref"`
	Confidence string `json:"confidence"`
}

// InputError is an error meant for people: Msg is a calm Vietnamese sentence
// that can be shown as it is (e.g. the allowed income range). Nearest, when
// not zero, is the closest valid amount the bot may offer instead.
type InputError struct {
	Msg     string
	Nearest decimal.Decimal
}

func (e *InputError) Error() string { return e.Msg }

// VSIInput asks what a person pays for voluntary SI.
type VSIInput struct {
	Income decimal.Decimal // chosen monthly income, đồng
	Group  Group
	Months int       // payment method: 1, 3, 6 or 12 months (ignored when Years > 0)
	Years  int       // 2..5: pay this many future years at once, discounted (Months is then ignored)
	Date   time.Time // the day the rules are taken from
}

// VSIResult is the answer to VSIInput. Amounts are whole đồng.
type VSIResult struct {
	Input          VSIInput
	Floor          decimal.Decimal // lowest income allowed on Date
	Ceiling        decimal.Decimal // highest income allowed on Date
	RatePercent    decimal.Decimal // 22
	SupportPercent decimal.Decimal // % of 22 % × rural poverty line
	GrossMonthly   decimal.Decimal // 22 % × income
	SupportMonthly decimal.Decimal // state support per month
	PayableMonthly decimal.Decimal // gross − support
	PeriodMonths   int             // months covered by one payment
	PayableTotal   decimal.Decimal // what is paid for one period (discounted for Years)
	// GrossTotal is 22 % × income for the period before support (discounted for Years).
	GrossTotal decimal.Decimal
	// SupportTotal is the state support deducted for the period.
	SupportTotal decimal.Decimal
	// UndiscountedTotal is what the period would cost paid month by month (after support).
	UndiscountedTotal decimal.Decimal
	// FundRatePercent is r, % per month, used to discount advance payments (Years > 0).
	FundRatePercent decimal.Decimal
	SupportMonths   int // state support is paid for at most this many months (120)
	Sources         []Source
	Notes           []string // plain-Vietnamese caveats (low-confidence values)
}

// HIInput asks what a household pays for health insurance.
type HIInput struct {
	Members int // number of people in the household joining together
	Months  int // 3, 6 or 12
	Date    time.Time
}

// HIMember is the amount for one member (first, second, ...).
type HIMember struct {
	Position     int
	RatioPercent decimal.Decimal // 100, 70, 60, 50, 40
	Monthly      decimal.Decimal
	Total        decimal.Decimal // Monthly × Months
}

// HIResult is the answer to HIInput.
type HIResult struct {
	Input       HIInput
	BaseSalary  decimal.Decimal // reference level on Date
	RatePercent decimal.Decimal // 4.5
	Members     []HIMember
	Total       decimal.Decimal
	Sources     []Source
	Notes       []string
}

// RetireInput asks when a person reaches retirement age.
type RetireInput struct {
	Sex  Sex
	Born Month
}

// RetireResult is the retirement age and the month it is reached.
type RetireResult struct {
	Input     RetireInput
	AgeYears  int
	AgeMonths int
	Reached   Month
	Sources   []Source
	Notes     []string
}

// PensionInput asks for a monthly pension estimate.
type PensionInput struct {
	Sex    Sex
	Years  int             // whole years of contributions
	Income decimal.Decimal // average monthly income, today's money
	Date   time.Time
}

// PensionResult is the pension estimate. When not Eligible, MissingYears and
// MissingCost say what buying the missing time would cost.
type PensionResult struct {
	Input        PensionInput
	Eligible     bool
	MinYears     int
	RatePercent  decimal.Decimal
	Monthly      decimal.Decimal
	MissingYears int
	MissingCost  decimal.Decimal
	Sources      []Source
	Notes        []string
	// MissingMonths is 12 × MissingYears; MissingIncome is the income the
	// missing-time cost was computed on (the input kept within floor and ceiling).
	MissingMonths int
	MissingIncome decimal.Decimal
	// RateIfMinimum and MonthlyIfMinimum are the rate and pension with exactly
	// MinYears of contributions (what buying the missing years would give).
	RateIfMinimum    decimal.Decimal
	MonthlyIfMinimum decimal.Decimal
	// MissingMonthsMax is the most missing months one may buy at once at
	// retirement age (0: not known); CanBuyMissing says whether
	// MissingMonths is within it, so the cost is an option at all.
	MissingMonthsMax int
	CanBuyMissing    bool
}

// Period is a stretch of contributions at one income and group.
type Period struct {
	From, To Month // inclusive
	Income   decimal.Decimal
	Group    Group
}

// LumpSumInput asks what a one-off withdrawal would pay.
type LumpSumInput struct {
	Periods []Period
	Date    time.Time // decision date: picks the adjustment coefficients
	Sex     Sex       // optional: the pension comparison is for this sex only
}

// LumpSumResult is the lump-sum estimate and its comparison with a pension.
type LumpSumResult struct {
	Input           LumpSumInput
	Months          int
	AverageIncome   decimal.Decimal
	Gross           decimal.Decimal
	SupportDeducted decimal.Decimal
	Amount          decimal.Decimal
	PaidByPerson    decimal.Decimal // what the person paid out of pocket
	Sources         []Source
	Notes           []string
	// Contributed is 22 % × income over all months (before support).
	Contributed decimal.Decimal
	// YearsBefore2014 and YearsFrom2014 are the years the multipliers apply to
	// (odd months counted as described on LumpSum).
	YearsBefore2014 decimal.Decimal
	YearsFrom2014   decimal.Decimal
	// SupportMonths is the number of months with state support deducted.
	SupportMonths int
	// Compare says how many months of pension the lump sum equals.
	Compare []PensionCompare
	// Comparison is Compare in plain Vietnamese words.
	Comparison string
	// Rule is the lump-sum rule in force on the decision date (who may
	// withdraw after stopping, from when new participants may not).
	Rule LumpSumRule
}

// PensionCompare is the pension the same record would give with at least
// the minimum years, and how many months of it the lump sum equals.
type PensionCompare struct {
	Sex         Sex
	Years       int
	RatePercent decimal.Decimal
	Monthly     decimal.Decimal
	Months      decimal.Decimal // lump sum ÷ monthly pension, one decimal, half-up
}
