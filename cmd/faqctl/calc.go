package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// vietnam is the time zone "today" is taken in.
var vietnam = calc.Vietnam

const calcUsage = `Cách dùng: faqctl calc LỆNH [tuỳ chọn] [--json] [--date YYYY-MM-DD] [--content DIR]
  vsi     --income N --group G --months 1|3|6|12 [--years 2..5]   mức đóng BHXH tự nguyện
  min                                                          bảng mức đóng thấp nhất
  hi      --members N --months 3|6|12                           BHYT hộ gia đình
  retire  --sex male|female --born YYYY-MM                      tuổi nghỉ hưu
  pension --sex male|female --years N --income N                lương hưu ước tính
  lumpsum --from YYYY-MM --to YYYY-MM --income N --group G [--sex male|female]
                                                               BHXH một lần
          (nhiều khoảng: --period 2021-01:2022-12:1,5tr:poor --period 2023-01:2025-12:2tr:other)
Số tiền ghi kiểu nào cũng được: 3tr, 1,5 triệu, 1500k, 2.000.000.
Nhóm: poor (hộ nghèo), near-poor (cận nghèo), ethnic-minority (dân tộc thiểu số), island (xã đảo), other (khác).
`

// calcFlags are the flags of every calc subcommand; each reads what it needs.
type calcFlags struct {
	fl                           *flag.FlagSet
	json                         bool
	date, dir                    string
	income, group, months, years string
	members, sex, born, from, to string
	periods                      []string
}

func newCalcFlags(sub string, stderr io.Writer) *calcFlags {
	f := &calcFlags{fl: flag.NewFlagSet("calc "+sub, flag.ContinueOnError)}
	f.fl.SetOutput(stderr)
	f.fl.Usage = func() { fmt.Fprint(stderr, calcUsage) }
	f.fl.BoolVar(&f.json, "json", false, "in một đối tượng JSON (số tiền là số nguyên đồng)")
	f.fl.StringVar(&f.date, "date", "", "ngày áp dụng quy định, YYYY-MM-DD (mặc định: hôm nay)")
	f.fl.StringVar(&f.dir, "content", "", "thư mục nội dung đang sửa (mặc định: bản nhúng)")
	f.fl.StringVar(&f.income, "income", "", "thu nhập, ví dụ 3tr")
	f.fl.StringVar(&f.group, "group", "", "nhóm hỗ trợ")
	f.fl.StringVar(&f.months, "months", "", "số tháng mỗi lần đóng")
	f.fl.StringVar(&f.years, "years", "", "số năm")
	f.fl.StringVar(&f.members, "members", "", "số người")
	f.fl.StringVar(&f.sex, "sex", "", "male|female")
	f.fl.StringVar(&f.born, "born", "", "tháng sinh YYYY-MM")
	f.fl.StringVar(&f.from, "from", "", "tháng bắt đầu YYYY-MM")
	f.fl.StringVar(&f.to, "to", "", "tháng kết thúc YYYY-MM")
	f.fl.Func("period", "lumpsum: một khoảng đóng TỪ:ĐẾN:THU_NHẬP:NHÓM, lặp lại được (vd 2021-01:2022-12:1,5tr:poor)", func(v string) error {
		f.periods = append(f.periods, v)
		return nil
	})
	return f
}

// inputErr builds the Vietnamese message for a missing or unreadable flag.
func inputErr(format string, args ...any) error {
	return &calc.InputError{Msg: fmt.Sprintf(format, args...)}
}

func (f *calcFlags) need(name, value string) (string, error) {
	if strings.TrimSpace(value) == "" {
		return "", inputErr("Thiếu --%s.", name)
	}
	return value, nil
}

