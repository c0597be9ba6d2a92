package faq

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/shopspring/decimal"
)

// Amounts computes the values that placeholders name, from the dated
// parameters and the calculator, for the day an answer is read. It holds no
// mutable state and is safe for concurrent use.
type Amounts struct{ c *calc.Calculator }

// NewAmounts returns the amounts of one set of parameters.
func NewAmounts(c *calc.Calculator) *Amounts { return &Amounts{c: c} }

// LoadAmounts reads rates.yaml from the content root. It returns (nil, nil)
// when there is no rates.yaml (answers without placeholders need none) and
// the calc error when the file is invalid.
func LoadAmounts(fsys fs.FS) (*Amounts, error) {
	p, err := calc.LoadParams(fsys)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return NewAmounts(calc.New(p)), nil
}

// argKind is the kind of one placeholder argument.
type argKind int

const (
	argIncome   argKind = iota // floor, ceiling or an amount: 3000000, 3tr
	argGroup                   // poor, near-poor, ethnic-minority, island, other
	argMonths                  // a number of months, 1–120
	argHIMonths                // 3, 6 or 12
	argMember                  // a household member or size, 1–20
	argSex                     // female, male
	argYears                   // a number of years, 1–60
	argCount                   // a number of children, 1–10
	argMoney                   // an amount: 1000000, 1tr
)

// argSpec is one argument of a name; optional ones come last and take def.
type argSpec struct {
	kind     argKind
	optional bool
	def      string
}

// amountSpec is one name staff can write in an answer.
type amountSpec struct {
	name  string
	args  []argSpec
	deps  []string // rates.yaml parameters the value depends on (more with an income argument)
	value func(a *Amounts, d time.Time, x args) (string, error)
}

// args are a placeholder's arguments, read.
type args struct {
	income           income
	group            calc.Group
	months, n, years int
	sex              calc.Sex
}

// income is an income argument: the floor, the ceiling or an amount.
type income struct {
	word   string // "floor", "ceiling" or ""
	amount decimal.Decimal
}

// deps are the parameters the income depends on.
func (i income) deps() []string {
	switch i.word {
	case "floor":
		return []string{"rural_poverty_line"}
	case "ceiling":
		return []string{"reference_level", "ceiling_multiplier"}
	}
	return nil
}

func opt(k argKind, def string) argSpec { return argSpec{kind: k, optional: true, def: def} }
func req(k argKind) argSpec             { return argSpec{kind: k} }

