package bot

import (
	"regexp"
	"strconv"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Household HI: number of members → period → amounts per member and total.

const (
	stepMembers = "mem"
	stepPeriod  = "per"
	maxMembers  = 20
)

var (
	reMembers  = regexp.MustCompile(`(\d{1,2})\s*(?:nguoi|thanh vien|nhan khau|khau|mang|ng)\b`)
	reHIPeriod = regexp.MustCompile(`(\d{1,2})\s*thang`)
)

func hiFlow() *flowDef {
	return &flowDef{
		name: flowHI,
		steps: []flowStep{
			{name: stepMembers, prompt: hiMembersPrompt, parse: parseMembers, check: checkMembers},
			{name: stepPeriod, prompt: hiPeriodPrompt, parse: parsePeriod, check: checkPeriod},
		},
		result: (*Engine).hiResult,
	}
}

func hiMembersPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
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

func parseMembers(_ *Engine, _ *ChatState, text string) (string, error) {
	n, ok := parseSmallInt(folded(text), 1, maxMembers)
	if !ok {
		return "", &calc.InputError{Msg: msgMembersHelp}
	}
	return strconv.Itoa(n), nil
}

func checkMembers(_ *Engine, _ *ChatState, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxMembers || strconv.Itoa(n) != v {
		return errBadValue
	}
	return nil
}

func hiPeriodPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
	row := []Button{
		btn(periodLabel(3), CalcCb(flowHI, stepPeriod, "3")),
		btn(periodLabel(6), CalcCb(flowHI, stepPeriod, "6")),
		btn(periodLabel(12), CalcCb(flowHI, stepPeriod, "12")),
	}
	return msgHIPeriod, [][]Button{row}, nil
}

func parsePeriod(_ *Engine, _ *ChatState, text string) (string, error) {
	f := folded(text)
	if n, ok := parseSmallInt(f, 1, 12); ok {
		if hasAny(f, "nam") && n == 1 {
			return "12", nil
		}
		if n == 3 || n == 6 || n == 12 {
			return strconv.Itoa(n), nil
		}
	} else if hasAny(f, "nam", "ca nam") {
		return "12", nil
	} else if hasAny(f, "quy") {
		return "3", nil
	}
	return "", &calc.InputError{Msg: msgPeriodHelp}
}

func checkPeriod(_ *Engine, _ *ChatState, v string) error {
	switch v {
	case "3", "6", "12":
		return nil
	}
	return errBadValue
}

func (e *Engine) hiResult(st *ChatState) (Response, error) {
	n, _ := strconv.Atoi(st.Get(stepMembers))
	months, _ := strconv.Atoi(st.Get(stepPeriod))
	html, err := e.hiCard(n, months)
	if err != nil {
		return Response{}, err
	}
	st.Set(keyTopic, "hi "+strconv.Itoa(n)+" "+strconv.Itoa(months))
	return reply(html, resultButtons(MenuHI)), nil
}

// hiCard renders the household HI amounts.
func (e *Engine) hiCard(members, months int) (string, error) {
	r, err := e.calc.HouseholdHI(calc.HIInput{Members: members, Months: months, Date: e.today()})
	if err != nil {
		return "", err
	}
	var rows []string
	for _, m := range r.Members {
		rows = append(rows, msgHIMemberLine(m.Position, m.RatioPercent.String(), calc.FormatVND(m.Total)))
	}
	return msgHICard(members, months, rows, calc.FormatVND(r.Total), r.RatePercent.String(),
		calc.FormatVND(r.BaseSalary), r.Notes, sourceRefs(r.Sources)), nil
}