func (f *calcFlags) int(name, value string, required bool) (int, error) {
	if strings.TrimSpace(value) == "" {
		if required {
			return 0, inputErr("Thiếu --%s.", name)
		}
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil {
		return 0, inputErr("--%s phải là một số nguyên, không phải %q.", name, value)
	}
	return n, nil
}

func (f *calcFlags) money(name string) (decimal.Decimal, error) {
	v, err := f.need(name, f.income)
	if err != nil {
		return decimal.Zero, err
	}
	return calc.ParseMoney(v)
}

func (f *calcFlags) groupValue() (calc.Group, error) {
	v, err := f.need("group", f.group)
	if err != nil {
		return "", err
	}
	return calc.ParseGroup(v)
}

func (f *calcFlags) sexValue(required bool) (calc.Sex, error) {
	if strings.TrimSpace(f.sex) == "" && !required {
		return "", nil
	}
	v, err := f.need("sex", f.sex)
	if err != nil {
		return "", err
	}
	return calc.ParseSex(v)
}

func (f *calcFlags) month(name, value string) (calc.Month, error) {
	v, err := f.need(name, value)
	if err != nil {
		return calc.Month{}, err
	}
	return calc.ParseMonth(strings.TrimSpace(v))
}

func (f *calcFlags) day(now func() time.Time) (time.Time, error) {
	if f.date == "" {
		y, m, d := now().In(vietnam).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return calc.ParseDay(f.date)
}

// cmdCalc runs the calculator: faqctl calc SUBCOMMAND [flags].
func cmdCalc(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runCalc(args, stdout, stderr, time.Now)
}

func runCalc(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, calcUsage)
		return 2
	}
	sub := args[0]
	compute, ok := calcCommands[sub]
	if !ok {
		fmt.Fprintf(stderr, "faqctl calc: không có lệnh %q\n\n%s", sub, calcUsage)
		return 2
	}
	f := newCalcFlags(sub, stderr)
	if err := f.fl.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(stderr, "faqctl calc %s: tuỳ chọn chưa đúng.\n", sub)
		return 2
	}
	if f.fl.NArg() > 0 {
		fmt.Fprintf(stderr, "faqctl calc %s: không hiểu %q (mọi giá trị phải đi sau một tuỳ chọn, ví dụ --income 3tr)\n", sub, f.fl.Arg(0))
		return 2
	}
	fsys, err := openContent(f.dir)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl calc: %v\n", err)
		return 2
	}
	p, err := calc.LoadParams(fsys)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "faqctl calc: %s\n", missingRates)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "faqctl calc: nội dung có lỗi (chạy faqctl lint):\n%v\n", err)
		return 1
	}
	day, err := f.day(now)
	if err == nil {
		var out calcOutput
		out, err = compute(calc.New(p), f, day)
		if err == nil {
			if f.json {
				enc := json.NewEncoder(stdout)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(out.json); err != nil {
					fmt.Fprintf(stderr, "faqctl calc: %v\n", err)
					return 1
				}
			} else {
				fmt.Fprint(stdout, out.text)
			}
			return 0
		}
	}
	var ie *calc.InputError
	if errors.As(err, &ie) {
		fmt.Fprintln(stderr, ie.Msg)
		return 1
	}
	fmt.Fprintf(stderr, "faqctl calc %s: %v\n", sub, err)
	return 1
}

// calcOutput is one answer in both forms.
type calcOutput struct {
	json any
	text string
}

var calcCommands = map[string]func(*calc.Calculator, *calcFlags, time.Time) (calcOutput, error){
	"vsi":     calcVSI,
	"min":     calcMin,
	"hi":      calcHI,
	"retire":  calcRetire,
	"pension": calcPension,
	"lumpsum": calcLumpSum,
}

// money is an amount written as a JSON integer of đồng.
type money decimal.Decimal

func (m money) MarshalJSON() ([]byte, error) {
	return []byte(decimal.Decimal(m).Round(0).String()), nil
}

// number is a percentage or coefficient written as a JSON number.
type number decimal.Decimal

func (n number) MarshalJSON() ([]byte, error) { return []byte(decimal.Decimal(n).String()), nil }