// amountSpecs lists every name, in the order content/README.md documents them.
var amountSpecs = []amountSpec{
	{"vsi.floor", nil, []string{"rural_poverty_line"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		floor, _, err := a.c.VSIBounds(d)
		return money(floor), err
	}},
	{"vsi.ceiling", nil, []string{"reference_level", "ceiling_multiplier"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		_, ceiling, err := a.c.VSIBounds(d)
		return money(ceiling), err
	}},
	{"vsi.rate", nil, []string{"vsi_rate_percent"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		r, err := a.vsi(d, income{word: "floor"}, calc.GroupOther, 1)
		return percent(r.RatePercent), err
	}},
	{"vsi.pay", []argSpec{req(argIncome), req(argGroup), opt(argMonths, "1")}, []string{"vsi_rate_percent", "support_percent", "rural_poverty_line"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			r, err := a.vsi(d, x.income, x.group, 1)
			return money(times(r.PayableMonthly, x.months)), err
		}},
	{"vsi.gross", []argSpec{req(argIncome), opt(argMonths, "1")}, []string{"vsi_rate_percent"}, func(a *Amounts, d time.Time, x args) (string, error) {
		r, err := a.vsi(d, x.income, calc.GroupOther, 1)
		return money(times(r.GrossMonthly, x.months)), err
	}},
	{"vsi.support", []argSpec{req(argGroup), opt(argMonths, "1")}, []string{"support_percent", "rural_poverty_line", "vsi_rate_percent"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			r, err := a.vsi(d, income{word: "floor"}, x.group, 1)
			return money(times(r.SupportMonthly, x.months)), err
		}},
	{"vsi.support-percent", []argSpec{req(argGroup)}, []string{"support_percent"}, func(a *Amounts, d time.Time, x args) (string, error) {
		r, err := a.vsi(d, income{word: "floor"}, x.group, 1)
		return percent(r.SupportPercent), err
	}},
	{"vsi.support-total", []argSpec{req(argGroup)}, []string{"support_percent", "rural_poverty_line", "vsi_rate_percent", "support_cap_months"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			r, err := a.vsi(d, income{word: "floor"}, x.group, 1)
			if err == nil && r.SupportMonths == 0 {
				err = fmt.Errorf("không có giới hạn số tháng hỗ trợ vào ngày này")
			}
			return money(times(r.SupportMonthly, r.SupportMonths)), err
		}},
	{"vsi.support-cap", nil, []string{"support_cap_months"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		r, err := a.vsi(d, income{word: "floor"}, calc.GroupOther, 1)
		return fmt.Sprintf("%d tháng", r.SupportMonths), err
	}},
	{"vsi.income-step", nil, []string{"income_step"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		st, ok := a.c.Params().IncomeStep.At(d)
		if !ok {
			return "", fmt.Errorf("chưa có bước thu nhập cho ngày %s", d.Format("02/01/2006"))
		}
		return money(st.Value), nil
	}},
	{"vsi.fund-rate", nil, []string{"fund_rate_percent_month"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		fr, ok := a.c.Params().FundRate.At(d)
		if !ok {
			return "", fmt.Errorf("chưa có lãi suất quỹ cho ngày %s", d.Format("02/01/2006"))
		}
		return percent(fr.Value), nil
	}},
	{"vsi.advance", []argSpec{req(argIncome), req(argYears)}, []string{"vsi_rate_percent", "fund_rate_percent_month", "payment_methods"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			inc, err := a.income(d, x.income)
			if err != nil {
				return "", err
			}
			r, err := a.c.VSI(calc.VSIInput{Income: inc, Group: calc.GroupOther, Years: x.years, Date: d})
			return money(r.GrossTotal), err
		}},
	{"vsi.missing", []argSpec{req(argIncome), req(argYears)}, []string{"vsi_rate_percent", "fund_rate_percent_month", "pension"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			inc, err := a.income(d, x.income)
			if err != nil {
				return "", err
			}
			rule, err := a.pensionRule(d)
			if err != nil {
				return "", err
			}
			if x.years > rule.MinYears {
				return "", fmt.Errorf("chỉ thiếu được tối đa %d năm (số năm tối thiểu để có lương hưu)", rule.MinYears)
			}
			r, err := a.c.Pension(calc.PensionInput{Sex: calc.Female, Years: rule.MinYears - x.years, Income: inc, Date: d})
			if err == nil && r.MissingCost.IsZero() {
				err = fmt.Errorf("chưa có lãi suất quỹ cho ngày này")
			}
			return money(r.MissingCost), err
		}},
	{"ref.level", nil, []string{"reference_level"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		r, err := a.c.HouseholdHI(calc.HIInput{Members: 1, Months: 12, Date: d})
		return money(r.BaseSalary), err
	}},
	{"hi.rate", nil, []string{"hi_rate_percent"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		r, err := a.c.HouseholdHI(calc.HIInput{Members: 1, Months: 12, Date: d})
		return percent(r.RatePercent), err
	}},
	{"hi.ratio", []argSpec{req(argMember)}, []string{"hi_member_ratios"}, func(a *Amounts, d time.Time, x args) (string, error) {
		m, err := a.member(d, x.n)
		return percent(m.RatioPercent), err
	}},
	{"hi.member", []argSpec{req(argMember), opt(argHIMonths, "1")}, []string{"reference_level", "hi_rate_percent", "hi_member_ratios"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			m, err := a.member(d, x.n)
			return money(times(m.Monthly, x.months)), err
		}},
	{"hi.family", []argSpec{req(argMember), req(argHIMonths)}, []string{"reference_level", "hi_rate_percent", "hi_member_ratios"},
		func(a *Amounts, d time.Time, x args) (string, error) {
			r, err := a.c.HouseholdHI(calc.HIInput{Members: x.n, Months: x.months, Date: d})
			return money(r.Total), err
		}},
	{"hi.benefit", nil, []string{"hi_benefit_percent"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return percent(b.BenefitPercent), err
	}},
	{"hi.copay", nil, []string{"hi_benefit_percent"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return percent(decimal.NewFromInt(100).Sub(b.BenefitPercent)), err
	}},
	{"hi.small-visit", nil, []string{"hi_small_visit_percent", "reference_level"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return money(b.SmallVisit), err
	}},
	{"hi.small-visit-percent", nil, []string{"hi_small_visit_percent"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return percent(b.SmallVisitPercent), err
	}},
	{"hi.copay-cap", nil, []string{"hi_copay_cap_multiplier", "reference_level"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return money(b.CopayCap), err
	}},
	{"hi.copay-cap-times", nil, []string{"hi_copay_cap_multiplier"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.HIBenefits(d)
		return number(b.CopayCapMultiplier), err
	}},
	{"funeral.grant", nil, []string{"funeral_multiplier", "reference_level"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.Benefits(d)
		return money(b.FuneralGrant), err
	}},
	{"social.pension", nil, []string{"social_pension"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		b, err := a.c.Benefits(d)
		if err == nil && b.SocialPension.IsZero() {
			err = fmt.Errorf("chưa có trợ cấp hưu trí xã hội vào ngày này")
		}
		return money(b.SocialPension), err
	}},
	{"maternity.support", []argSpec{opt(argCount, "1")}, []string{"maternity_support"}, func(a *Amounts, d time.Time, x args) (string, error) {
		b, err := a.c.Benefits(d)
		if err == nil && b.MaternitySupport.IsZero() {
			err = fmt.Errorf("chưa có trợ cấp thai sản cho BHXH tự nguyện vào ngày này")
		}
		return money(times(b.MaternitySupport, x.n)), err
	}},
	{"pension.rate", []argSpec{req(argSex), req(argYears)}, []string{"pension"}, func(a *Amounts, d time.Time, x args) (string, error) {
		rule, err := a.pensionRule(d)
		if err == nil && x.years < rule.MinYears {
			err = fmt.Errorf("%d năm chưa đủ để có lương hưu (cần %d năm)", x.years, rule.MinYears)
		}
		return percent(rule.Rate(x.sex, x.years)), err
	}},
	{"pension.step", []argSpec{req(argSex), req(argYears)}, []string{"pension"}, func(a *Amounts, d time.Time, x args) (string, error) {
		rule, err := a.pensionRule(d)
		if err != nil {
			return "", err
		}
		return percent(rule.Rate(x.sex, x.years+1).Sub(rule.Rate(x.sex, x.years))), nil
	}},
	{"pension.max-rate", nil, []string{"pension"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		rule, err := a.pensionRule(d)
		return percent(rule.MaxPercent), err
	}},
	{"pension.monthly", []argSpec{req(argSex), req(argYears), req(argIncome)}, []string{"pension"}, func(a *Amounts, d time.Time, x args) (string, error) {
		inc, err := a.income(d, x.income)
		if err != nil {
			return "", err
		}
		r, err := a.c.Pension(calc.PensionInput{Sex: x.sex, Years: x.years, Income: inc, Date: d})
		if err == nil && !r.Eligible {
			err = fmt.Errorf("%d năm chưa đủ để có lương hưu (cần %d năm)", x.years, r.MinYears)
		}
		return money(r.Monthly), err
	}},
	{"income", []argSpec{req(argIncome)}, nil, func(a *Amounts, d time.Time, x args) (string, error) {
		inc, err := a.income(d, x.income)
		if err != nil {
			return "", err
		}
		floor, ceiling, err := a.c.VSIBounds(d)
		if err == nil && (inc.LessThan(floor) || inc.GreaterThan(ceiling)) {
			err = fmt.Errorf("thu nhập %s không chọn được ngày %s (từ %s đến %s): đổi ví dụ", money(inc), d.Format("02/01/2006"), money(floor), money(ceiling))
		}
		return money(inc), err
	}},
	{"amount", []argSpec{req(argMoney)}, nil, func(_ *Amounts, _ time.Time, x args) (string, error) {
		return money(x.income.amount), nil
	}},
	{"lumpsum.incapacity", nil, []string{"lump_sum"}, func(a *Amounts, d time.Time, _ args) (string, error) {
		r, ok := a.c.Params().LumpSum.At(d)
		if !ok || r.Value.IncapacityPercent.IsZero() {
			return "", fmt.Errorf("chưa có quy định rút một lần vì suy giảm khả năng lao động vào ngày này")
		}
		return percent(r.Value.IncapacityPercent), nil
	}},
}

