package bot

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// Voluntary SI: income → support group → payment method → result card.

const (
	stepIncome = "inc"
	stepGroup  = "grp"
	stepMethod = "pay"
)

// vsiMethods are the payment-method tokens: months ("m1".."m12") or years
// paid in advance ("y2".."y5").
var vsiMethods = []string{"m1", "m3", "m6", "m12", "y2", "y3", "y4", "y5"}

func vsiFlow() *flowDef {
	return &flowDef{
		name: flowVSI,
		steps: []flowStep{
			{name: stepIncome, prompt: (*Engine).vsiIncomePrompt, parse: parseIncome, check: (*Engine).checkIncome},
			{name: stepGroup, prompt: (*Engine).vsiGroupPrompt, parse: parseGroupStep, check: checkGroup},
			{name: stepMethod, prompt: vsiMethodPrompt, parse: parseMethod, check: checkMethod},
		},
		result: (*Engine).vsiResult,
	}
}

// vsiBounds asks calc for the income floor and ceiling in force today.
func (e *Engine) vsiBounds() (floor, ceiling decimal.Decimal, err error) {
	probe := decimal.NewFromInt(5_000_000)
	for range 2 {
		r, err := e.calc.VSI(calc.VSIInput{Income: probe, Group: calc.GroupOther, Months: 1, Date: e.today()})
		var ie *calc.InputError
		if errors.As(err, &ie) && !ie.Nearest.IsZero() {
			probe = ie.Nearest
			continue
		}
		if err != nil {
			return decimal.Zero, decimal.Zero, err
		}
		return r.Floor, r.Ceiling, nil
	}
	return decimal.Zero, decimal.Zero, errors.New("vsi bounds: no valid probe income")
}

