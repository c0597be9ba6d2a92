package bot

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Pension estimate: sex → birth month → years already contributed → income →
// the retirement age and date, the pension if one keeps paying until then
// (and at 15 and 20 years), what stopping now or a lump sum would give.
// The retirement-age answer ("retire") asks only sex and birth month.

const (
	stepSex   = "sex"
	stepBorn  = "born"
	stepYears = "yrs"
	stepPInc  = "inc"
)

type pensionFlow struct{ retireOnly bool }

func (f pensionFlow) steps() []string {
	if f.retireOnly {
		return []string{stepSex, stepBorn}
	}
	return []string{stepSex, stepBorn, stepYears, stepPInc}
}

func (pensionFlow) init(st *ChatState) { st.Data.Pension = &PensionState{} }

func (f pensionFlow) next(st *ChatState) string {
	p := st.Data.Pension
	switch {
	case p == nil || p.Sex == "":
		return stepSex
	case p.Born.Year == 0:
		return stepBorn
	case f.retireOnly:
		return ""
	case !p.YearsSet:
		return stepYears
	case !p.Income.IsPositive():
		return stepPInc
	}
	return ""
}

func (pensionFlow) expect(step string) read.Expect {
	switch step {
	case stepSex:
		return read.ExpectSex
	case stepBorn:
		return read.ExpectBorn
	case stepYears:
		return read.ExpectYears
	}
	return read.ExpectIncome
}

func (pensionFlow) clear(st *ChatState, step string) {
	p := st.Data.Pension
	if p == nil {
		return
	}
	switch step {
	case stepSex:
		p.Sex = ""
	case stepBorn:
		p.Born, p.BornYearOnly, p.Age = calc.Month{}, false, 0
	case stepYears:
		p.Compulsory, p.Voluntary, p.YearsSet = 0, 0, false
	case stepPInc:
		p.Income = decimal.Zero
	}
}

func (pensionFlow) prompt(e *Engine, st *ChatState, step string) (string, [][]Button, error) {
	switch step {
	case stepSex:
		return msgPensionSex, [][]Button{{
			btn(calc.Male.Label(), CalcCb(st.Flow, stepSex, string(calc.Male))),
			btn(calc.Female.Label(), CalcCb(st.Flow, stepSex, string(calc.Female))),
		}}, nil
	case stepBorn:
		return msgPensionBorn, nil, nil
	case stepYears:
		var row []Button
		for _, y := range []int{0, 3, 5, 10, 15, 20} {
			row = append(row, btn(yearsLabel(y), CalcCb(flowPension, stepYears, itoa(y))))
		}
		return msgPensionYears, [][]Button{row}, nil
	}
	rows, floor, _, err := e.incomePresets(flowPension, stepPInc)
	if err != nil {
		return "", nil, err
	}
	return msgPensionIncome(calc.FormatVND(floor)), rows, nil
}

func (pensionFlow) take(e *Engine, st *ChatState, step string, rd read.Reading) (bool, error) {
	p := st.Data.Pension
	switch step {
	case stepSex:
		if rd.Sex == "" {
			if s, err := calc.ParseSex(rd.Text); err == nil {
				rd.Sex = s
			}
		}
		if rd.Sex == "" {
			return false, nil
		}
		p.Sex = rd.Sex
	case stepBorn:
		switch {
		case !rd.Born.IsZero():
			p.Born = calc.Month{Year: rd.Born.Year, Month: rd.Born.Month}
			p.BornYearOnly = rd.Born.Month == 0
			if p.BornYearOnly {
				p.Born.Month = time.January
			}
		case rd.Age > 0:
			now := e.today()
			p.Age = rd.Age
			p.Born = calc.Month{Year: now.Year() - rd.Age, Month: now.Month()}
		default:
			return false, nil
		}
		if age := ageAt(p.Born, e.today()); age < 15 || age > 100 {
			p.Born, p.BornYearOnly, p.Age = calc.Month{}, false, 0
			return false, &calc.InputError{Msg: msgBornRange}
		}
	case stepYears:
		if !rd.Years.Given {
			return false, nil
		}
		y := rd.Years
		if y.Total() > 60 {
			return false, &calc.InputError{Msg: msgYearsHelp}
		}
		p.Compulsory, p.Voluntary, p.YearsSet = y.Compulsory, y.Voluntary+y.Other, true
	case stepPInc:
		if !rd.HasIncome {
			return false, nil
		}
		if err := e.checkIncome(rd.Income); err != nil {
			return false, err
		}
		p.Income = rd.Income
	}
	return true, nil
}

