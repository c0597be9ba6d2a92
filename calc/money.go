package calc

import (
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
	"github.com/shopspring/decimal"
)

// maxMoney is the largest amount ParseMoney accepts: 1 tỷ đồng.
var maxMoney = decimal.NewFromInt(1_000_000_000)

// moneyUnit returns the multiplier of a unit people type after a number, by
// its folded spelling, or 0.
func moneyUnit(w string) int64 {
	switch w {
	case "tram":
		return 100
	case "k", "nghin", "ngan", "ng", "ngh":
		return 1000
	case "tr", "trieu", "m", "cu", "trd":
		return 1_000_000
	case "ty", "ti", "b":
		return 1_000_000_000
	}
	return 0
}

// spelledNumbers are the numbers people spell out before a money unit,
// folded: "hai triệu", "ba củ", "một triệu rưỡi".
var spelledNumbers = map[string]int64{"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
	"sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}

// SpelledNumber reports the value of a spelled-out number ("hai" → 2), by
// its folded spelling; ParseMoney reads one before a unit ("năm trăm
// nghìn").
func SpelledNumber(folded string) (int64, bool) {
	n, ok := spelledNumbers[folded]
	return n, ok
}

// isCurrencyWord reports the words that may end an amount.
func isCurrencyWord(w string) bool { return w == "d" || w == "dong" || w == "vnd" }

const moneyHelp = "Bạn ghi số tiền như: 1.500.000, 1,5 triệu, 1tr5 hoặc 1500k."

func moneyErr(msg string) *InputError { return &InputError{Msg: msg} }

// ParseMoney reads an amount of money the way people type it on a phone:
// "1,5 triệu", "1tr5", "1.500.000đ", "1500k", "2 trieu", "1.5m", "3 củ",
// "2 triệu rưỡi", "1 triệu 200 nghìn", "5000000", "hai triệu". It returns
// whole đồng.
//
// Separators: a single "." or "," followed by exactly three digits groups
// thousands ("1.500" = 1500); repeated separators group thousands; otherwise
// it is a decimal point ("1,5 triệu"). Digits after a unit continue it:
// "1tr5" = 1.500.000, "1tr250" = 1.250.000. A bare number below 1.000 has no
// plausible meaning in đồng and is refused with a hint to add a unit.
//
// Errors are *InputError with a Vietnamese message: unreadable, negative,
// zero, fractions of a đồng, or more than 1 tỷ đồng.
func ParseMoney(s string) (decimal.Decimal, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return decimal.Zero, moneyErr("Bạn chưa ghi số tiền. " + moneyHelp)
	}
	t := vitext.Fold(raw)
	t = strings.TrimRight(t, ".!? ")
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "am ") || strings.HasPrefix(t, "−") {
		return decimal.Zero, moneyErr("Số tiền không được là số âm. " + moneyHelp)
	}
	toks, ok := tokenizeMoney(t)
	if !ok || len(toks) == 0 {
		return decimal.Zero, moneyErr("Mình chưa đọc được số tiền \"" + clip(raw) + "\". " + moneyHelp)
	}
	v, bare, msg := evalMoney(toks)
	if msg != "" {
		return decimal.Zero, moneyErr(msg)
	}
	switch {
	case v.IsNegative():
		return decimal.Zero, moneyErr("Số tiền không được là số âm. " + moneyHelp)
	case v.IsZero():
		return decimal.Zero, moneyErr("Số tiền phải lớn hơn 0. " + moneyHelp)
	case bare && v.LessThan(decimal.NewFromInt(1000)):
		// Checked before the whole-đồng rule: a bare "1,5" almost always
		// means 1,5 triệu, so say that rather than "no fraction of a đồng".
		// From 100 on the person means thousands: 500 triệu is above every
		// income ceiling, 500 nghìn is a plausible amount.
		n := viPercent(v)
		if v.GreaterThanOrEqual(decimal.NewFromInt(100)) {
			return decimal.Zero, moneyErr("Số " + n + " đồng quá nhỏ. Bạn muốn nói " + n +
				" nghìn? Hãy ghi rõ đơn vị, ví dụ " + n + " nghìn hoặc " + n + "k.")
		}
		return decimal.Zero, moneyErr("Số " + n + " đồng quá nhỏ. Bạn muốn nói " + n +
			" triệu? Hãy ghi rõ đơn vị, ví dụ " + n + " triệu hoặc " + n + "tr.")
	case !v.Equal(v.Truncate(0)):
		return decimal.Zero, moneyErr("Số tiền phải là số đồng chẵn (không có số lẻ dưới 1 đồng). " + moneyHelp)
	case v.GreaterThan(maxMoney):
		return decimal.Zero, moneyErr("Số tiền quá lớn (hơn 1 tỷ đồng). Bạn kiểm tra lại giúp mình nhé. " + moneyHelp)
	}
	return v, nil
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

type moneyTok struct {
	num  string // digits with separators, or ""
	word string // folded word, or ""
}