type sourceJSON struct {
	Ref        string `json:"ref"`
	Confidence string `json:"confidence"`
}

func sourcesJSON(src []calc.Source) []sourceJSON {
	out := make([]sourceJSON, 0, len(src))
	for _, s := range src {
		out = append(out, sourceJSON(s))
	}
	return out
}

func notesJSON(n []string) []string {
	if n == nil {
		return []string{}
	}
	return n
}

type vsiJSON struct {
	Date              string       `json:"date"`
	Income            money        `json:"income"`
	Group             calc.Group   `json:"group"`
	Months            int          `json:"months"`
	Years             int          `json:"years"`
	Floor             money        `json:"floor"`
	Ceiling           money        `json:"ceiling"`
	RatePercent       number       `json:"rate_percent"`
	SupportPercent    number       `json:"support_percent"`
	GrossMonthly      money        `json:"gross_monthly"`
	SupportMonthly    money        `json:"support_monthly"`
	PayableMonthly    money        `json:"payable_monthly"`
	PeriodMonths      int          `json:"period_months"`
	GrossTotal        money        `json:"gross_total"`
	SupportTotal      money        `json:"support_total"`
	PayableTotal      money        `json:"payable_total"`
	UndiscountedTotal money        `json:"undiscounted_total"`
	FundRatePercent   *number      `json:"fund_rate_percent,omitempty"`
	SupportCapMonths  int          `json:"support_cap_months"`
	Sources           []sourceJSON `json:"sources"`
	Notes             []string     `json:"notes"`
}

func calcVSI(c *calc.Calculator, f *calcFlags, day time.Time) (calcOutput, error) {
	income, err := f.money("income")
	if err != nil {
		return calcOutput{}, err
	}
	g, err := f.groupValue()
	if err != nil {
		return calcOutput{}, err
	}
	years, err := f.int("years", f.years, false)
	if err != nil {
		return calcOutput{}, err
	}
	months, err := f.int("months", f.months, years == 0 && f.years == "")
	if err != nil {
		return calcOutput{}, err
	}
	if f.years != "" && years == 0 {
		return calcOutput{}, inputErr("Đóng trước cho nhiều năm: chọn từ 2 đến 5 năm.")
	}
	if years > 0 && months != 0 && months != 12 {
		return calcOutput{}, inputErr("--years (đóng trước 2 đến 5 năm) đi với --months 12 hoặc không có --months: đóng trước tính theo năm.")
	}
	r, err := c.VSI(calc.VSIInput{Income: income, Group: g, Months: months, Years: years, Date: day})
	if err != nil {
		return calcOutput{}, err
	}
	j := vsiJSON{
		Date: day.Format(time.DateOnly), Income: money(income), Group: g, Months: months, Years: years,
		Floor: money(r.Floor), Ceiling: money(r.Ceiling), RatePercent: number(r.RatePercent), SupportPercent: number(r.SupportPercent),
		GrossMonthly: money(r.GrossMonthly), SupportMonthly: money(r.SupportMonthly), PayableMonthly: money(r.PayableMonthly),
		PeriodMonths: r.PeriodMonths, GrossTotal: money(r.GrossTotal), SupportTotal: money(r.SupportTotal),
		PayableTotal: money(r.PayableTotal), UndiscountedTotal: money(r.UndiscountedTotal),
		SupportCapMonths: r.SupportMonths, Sources: sourcesJSON(r.Sources), Notes: notesJSON(r.Notes),
	}
	if years > 0 {
		fr := number(r.FundRatePercent)
		j.FundRatePercent = &fr
	}
	return calcOutput{json: j, text: r.Text()}, nil
}

type methodJSON struct {
	Months int   `json:"months"`
	Total  money `json:"total"`
}