func (pensionFlow) press(e *Engine, st *ChatState, step, value string) error {
	p := st.Data.Pension
	switch step {
	case stepSex:
		if value != string(calc.Male) && value != string(calc.Female) {
			return errBadValue
		}
		p.Sex = calc.Sex(value)
	case stepYears:
		n, ok := smallToken(value, 0, 60)
		if !ok {
			return errBadValue
		}
		p.Compulsory, p.Voluntary, p.YearsSet = 0, n, true
	case stepPInc:
		d, ok := moneyToken(value)
		if !ok {
			return errBadValue
		}
		if err := e.checkIncome(d); err != nil {
			return err
		}
		p.Income = d
	default:
		return errBadValue
	}
	return nil
}

func (pensionFlow) help(step string) string {
	switch step {
	case stepYears:
		return msgYearsDontKnow
	case stepBorn:
		return msgBornHelp
	}
	return msgStepHint
}

func (f pensionFlow) result(e *Engine, st *ChatState) (Response, error) {
	p := *st.Data.Pension
	st.Data.Last = Topic{Calc: &CalcSummary{Pension: &p}}
	ret, err := e.calc.RetirementAge(calc.RetireInput{Sex: p.Sex, Born: p.Born})
	if err != nil {
		return Response{}, err
	}
	left := monthsBetween(monthOf(e.today()), ret.Reached)
	head := msgRetireLine(ret.AgeYears, ret.AgeMonths, ret.Reached, left, p.BornYearOnly)
	if f.retireOnly {
		html := msgRetireCard(p.Sex, p.Born, p.BornYearOnly, head)
		rows := keyboard(
			[]Button{btn(BtnPensionT, CalcCb(flowPension, stepEdit, stepYears))},
			[]Button{btn(BtnDetails, DetailCb()), btn(BtnMenu, MenuCb(MenuMain))},
		)
		return reply(html, rows), nil
	}
	html, err := e.pensionCard(p, ret, left, head)
	if err != nil {
		return Response{}, err
	}
	change := btn(BtnChangeIncome, CalcCb(flowPension, stepEdit, stepPInc))
	return reply(html, resultButtons(flowPension, change)), nil
}

// pensionCard compares keeping on until retirement, stopping now, and the
// lump sum.
func (e *Engine) pensionCard(p PensionState, ret calc.RetireResult, left int, head string) (string, error) {
	now := e.today()
	paid := p.Years()
	until := min(paid+max(left, 0)/12, 60)
	d := pensionCardData{Head: head, Sex: p.Sex, Paid: paid, Compulsory: p.Compulsory, Income: calc.FormatVND(p.Income), Until: until, Reached: left <= 0}
	pension := func(years int) (calc.PensionResult, error) {
		return e.calc.Pension(calc.PensionInput{Sex: p.Sex, Years: years, Income: p.Income, Date: now})
	}
	atUntil, err := pension(until)
	if err != nil {
		return "", err
	}
	if atUntil.Eligible {
		d.UntilMonthly = calc.FormatVND(atUntil.Monthly)
		for i, y := range []int{paid, 15, 20} {
			if y >= atUntil.MinYears && y < until && (i == 0 || y > paid) {
				r, err := pension(y)
				if err != nil {
					return "", err
				}
				d.Steps = append(d.Steps, pensionStep{Years: y, Monthly: calc.FormatVND(r.Monthly), Now: y == paid})
			}
		}
	} else {
		d.Missing = atUntil.MissingYears
		d.MinYears = atUntil.MinYears
		if atUntil.CanBuyMissing && !atUntil.MissingCost.IsZero() {
			d.MissingCost = calc.FormatVND(atUntil.MissingCost)
		}
		d.MissingMax = atUntil.MissingMonthsMax / 12
	}
	if paid > 0 {
		amount, own, rule, ok := e.lumpSumToday(p.Income, p.Compulsory, p.Voluntary)
		started := addMonths(monthOf(now), -paid*12)
		switch {
		case !ok:
		case d.Reached && !atUntil.Eligible:
			// At retirement age with too few years the withdrawal is open
			// now, whenever the person first paid (L41 Art. 102(1)(a)).
			d.LumpSum, d.LumpNow = calc.FormatVND(amount), true
			if own.IsPositive() {
				d.OwnPaid = calc.FormatVND(own)
			}
		case rule.StopRouteMaxYears > 0 && paid >= rule.StopRouteMaxYears:
			d.LumpClosed = fmt.Sprintf(msgLumpClosedYears, rule.StopRouteMaxYears)
		case !rule.NewParticipantsFrom.IsZero() && !time.Date(started.Year, started.Month, 1, 0, 0, 0, 0, time.UTC).Before(rule.NewParticipantsFrom):
			d.LumpClosed = fmt.Sprintf(msgLumpClosedNew, rule.NewParticipantsFrom.Format("02/01/2006"))
		default:
			d.LumpSum = calc.FormatVND(amount)
			if own.IsPositive() {
				d.OwnPaid = calc.FormatVND(own)
			}
			if atUntil.Eligible && atUntil.Monthly.IsPositive() {
				d.LumpMonths = int(amount.Div(atUntil.Monthly).Round(0).IntPart())
			}
		}
	}
	return msgPensionCard(d), nil
}

