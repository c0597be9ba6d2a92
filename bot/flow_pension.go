package bot

import (
	"regexp"
	"strconv"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// Pension estimate: sex → birth month → years of contributions → income →
// retirement age and month, monthly pension, and the lump-sum comparison.

const (
	stepSex   = "sex"
	stepBorn  = "born"
	stepYears = "yrs"
	stepPInc  = "inc"
	maxYears  = 50
)

func pensionFlow() *flowDef {
	return &flowDef{
		name: flowPension,
		steps: []flowStep{
			{name: stepSex, prompt: sexPrompt, parse: parseSex, check: checkSex},
			{name: stepBorn, prompt: bornPrompt, parse: parseBorn, check: (*Engine).checkBorn},
			{name: stepYears, prompt: yearsPrompt, parse: parseYears, check: checkYears},
			{name: stepPInc, prompt: (*Engine).pensionIncomePrompt, parse: parseIncome, check: (*Engine).checkIncome},
		},
		result: (*Engine).pensionResult,
	}
}

func sexPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
	return msgPensionSex, [][]Button{{
		btn(calc.Male.Label(), CalcCb(flowPension, stepSex, string(calc.Male))),
		btn(calc.Female.Label(), CalcCb(flowPension, stepSex, string(calc.Female))),
	}}, nil
}

func parseSex(_ *Engine, _ *ChatState, text string) (string, error) {
	s, err := calc.ParseSex(text)
	if err != nil {
		return "", err
	}
	return string(s), nil
}

func checkSex(_ *Engine, _ *ChatState, v string) error {
	if v == string(calc.Male) || v == string(calc.Female) {
		return nil
	}
	return errBadValue
}

func bornPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
	return msgPensionBorn, nil, nil
}

func parseBorn(_ *Engine, _ *ChatState, text string) (string, error) {
	m, ok := parseBirthMonth(text)
	if !ok {
		return "", &calc.InputError{Msg: msgBornHelp}
	}
	return monthToken(m), nil
}

// checkBorn accepts people aged 15 to 100 today.
func (e *Engine) checkBorn(_ *ChatState, v string) error {
	m, ok := parseMonthToken(v)
	if !ok {
		return errBadValue
	}
	now := e.today()
	age := now.Year() - m.Year
	if now.Month() < m.Month {
		age--
	}
	if age < 15 || age > 100 {
		return &calc.InputError{Msg: msgBornRange}
	}
	return nil
}

func yearsPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
	var row []Button
	for _, y := range []int{15, 20, 25, 30, 35} {
		row = append(row, btn(strconv.Itoa(y), CalcCb(flowPension, stepYears, strconv.Itoa(y))))
	}
	return msgPensionYears, [][]Button{row}, nil
}

func parseYears(_ *Engine, _ *ChatState, text string) (string, error) {
	n, ok := parseSmallInt(folded(text), 1, maxYears)
	if !ok {
		return "", &calc.InputError{Msg: msgYearsHelp}
	}
	return strconv.Itoa(n), nil
}

func checkYears(_ *Engine, _ *ChatState, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxYears || strconv.Itoa(n) != v {
		return errBadValue
	}
	return nil
}

func (e *Engine) pensionIncomePrompt(_ *ChatState) (string, [][]Button, error) {
	rows, floor, _, err := e.incomePresets(flowPension, stepPInc)
	if err != nil {
		return "", nil, err
	}
	return msgPensionIncome(calc.FormatVND(floor)), rows, nil
}