// earned names the amounts of amountSpecs earned over a working life (a
// pension worked out at the lowest income): a new lowest income changes
// what new contributions buy, not a pension already earned, so a dated line
// never takes one as its example ("Khi đó 675.000 đồng ở trên sẽ thành
// 990.000 đồng" would mislead); the line still names the change.
var earned = map[string]bool{"pension.monthly": true}

// specByName indexes amountSpecs.
var specByName = func() map[string]*amountSpec {
	m := make(map[string]*amountSpec, len(amountSpecs))
	for i := range amountSpecs {
		m[amountSpecs[i].name] = &amountSpecs[i]
	}
	return m
}()

// parse reads the arguments of a placeholder of this name; its errors are
// in words staff understand.
func (s *amountSpec) parse(raw []string) (args, error) {
	var x args
	need := 0
	for _, a := range s.args {
		if !a.optional {
			need++
		}
	}
	if len(raw) < need || len(raw) > len(s.args) {
		return x, fmt.Errorf("cần %s; ví dụ {{%s}}", s.usage(), s.example())
	}
	for i, a := range s.args {
		v := a.def
		if i < len(raw) {
			v = raw[i]
		}
		if err := x.set(a.kind, v); err != nil {
			return x, err
		}
	}
	return x, nil
}

func (x *args) set(k argKind, v string) error {
	num := func(lo, hi int, what string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%q không phải %s (%d–%d)", v, what, lo, hi)
		}
		return n, nil
	}
	var err error
	switch k {
	case argIncome:
		switch v {
		case "floor", "ceiling":
			x.income = income{word: v}
		default:
			amt, perr := calc.ParseMoney(v)
			if perr != nil {
				return fmt.Errorf("thu nhập %q: ghi floor (mức thấp nhất), ceiling (mức cao nhất) hoặc một số tiền như 3000000 hay 3tr", v)
			}
			x.income = income{amount: amt}
		}
	case argMoney:
		amt, perr := calc.ParseMoney(v)
		if perr != nil {
			return fmt.Errorf("số tiền %q: ghi như 1000000 hoặc 1tr", v)
		}
		x.income = income{amount: amt}
	case argGroup:
		g := calc.Group(v)
		if !g.Valid() {
			return fmt.Errorf("nhóm %q: ghi một trong poor, near-poor, ethnic-minority, island, other", v)
		}
		x.group = g
	case argMonths:
		x.months, err = num(1, 120, "số tháng")
	case argHIMonths:
		x.months, err = num(1, 12, "số tháng")
		if err == nil && x.months != 1 && x.months != 3 && x.months != 6 && x.months != 12 {
			err = fmt.Errorf("BHYT hộ gia đình đóng 3, 6 hoặc 12 tháng (hoặc 1 để xem mỗi tháng), không phải %s", v)
		}
	case argMember:
		x.n, err = num(1, 20, "người thứ mấy / số người trong hộ")
	case argCount:
		x.n, err = num(1, 10, "số con")
	case argYears:
		x.years, err = num(1, 60, "số năm")
	case argSex:
		switch v {
		case "female", "male":
			x.sex = calc.Sex(v)
		default:
			err = fmt.Errorf("giới tính %q: ghi female (nữ) hoặc male (nam)", v)
		}
	}
	return err
}

