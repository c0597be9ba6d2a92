package calc

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadRealRates(t *testing.T) {
	p, err := LoadParams(content.FS())
	require.NoError(t, err)
	tests := []struct {
		name  string
		s     Series[decimal.Decimal]
		day   string
		value string
		conf  string
	}{
		{"reference 2022", p.ReferenceLevel, "2022-01-01", "1490000", "medium"},
		{"reference 2023-06-30", p.ReferenceLevel, "2023-06-30", "1490000", "medium"},
		{"reference 2023-07", p.ReferenceLevel, "2023-07-01", "1800000", "medium"},
		{"reference 2024-07", p.ReferenceLevel, "2024-07-01", "2340000", "high"},
		{"reference 2026-06-30", p.ReferenceLevel, "2026-06-30", "2340000", "high"},
		{"reference 2026-07", p.ReferenceLevel, "2026-07-01", "2530000", "high"},
		{"line 2021", p.RuralPovertyLine, "2021-12-31", "700000", "high"},
		{"line 2022", p.RuralPovertyLine, "2022-01-01", "1500000", "high"},
		{"line 2026", p.RuralPovertyLine, "2026-12-31", "1500000", "high"},
		{"line 2027", p.RuralPovertyLine, "2027-01-01", "2200000", "medium"},
		{"rate", p.VSIRate, "2026-11-26", "22", "high"},
		{"fund rate", p.FundRate, "2026-11-26", "0.31", "low"},
		{"hi rate", p.HIRate, "2026-11-26", "4.5", "high"},
		{"social pension", p.SocialPension, "2026-11-26", "500000", "high"},
		{"maternity", p.MaternitySupport, "2026-11-26", "2000000", "high"},
		{"funeral", p.FuneralMultiplier, "2026-11-26", "10", "high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := tt.s.At(date(tt.day))
			require.True(t, ok)
			assert.Equal(t, tt.value, e.Value.String())
			assert.Equal(t, tt.conf, e.Source.Confidence)
			assert.NotEmpty(t, e.Source.Ref)
		})
	}
	line, _ := p.RuralPovertyLine.At(date("2027-06-01"))
	assert.True(t, line.Planned)
	sup, _ := p.SupportPercent.At(date("2025-07-01"))
	assert.Equal(t, "50", sup.Value[GroupIsland].String())
	assert.Equal(t, "30", sup.Value[GroupEthnic].String())
	sup, _ = p.SupportPercent.At(date("2025-06-30"))
	assert.Equal(t, "10", sup.Value[GroupIsland].String())
	capm, _ := p.SupportCapMonths.At(date("2025-06-30"))
	assert.Equal(t, 120, capm.Value, "Decree 134/2015 Art. 14(2): not more than 10 years (facts §3.2)")
	capm, _ = p.SupportCapMonths.At(date("2017-12-31"))
	assert.Equal(t, 0, capm.Value, "no support before 2018")
	capm, _ = p.SupportCapMonths.At(date("2025-07-01"))
	assert.Equal(t, 120, capm.Value)
	_, ok := p.CoefficientsFor(2026)
	assert.True(t, ok)
	_, ok = p.CoefficientsFor(2025)
	assert.False(t, ok, "the 2025 table is not in facts.md and must not be invented")
}

// base is a minimal valid rates.yaml used to inject one problem at a time.
func base(t *testing.T) string {
	t.Helper()
	b, err := content.FS().(interface{ ReadFile(string) ([]byte, error) }).ReadFile(RatesFile)
	require.NoError(t, err)
	return string(b)
}

func loadString(s string) ([]string, error) {
	_, err := LoadParams(fstest.MapFS{RatesFile: {Data: []byte(s)}})
	var pe *ParamsError
	if errors.As(err, &pe) {
		return pe.Problems, err
	}
	return nil, err
}