func (e *Engine) pensionResult(st *ChatState) (Response, error) {
	sex := calc.Sex(st.Get(stepSex))
	born, ok := parseMonthToken(st.Get(stepBorn))
	years, _ := strconv.Atoi(st.Get(stepYears))
	income, ok2 := moneyToken(st.Get(stepPInc))
	if !ok || !ok2 {
		return Response{}, errBadValue
	}
	now := e.today()
	ret, err := e.calc.RetirementAge(calc.RetireInput{Sex: sex, Born: born})
	if err != nil {
		return Response{}, err
	}
	pen, err := e.calc.Pension(calc.PensionInput{Sex: sex, Years: years, Income: income, Date: now})
	if err != nil {
		return Response{}, err
	}
	d := pensionCardData{
		Age: ret.AgeYears, AgeMonths: ret.AgeMonths,
		Reached: twoDigits(int(ret.Reached.Month)) + "/" + strconv.Itoa(ret.Reached.Year),
		Years:   years, Income: calc.FormatVND(income),
		Eligible: pen.Eligible, MinYears: pen.MinYears,
		Rate: pen.RatePercent.String(), Monthly: calc.FormatVND(pen.Monthly),
		MissingYears: pen.MissingYears, Notes: pen.Notes,
		Sources: sourceRefs(append(ret.Sources, pen.Sources...)),
	}
	if !pen.MissingCost.IsZero() {
		d.MissingCost = calc.FormatVND(pen.MissingCost)
	}
	if x, paid, ok := e.lumpSumToday(income, years); ok {
		d.LumpSum, d.Paid = calc.FormatVND(x), calc.FormatVND(paid)
		if pen.Eligible && pen.Monthly.IsPositive() {
			d.LumpMonths = int(x.Div(pen.Monthly).Round(0).IntPart())
		}
	}
	st.Set(keyTopic, "pension "+string(sex)+" "+strconv.Itoa(years)+" "+income.String())
	return reply(msgPensionCard(d), resultButtons(MenuPension)), nil
}

var reYearsIn = regexp.MustCompile(`(\d{1,2})\s*nam`)

// directPension starts the pension estimate from a question that already
// gives the years of contributions, and maybe the income ("đóng 20 năm
// lương 5tr thì lương hưu bao nhiêu"): those steps are filled and the bot
// asks only what is missing. ok is false when the question has no years.
func (e *Engine) directPension(st *ChatState, f string) (Response, bool, error) {
	var years, income string
	if m := reYearsIn.FindStringSubmatch(f); m != nil && checkYears(e, st, m[1]) == nil {
		years = m[1]
	}
	if m := findMoney(f); m != "" {
		if d, err := calc.ParseMoney(m); err == nil && e.checkIncome(st, d.String()) == nil {
			income = d.String()
		}
	}
	if years == "" {
		// Without the years an income alone is too weak a sign (a letter
		// asking what to pay "và có được lương hưu không").
		return Response{}, false, nil
	}
	st.Enter(flowPension, stepSex)
	var got []string
	if years != "" {
		st.Set(stepYears, years)
		got = append(got, msgGotYears(years))
	}
	if income != "" {
		d, _ := moneyToken(income)
		st.Set(stepPInc, income)
		got = append(got, msgGotIncome(calc.FormatVND(d)))
	}
	r, err := e.prompt(st, e.flows[flowPension], 0, msgPensionGot(got))
	return r, true, err
}

func addMonths(m calc.Month, n int) calc.Month {
	t := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	return calc.Month{Year: t.Year(), Month: t.Month()}
}

// lumpSumToday estimates, in today's money, what withdrawing years of
// contributions at income would pay, and what the person would have paid
// out of pocket. calc refuses future months (their adjustment coefficients
// are not published), so the legal per-year amount is taken from calc on the
// last 12 months (adjustment coefficient 1) and scaled to the years; state
// support (group "other", at most SupportMonths months) is deducted as the
// law requires. ok is false when calc cannot give the base figures.
func (e *Engine) lumpSumToday(income decimal.Decimal, years int) (amount, paid decimal.Decimal, ok bool) {
	now := e.today()
	end := addMonths(calc.Month{Year: now.Year(), Month: now.Month()}, -1)
	ls, err := e.calc.LumpSum(calc.LumpSumInput{
		Periods: []calc.Period{{From: addMonths(end, -11), To: end, Income: income, Group: calc.GroupOther}},
		Date:    now,
	})
	if err != nil || !ls.AverageIncome.Equal(income) || ls.Months != 12 {
		return decimal.Zero, decimal.Zero, false // coefficients are not 1: no like-for-like figure
	}
	v, err := e.calc.VSI(calc.VSIInput{Income: income, Group: calc.GroupOther, Months: 1, Date: now})
	if err != nil {
		return decimal.Zero, decimal.Zero, false
	}
	months := years * 12
	supported := months
	if v.SupportMonths > 0 && supported > v.SupportMonths {
		supported = v.SupportMonths
	}
	support := v.SupportMonthly.Mul(decimal.NewFromInt(int64(supported)))
	amount = ls.Gross.Mul(decimal.NewFromInt(int64(years))).Sub(support)
	paid = v.GrossMonthly.Mul(decimal.NewFromInt(int64(months))).Sub(support)
	if !amount.IsPositive() {
		return decimal.Zero, decimal.Zero, false
	}
	return amount, paid, true
}
