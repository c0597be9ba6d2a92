package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func calcNow() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }

func runCalcJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	code := runCalc(append(args, "--json"), &out, &errb, calcNow)
	require.Equal(t, 0, code, "stderr: %s", errb.String())
	var m map[string]any
	dec := json.NewDecoder(&out)
	dec.UseNumber()
	require.NoError(t, dec.Decode(&m))
	require.False(t, dec.More(), "exactly one JSON object")
	return m
}

func num(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	v, ok := m[key].(json.Number)
	require.True(t, ok, "%s is not a number: %#v", key, m[key])
	return v.String()
}

func TestCalcVSIJSON(t *testing.T) {
	m := runCalcJSON(t, "vsi", "--income", "5tr", "--group", "khác", "--months", "3", "--date", "2026-11-26")
	assert.Equal(t, "1100000", num(t, m, "gross_monthly"))
	assert.Equal(t, "66000", num(t, m, "support_monthly"))
	assert.Equal(t, "1034000", num(t, m, "payable_monthly"))
	assert.Equal(t, "3102000", num(t, m, "payable_total"))

	// Single-dash flags, the rules of the --date given (before 07/2025: near-poor 25 %).
	m = runCalcJSON(t, "vsi", "-income", "1.500.000đ", "-group", "can ngheo", "-months", "12", "-date", "2025-06-30")
	assert.Equal(t, "82500", num(t, m, "support_monthly"))
	assert.Equal(t, "2970000", num(t, m, "payable_total"))

	// Advance payment: 5 years at the floor, "other" → 18.098.148 − 60 × 66.000.
	m = runCalcJSON(t, "vsi", "--income", "1500000", "--group", "other", "--years", "5", "--date", "2026-11-26")
	assert.Equal(t, "14138148", num(t, m, "payable_total"))
	assert.Equal(t, "0.31", num(t, m, "fund_rate_percent"))
	assert.Contains(t, m["notes"].([]any)[0], "1900 9068")
}

func TestCalcOtherJSON(t *testing.T) {
	m := runCalcJSON(t, "hi", "--members", "3", "--months", "12", "--date", "2026-11-26")
	assert.Equal(t, "3142260", num(t, m, "total"))
	members := m["members"].([]any)
	require.Len(t, members, 3)
	assert.Equal(t, json.Number("2"), members[1].(map[string]any)["position"])
	assert.Equal(t, json.Number("956340"), members[1].(map[string]any)["total"])

	m = runCalcJSON(t, "retire", "--sex", "male", "--born", "1961-09")
	assert.Equal(t, "60", num(t, m, "age_years"))
	assert.Equal(t, "3", num(t, m, "age_months"))
	assert.Equal(t, "2021-12", m["reached"])

	m = runCalcJSON(t, "pension", "--sex", "female", "--years", "20", "--income", "1,5 triệu", "--date", "2026-11-26")
	assert.Equal(t, true, m["eligible"])
	assert.Equal(t, "55", num(t, m, "rate_percent"))
	assert.Equal(t, "825000", num(t, m, "monthly"))

	m = runCalcJSON(t, "lumpsum", "--from", "2021-01", "--to", "2025-12", "--income", "1500000", "--group", "other", "--date", "2026-11-26")
	assert.Equal(t, "1605000", num(t, m, "average_income"))
	assert.Equal(t, "16050000", num(t, m, "gross"))
	assert.Equal(t, "1966800", num(t, m, "support_deducted"))
	assert.Equal(t, "14083200", num(t, m, "amount"))

	// Two periods (see calc's TestLumpSumCases "two periods").
	m = runCalcJSON(t, "lumpsum", "--period", "2023-01:2025-12:2tr:other", "--period", "2021-01:2022-12:1,5tr:hộ nghèo", "--date", "2026-11-26")
	assert.Equal(t, "1915000", num(t, m, "average_income"))
	assert.Equal(t, "3128400", num(t, m, "support_deducted"))
	assert.Equal(t, "16021600", num(t, m, "amount"))
	assert.Equal(t, "2021-01", m["from"])
	assert.Len(t, m["periods"], 2)

	m = runCalcJSON(t, "min", "--date", "2026-11-26")
	rows := m["rows"].([]any)
	require.Len(t, rows, 5)
	assert.Equal(t, json.Number("165000"), rows[0].(map[string]any)["payable_monthly"])
}

func TestCalcRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"below floor", []string{"vsi", "--income", "1tr", "--group", "other", "--months", "1", "--date", "2026-11-26"}, "từ 1.500.000 đ đến 50.600.000 đ"},
		{"unreadable income", []string{"vsi", "--income", "abc", "--group", "other", "--months", "1"}, "chưa đọc được"},
		{"missing income", []string{"vsi", "--group", "other", "--months", "1"}, "Thiếu --income"},
		{"bad group", []string{"vsi", "--income", "2tr", "--group", "rich", "--months", "1"}, "nhóm"},
		{"bad months", []string{"vsi", "--income", "2tr", "--group", "other", "--months", "2"}, "1, 3, 6 hoặc 12"},
		{"months not a number", []string{"vsi", "--income", "2tr", "--group", "other", "--months", "x"}, "số nguyên"},
		{"years 0", []string{"vsi", "--income", "2tr", "--group", "other", "--years", "0"}, "từ 2 đến 5"},
		{"a day that does not exist is not a format error", []string{"min", "--date", "2026-02-30"}, "chỉ có 28 ngày"},
		{"one year ahead has no discount", []string{"vsi", "--income", "2tr", "--group", "other", "--years", "1"}, "không được giảm"},
		{"months and years disagree", []string{"vsi", "--income", "2tr", "--group", "other", "--months", "1", "--years", "2"}, "--months 12"},
		{"bad date", []string{"vsi", "--income", "2tr", "--group", "other", "--months", "1", "--date", "26/11/2026"}, "YYYY-MM-DD"},
		{"hi members 0", []string{"hi", "--members", "0", "--months", "12"}, "từ 1 đến"},
		{"retire bad month", []string{"retire", "--sex", "male", "--born", "1990-13"}, "năm-tháng"},
		{"pension bad sex", []string{"pension", "--sex", "x", "--years", "20", "--income", "2tr"}, "nam hoặc nữ"},
		{"period and from", []string{"lumpsum", "--period", "2021-01:2022-12:1,5tr:poor", "--from", "2021-01"}, "không dùng cả hai"},
		{"bad period", []string{"lumpsum", "--period", "2021-01:2022-12"}, "TỪ:ĐẾN:THU_NHẬP:NHÓM"},
		{"lumpsum 2025 table", []string{"lumpsum", "--from", "2021-01", "--to", "2024-12", "--income", "2tr", "--group", "other", "--date", "2025-10-01"}, "1900 9068"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, extra := range [][]string{nil, {"--json"}} {
				var out, errb bytes.Buffer
				code := runCalc(append(append([]string{}, tt.args...), extra...), &out, &errb, calcNow)
				assert.NotEqual(t, 0, code)
				assert.Empty(t, out.String())
				assert.Contains(t, errb.String(), tt.msg)
			}
		})
	}
}

func TestCalcUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"vsi", "--nope"}, {"vsi", "stray"}} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, runCalc(args, &out, &errb, calcNow), args)
		assert.NotEmpty(t, errb.String())
	}
}

func TestCalcText(t *testing.T) {
	var out, errb bytes.Buffer
	code := runCalc([]string{"vsi", "--income", "3tr", "--group", "near-poor", "--months", "6"}, &out, &errb, calcNow)
	require.Equal(t, 0, code, errb.String())
	assert.True(t, strings.HasPrefix(out.String(), "BHXH tự nguyện (quy định ngày 26/11/2026)\n"), "the default date is today in Vietnam")
	assert.Contains(t, out.String(), "Đóng 6 tháng một lần: 3.168.000 đ")
}