type minRowJSON struct {
	Group          calc.Group   `json:"group"`
	Label          string       `json:"label"`
	SupportPercent number       `json:"support_percent"`
	GrossMonthly   money        `json:"gross_monthly"`
	SupportMonthly money        `json:"support_monthly"`
	PayableMonthly money        `json:"payable_monthly"`
	Methods        []methodJSON `json:"methods"`
}

type minJSON struct {
	Date    string       `json:"date"`
	Floor   money        `json:"floor"`
	Ceiling money        `json:"ceiling"`
	Rows    []minRowJSON `json:"rows"`
	Sources []sourceJSON `json:"sources"`
	Notes   []string     `json:"notes"`
}

func calcMin(c *calc.Calculator, f *calcFlags, day time.Time) (calcOutput, error) {
	t, err := c.MinTable(day)
	if err != nil {
		return calcOutput{}, err
	}
	j := minJSON{Date: day.Format(time.DateOnly), Floor: money(t.Floor), Ceiling: money(t.Ceiling),
		Sources: sourcesJSON(t.Sources), Notes: notesJSON(t.Notes)}
	for _, r := range t.Rows {
		row := minRowJSON{Group: r.Group, Label: r.Group.Label(), SupportPercent: number(r.SupportPercent),
			GrossMonthly: money(r.Gross), SupportMonthly: money(r.Support), PayableMonthly: money(r.Payable)}
		for _, m := range r.Methods {
			row.Methods = append(row.Methods, methodJSON{Months: m.Months, Total: money(m.Total)})
		}
		j.Rows = append(j.Rows, row)
	}
	return calcOutput{json: j, text: t.Text()}, nil
}

type hiMemberJSON struct {
	Position     int    `json:"position"`
	RatioPercent number `json:"ratio_percent"`
	Monthly      money  `json:"monthly"`
	Total        money  `json:"total"`
}

type hiJSON struct {
	Date        string         `json:"date"`
	Months      int            `json:"months"`
	BaseSalary  money          `json:"base_salary"`
	RatePercent number         `json:"rate_percent"`
	Members     []hiMemberJSON `json:"members"`
	Total       money          `json:"total"`
	Sources     []sourceJSON   `json:"sources"`
	Notes       []string       `json:"notes"`
}

func calcHI(c *calc.Calculator, f *calcFlags, day time.Time) (calcOutput, error) {
	n, err := f.int("members", f.members, true)
	if err != nil {
		return calcOutput{}, err
	}
	months, err := f.int("months", f.months, true)
	if err != nil {
		return calcOutput{}, err
	}
	r, err := c.HouseholdHI(calc.HIInput{Members: n, Months: months, Date: day})
	if err != nil {
		return calcOutput{}, err
	}
	j := hiJSON{Date: day.Format(time.DateOnly), Months: months, BaseSalary: money(r.BaseSalary), RatePercent: number(r.RatePercent),
		Total: money(r.Total), Sources: sourcesJSON(r.Sources), Notes: notesJSON(r.Notes)}
	for _, m := range r.Members {
		j.Members = append(j.Members, hiMemberJSON{Position: m.Position, RatioPercent: number(m.RatioPercent), Monthly: money(m.Monthly), Total: money(m.Total)})
	}
	return calcOutput{json: j, text: r.Text()}, nil
}

type retireJSON struct {
	Sex       calc.Sex     `json:"sex"`
	Born      string       `json:"born"`
	AgeYears  int          `json:"age_years"`
	AgeMonths int          `json:"age_months"`
	Reached   string       `json:"reached"`
	Sources   []sourceJSON `json:"sources"`
	Notes     []string     `json:"notes"`
}