func TestLoadProblems(t *testing.T) {
	orig := base(t)
	tests := []struct {
		name string
		old  string
		new  string
		want []string // every one must appear in some problem line
	}{
		{"overlap", "  - from: 2023-07-01\n    to: 2024-06-30\n    value: 1800000",
			"  - from: 2023-06-01\n    to: 2024-06-30\n    value: 1800000", []string{"reference_level: from 2023-06-01 trùng thời gian với mục ở dòng"}},
		{"gap", "  - from: 2024-07-01\n    to: 2026-06-30\n    value: 2340000",
			"  - from: 2024-08-01\n    to: 2026-06-30\n    value: 2340000", []string{"reference_level: bị hở giữa 2024-06-30"}},
		{"negative", "value: 2530000", "value: -2530000", []string{"là số âm"}},
		{"absurd", "value: 2530000", "value: 2530000000", []string{"không hợp lý, phải từ 100000 đến 100000000"}},
		{"unknown key", "    value: 2530000\n", "    value: 2530000\n    valeu: 1\n", []string{`không có mục tên "valeu"`}},
		{"unknown top key", "reference_level:\n", "refrence_level: []\nreference_level:\n", []string{`tệp rates.yaml: không có mục tên "refrence_level"`}},
		{"bad date", "from: 2026-07-01", "from: 2026-13-01", []string{`ngày "2026-13-01" không đúng dạng NĂM-THÁNG-NGÀY`}},
		{"to before from", "  - from: 2022-01-01\n    to: 2026-12-31", "  - from: 2022-01-01\n    to: 2021-12-31", []string{"ngày kết thúc (to) 2021-12-31 trước ngày bắt đầu (from) 2022-01-01"}},
		{"bad confidence", "confidence: low", "confidence: sure", []string{"confidence phải là một trong: high, medium, low"}},
		{"missing source", "    source: Nghị định 73/2024/NĐ-CP\n", "", []string{`thiếu mục "source"`}},
		{"open entry not last", "  - from: 2023-07-01\n    to: 2024-06-30\n    value: 1800000",
			"  - from: 2023-07-01\n    value: 1800000", []string{"chưa có ngày kết thúc `to`"}},
		{"support over 100", "poor: 50, near-poor: 40", "poor: 150, near-poor: 40", []string{"support_percent poor: 150"}},
		{"hi ratio first", "values: [100, 70, 60, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6", "values: [90, 70, 60, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6", []string{"người thứ nhất đóng 100 %"}},
		{"hi rate above legal cap", "value: 4.5\n    source: Nghị định 188", "value: 6.5\n    source: Nghị định 188", []string{"hi_rate_percent value: 6.5"}},
		{"coefficient gap", "      2012: 1.51\n", "", []string{"thiếu hệ số cho các năm giữa 2011 và 2013"}},
		{"coefficient below 1", "2026: 1.00", "2026: 0.90", []string{"income_coefficients 2026: 0.90"}},
		{"retirement age bad", "2023, male: 60y9m", "2023, male: 60y19m", []string{"không phải tuổi nghỉ hưu hợp lý"}},
		{"retirement year gap", "    - {year: 2030, male: 62y0m, female: 58y4m}\n", "", []string{"năm 2031 phải liền sau năm 2029"}},
		{"status", "    status: planned", "    status: maybe", []string{"status chỉ được là planned (dự kiến) hoặc in-force"}},
		{"a guess in a source citizens read", "(điều về mức đóng của hộ gia đình)", "(điều về mức đóng, có lẽ Điều 6)",
			[]string{`hi_rate_percent: source "có lẽ" là phỏng đoán, người dân sẽ đọc thấy`}},
		{"lump-sum split year", "    split_year: 2014\n    under_one_year_cap: 2\n    new", "    split_year: 20144\n    under_one_year_cap: 2\n    new",
			[]string{"lump_sum split_year: 20144"}},
		{"lump-sum incapacity", "incapacity_percent: 81", "incapacity_percent: 181", []string{"lump_sum incapacity_percent: 181"}},
		{"lump-sum new participants date", "new_participants_from: 2025-07-01", "new_participants_from: 01/07/2025",
			[]string{`ngày "01/07/2025" không đúng dạng NĂM-THÁNG-NGÀY`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, orig, tt.old)
			probs, err := loadString(strings.Replace(orig, tt.old, tt.new, 1))
			require.Error(t, err)
			all := strings.Join(probs, "\n")
			for _, w := range tt.want {
				assert.Contains(t, all, w)
			}
			for _, p := range probs {
				assert.Regexp(t, `^rates\.yaml:\d+: `, p)
			}
		})
	}
}

func TestLoadReportsEveryProblemWithLine(t *testing.T) {
	orig := base(t)
	s := strings.Replace(orig, "value: 2530000", "value: -1", 1)
	s = strings.Replace(s, "value: 0.31", "value: 9", 1)
	probs, err := loadString(s)
	require.Error(t, err)
	require.Len(t, probs, 2)
	lines := strings.Split(orig, "\n")
	for i, l := range lines {
		if strings.Contains(l, "value: 2530000") {
			assert.Contains(t, probs[0], "rates.yaml:"+strconv.Itoa(i+1)+":")
			break
		}
	}
}

