package calc

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func period(from, to, income string, g Group) Period {
	f, err := ParseMonth(from)
	if err != nil {
		panic(err)
	}
	tt, err := ParseMonth(to)
	if err != nil {
		panic(err)
	}
	return Period{From: f, To: tt, Income: d(income), Group: g}
}

type lumpWant struct {
	months                      int
	avg, gross, support, amount string
	paid, contributed           string
	yearsBefore, yearsFrom      string
	supportMonths               int
}

func checkLump(t *testing.T, got LumpSumResult, w lumpWant) {
	t.Helper()
	assert.Equal(t, w.months, got.Months, "months")
	assert.Equal(t, w.avg, got.AverageIncome.String(), "average income")
	assert.Equal(t, w.gross, got.Gross.String(), "gross")
	assert.Equal(t, w.support, got.SupportDeducted.String(), "support deducted")
	assert.Equal(t, w.amount, got.Amount.String(), "amount")
	assert.Equal(t, w.paid, got.PaidByPerson.String(), "paid by person")
	assert.Equal(t, w.contributed, got.Contributed.String(), "contributed")
	assert.Equal(t, w.yearsBefore, got.YearsBefore2014.String(), "years before 2014")
	assert.Equal(t, w.yearsFrom, got.YearsFrom2014.String(), "years from 2014")
	assert.Equal(t, w.supportMonths, got.SupportMonths, "support months")
}