func calcRetire(c *calc.Calculator, f *calcFlags, _ time.Time) (calcOutput, error) {
	sex, err := f.sexValue(true)
	if err != nil {
		return calcOutput{}, err
	}
	born, err := f.month("born", f.born)
	if err != nil {
		return calcOutput{}, err
	}
	r, err := c.RetirementAge(calc.RetireInput{Sex: sex, Born: born})
	if err != nil {
		return calcOutput{}, err
	}
	j := retireJSON{Sex: sex, Born: born.String(), AgeYears: r.AgeYears, AgeMonths: r.AgeMonths, Reached: r.Reached.String(),
		Sources: sourcesJSON(r.Sources), Notes: notesJSON(r.Notes)}
	return calcOutput{json: j, text: r.Text()}, nil
}

type pensionJSON struct {
	Date             string       `json:"date"`
	Sex              calc.Sex     `json:"sex"`
	Years            int          `json:"years"`
	Income           money        `json:"income"`
	Eligible         bool         `json:"eligible"`
	MinYears         int          `json:"min_years"`
	RatePercent      number       `json:"rate_percent"`
	Monthly          money        `json:"monthly"`
	MissingYears     int          `json:"missing_years"`
	MissingMonths    int          `json:"missing_months"`
	MissingCost      money        `json:"missing_cost"`
	MissingIncome    money        `json:"missing_income"`
	RateAtMinimum    number       `json:"rate_percent_at_min_years"`
	MonthlyAtMinimum money        `json:"monthly_at_min_years"`
	Sources          []sourceJSON `json:"sources"`
	Notes            []string     `json:"notes"`
}

func calcPension(c *calc.Calculator, f *calcFlags, day time.Time) (calcOutput, error) {
	sex, err := f.sexValue(true)
	if err != nil {
		return calcOutput{}, err
	}
	years, err := f.int("years", f.years, true)
	if err != nil {
		return calcOutput{}, err
	}
	income, err := f.money("income")
	if err != nil {
		return calcOutput{}, err
	}
	r, err := c.Pension(calc.PensionInput{Sex: sex, Years: years, Income: income, Date: day})
	if err != nil {
		return calcOutput{}, err
	}
	j := pensionJSON{Date: day.Format(time.DateOnly), Sex: sex, Years: years, Income: money(income), Eligible: r.Eligible,
		MinYears: r.MinYears, RatePercent: number(r.RatePercent), Monthly: money(r.Monthly),
		MissingYears: r.MissingYears, MissingMonths: r.MissingMonths, MissingCost: money(r.MissingCost),
		MissingIncome: money(r.MissingIncome), RateAtMinimum: number(r.RateIfMinimum), MonthlyAtMinimum: money(r.MonthlyIfMinimum),
		Sources: sourcesJSON(r.Sources), Notes: notesJSON(r.Notes)}
	return calcOutput{json: j, text: r.Text()}, nil
}

type compareJSON struct {
	Sex         calc.Sex `json:"sex"`
	Years       int      `json:"years"`
	RatePercent number   `json:"rate_percent"`
	Monthly     money    `json:"monthly"`
	Months      number   `json:"months"`
}

type lumpSumJSON struct {
	Date            string        `json:"date"`
	From            string        `json:"from"`
	To              string        `json:"to"`
	Income          money         `json:"income"`
	Group           calc.Group    `json:"group"`
	Periods         []periodJSON  `json:"periods"`
	Months          int           `json:"months"`
	AverageIncome   money         `json:"average_income"`
	YearsBefore2014 number        `json:"years_before_2014"`
	YearsFrom2014   number        `json:"years_from_2014"`
	Gross           money         `json:"gross"`
	SupportDeducted money         `json:"support_deducted"`
	SupportMonths   int           `json:"support_months"`
	Amount          money         `json:"amount"`
	Contributed     money         `json:"contributed"`
	PaidByPerson    money         `json:"paid_by_person"`
	PensionCompare  []compareJSON `json:"pension_compare"`
	Comparison      string        `json:"comparison"`
	Sources         []sourceJSON  `json:"sources"`
	Notes           []string      `json:"notes"`
}

