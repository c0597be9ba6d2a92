package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calcJSON runs faqctl calc with --json on a date and returns the object.
func calcJSON(t *testing.T, date string, args ...string) map[string]any {
	t.Helper()
	code, out, stderr := runCmd(t, append(append([]string{"calc"}, args...), "--json", "--date", date)...)
	require.Equal(t, 0, code, "calc %v: %s", args, stderr)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

// field reads a path such as "rows.4.payable_monthly" as a whole number.
func field(t *testing.T, m map[string]any, path string) int64 {
	t.Helper()
	var v any = m
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			require.NoError(t, err, path)
			require.Less(t, i, len(x), path)
			v = x[i]
		}
	}
	n, ok := v.(json.Number)
	require.True(t, ok, "%s is %T", path, v)
	i, err := n.Int64()
	require.NoError(t, err, path)
	return i
}

// dong writes whole đồng as answers show them: 1.500.000 đồng.
func dong(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String() + " đồng"
}

// commonQuestion is a question people ask often, the entry that answers it,
// and the amounts that entry must show on a day, read from faqctl calc.
type commonQuestion struct {
	q, id string
	want  func(t *testing.T, date string) []string
}

func commonQuestions() []commonQuestion {
	floor := func(t *testing.T, date string) string {
		return strconv.FormatInt(field(t, calcJSON(t, date, "min"), "floor"), 10)
	}
	fields := func(m map[string]any, t *testing.T, paths ...string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, dong(field(t, m, p)))
		}
		return out
	}
	// Rows of calc min: poor, near-poor, ethnic-minority, island, other.
	return []commonQuestion{
		{"đóng bhxh tự nguyện thấp nhất bao nhiêu tiền 1 tháng", "min-income-floor", func(t *testing.T, d string) []string {
			return fields(calcJSON(t, d, "min"), t, "floor", "rows.4.gross_monthly",
				"rows.0.payable_monthly", "rows.1.payable_monthly", "rows.2.payable_monthly", "rows.4.payable_monthly")
		}},
		{"bhyt hộ gia đình 1 người bao nhiêu tiền", "household-hi-rate-one-person", func(t *testing.T, d string) []string {
			out := fields(calcJSON(t, d, "hi", "--members", "1", "--months", "12"), t, "base_salary", "members.0.monthly", "members.0.total")
			out = append(out, fields(calcJSON(t, d, "hi", "--members", "1", "--months", "3"), t, "total")...)
			out = append(out, fields(calcJSON(t, d, "hi", "--members", "1", "--months", "6"), t, "total")...)
			return append(out, fields(calcJSON(t, d, "hi", "--members", "2", "--months", "12"), t, "members.1.total")...)
		}},
		{"mua bhyt hộ gia đình cho 4 người hết bao nhiêu", "household-hi-family-discount", func(t *testing.T, d string) []string {
			out := fields(calcJSON(t, d, "hi", "--members", "5", "--months", "12"), t,
				"members.0.total", "members.1.total", "members.2.total", "members.3.total", "members.4.total", "total")
			for _, n := range []string{"2", "3", "4"} {
				out = append(out, fields(calcJSON(t, d, "hi", "--members", n, "--months", "12"), t, "total")...)
			}
			return out
		}},
		{"hộ cận nghèo được hỗ trợ bao nhiêu", "support-rates-2025", func(t *testing.T, d string) []string {
			out := fields(calcJSON(t, d, "min"), t, "floor", "rows.4.gross_monthly",
				"rows.0.support_monthly", "rows.1.support_monthly", "rows.2.support_monthly", "rows.4.support_monthly")
			out = append(out, fields(calcJSON(t, d, "vsi", "--income", "3tr", "--group", "near-poor", "--months", "1"), t, "gross_monthly", "payable_monthly")...)
			return append(out, fields(calcJSON(t, d, "vsi", "--income", "3tr", "--group", "other", "--months", "1"), t, "payable_monthly")...)
		}},
		{"thu nhập cao nhất được đóng bhxh tự nguyện là bao nhiêu", "max-income-ceiling", func(t *testing.T, d string) []string {
			ceiling := strconv.FormatInt(field(t, calcJSON(t, d, "min"), "ceiling"), 10)
			out := fields(calcJSON(t, d, "vsi", "--income", ceiling, "--group", "other", "--months", "1"), t,
				"ceiling", "gross_monthly", "support_monthly", "payable_monthly")
			return append(out, fields(calcJSON(t, d, "min"), t, "rows.4.gross_monthly")...)
		}},
		{"đóng 12 tháng một lần có được giảm không", "pay-12-months-no-discount", func(t *testing.T, d string) []string {
			f := floor(t, d)
			out := fields(calcJSON(t, d, "vsi", "--income", f, "--group", "other", "--months", "1"), t, "payable_monthly")
			for _, m := range []string{"3", "6", "12"} {
				out = append(out, fields(calcJSON(t, d, "vsi", "--income", f, "--group", "other", "--months", m), t, "payable_total")...)
			}
			return append(out, fields(calcJSON(t, d, "vsi", "--income", "3tr", "--group", "other", "--months", "12"), t, "payable_total")...)
		}},
		{"chọn thu nhập 3 triệu thì mỗi tháng đóng bao nhiêu", "contribution-examples-by-income", func(t *testing.T, d string) []string {
			var out []string
			for _, inc := range []string{floor(t, d), "3tr", "5tr", "10tr"} {
				out = append(out, fields(calcJSON(t, d, "vsi", "--income", inc, "--group", "other", "--months", "1"), t, "gross_monthly", "payable_monthly")...)
				out = append(out, fields(calcJSON(t, d, "vsi", "--income", inc, "--group", "other", "--months", "12"), t, "payable_total")...)
			}
			return append(out, fields(calcJSON(t, d, "vsi", "--income", "3tr", "--group", "poor", "--months", "1"), t, "payable_monthly")...)
		}},
		{"lương hưu tự nguyện có mức thấp nhất không", "pension-minimum-voluntary", func(t *testing.T, d string) []string {
			f := floor(t, d)
			out := fields(calcJSON(t, d, "pension", "--sex", "female", "--years", "20", "--income", f), t, "monthly")
			return append(out, fields(calcJSON(t, d, "pension", "--sex", "male", "--years", "20", "--income", f), t, "monthly")...)
		}},
		{"đóng trước 5 năm được giảm bao nhiêu", "pay-advance-discount", func(t *testing.T, d string) []string {
			m := calcJSON(t, d, "vsi", "--income", floor(t, d), "--group", "other", "--years", "5")
			return []string{dong(field(t, m, "gross_total")), dong(60 * field(t, m, "gross_monthly"))}
		}},
		{"bhyt hộ gia đình đóng 6 tháng được không", "household-hi-3-6-months", func(t *testing.T, d string) []string {
			out := fields(calcJSON(t, d, "hi", "--members", "5", "--months", "3"), t,
				"members.0.total", "members.1.total", "members.2.total", "members.3.total", "members.4.total")
			out = append(out, fields(calcJSON(t, d, "hi", "--members", "5", "--months", "6"), t,
				"members.0.total", "members.1.total", "members.2.total", "members.3.total", "members.4.total")...)
			return append(out, fields(calcJSON(t, d, "hi", "--members", "3", "--months", "6"), t, "total")...)
		}},
	}
}