// argWords names each kind of argument in usage messages and the README.
var argWords = map[argKind][2]string{
	argIncome:   {"THU_NHẬP", "3000000"},
	argGroup:    {"NHÓM", "other"},
	argMonths:   {"SỐ_THÁNG", "12"},
	argHIMonths: {"SỐ_THÁNG", "12"},
	argMember:   {"SỐ_NGƯỜI", "3"},
	argSex:      {"GIỚI_TÍNH", "female"},
	argYears:    {"SỐ_NĂM", "20"},
	argCount:    {"SỐ_CON", "2"},
	argMoney:    {"SỐ_TIỀN", "1000000"},
}

// usage is "THU_NHẬP NHÓM [SỐ_THÁNG]".
func (s *amountSpec) usage() string {
	if len(s.args) == 0 {
		return "không có tham số"
	}
	var parts []string
	for _, a := range s.args {
		w := argWords[a.kind][0]
		if a.optional {
			w = "[" + w + "]"
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, " ")
}

// example is the name with example arguments: "vsi.pay 3000000 other".
func (s *amountSpec) example() string {
	parts := []string{s.name}
	for _, a := range s.args {
		if !a.optional {
			parts = append(parts, argWords[a.kind][1])
		}
	}
	return strings.Join(parts, " ")
}

// Value computes the placeholder {{name args...}} on day d, as it is shown
// in an answer ("264.000 đồng", "22%"). Errors: an unknown name or bad
// arguments (in words staff understand), or the calculator's *calc.InputError
// when there are no rules for the day or the arguments do not fit them
// (an income below the floor of that day).
func (a *Amounts) Value(name string, raw []string, d time.Time) (string, error) {
	spec, ok := specByName[name]
	if !ok {
		return "", fmt.Errorf("không có số tiền nào tên %q", name)
	}
	x, err := spec.parse(raw)
	if err != nil {
		return "", err
	}
	return spec.value(a, d, x)
}

// depsOf returns the rates.yaml parameters a placeholder's value depends on.
func depsOf(p *placeholder) []string {
	spec, ok := specByName[p.name]
	if !ok || !p.at.IsZero() { // a value of a fixed day does not change with the day read
		return nil
	}
	deps := append([]string(nil), spec.deps...)
	if x, err := spec.parse(p.args); err == nil {
		deps = append(deps, x.income.deps()...)
	}
	return deps
}

// vsi runs the calculator for an income argument, a group and a method.
func (a *Amounts) vsi(d time.Time, i income, g calc.Group, months int) (calc.VSIResult, error) {
	inc, err := a.income(d, i)
	if err != nil {
		return calc.VSIResult{}, err
	}
	return a.c.VSI(calc.VSIInput{Income: inc, Group: g, Months: months, Date: d})
}

// income resolves floor and ceiling on day d.
func (a *Amounts) income(d time.Time, i income) (decimal.Decimal, error) {
	if i.word == "" {
		return i.amount, nil
	}
	floor, ceiling, err := a.c.VSIBounds(d)
	if i.word == "ceiling" {
		return ceiling, err
	}
	return floor, err
}

// member is household member n (1-based) on day d.
func (a *Amounts) member(d time.Time, n int) (calc.HIMember, error) {
	r, err := a.c.HouseholdHI(calc.HIInput{Members: n, Months: 12, Date: d})
	if err != nil {
		return calc.HIMember{}, err
	}
	return r.Members[n-1], nil
}

// pensionRule is the pension rule in force on d.
func (a *Amounts) pensionRule(d time.Time) (calc.PensionRule, error) {
	r, ok := a.c.Params().Pension.At(d)
	if !ok {
		return calc.PensionRule{}, fmt.Errorf("chưa có cách tính lương hưu cho ngày %s", d.Format("02/01/2006"))
	}
	return r.Value, nil
}

func times(v decimal.Decimal, n int) decimal.Decimal { return v.Mul(decimal.NewFromInt(int64(n))) }

// money writes an amount as answers do: 1.500.000 đồng.
func money(v decimal.Decimal) string {
	return strings.TrimSuffix(calc.FormatVND(v), " đ") + " đồng"
}

// percent writes a percentage as answers do: 22%, 4,5%.
func percent(v decimal.Decimal) string { return number(v) + "%" }

// number writes a number with a decimal comma: 4,5.
func number(v decimal.Decimal) string { return strings.ReplaceAll(v.String(), ".", ",") }