// lumpSumPeriods reads either --from/--to/--income/--group or the repeated
// --period FROM:TO:INCOME:GROUP.
func (f *calcFlags) lumpSumPeriods() ([]calc.Period, error) {
	if len(f.periods) == 0 {
		from, err := f.month("from", f.from)
		if err != nil {
			return nil, err
		}
		to, err := f.month("to", f.to)
		if err != nil {
			return nil, err
		}
		income, err := f.money("income")
		if err != nil {
			return nil, err
		}
		g, err := f.groupValue()
		if err != nil {
			return nil, err
		}
		return []calc.Period{{From: from, To: to, Income: income, Group: g}}, nil
	}
	if f.from != "" || f.to != "" || f.income != "" || f.group != "" {
		return nil, inputErr("Dùng --period hoặc --from/--to/--income/--group, không dùng cả hai.")
	}
	var out []calc.Period
	for _, p := range f.periods {
		parts := strings.SplitN(p, ":", 4)
		if len(parts) != 4 {
			return nil, inputErr("--period %q phải có dạng TỪ:ĐẾN:THU_NHẬP:NHÓM, ví dụ 2021-01:2022-12:1,5tr:poor.", p)
		}
		from, err := f.month("period", parts[0])
		if err != nil {
			return nil, err
		}
		to, err := f.month("period", parts[1])
		if err != nil {
			return nil, err
		}
		income, err := calc.ParseMoney(parts[2])
		if err != nil {
			return nil, err
		}
		g, err := calc.ParseGroup(parts[3])
		if err != nil {
			return nil, err
		}
		out = append(out, calc.Period{From: from, To: to, Income: income, Group: g})
	}
	return out, nil
}

type periodJSON struct {
	From   string     `json:"from"`
	To     string     `json:"to"`
	Income money      `json:"income"`
	Group  calc.Group `json:"group"`
}

func calcLumpSum(c *calc.Calculator, f *calcFlags, day time.Time) (calcOutput, error) {
	periods, err := f.lumpSumPeriods()
	if err != nil {
		return calcOutput{}, err
	}
	sex, err := f.sexValue(false)
	if err != nil {
		return calcOutput{}, err
	}
	r, err := c.LumpSum(calc.LumpSumInput{Periods: periods, Date: day, Sex: sex})
	if err != nil {
		return calcOutput{}, err
	}
	first, last := periods[0], periods[0]
	for _, p := range periods {
		if p.From.Before(first.From) {
			first = p
		}
		if last.To.Before(p.To) {
			last = p
		}
	}
	j := lumpSumJSON{Date: day.Format(time.DateOnly), From: first.From.String(), To: last.To.String(), Income: money(first.Income), Group: first.Group,
		Months: r.Months, AverageIncome: money(r.AverageIncome), YearsBefore2014: number(r.YearsBefore2014),
		YearsFrom2014: number(r.YearsFrom2014), Gross: money(r.Gross), SupportDeducted: money(r.SupportDeducted),
		SupportMonths: r.SupportMonths, Amount: money(r.Amount), Contributed: money(r.Contributed),
		PaidByPerson: money(r.PaidByPerson), PensionCompare: []compareJSON{}, Comparison: r.Comparison,
		Sources: sourcesJSON(r.Sources), Notes: notesJSON(r.Notes)}
	for _, p := range periods {
		j.Periods = append(j.Periods, periodJSON{From: p.From.String(), To: p.To.String(), Income: money(p.Income), Group: p.Group})
	}
	for _, p := range r.Compare {
		j.PensionCompare = append(j.PensionCompare, compareJSON{Sex: p.Sex, Years: p.Years, RatePercent: number(p.RatePercent),
			Monthly: money(p.Monthly), Months: number(p.Months)})
	}
	return calcOutput{json: j, text: r.Text()}, nil
}

// missingRates is the problem of a content directory without rates.yaml.
const missingRates = calc.RatesFile + ": không có tệp này trong thư mục nội dung; bot và máy tính cần nó (chép từ content/rates.yaml)"