// Facts §5.4 worked example, computed by the dated rules. facts.md counts
// 54 months × 33.000, but in 2021 the rural poverty line was 700.000 (facts
// §3.2), so 2021 support was 10 % × 22 % × 700.000 = 15.400 a month:
//
//	average = 1.500.000 × mean(1,14; 1,11; 1,07; 1,03; 1,00) = 1.605.000   (as in facts)
//	gross   = 2 × 5 × 1.605.000                            = 16.050.000  (as in facts)
//	support = 12 × 15.400 + 42 × 33.000 + 6 × 66.000       = 1.966.800   (facts: 2.178.000)
//	amount  = 16.050.000 − 1.966.800                        = 14.083.200  (facts: ≈ 13.872.000)
//	paid    = 60 × 330.000 − 1.966.800                      = 17.833.200  (facts: 17.622.000)
func TestLumpSumFactsExampleDatedRules(t *testing.T) {
	c := calculator(t)
	got, err := c.LumpSum(LumpSumInput{Periods: []Period{period("2021-01", "2025-12", "1500000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	checkLump(t, got, lumpWant{60, "1605000", "16050000", "1966800", "14083200", "17833200", "19800000", "0", "5", 60})
	// Pension comparison: 15 years (the minimum) on the same average income.
	// Woman 45 % × 1.605.000 = 722.250 → 14.083.200 / 722.250 = 19,499… → 19,5 months;
	// man 40 % × 1.605.000 = 642.000 → 21,936… → 21,9 months.
	require.Len(t, got.Compare, 2)
	assert.Equal(t, Female, got.Compare[0].Sex)
	assert.Equal(t, "722250", got.Compare[0].Monthly.String())
	assert.Equal(t, "19.5", got.Compare[0].Months.String())
	assert.Equal(t, "642000", got.Compare[1].Monthly.String())
	assert.Equal(t, "21.9", got.Compare[1].Months.String())
	assert.Contains(t, got.Comparison, "khoảng 19,5 tháng lương hưu của nữ (722.250 đ/tháng)")
	assert.Contains(t, got.Comparison, "suốt đời")

	one, err := c.LumpSum(LumpSumInput{Periods: []Period{period("2021-01", "2025-12", "1500000", GroupOther)}, Date: date("2026-11-26"), Sex: Male})
	require.NoError(t, err)
	require.Len(t, one.Compare, 1)
	assert.Equal(t, Male, one.Compare[0].Sex)
}

// A period where facts.md's per-month figures all apply (1.500.000 line
// throughout): support 33.000 (10 %) before 07/2025 and 66.000 (20 %) after.
//
//	average = 1.500.000 × mean(1,11; 1,07; 1,03; 1,00; 1,00) = 1.500.000 × 1,042 = 1.563.000
//	gross   = 2 × 5 × 1.563.000                = 15.630.000
//	support = 42 × 33.000 + 18 × 66.000         = 1.386.000 + 1.188.000 = 2.574.000
//	amount  = 15.630.000 − 2.574.000            = 13.056.000
//	paid    = 60 × 330.000 − 2.574.000          = 17.226.000
func TestLumpSumFactsFiguresWhereTheyAgree(t *testing.T) {
	c := calculator(t)
	got, err := c.LumpSum(LumpSumInput{Periods: []Period{period("2022-01", "2026-12", "1500000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	checkLump(t, got, lumpWant{60, "1563000", "15630000", "2574000", "13056000", "17226000", "19800000", "0", "5", 60})
	assert.Contains(t, strings.Join(got.Notes, "\n"), "sau ngày tính") // 12/2026 is after 26/11/2026
}

func TestLumpSumCases(t *testing.T) {
	c := calculator(t)
	tests := []struct {
		name    string
		periods []Period
		want    lumpWant
	}{
		// 2012-07..2015-12: 18 months before 2014 → 1 year, 6 odd months move after 2014:
		// 24 + 6 = 30 months → 2,5 years. Average = 2.000.000 × (6×1,51 + 12×1,42 + 24×1,36) / 42
		// = 117.480.000 / 42 = 2.797.142,857… (shown 2.797.143). Gross = (1×1,5 + 2,5×2) × 2.797.142,857…
		// = 18.181.428,57 → 18.181.429 (rounding the average first gave 18.181.430).
		// No support before 2018. Paid: 18 × 20 % × 2 M + 24 × 22 % × 2 M.
		{"before and after 2014", []Period{period("2012-07", "2015-12", "2000000", GroupOther)},
			lumpWant{42, "2797143", "18181429", "0", "18181429", "17760000", "17760000", "1", "2.5", 0}},
		// The audit's case: 2015-05..2025-12 = 128 months = 10 years 8 months → 11 years.
		// Average = 1.500.000 × (8×1,36 + 12×1,32 + 12×1,28 + 12×1,23 + 12×1,20 + 12×1,16 + 12×1,14
		// + 12×1,11 + 12×1,07 + 12×1,03 + 12×1,00) / 128 = 1.750.312,5 (shown 1.750.313).
		// Gross = 2 × 11 × 1.750.312,5 = 38.506.875 exactly (rounding the average first: 38.506.886, 11 đ high).
		// Support: 2018–2021 48 × 15.400 + 01/2022–06/2025 42 × 33.000 + 6 × 66.000 = 2.521.200.
		{"rounded only at the end", []Period{period("2015-05", "2025-12", "1500000", GroupOther)},
			lumpWant{128, "1750313", "38506875", "2521200", "35985675", "39718800", "42240000", "0", "11", 96}},
		// 2019-01..2021-08: 32 months = 2 years 8 months → 3 years. Average = 2 M × (14,4 + 13,92 + 8×1,14)/32
		// = 2.340.000; gross = 3 × 2 × 2.340.000; support 32 × 15.400 (700.000 line, 10 %).
		{"odd months 7-11 count as a year", []Period{period("2019-01", "2021-08", "2000000", GroupOther)},
			lumpWant{32, "2340000", "14040000", "492800", "13547200", "13587200", "14080000", "0", "3", 32}},
		// 2019-01..2021-06: 30 months → 2,5 years. Average = 2 M × 35,16 / 30 = 2.344.000.
		{"odd months 1-6 count as half a year", []Period{period("2019-01", "2021-06", "2000000", GroupOther)},
			lumpWant{30, "2344000", "11720000", "462000", "11258000", "12738000", "13200000", "0", "2.5", 30}},
		// Less than a year: what was paid (6 × 330.000), at most 2 × average (3.000.000); support 6 × 66.000.
		{"under one year", []Period{period("2026-01", "2026-06", "1500000", GroupOther)},
			lumpWant{6, "1500000", "1980000", "396000", "1584000", "1584000", "1980000", "0", "0.5", 6}},
		// Under one year with a high income: capped at 2 × average = 2 × 40 M × 1,00.
		{"under one year capped", []Period{period("2026-01", "2026-11", "40000000", GroupOther)},
			lumpWant{11, "40000000", "80000000", "726000", "79274000", "96074000", "96800000", "0", "1", 11}},
		// Two periods, two groups: poor 2021-01..2022-12 at 1,5 M then other 2023-01..2025-12 at 2 M.
		// Average = (1,5 M × (12×1,14 + 12×1,11) + 2 M × 12 × (1,07 + 1,03 + 1,00)) / 60
		// = (40.500.000 + 74.400.000) / 60 = 1.915.000; gross = 2 × 5 × 1.915.000.
		// Support: 2021 poor 30 % × 22 % × 700.000 = 46.200 × 12; 2022 poor 30 % × 330.000 = 99.000 × 12;
		// other 2023-01..2025-06 33.000 × 30; 2025-07..12 66.000 × 6
		// = 554.400 + 1.188.000 + 990.000 + 396.000 = 3.128.400.
		// Contributed = 24 × 330.000 + 36 × 440.000 = 23.760.000.
		{"two periods", []Period{period("2023-01", "2025-12", "2000000", GroupOther), period("2021-01", "2022-12", "1500000", GroupPoor)},
			lumpWant{60, "1915000", "19150000", "3128400", "16021600", "20631600", "23760000", "0", "5", 60}},
		// Island before 07/2025 is "everyone else" (10 %), after it 50 %.
		{"island across the reform", []Period{period("2025-01", "2025-12", "1500000", GroupIsland)},
			lumpWant{12, "1500000", "3000000", "1188000", "1812000", "2772000", "3960000", "0", "1", 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.LumpSum(LumpSumInput{Periods: tt.periods, Date: date("2026-11-26")})
			require.NoError(t, err)
			checkLump(t, got, tt.want)
		})
	}
}

func TestLumpSumSupportCap(t *testing.T) {
	// Decree 134/2015 already capped support at 120 months (facts §3.2): the
	// months before 07/2025 are capped, and counted with the later ones.
	p := calculator(t).Params()
	for _, day := range []string{"2018-01-01", "2025-06-30", "2025-07-01"} {
		capm, ok := p.SupportCapMonths.At(date(day))
		require.True(t, ok, day)
		assert.Equal(t, 120, capm.Value, day)
	}

	// Lower both caps to 12 months in a copy of the real file: 2025-01..2026-12
	// (others, 1.500.000) has 6 supported months before 07/2025 (33.000) and
	// 18 after (66.000). Counted together, 12 months are deducted:
	// 6 × 33.000 + 6 × 66.000 = 594.000. Counted apart (the open reading),
	// 6 × 33.000 + 12 × 66.000 = 990.000, which the note gives.
	// Gross: 24 months = 2 years × 2 × 1.500.000 = 6.000.000.
	s := strings.Replace(base(t), "    value: 120\n", "    value: 12\n", 2)
	require.Equal(t, 2, strings.Count(s, "    value: 12\n"))
	p, err := LoadParams(fstest.MapFS{RatesFile: {Data: []byte(s)}})
	require.NoError(t, err)
	got, err := New(p).LumpSum(LumpSumInput{Periods: []Period{period("2025-01", "2026-12", "1500000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "594000", got.SupportDeducted.String())
	assert.Equal(t, 12, got.SupportMonths)
	assert.Equal(t, "5406000", got.Amount.String())
	notes := strings.Join(got.Notes, "\n")
	assert.Contains(t, notes, "các tháng được hỗ trợ trước 01/07/2025 được tính vào giới hạn đó; điều này chưa được xác nhận")
	assert.Contains(t, notes, "số tiền hỗ trợ bị trừ là 990.000 đ và bạn nhận khoảng 5.010.000 đ")

	// All supported months under one rule: both readings agree, the note says where support stopped.
	got, err = New(p).LumpSum(LumpSumInput{Periods: []Period{period("2025-07", "2026-12", "1500000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "792000", got.SupportDeducted.String())
	notes = strings.Join(got.Notes, "\n")
	assert.Contains(t, notes, "từ tháng 2026-07 không còn hỗ trợ")
	assert.NotContains(t, notes, "chưa được xác nhận. Nếu không tính")
}

func TestLumpSumChecksTheCeilingOfEveryMonthFrom2016(t *testing.T) {
	c := calculator(t)
	// 20 × the reference level of the month: 1.150.000 (to 04/2016), 1.210.000,
	// 1.300.000 (from 07/2017), 1.390.000 (from 07/2018). Before the fix months
	// before 07/2019 had no reference level and any income passed.
	tests := []struct {
		from, to, income, want string
	}{
		{"2016-01", "2016-12", "23100000", "Tháng 2016-01: thu nhập 23.100.000 đ cao hơn mức tối đa lúc đó (23.000.000 đ)."},
		{"2017-01", "2017-12", "25000000", "Tháng 2017-01: thu nhập 25.000.000 đ cao hơn mức tối đa lúc đó (24.200.000 đ)."},
		{"2018-01", "2019-06", "27000000", "Tháng 2018-01: thu nhập 27.000.000 đ cao hơn mức tối đa lúc đó (26.000.000 đ)."},
		{"2019-01", "2019-12", "28000000", "Tháng 2019-01: thu nhập 28.000.000 đ cao hơn mức tối đa lúc đó (27.800.000 đ)."},
		{"2016-06", "2016-12", "600000", "Tháng 2016-06: thu nhập 600.000 đ thấp hơn mức tối thiểu lúc đó (700.000 đ)."},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			_, err := c.LumpSum(LumpSumInput{Periods: []Period{period(tt.from, tt.to, tt.income, GroupOther)}, Date: date("2026-11-26")})
			var ie *InputError
			require.True(t, errors.As(err, &ie), "want *InputError, got %v", err)
			assert.Equal(t, tt.want, ie.Msg)
		})
	}
	got, err := c.LumpSum(LumpSumInput{Periods: []Period{period("2018-07", "2019-06", "27800000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err, "the ceiling itself is allowed")
	assert.NotContains(t, strings.Join(got.Notes, "\n"), "trước năm 2016")
	got, err = c.LumpSum(LumpSumInput{Periods: []Period{period("2015-01", "2016-12", "3000000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(got.Notes, "\n"), "Thu nhập của các tháng trước năm 2016 chưa được đối chiếu")
}

func TestLumpSumRulesComeFromRates(t *testing.T) {
	// The year before which a year counts 1,5 (2014), the day from which new
	// participants can no longer withdraw after 12 months (07/2025) and the
	// work-capacity loss that keeps the support (81 %) are rates.yaml values.
	s := strings.Replace(base(t), "    split_year: 2014\n    under_one_year_cap: 2\n    new_participants_from: 2025-07-01\n    incapacity_percent: 81\n",
		"    split_year: 2015\n    under_one_year_cap: 2\n    new_participants_from: 2026-01-01\n    incapacity_percent: 85\n", 1)
	p, err := LoadParams(fstest.MapFS{RatesFile: {Data: []byte(s)}})
	require.NoError(t, err)
	got, err := New(p).LumpSum(LumpSumInput{Periods: []Period{period("2014-01", "2016-12", "2000000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Equal(t, "1", got.YearsBefore2014.String(), "2014 counts at 1,5 when the split year is 2015")
	assert.Equal(t, "2", got.YearsFrom2014.String())
	assert.Contains(t, strings.Join(got.Notes, "\n"), "suy giảm khả năng lao động từ 85 %, tiền hỗ trợ của Nhà nước không bị trừ")
	got, err = New(p).LumpSum(LumpSumInput{Periods: []Period{period("2025-09", "2026-06", "2000000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(got.Notes, "\n"), "Người bắt đầu đóng từ", "first contribution before 2026-01-01")
	got, err = New(p).LumpSum(LumpSumInput{Periods: []Period{period("2026-01", "2026-06", "2000000", GroupOther)}, Date: date("2026-11-26")})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(got.Notes, "\n"), "Người bắt đầu đóng từ 01/01/2026 chỉ được rút một lần")
	assert.Equal(t, 20, got.Rule.StopRouteMaxYears, "withdrawing after stopping: fewer than 20 years (L41 Art. 102(1)(đ))")
	assert.Equal(t, "2026-01-01", got.Rule.NewParticipantsFrom.Format("2006-01-02"))
}

func TestLumpSumRefusals(t *testing.T) {
	c := calculator(t)
	ok := []Period{period("2022-01", "2024-12", "1500000", GroupOther)}
	tests := []struct {
		name string
		in   LumpSumInput
		msg  string
	}{
		{"no 2025 table", LumpSumInput{Periods: ok, Date: date("2025-12-01")}, "năm 2025 chưa được công bố"},
		{"no 2027 table", LumpSumInput{Periods: ok, Date: date("2027-02-01")}, "1900 9068"},
		{"no periods", LumpSumInput{Date: date("2026-11-26")}, "ít nhất một"},
		{"end before start", LumpSumInput{Periods: []Period{period("2024-01", "2023-12", "1500000", GroupOther)}, Date: date("2026-11-26")}, "trước tháng bắt đầu"},
		{"below floor", LumpSumInput{Periods: []Period{period("2022-01", "2022-12", "1000000", GroupOther)}, Date: date("2026-11-26")}, "thấp hơn mức tối thiểu"},
		{"above ceiling", LumpSumInput{Periods: []Period{period("2022-01", "2022-12", "40000000", GroupOther)}, Date: date("2026-11-26")}, "cao hơn mức tối đa"},
		{"overlap", LumpSumInput{Periods: []Period{ok[0], period("2024-06", "2025-06", "1500000", GroupOther)}, Date: date("2026-11-26")}, "trùng nhau"},
		{"bad group", LumpSumInput{Periods: []Period{period("2022-01", "2022-12", "1500000", "x")}, Date: date("2026-11-26")}, "nhóm"},
		{"before the table", LumpSumInput{Periods: []Period{period("2007-01", "2008-12", "1500000", GroupOther)}, Date: date("2026-11-26")}, "năm đóng 2007"},
		{"after the table", LumpSumInput{Periods: []Period{period("2026-01", "2027-03", "1500000", GroupOther)}, Date: date("2026-11-26")}, "năm đóng 2027"},
		{"bad sex", LumpSumInput{Periods: ok, Date: date("2026-11-26"), Sex: "x"}, "nam hoặc nữ"},
		{"zero income", LumpSumInput{Periods: []Period{period("2022-01", "2022-12", "0", GroupOther)}, Date: date("2026-11-26")}, "số tiền dương"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.LumpSum(tt.in)
			var ie *InputError
			require.True(t, errors.As(err, &ie), "want *InputError, got %v", err)
			assert.Contains(t, ie.Msg, tt.msg)
		})
	}
}

func TestLumpSumYears(t *testing.T) {
	for _, tt := range []struct {
		before, from int
		yb, yf       string
	}{
		{0, 12, "0", "1"}, {0, 13, "0", "1.5"}, {0, 18, "0", "1.5"}, {0, 19, "0", "2"}, {0, 23, "0", "2"},
		{24, 0, "2", "0"}, {25, 0, "2", "0.5"}, {31, 0, "2", "1"}, {30, 6, "2", "1"}, {30, 7, "2", "1.5"},
	} {
		yb, yf := lumpSumYears(tt.before, tt.from)
		assert.Equal(t, tt.yb, yb.String(), "%d/%d", tt.before, tt.from)
		assert.Equal(t, tt.yf, yf.String(), "%d/%d", tt.before, tt.from)
	}
}