func TestLoadNeverPanics(t *testing.T) {
	for _, s := range []string{"", "[]", "a: b", ":::", "reference_level: 5", "reference_level: [1, 2]",
		"reference_level:\n  - from: [1]\n", "\t\tx", "income_coefficients: [{values: {abc: 1}}]",
		"retirement_age: {schedule: [{year: x}]}", "pension: [{from: 2025-07-01, male: 1}]"} {
		assert.NotPanics(t, func() { _, _ = loadString(s) }, s)
		_, err := loadString(s)
		assert.Error(t, err, s)
	}
	_, err := LoadParams(fstest.MapFS{})
	assert.ErrorContains(t, err, "read rates.yaml")
}

func FuzzParseParams(f *testing.F) {
	f.Add([]byte("reference_level:\n  - from: 2024-07-01\n    value: 1\n"))
	f.Add([]byte("income_coefficients: [{decision_year: 2026, values: {2008: 2}}]"))
	f.Add([]byte("reference_level:\n  - from: 2024-07-01\n\t value: 1\n"))
	f.Add([]byte("reference_level:\n  - from: 2024-07-01\n   value: 1\n    source: \"x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseParams(b)
		if err == nil {
			require.NotNil(t, p)
			return
		}
		var pe *ParamsError
		require.ErrorAs(t, err, &pe)
		// YAML ends a line at \r\n, \n or a lone \r.
		lines := strings.Count(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n"), "\n") + 1
		for _, pr := range pe.Problems {
			m := regexp.MustCompile(`^rates\.yaml:(\d+): \S`).FindStringSubmatch(pr)
			require.NotNil(t, m, "every problem is rates.yaml:LINE: message: %q", pr)
			n, _ := strconv.Atoi(m[1])
			require.True(t, n >= 1 && n <= lines+1, "line %d of a %d-line file: %q", n, lines, pr)
		}
	})
}

func TestStale(t *testing.T) {
	p, err := LoadParams(content.FS())
	require.NoError(t, err)
	assert.Empty(t, p.Stale(date("2026-11-26")), "nothing is stale today")
	got := p.Stale(date("2027-01-01"))
	all := strings.Join(got, "\n")
	assert.Contains(t, all, "rural_poverty_line 2.200.000 đ là mức dự kiến từ 2027-01-01 và ngày đó đã đến")
	assert.Contains(t, all, "chưa có bảng hệ số cho năm giải quyết 2027")
	assert.Regexp(t, `^rates\.yaml:\d+: rural_poverty_line`, got[0])
	// The planned line's own line number.
	lines := strings.Split(base(t), "\n")
	for i, l := range lines {
		if strings.Contains(l, "value: 2200000") {
			assert.True(t, strings.HasPrefix(got[0], "rates.yaml:"+strconv.Itoa(i)+":"), "%s should point at the entry starting line %d", got[0], i)
		}
	}
	// A series that ends without a successor is reported.
	s := strings.Replace(base(t), "  - from: 2025-07-01\n    value: 500000", "  - from: 2025-07-01\n    to: 2026-01-31\n    value: 500000", 1)
	p2, err := LoadParams(fstest.MapFS{RatesFile: {Data: []byte(s)}})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(p2.Stale(date("2026-11-26")), "\n"), "social_pension hết hiệu lực ngày 2026-01-31")
}

func TestLintRates(t *testing.T) {
	assert.Empty(t, LintRates(content.FS(), date("2026-11-26")))
	assert.NotEmpty(t, LintRates(content.FS(), date("2027-01-02")))
	got := LintRates(fstest.MapFS{RatesFile: {Data: []byte("reference_level: 5\n")}}, date("2026-11-26"))
	assert.NotEmpty(t, got)
	assert.Regexp(t, `^rates\.yaml:\d+: `, got[0])
}

// englishWords are words of the old English messages: staff read Vietnamese.
var englishWords = regexp.MustCompile(`\b(is|the|must|expected|missing|unknown|between|found|character|not|line|yaml)\b`)

