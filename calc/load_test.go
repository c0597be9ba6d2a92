package calc

import (
	"errors"
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
	assert.Equal(t, 0, capm.Value)
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
			"  - from: 2023-06-01\n    to: 2024-06-30\n    value: 1800000", []string{"reference_level: from 2023-06-01 overlaps the entry at line"}},
		{"gap", "  - from: 2024-07-01\n    to: 2026-06-30\n    value: 2340000",
			"  - from: 2024-08-01\n    to: 2026-06-30\n    value: 2340000", []string{"reference_level: gap between 2024-06-30"}},
		{"negative", "value: 2530000", "value: -2530000", []string{"is negative"}},
		{"absurd", "value: 2530000", "value: 2530000000", []string{"outside the plausible range"}},
		{"unknown key", "    value: 2530000\n", "    value: 2530000\n    valeu: 1\n", []string{`unknown key "valeu"`}},
		{"unknown top key", "reference_level:\n", "refrence_level: []\nreference_level:\n", []string{`top level: unknown key "refrence_level"`}},
		{"bad date", "from: 2026-07-01", "from: 2026-13-01", []string{"is not a date"}},
		{"to before from", "  - from: 2022-01-01\n    to: 2026-12-31", "  - from: 2022-01-01\n    to: 2021-12-31", []string{"is before from"}},
		{"bad confidence", "confidence: low", "confidence: sure", []string{"confidence must be one of"}},
		{"missing source", "    source: Nghị định 73/2024/NĐ-CP\n", "", []string{`missing "source"`}},
		{"open entry not last", "  - from: 2023-07-01\n    to: 2024-06-30\n    value: 1800000",
			"  - from: 2023-07-01\n    value: 1800000", []string{"which has no `to` date"}},
		{"support over 100", "poor: 50, near-poor: 40", "poor: 150, near-poor: 40", []string{"support_percent poor: 150"}},
		{"hi ratio first", "values: [100, 70, 60, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6", "values: [90, 70, 60, 50, 40]\n    source: Luật BHYT, Điều 13 khoản 6", []string{"first member pays 100"}},
		{"hi rate above legal cap", "value: 4.5\n    source: Nghị định 188", "value: 6.5\n    source: Nghị định 188", []string{"hi_rate_percent value: 6.5"}},
		{"coefficient gap", "      2012: 1.51\n", "", []string{"no coefficient for the years between 2011 and 2013"}},
		{"coefficient below 1", "2026: 1.00", "2026: 0.90", []string{"income_coefficients 2026: 0.90"}},
		{"retirement age bad", "2023, male: 60y9m", "2023, male: 60y19m", []string{"not a plausible retirement age"}},
		{"retirement year gap", "    - {year: 2030, male: 62y0m, female: 58y4m}\n", "", []string{"year 2031 must follow 2029"}},
		{"status", "    status: planned", "    status: maybe", []string{"status must be planned or in-force"}},
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
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseParams(b)
		if err == nil {
			require.NotNil(t, p)
		}
	})
}

func TestStale(t *testing.T) {
	p, err := LoadParams(content.FS())
	require.NoError(t, err)
	assert.Empty(t, p.Stale(date("2026-11-26")), "nothing is stale today")
	got := p.Stale(date("2027-01-01"))
	all := strings.Join(got, "\n")
	assert.Contains(t, all, "rural_poverty_line 2.200.000 đ was planned from 2027-01-01")
	assert.Contains(t, all, "no table for decision year 2027")
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
	assert.Contains(t, strings.Join(p2.Stale(date("2026-11-26")), "\n"), "social_pension ends on 2026-01-31")
}

func TestLintRates(t *testing.T) {
	assert.Empty(t, LintRates(content.FS(), date("2026-11-26")))
	assert.NotEmpty(t, LintRates(content.FS(), date("2027-01-02")))
	got := LintRates(fstest.MapFS{RatesFile: {Data: []byte("reference_level: 5\n")}}, date("2026-11-26"))
	assert.NotEmpty(t, got)
	assert.Regexp(t, `^rates\.yaml:\d+: `, got[0])
}