// pensionDetails are the caveats and sources of a pension estimate.
func (e *Engine) pensionDetails(p PensionState) (string, error) {
	now := e.today()
	ret, err := e.calc.RetirementAge(calc.RetireInput{Sex: p.Sex, Born: p.Born})
	if err != nil {
		return "", err
	}
	notes, sources := append([]string(nil), ret.Notes...), append([]calc.Source(nil), ret.Sources...)
	if p.Income.IsPositive() {
		years := min(p.Years()+max(monthsBetween(monthOf(now), ret.Reached), 0)/12, 60)
		r, err := e.calc.Pension(calc.PensionInput{Sex: p.Sex, Years: years, Income: p.Income, Date: now})
		if err != nil {
			return "", err
		}
		notes, sources = append(notes, r.Notes...), append(sources, r.Sources...)
	}
	return detailsHTML([]string{msgPensionRules}, dedup(notes), sourceRefs(sources)), nil
}

// lumpSumToday estimates, in today's money, what withdrawing the years
// contributed at income would pay, and what the person paid themselves for
// the voluntary years; rule says who may withdraw after stopping. calc refuses future months (their adjustment
// coefficients are not published), so the legal per-year amount is taken from
// calc on the last 12 months (coefficient 1) and scaled; state support (group
// "other", at the rate in force each month, on the voluntary months taken as
// the last ones before this month) is deducted for voluntary months only, as
// the law requires. ok is false when calc cannot give the figures.
func (e *Engine) lumpSumToday(income decimal.Decimal, compulsory, voluntary int) (amount, own decimal.Decimal, rule calc.LumpSumRule, ok bool) {
	now := e.today()
	end := addMonths(monthOf(now), -1)
	ls, err := e.calc.LumpSum(calc.LumpSumInput{
		Periods: []calc.Period{{From: addMonths(end, -11), To: end, Income: income, Group: calc.GroupOther}},
		Date:    now,
	})
	if err != nil || !ls.AverageIncome.Equal(income) || ls.Months != 12 {
		return decimal.Zero, decimal.Zero, rule, false
	}
	rule = ls.Rule
	v, err := e.calc.VSI(calc.VSIInput{Income: income, Group: calc.GroupOther, Months: 1, Date: now})
	if err != nil {
		return decimal.Zero, decimal.Zero, rule, false
	}
	vm := voluntary * 12
	supported := vm
	if v.SupportMonths > 0 && supported > v.SupportMonths {
		supported = v.SupportMonths
	}
	support := v.SupportMonthly.Mul(decimal.NewFromInt(int64(supported)))
	if vm > 0 {
		// The support each past month had (15.400 đ a month in 2021, 33.000 đ
		// in 2024 for this group), not today's for every month: calc knows
		// the dated rates. A record calc refuses (before its tables, above an
		// old ceiling) keeps today's rate, which deducts more, never less.
		past, err := e.calc.LumpSum(calc.LumpSumInput{
			Periods: []calc.Period{{From: addMonths(end, 1-vm), To: end, Income: income, Group: calc.GroupOther}},
			Date:    now,
		})
		if err == nil {
			support = past.SupportDeducted
		}
	}
	amount = ls.Gross.Mul(decimal.NewFromInt(int64(compulsory + voluntary))).Sub(support)
	own = v.GrossMonthly.Mul(decimal.NewFromInt(int64(vm))).Sub(support)
	if !amount.IsPositive() {
		return decimal.Zero, decimal.Zero, rule, false
	}
	return amount, own, rule, true
}

func monthOf(t time.Time) calc.Month { return calc.Month{Year: t.Year(), Month: t.Month()} }

func addMonths(m calc.Month, n int) calc.Month {
	t := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	return calc.Month{Year: t.Year(), Month: t.Month()}
}

// monthsBetween is the number of months from a to b (negative when b is earlier).
func monthsBetween(a, b calc.Month) int {
	return (b.Year-a.Year)*12 + int(b.Month) - int(a.Month)
}

// ageAt is the age in whole years of someone born in m, at now.
func ageAt(m calc.Month, now time.Time) int {
	age := now.Year() - m.Year
	if now.Month() < m.Month {
		age--
	}
	return age
}