func TestLoadProblemsAreVietnamese(t *testing.T) {
	orig := base(t)
	edits := [][2]string{
		{"value: 2530000", "value: -2530000"},
		{"value: 0.31", "value: 3,1"},
		{"from: 2026-07-01", "from: 01/07/2026"},
		{"confidence: low", "confidence: sure"},
		{"    status: planned", "    status: maybe"},
		{"  - from: 2024-07-01\n    to: 2026-06-30", "  - from: 2024-08-01\n    to: 2026-06-30"},
		{"income_step:", "income_stepp:"},
		{"      2012: 1.51\n", "      2012: 0.51\n      2012: 1.51\n"},
		{"2023, male: 60y9m", "2023, male: 60 tuổi"},
		{"values: [100, 70, 60, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6", "values: [100, 80, 90, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6"},
	}
	s := orig
	for _, e := range edits {
		require.Contains(t, s, e[0])
		s = strings.Replace(s, e[0], e[1], 1)
	}
	probs, err := loadString(s)
	require.Error(t, err)
	assert.GreaterOrEqual(t, len(probs), len(edits))
	for _, p := range probs {
		msg := strings.ReplaceAll(p[strings.Index(p, ": ")+2:], RatesFile, "")
		assert.NotRegexp(t, englishWords, msg, "problem in English: %s", p)
	}
	assert.NotContains(t, err.Error(), "invalid")
	for _, p := range LintRates(fstest.MapFS{RatesFile: {Data: []byte(orig)}}, date("2027-01-02")) {
		assert.NotRegexp(t, englishWords, p[strings.Index(p, ": ")+2:], "stale notice in English: %s", p)
	}
}

// lineOf returns the 1-based line of the first line of s containing sub.
func lineOf(t *testing.T, s, sub string) int {
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	t.Fatalf("%q not found", sub)
	return 0
}

func TestLoadSyntaxProblemsPointAtTheLine(t *testing.T) {
	orig := base(t)
	tests := []struct {
		name, old, new, at, want string
	}{
		{"tab in indentation", "    value: 2530000", "\tvalue: 2530000", "\tvalue: 2530000", "phím Tab"},
		{"odd indentation", "    value: 2530000", "   value: 2530000", "   value: 2530000", "thụt vào 3 dấu cách"},
		{"odd indentation in a list", "    - {year: 2027, male: 61y9m, female: 57y4m}", "     - {year: 2027, male: 61y9m, female: 57y4m}", "year: 2027", "thụt vào 5 dấu cách"},
		{"not UTF-8", "# Chuẩn hộ nghèo", "# Chu\xe9n hộ nghèo", "# Chu", "không phải UTF-8"},
		{"unclosed quote", `    source: "Luật BHXH 58/2014/QH13, Điều 73–74 (cần 20 năm để có lương hưu tự nguyện); Điều 56 khoản 2 điểm a (nam nghỉ hưu năm 2018: 45% khi đủ 16 năm)"`, `    source: "Luật BHXH 58/2014/QH13`, `source: "Luật BHXH 58/2014/QH13`, "ngoặc kép"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, orig, tt.old)
			s := strings.Replace(orig, tt.old, tt.new, 1)
			probs, err := loadString(s)
			require.Error(t, err)
			require.Len(t, probs, 1)
			line := lineOf(t, s, tt.at)
			assert.Equal(t, "rates.yaml:"+strconv.Itoa(line)+": ", probs[0][:len("rates.yaml:"+strconv.Itoa(line)+": ")], probs[0])
			assert.Contains(t, probs[0], tt.want)
		})
	}
}

func TestLoadTypoIsNotAlsoAGap(t *testing.T) {
	s := strings.Replace(base(t), "    source: Nghị định 73/2024/NĐ-CP\n    confidence: high", "    source: Nghị định 73/2024/NĐ-CP\n    confidance: high", 1)
	probs, err := loadString(s)
	require.Error(t, err)
	all := strings.Join(probs, "\n")
	assert.Contains(t, all, `không có mục tên "confidance"`)
	assert.Contains(t, all, `thiếu mục "confidence"`)
	assert.NotContains(t, all, "bị hở", "an entry with a typo still covers its dates")
	assert.Len(t, probs, 2)
}

func TestLoadCRLFAndBOMAccepted(t *testing.T) {
	s := "\ufeff" + strings.ReplaceAll(base(t), "\n", "\r\n")
	_, err := loadString(s)
	assert.NoError(t, err)
}