// tokenizeMoney splits folded text into numbers and words. Spaces between
// digit groups of three ("1 500 000") are joined.
func tokenizeMoney(t string) ([]moneyTok, bool) {
	var toks []moneyTok
	r := []rune(t)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(r) && (r[j] >= '0' && r[j] <= '9' || r[j] == '.' || r[j] == ',') {
				j++
			}
			num := string(r[i:j])
			// "1 500 000": join following space-separated groups of exactly 3 digits.
			for j+4 <= len(r) && r[j] == ' ' && isDigits(r[j+1:j+4]) && (j+4 == len(r) || !(r[j+4] >= '0' && r[j+4] <= '9')) &&
				!strings.ContainsAny(num, ".,") {
				num += string(r[j+1 : j+4])
				j += 4
			}
			toks = append(toks, moneyTok{num: num})
			i = j
		case unicode.IsLetter(c):
			j := i
			for j < len(r) && unicode.IsLetter(r[j]) {
				j++
			}
			toks = append(toks, moneyTok{word: string(r[i:j])})
			i = j
		default:
			return nil, false
		}
	}
	return toks, true
}

func isDigits(r []rune) bool {
	for _, c := range r {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(r) > 0
}

// parseNumber reads digits with thousands separators or a decimal point.
func parseNumber(s string) (decimal.Decimal, bool) {
	s = strings.TrimRight(s, ".,")
	if s == "" {
		return decimal.Zero, false
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		last := strings.LastIndexAny(s, ".,")
		intPart, frac = s[:last], s[last+1:]
		sep := string(s[last])
		other := ","
		if sep == "," {
			other = "."
		}
		if strings.Contains(intPart, sep) {
			return decimal.Zero, false
		}
		g, ok := groups(intPart, other)
		if !ok {
			return decimal.Zero, false
		}
		intPart = g
	case dots+commas > 1:
		sep := "."
		if commas > 0 {
			sep = ","
		}
		g, ok := groups(s, sep)
		if !ok {
			return decimal.Zero, false
		}
		intPart = g
	case dots+commas == 1:
		k := strings.IndexAny(s, ".,")
		left, right := s[:k], s[k+1:]
		if len(right) == 3 && len(left) >= 1 && len(left) <= 3 && left[0] != '0' {
			intPart = left + right
		} else {
			intPart, frac = left, right
		}
	default:
		intPart = s
	}
	if intPart == "" || len(intPart)+len(frac) > 30 {
		return decimal.Zero, false
	}
	str := intPart
	if frac != "" {
		str += "." + frac
	}
	d, err := decimal.NewFromString(str)
	if err != nil {
		return decimal.Zero, false
	}
	return d, true
}

// groups checks "1.500.000"-style grouping and returns the digits.
func groups(s, sep string) (string, bool) {
	parts := strings.Split(s, sep)
	if len(parts[0]) < 1 || len(parts[0]) > 3 {
		return "", false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

// evalMoney computes the amount; bare reports a number without any unit.
func evalMoney(toks []moneyTok) (v decimal.Decimal, bare bool, msg string) {
	unreadable := "Mình chưa đọc được số tiền này. " + moneyHelp
	total := decimal.Zero
	var pending *decimal.Decimal
	pendingRaw := ""
	lastUnit := int64(0)
	sawUnit, sawHalf := false, false
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.num != "" {
			if pending != nil || sawHalf {
				return v, false, unreadable
			}
			d, ok := parseNumber(tk.num)
			if !ok {
				return v, false, unreadable
			}
			pending, pendingRaw = &d, tk.num
			continue
		}
		w := tk.word
		if isCurrencyWord(w) {
			if i != len(toks)-1 {
				return v, false, unreadable
			}
			continue
		}
		if w == "ruoi" || w == "ruou" {
			if lastUnit < 1000 || pending != nil || sawHalf {
				return v, false, unreadable
			}
			total = total.Add(decimal.NewFromInt(lastUnit / 2))
			sawHalf = true
			continue
		}
		if n, ok := spelledNumbers[w]; ok && pending == nil && !sawHalf && i+1 < len(toks) && moneyUnit(toks[i+1].word) > 0 {
			d := decimal.NewFromInt(n)
			pending, pendingRaw = &d, "" // "hai triệu": no digits to continue the unit with
			continue
		}
		u := moneyUnit(w)
		if u == 0 || pending == nil || sawHalf {
			return v, false, unreadable
		}
		val := pending.Mul(decimal.NewFromInt(u))
		// "5 trăm nghìn": hundreds combine with the next, bigger unit.
		if u == 100 && i+1 < len(toks) && moneyUnit(toks[i+1].word) > 0 {
			pending = &val
			pendingRaw = ""
			continue
		}
		if lastUnit != 0 && u >= lastUnit {
			return v, false, unreadable
		}
		total = total.Add(val)
		lastUnit, sawUnit = u, true
		pending = nil
	}
	if pending != nil {
		if !sawUnit {
			return *pending, true, ""
		}
		// Digits after a unit continue it: "1tr5" → 5 × 1.000.000 / 10.
		if pendingRaw == "" || !isDigits([]rune(pendingRaw)) || lastUnit < 1000 {
			return v, false, unreadable
		}
		n := len(pendingRaw)
		scale := decimal.New(1, int32(n))
		tail := pending.Mul(decimal.NewFromInt(lastUnit)).Div(scale)
		if !tail.LessThan(decimal.NewFromInt(lastUnit)) {
			return v, false, unreadable
		}
		total = total.Add(tail)
	}
	if !sawUnit && pending == nil {
		return v, false, unreadable
	}
	return total, false, ""
}

// FormatVND writes whole đồng with dots between thousands: "1.034.000 đ".
// Amounts are rounded half-up to whole đồng first.
func FormatVND(d decimal.Decimal) string {
	d = d.Round(0)
	s := d.Abs().String()
	var b strings.Builder
	if d.IsNegative() {
		b.WriteString("-")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	b.WriteString(" đ")
	return b.String()
}
