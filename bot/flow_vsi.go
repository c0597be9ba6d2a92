package bot

import (
	"errors"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Voluntary SI: income → support group → what one pays, for every payment
// method at once (the method changes only which line matters, so it is not
// asked).

const (
	stepIncome = "inc"
	stepGroup  = "grp"
)

type vsiFlow struct{}

func (vsiFlow) steps() []string { return []string{stepIncome, stepGroup} }

func (vsiFlow) init(st *ChatState) { st.Data.VSI = &VSIState{} }

func (vsiFlow) next(st *ChatState) string {
	v := st.Data.VSI
	switch {
	case v == nil || !v.Income.IsPositive():
		return stepIncome
	case v.Group == "":
		return stepGroup
	}
	return ""
}

func (vsiFlow) expect(step string) read.Expect {
	if step == stepGroup {
		return read.ExpectGroup
	}
	return read.ExpectIncome
}

func (vsiFlow) clear(st *ChatState, step string) {
	if st.Data.VSI == nil {
		return
	}
	switch step {
	case stepIncome:
		st.Data.VSI.Income = decimal.Zero
	case stepGroup:
		st.Data.VSI.Group, st.Data.VSI.GroupAssumed = "", false
	}
}

func (vsiFlow) prompt(e *Engine, st *ChatState, step string) (string, [][]Button, error) {
	if step == stepGroup {
		return e.vsiGroupPrompt(st)
	}
	rows, floor, ceiling, err := e.incomePresets(flowVSI, stepIncome)
	if err != nil {
		return "", nil, err
	}
	return msgVSIIncome(calc.FormatVND(floor), calc.FormatVND(ceiling)), rows, nil
}

func (vsiFlow) take(e *Engine, st *ChatState, step string, rd read.Reading) (bool, error) {
	switch step {
	case stepIncome:
		if !rd.HasIncome {
			if _, err := calc.ParseMoney(rd.Text); rd.Words <= 3 && len(rd.Numbers) > 0 && err != nil {
				return false, err // "1,5" or "3": calc says which unit is missing
			}
			return false, nil
		}
		if err := e.checkIncome(rd.Income); err != nil {
			return false, err
		}
		st.Data.VSI.Income = rd.Income
	case stepGroup:
		if rd.Group == "" || rd.Intents.Has(read.AskGroupMeaning) {
			return false, nil
		}
		st.Data.VSI.Group, st.Data.VSI.GroupAssumed = rd.Group, false
	}
	return true, nil
}

func (vsiFlow) press(e *Engine, st *ChatState, step, value string) error {
	switch step {
	case stepIncome:
		d, ok := moneyToken(value)
		if !ok {
			return errBadValue
		}
		if err := e.checkIncome(d); err != nil {
			return err
		}
		st.Data.VSI.Income = d
	case stepGroup:
		g := calc.Group(value)
		if !g.Valid() {
			return errBadValue
		}
		st.Data.VSI.Group, st.Data.VSI.GroupAssumed = g, false
	default:
		return errBadValue
	}
	return nil
}

func (vsiFlow) help(step string) string {
	if step == stepGroup {
		return msgGroupHelp
	}
	return msgIncomeHelp
}

func (vsiFlow) result(e *Engine, st *ChatState) (Response, error) {
	v := *st.Data.VSI
	html, err := e.vsiCard(v)
	if err != nil {
		return Response{}, err
	}
	st.Data.Last = Topic{Calc: &CalcSummary{VSI: &calc.VSIInput{Income: v.Income, Group: v.Group, Months: max(v.Months, 1), Years: v.Advance, Date: e.today()}}}
	change := btn(BtnChangeGroup, CalcCb(flowVSI, stepEdit, stepGroup))
	rows := resultButtons(flowVSI, change)
	if e.remindersOn() {
		// Before the menu row: keep paying, reminded at each deadline.
		last := len(rows) - 1
		rows = append(rows[:last:last], []Button{btn(BtnRemindPay, RemindCb(RemindSetPay, 0))}, rows[last])
	}
	return reply(html, rows), nil
}

// checkIncome asks calc whether an income may be chosen today.
func (e *Engine) checkIncome(d decimal.Decimal) error {
	_, err := e.calc.VSI(calc.VSIInput{Income: d, Group: calc.GroupOther, Months: 1, Date: e.today()})
	return err
}

// incomePresets are the income buttons: the floor, then 2, 3 and 5 million
// when they are inside the allowed range.
func (e *Engine) incomePresets(flow, step string) ([][]Button, decimal.Decimal, decimal.Decimal, error) {
	floor, ceiling, err := e.calc.VSIBounds(e.today())
	if err != nil {
		return nil, floor, ceiling, err
	}
	vals := []decimal.Decimal{floor}
	for _, m := range []int64{2_000_000, 3_000_000, 5_000_000} {
		d := decimal.NewFromInt(m)
		if d.GreaterThan(floor) && d.LessThanOrEqual(ceiling) {
			vals = append(vals, d)
		}
	}
	var row []Button
	for _, v := range vals {
		row = append(row, btn(shortVND(v), CalcCb(flow, step, v.String())))
	}
	return [][]Button{row}, floor, ceiling, nil
}

func (e *Engine) vsiGroupPrompt(st *ChatState) (string, [][]Button, error) {
	var b strings.Builder
	b.WriteString(msgVSIGroup)
	var rows [][]Button
	var row []Button
	for _, g := range calc.Groups {
		r, err := e.calc.VSI(calc.VSIInput{Income: st.Data.VSI.Income, Group: g, Months: 1, Date: e.today()})
		if err != nil {
			return "", nil, err
		}
		b.WriteString("\n" + msgGroupLine(g.Label(), groupHint(g), calc.FormatVND(r.SupportMonthly)))
		row = append(row, btn(g.Label(), CalcCb(flowVSI, stepGroup, string(g))))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return b.String(), rows, nil
}

// vsiMethods are the payment methods a result lists: months per payment,
// then one advance payment (years).
var vsiMethods = []int{1, 3, 6, 12}

// vsiCard is the short result: what one pays a month and per payment.
func (e *Engine) vsiCard(v VSIState) (string, error) {
	now := e.today()
	base, err := e.calc.VSI(calc.VSIInput{Income: v.Income, Group: v.Group, Months: 1, Date: now})
	if err != nil {
		return "", err
	}
	var rows []string
	for _, m := range vsiMethods {
		if m == 1 {
			continue
		}
		r, err := e.calc.VSI(calc.VSIInput{Income: v.Income, Group: v.Group, Months: m, Date: now})
		if err != nil {
			return "", err
		}
		rows = append(rows, msgMethodLine(periodLabel(m), calc.FormatVND(r.PayableTotal), v.Months == m && v.Advance == 0))
	}
	adv := 5
	if v.Advance >= calc.AdvanceYearsMin {
		adv = v.Advance
	}
	if r, err := e.calc.VSI(calc.VSIInput{Income: v.Income, Group: v.Group, Years: adv, Date: now}); err == nil {
		rows = append(rows, msgMethodLine(msgAdvanceLabel(adv), calc.FormatVND(r.PayableTotal), v.Advance == adv))
	} else if ie := (*calc.InputError)(nil); !errors.As(err, &ie) {
		return "", err
	}
	return msgVSICard(vsiCardData{
		Income:  calc.FormatVND(v.Income),
		Group:   v.Group.Label(),
		Assumed: v.GroupAssumed,
		Rate:    base.RatePercent.String(),
		Gross:   calc.FormatVND(base.GrossMonthly),
		Support: calc.FormatVND(base.SupportMonthly),
		Payable: calc.FormatVND(base.PayableMonthly),
		Monthly: v.Months <= 1 && v.Advance == 0,
		Rows:    rows,
	}), nil
}

// vsiDetails are the sources and caveats of a contribution result.
func (e *Engine) vsiDetails(in calc.VSIInput) (string, error) {
	now := e.today()
	base, err := e.calc.VSI(calc.VSIInput{Income: in.Income, Group: in.Group, Months: 1, Date: now})
	if err != nil {
		return "", err
	}
	notes, sources := base.Notes, base.Sources
	adv := max(in.Years, 5)
	if r, err := e.calc.VSI(calc.VSIInput{Income: in.Income, Group: in.Group, Years: adv, Date: now}); err == nil {
		notes = append(append([]string(nil), notes...), r.Notes...)
		sources = append(append([]calc.Source(nil), sources...), r.Sources...)
	}
	lines := []string{msgVSIFormula(viNum(base.RatePercent.String()), calc.FormatVND(base.SupportMonthly), base.SupportMonths)}
	return detailsHTML(lines, dedup(notes), sourceRefs(sources)), nil
}

// moneyToken parses a whole-đồng button value ("1500000").
func moneyToken(s string) (decimal.Decimal, bool) {
	if s == "" || len(s) > 13 {
		return decimal.Zero, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return decimal.Zero, false
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsPositive() {
		return decimal.Zero, false
	}
	return d, true
}

// smallToken parses a small whole-number button value within lo..hi.
func smallToken(s string, lo, hi int) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// dedup keeps the first of equal strings, in order.
func dedup(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func sourceRefs(src []calc.Source) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range src {
		if s.Ref != "" && !seen[s.Ref] {
			seen[s.Ref] = true
			out = append(out, s.Ref)
		}
	}
	return out
}