// The same ten common questions asked on 20/12/2026 and on 05/01/2027 (after
// the planned poverty line of 01/01/2027) give the amounts faqctl calc gives
// on each day, and none of the other day's amounts where they differ; the
// answers that depend on the poverty line carry the dated line, before as a
// coming change and after as a recent one.
func TestCommonQuestionsAgreeWithCalcOnEachDay(t *testing.T) {
	days := []string{"2026-12-20", "2027-01-05"}
	questions := commonQuestions()
	var stdin strings.Builder
	for _, c := range questions {
		stdin.WriteString(c.q + "\n")
	}
	answers := map[string]map[string]string{} // day → question → output
	for _, d := range days {
		var out, errOut bytes.Buffer
		code := runIO(context.Background(), []string{"ask", "--date", d, "-"}, strings.NewReader(stdin.String()), &out, &errOut)
		require.Equal(t, 0, code, errOut.String())
		answers[d] = map[string]string{}
		for _, block := range strings.Split(out.String(), "── ")[1:] {
			q, rest, _ := strings.Cut(block, "\n")
			answers[d][q] = rest
		}
	}
	for _, c := range questions {
		t.Run(c.id, func(t *testing.T) {
			want := map[string][]string{}
			for _, d := range days {
				want[d] = c.want(t, d)
			}
			for i, d := range days {
				out := answers[d][c.q]
				require.Contains(t, out, "Quyết định: answer", "%s: %s", d, out)
				require.Regexp(t, `(?m)^1\. [0-9.]+  `+c.id+`  `, out)
				require.NotContains(t, out, "lỗi khi tính số tiền")
				body, dated, _ := strings.Cut(out[strings.Index(out, "\n\n")+2:], "📅")
				for _, w := range want[d] {
					assert.Contains(t, body, w, "%s on %s", c.id, d)
				}
				other := days[1-i]
				for _, w := range want[other] {
					if !contains(want[d], w) {
						assert.NotContains(t, body, w, "%s on %s shows the amount of %s", c.id, d, other)
					}
				}
				changes := strings.Join(want[days[0]], "") != strings.Join(want[days[1]], "")
				switch {
				case changes && d == "2026-12-20":
					assert.Contains(t, dated, "Từ 01/01/2027, chuẩn hộ nghèo khu vực nông thôn", "coming change")
					assert.Contains(t, dated, "dự kiến là 2.200.000 đồng, chưa được xác nhận chính thức")
				case changes:
					assert.Contains(t, dated, "dự kiến là 2.200.000 đồng (trước đó là 1.500.000 đồng), chưa được xác nhận chính thức", "recent change")
				default:
					assert.Empty(t, dated, "nothing changes for %s around these days", c.id)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// faqctl calc pension on a date before the first fund rate answers the
// eligibility question instead of failing (audit item).
func TestCalcPensionBeforeTheFirstFundRate(t *testing.T) {
	code, out, stderr := runCmd(t, "calc", "pension", "--sex", "male", "--years", "10", "--income", "3tr", "--date", "2021-06-01")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Chưa đủ 20 năm đóng: còn thiếu 10 năm")
	assert.Contains(t, out, "Khi đủ 20 năm: tỷ lệ 47 %, lương hưu khoảng 1.410.000 đ/tháng")
	assert.Contains(t, out, "Chưa có lãi suất quỹ cho ngày 01/06/2021")
}

// The shipped content is ready for both days: lint is clean, and no amount
// is typed in an answer outside a dated example.
func TestShippedContentLintsCleanOnBothDays(t *testing.T) {
	for _, d := range []string{"", "2026-12-20", "2027-01-01", "2027-01-05"} {
		args := []string{"lint"}
		if d != "" {
			args = append(args, "-date", d)
		}
		code, out, stderr := runCmd(t, args...)
		require.Equal(t, 0, code, "%s\n%s", out, stderr)
		assert.Contains(t, out, "faq: ổn\n", "no amount typed in an answer (%s)", d)
		assert.Contains(t, out, "notices: ổn\n")
		assert.NotContains(t, out, "content/faq/", fmt.Sprintf("lint %s", d))
	}
}
