package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
	"github.com/shopspring/decimal"
)

// Parsers for typed step answers. Money and groups go to calc's parsers;
// these only find the part of the text that matters.

var (
	reMoneyIn = regexp.MustCompile(`\d[\d.,]*\s*(?:trieu|tr|cu|m|k|nghin|ngan|ty)?\s*\d*(?:\s*(?:ruoi))?`)
	reInt     = regexp.MustCompile(`\d+`)
	reMonthA  = regexp.MustCompile(`^(\d{1,2})\s*[/\-.\s]\s*(\d{4})$`)
	reMonthB  = regexp.MustCompile(`^(\d{4})\s*[/\-.\s]\s*(\d{1,2})$`)
	reMonthC  = regexp.MustCompile(`^thang\s*(\d{1,2})\s*(?:nam|[/\-.\s])\s*(\d{4})$`)
)

// parseMoney reads an amount typed alone ("3 triệu", "3tr") or inside a
// sentence ("thu nhập 3 triệu").
func parseMoney(text string) (decimal.Decimal, error) {
	v, err := calc.ParseMoney(text)
	if err == nil {
		return v, nil
	}
	if m := findMoney(vitext.Fold(text)); m != "" {
		if v2, err2 := calc.ParseMoney(m); err2 == nil {
			return v2, nil
		}
	}
	return decimal.Zero, err
}

// findMoney returns the first amount with a unit (or of at least 6 digits)
// in folded text, or "". An amount written with a minus sign ("-5tr") is
// not an amount: it is skipped, so the caller reports calc's error.
func findMoney(folded string) string {
	for _, loc := range reMoneyIn.FindAllStringIndex(folded, -1) {
		if negative(folded[:loc[0]]) {
			continue
		}
		m := trimCount(folded[loc[0]:loc[1]], folded[loc[1]:])
		m = strings.TrimRight(strings.TrimSpace(m), ".,")
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		hasUnit := strings.IndexFunc(m, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
		if hasUnit || digits >= 6 {
			return m
		}
	}
	return ""
}

var reTrailingCount = regexp.MustCompile(`\s+\d+$`)

// trimCount drops a number that follows the amount after a space when it
// counts something else: "3tr 1 năm" is 3 triệu for one year, not 3,1 triệu
// ("1 triệu 5" stays 1,5 triệu).
func trimCount(m, after string) string {
	loc := reTrailingCount.FindStringIndex(m)
	if loc == nil || !hasAny(firstWord(after), "nam", "thang", "nguoi", "tuoi", "lan", "ky") {
		return m
	}
	return m[:loc[0]]
}

// firstWord is the first word of s.
func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// negative reports whether the text before an amount ends with a minus sign
// ("-", "−", after optional spaces) that is not part of a range such as "3-5".
func negative(before string) bool {
	b := strings.TrimRight(before, " ")
	var rest string
	switch {
	case strings.HasSuffix(b, "-"):
		rest = b[:len(b)-1]
	case strings.HasSuffix(b, "−"):
		rest = b[:len(b)-len("−")]
	default:
		return false
	}
	rest = strings.TrimRight(rest, " ")
	return rest == "" || rest[len(rest)-1] < '0' || rest[len(rest)-1] > '9'
}

// parseSmallInt reads the first whole number in text, within [lo, hi].
func parseSmallInt(text string, lo, hi int) (int, bool) {
	m := reInt.FindString(text)
	if m == "" || len(m) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(m)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// parseBirthMonth reads "05/1995", "5-1995", "1995-05", "tháng 5 năm 1995".
func parseBirthMonth(text string) (calc.Month, bool) {
	t := strings.Join(strings.Fields(vitext.Fold(text)), " ")
	var ms, ys string
	if m := reMonthA.FindStringSubmatch(t); m != nil {
		ms, ys = m[1], m[2]
	} else if m := reMonthB.FindStringSubmatch(t); m != nil {
		ys, ms = m[1], m[2]
	} else if m := reMonthC.FindStringSubmatch(t); m != nil {
		ms, ys = m[1], m[2]
	} else {
		return calc.Month{}, false
	}
	mo, _ := strconv.Atoi(ms)
	y, _ := strconv.Atoi(ys)
	if mo < 1 || mo > 12 {
		return calc.Month{}, false
	}
	return calc.Month{Year: y, Month: time.Month(mo)}, true
}

// monthToken is the callback/state form of a month: "1995-05".
func monthToken(m calc.Month) string { return strconv.Itoa(m.Year) + "-" + twoDigits(int(m.Month)) }

func parseMonthToken(s string) (calc.Month, bool) {
	y, mo, ok := strings.Cut(s, "-")
	if !ok {
		return calc.Month{}, false
	}
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(mo)
	if err1 != nil || err2 != nil || mi < 1 || mi > 12 || yi < 1900 || yi > 2200 {
		return calc.Month{}, false
	}
	return calc.Month{Year: yi, Month: time.Month(mi)}, true
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// moneyToken parses a whole-đồng value token ("1500000").
func moneyToken(s string) (decimal.Decimal, bool) {
	if s == "" || len(s) > 13 {
		return decimal.Zero, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return decimal.Zero, false
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsPositive() {
		return decimal.Zero, false
	}
	return d, true
}

// folded returns the folded text with single spaces.
func folded(text string) string { return strings.Join(strings.Fields(vitext.Fold(text)), " ") }

// hasAny reports whether folded text contains any of the phrases as whole words.
func hasAny(f string, phrases ...string) bool {
	padded := " " + strings.Join(strings.FieldsFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ") + " "
	for _, p := range phrases {
		if strings.Contains(padded, " "+p+" ") {
			return true
		}
	}
	return false
}
