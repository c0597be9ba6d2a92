package bot

import (
	"strconv"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Household HI: number of members → what each pays and the total for 3, 6
// and 12 months (the period changes only which total matters, so it is
// not asked).

const stepMembers = "mem"

type hiFlow struct{}

func (hiFlow) steps() []string { return []string{stepMembers} }

func (hiFlow) init(st *ChatState) { st.Data.HI = &HIState{} }

func (hiFlow) next(st *ChatState) string {
	if st.Data.HI == nil || st.Data.HI.Members == 0 {
		return stepMembers
	}
	return ""
}

func (hiFlow) expect(string) read.Expect { return read.ExpectMembers }

func (hiFlow) clear(st *ChatState, _ string) {
	if st.Data.HI != nil {
		st.Data.HI.Members = 0
	}
}

func (hiFlow) prompt(_ *Engine, _ *ChatState, _ string) (string, [][]Button, error) {
	var row1, row2 []Button
	for n := 1; n <= 6; n++ {
		b := btn(strconv.Itoa(n), CalcCb(flowHI, stepMembers, strconv.Itoa(n)))
		if n <= 3 {
			row1 = append(row1, b)
		} else {
			row2 = append(row2, b)
		}
	}
	return msgHIMembers, [][]Button{row1, row2}, nil
}

func (hiFlow) take(_ *Engine, st *ChatState, _ string, rd read.Reading) (bool, error) {
	if rd.Members == 0 {
		return false, nil
	}
	if rd.Members > calc.MaxHouseholdMembers {
		return false, &calc.InputError{Msg: msgMembersHelp}
	}
	st.Data.HI.Members = rd.Members
	if rd.Months == 3 || rd.Months == 6 || rd.Months == 12 {
		st.Data.HI.Months = rd.Months
	}
	return true, nil
}

func (hiFlow) press(_ *Engine, st *ChatState, _, value string) error {
	n, ok := smallToken(value, 1, calc.MaxHouseholdMembers)
	if !ok {
		return errBadValue
	}
	st.Data.HI.Members = n
	return nil
}

func (hiFlow) help(string) string { return msgMembersDontKnow }

func (hiFlow) result(e *Engine, st *ChatState) (Response, error) {
	h := *st.Data.HI
	html, err := e.hiCard(h)
	if err != nil {
		return Response{}, err
	}
	st.Data.Last = Topic{Calc: &CalcSummary{HI: &calc.HIInput{Members: h.Members, Months: max(h.Months, 12), Date: e.today()}}}
	change := btn(BtnChangeMembers, CalcCb(flowHI, stepEdit, stepMembers))
	return reply(html, resultButtons(flowHI, change)), nil
}

// hiPeriods are the periods a household may pay for.
var hiPeriods = []int{3, 6, 12}

// hiCard is the short result: each member for 12 months, totals per period.
func (e *Engine) hiCard(h HIState) (string, error) {
	now := e.today()
	year, err := e.calc.HouseholdHI(calc.HIInput{Members: h.Members, Months: 12, Date: now})
	if err != nil {
		return "", err
	}
	var members []string
	for _, m := range year.Members {
		if len(year.Members) > 5 && m.Position > 5 {
			break
		}
		members = append(members, msgHIMemberLine(m.Position, viNum(m.RatioPercent.String()), calc.FormatVND(m.Total), len(year.Members) > 5 && m.Position == 5))
	}
	var totals []string
	for _, p := range hiPeriods {
		r, err := e.calc.HouseholdHI(calc.HIInput{Members: h.Members, Months: p, Date: now})
		if err != nil {
			return "", err
		}
		totals = append(totals, msgMethodLine(periodLabel(p), calc.FormatVND(r.Total), h.Months == p))
	}
	return msgHICard(h.Members, members, totals), nil
}

// hiDetails are the rule, sources and caveats of a household HI result.
func (e *Engine) hiDetails(in calc.HIInput) (string, error) {
	r, err := e.calc.HouseholdHI(calc.HIInput{Members: in.Members, Months: 12, Date: e.today()})
	if err != nil {
		return "", err
	}
	return detailsHTML([]string{msgHIRule(viNum(r.RatePercent.String()), calc.FormatVND(r.BaseSalary))}, r.Notes, sourceRefs(r.Sources)), nil
}
