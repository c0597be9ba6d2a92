package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestParseMethod(t *testing.T) {
	for in, want := range map[string]string{
		"hằng tháng": "m1", "hang thang": "m1", "3 tháng": "m3", "quý": "m3", "6": "m6", "12 thang": "m12",
		"1 năm": "m12", "năm": "m12", "đóng trước 5 năm": "y5", "truoc 3 nam": "y3",
	} {
		got, err := parseMethod(nil, nil, in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{"7 tháng", "10 năm", "abc"} {
		_, err := parseMethod(nil, nil, in)
		assert.Error(t, err, in)
	}
}

// FuzzTypedInput feeds arbitrary text to every parser of typed answers: none
// may panic, and what they accept must be a valid callback value token.
func FuzzTypedInput(f *testing.F) {
	for _, s := range []string{"3 triệu", "3tr", "05/1995", "1995-05", "4 người", "hằng tháng", "ho can ngheo", "20 năm", "tên là Lan 0912345678", "\xff\xfe", "1.500.000đ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []func(*Engine, *ChatState, string) (string, error){parseIncome, parseGroupStep, parseMethod, parseMembers, parsePeriod, parseBorn, parseYears} {
			v, err := p(nil, nil, s)
			if err == nil && !validToken(v, false) {
				t.Fatalf("parser accepted %q as %q, not a callback token", s, v)
			}
		}
		_ = smallTalk(s)
		_ = findMoney(folded(s))
		out := Scrub(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("Scrub broke UTF-8: %q", out)
		}
		if strings.Contains(s, "0912345678") && strings.Contains(out, "0912345678") && !strings.Contains(s, "00912345678") {
			// a phone number embedded in longer digit runs is not a phone number
			if !containsLongerDigitRun(s, "0912345678") {
				t.Fatalf("phone survived scrubbing: %q", out)
			}
		}
	})
}

func containsLongerDigitRun(s, sub string) bool {
	i := strings.Index(s, sub)
	before := i > 0 && s[i-1] >= '0' && s[i-1] <= '9'
	j := i + len(sub)
	after := j < len(s) && s[j] >= '0' && s[j] <= '9'
	return before || after
}

func TestParseIncomeRejectsNegative(t *testing.T) {
	for _, in := range []string{"-5tr", "- 5 triệu", "−3tr", "thu nhập -2.000.000"} {
		_, err := parseIncome(nil, nil, in)
		assert.Error(t, err, in)
	}
	for in, want := range map[string]string{"3tr": "3000000", "thu nhập 3 triệu": "3000000", "1tr5": "1500000"} {
		got, err := parseIncome(nil, nil, in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
}

func TestFindMoneyLeavesCountsAlone(t *testing.T) {
	for in, want := range map[string]string{
		"dong bhxh 3tr 1 nam het bao nhieu": "3tr",
		"thu nhap 2 trieu 6 thang":          "2 trieu",
		"1 trieu 5 dong bao nhieu":          "1 trieu 5",
		"1tr5":                              "1tr5",
	} {
		assert.Equal(t, want, findMoney(in), in)
	}
}