// incomePresets are the income buttons: the floor, then 2, 3 and 5 million
// when they are inside the allowed range.
func (e *Engine) incomePresets(flow, step string) ([][]Button, decimal.Decimal, decimal.Decimal, error) {
	floor, ceiling, err := e.vsiBounds()
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

func (e *Engine) vsiIncomePrompt(st *ChatState) (string, [][]Button, error) {
	rows, floor, ceiling, err := e.incomePresets(flowVSI, stepIncome)
	if err != nil {
		return "", nil, err
	}
	return msgVSIIncome(calc.FormatVND(floor), calc.FormatVND(ceiling)), rows, nil
}

func parseIncome(_ *Engine, _ *ChatState, text string) (string, error) {
	v, err := parseMoney(text)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func (e *Engine) checkIncome(st *ChatState, v string) error {
	d, ok := moneyToken(v)
	if !ok {
		return errBadValue
	}
	_, err := e.calc.VSI(calc.VSIInput{Income: d, Group: calc.GroupOther, Months: 1, Date: e.today()})
	return err
}

func (e *Engine) vsiGroupPrompt(st *ChatState) (string, [][]Button, error) {
	income, _ := moneyToken(st.Get(stepIncome))
	var b strings.Builder
	b.WriteString(msgVSIGroup)
	var rows [][]Button
	var row []Button
	for _, g := range calc.Groups {
		r, err := e.calc.VSI(calc.VSIInput{Income: income, Group: g, Months: 1, Date: e.today()})
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

func parseGroupStep(_ *Engine, _ *ChatState, text string) (string, error) {
	g, err := calc.ParseGroup(text)
	if err != nil {
		return "", err
	}
	return string(g), nil
}

func checkGroup(_ *Engine, _ *ChatState, v string) error {
	for _, g := range calc.Groups {
		if string(g) == v {
			return nil
		}
	}
	return errBadValue
}

func vsiMethodPrompt(_ *Engine, _ *ChatState) (string, [][]Button, error) {
	rows := [][]Button{
		{btn(methodLabel("m1"), CalcCb(flowVSI, stepMethod, "m1")), btn(methodLabel("m3"), CalcCb(flowVSI, stepMethod, "m3"))},
		{btn(methodLabel("m6"), CalcCb(flowVSI, stepMethod, "m6")), btn(methodLabel("m12"), CalcCb(flowVSI, stepMethod, "m12"))},
		{btn(methodLabel("y2"), CalcCb(flowVSI, stepMethod, "y2")), btn(methodLabel("y3"), CalcCb(flowVSI, stepMethod, "y3")),
			btn(methodLabel("y5"), CalcCb(flowVSI, stepMethod, "y5"))},
	}
	return msgVSIMethod, rows, nil
}

// parseMethod reads "hằng tháng", "3 tháng", "quý", "năm", "đóng trước 5 năm".
func parseMethod(_ *Engine, _ *ChatState, text string) (string, error) {
	f := folded(text)
	n, hasN := parseSmallInt(f, 1, 60)
	switch {
	case hasAny(f, "hang thang", "moi thang", "thang") && !hasN:
		return "m1", nil
	case hasAny(f, "quy") && !hasN:
		return "m3", nil
	case hasAny(f, "nam") && !hasN:
		return "m12", nil
	case hasN && hasAny(f, "nam"):
		if n == 1 {
			return "m12", nil
		}
		if n >= 2 && n <= 5 {
			return "y" + strconv.Itoa(n), nil
		}
	case hasN:
		switch n {
		case 1, 3, 6, 12:
			return "m" + strconv.Itoa(n), nil
		}
	}
	return "", &calc.InputError{Msg: msgMethodHelp}
}

func checkMethod(_ *Engine, _ *ChatState, v string) error {
	for _, m := range vsiMethods {
		if m == v {
			return nil
		}
	}
	return errBadValue
}

// methodInput turns a method token into months/years.
func methodInput(tok string) (months, years int) {
	n, _ := strconv.Atoi(tok[1:])
	if tok[0] == 'y' {
		return 0, n
	}
	return n, 0
}

func (e *Engine) vsiResult(st *ChatState) (Response, error) {
	income, ok := moneyToken(st.Get(stepIncome))
	if !ok {
		return Response{}, errBadValue
	}
	html, err := e.vsiCard(income, calc.Group(st.Get(stepGroup)), st.Get(stepMethod))
	if err != nil {
		return Response{}, err
	}
	st.Set(keyTopic, "vsi "+income.String()+" "+st.Get(stepGroup)+" "+st.Get(stepMethod))
	return reply(html, resultButtons(MenuVSI)), nil
}

// vsiCard renders the comparison of every payment method for one income and
// group; chosen ("m1".."y5") is marked.
func (e *Engine) vsiCard(income decimal.Decimal, g calc.Group, chosen string) (string, error) {
	now := e.today()
	base, err := e.calc.VSI(calc.VSIInput{Income: income, Group: g, Months: 1, Date: now})
	if err != nil {
		return "", err
	}
	adv := "y5"
	if strings.HasPrefix(chosen, "y") {
		adv = chosen
	}
	var rowsHTML []string
	notes, sources := append([]string(nil), base.Notes...), append([]calc.Source(nil), base.Sources...)
	for _, tok := range []string{"m1", "m3", "m6", "m12", adv} {
		months, years := methodInput(tok)
		r, err := e.calc.VSI(calc.VSIInput{Income: income, Group: g, Months: months, Years: years, Date: now})
		if err != nil {
			var ie *calc.InputError
			if errors.As(err, &ie) && years > 0 {
				continue // advance payment not offered on this date
			}
			return "", err
		}
		label := methodLabel(tok)
		if years > 0 {
			label = msgAdvanceLabel(years)
			notes = append(notes, r.Notes...) // e.g. the discount rate is not confirmed
			sources = append(sources, r.Sources...)
		}
		rowsHTML = append(rowsHTML, msgMethodLine(label, calc.FormatVND(r.PayableTotal), tok == chosen))
	}
	return msgVSICard(vsiCardData{
		Income:  calc.FormatVND(income),
		Group:   g.Label(),
		Rate:    base.RatePercent.String(),
		Gross:   calc.FormatVND(base.GrossMonthly),
		Support: calc.FormatVND(base.SupportMonthly),
		Payable: calc.FormatVND(base.PayableMonthly),
		Rows:    rowsHTML,
		Notes:   dedup(notes),
		Sources: sourceRefs(sources),
		HasSupp: base.SupportMonthly.IsPositive(),
	}), nil
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

// direct answers a question that already carries the numbers: "thu nhập 5
// triệu đóng bao nhiêu", "nhà 4 người mua bhyt hết bao nhiêu".
func (e *Engine) direct(ctx context.Context, ev Event, st *ChatState, text string) (Response, bool, error) {
	f := folded(text)
	if hasAny(f, "bhyt", "y te", "bao hiem y te") {
		m := reMembers.FindStringSubmatch(f)
		if m == nil {
			return Response{}, false, nil
		}
		n, ok := parseSmallInt(m[1], 1, 50)
		if !ok {
			return Response{}, false, nil
		}
		months := 12
		if p := reHIPeriod.FindStringSubmatch(f); p != nil {
			if k, ok := parseSmallInt(p[1], 1, 12); ok && (k == 3 || k == 6 || k == 12) {
				months = k
			}
		}
		html, err := e.hiCard(n, months)
		if err != nil {
			return e.directErr(err)
		}
		e.metrics.answer("calc")
		st.Reset()
		st.Set(keyTopic, "hi "+strconv.Itoa(n)+" "+strconv.Itoa(months))
		return reply(html, resultButtons(MenuHI)), true, nil
	}
	if hasAny(f, "luong huu", "ve huu", "nghi huu") && hasAny(f, "bao nhieu", "bn", "nhieu", "tinh", "khoang", "duoc may") {
		return e.directPension(st, f)
	}
	if !hasAny(f, "dong", "thu nhap", "muc dong", "tu nguyen", "bhxh") ||
		hasAny(f, "luong huu", "huong", "rut", "mot lan", "1 lan", "tro cap", "thai san", "mai tang", "tuat") {
		return Response{}, false, nil
	}
	m := findMoney(f)
	if m == "" {
		return Response{}, false, nil
	}
	income, err := calc.ParseMoney(m)
	if err != nil {
		return Response{}, false, nil
	}
	if err := e.checkIncome(st, income.String()); err != nil {
		var ie *calc.InputError
		if errors.As(err, &ie) {
			// Below the floor or above the ceiling: continue in the flow,
			// which explains and offers the nearest valid amount.
			st.Enter(flowVSI, stepIncome)
			r, err := e.accept(ctx, ev, st, e.flows[flowVSI], income.String(), false)
			return r, true, err
		}
		return Response{}, true, err
	}
	g, gerr := calc.ParseGroup(text)
	if gerr != nil {
		g = calc.GroupOther
	}
	html, err := e.vsiCard(income, g, directMethod(f))
	if err != nil {
		return e.directErr(err)
	}
	e.metrics.answer("calc")
	st.Reset()
	st.Set(keyTopic, "vsi "+income.String()+" "+string(g))
	return reply(html, resultButtons(MenuVSI)), true, nil
}

// directErr shows a calculator input error (e.g. income below the floor)
// with the menu; other errors are internal.
func (e *Engine) directErr(err error) (Response, bool, error) {
	var ie *calc.InputError
	if errors.As(err, &ie) {
		return reply(warn(ie.Msg), mainMenu()), true, nil
	}
	return Response{}, true, err
}

var (
	reAdvance = regexp.MustCompile(`truoc\s*(\d)\s*nam`)
	rePeriod  = regexp.MustCompile(`(\d{1,2})\s*thang`)
)

// directMethod reads the payment method a question names ("đóng 6 tháng",
// "đóng trước 3 năm", "cả năm", "theo quý"); monthly when it names none.
func directMethod(f string) string {
	if m := reAdvance.FindStringSubmatch(f); m != nil {
		if n, ok := parseSmallInt(m[1], 2, 5); ok {
			return "y" + strconv.Itoa(n)
		}
	}
	if m := rePeriod.FindStringSubmatch(f); m != nil {
		if n, ok := parseSmallInt(m[1], 1, 12); ok && (n == 3 || n == 6 || n == 12) {
			return "m" + strconv.Itoa(n)
		}
	}
	switch {
	case hasAny(f, "1 nam", "mot nam", "ca nam", "nam mot lan", "theo nam"):
		return "m12"
	case hasAny(f, "quy", "theo quy"):
		return "m3"
	}
	return "m1"
}
