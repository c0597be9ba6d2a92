// Package read is the bot's one free-text reader: it turns a message typed
// the way people type on phones (with or without diacritics, chat spelling,
// letters) into intents and values: money, years of contributions by
// scheme, birth month and year, age, sex, household size, support group and
// payment period. A number is taken only with its unit or its question:
// "2 mã số" is not money, "tháng 3" is not years, and a bare "7" is a
// household size only when the step asks for one (Expect).
//
// The reader knows nothing of the conversation: the engine decides what a
// reading means in the step it is in.
package read

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Expect is what the current step asks, so that a bare number or a bare
// year can be its answer.
type Expect int

// What a step may ask.
const (
	ExpectNothing Expect = iota
	ExpectIncome
	ExpectGroup
	ExpectMembers
	ExpectSex
	ExpectBorn
	ExpectYears
)

// Intent is a set of things a message asks for.
type Intent uint32

// Intents. Commands typed as words (Cancel, Menu, Back, DontKnow) and small
// talk (Hello, Thanks, Ack, Empty) are recognised only when they are the whole
// message; the Ask… intents anywhere in it.
const (
	Cancel          Intent = 1 << iota // "hủy", "thôi", "dừng", "không tính nữa"
	Menu                               // "menu", "về menu"
	Back                               // "quay lại", "trở lại"
	DontKnow                           // "không biết", "ko bt", "chưa rõ"
	Hello                              // "chào", "alo"
	Thanks                             // "cảm ơn", "tks"
	Ack                                // "ok", "ừ", "vâng", "dạ", "được rồi"
	Empty                              // nothing but punctuation, symbols or emoji ("?", ".")
	Question                           // asks something: "?" or a question word
	AskPension                         // how much pension
	AskRetireAge                       // at what age / when one retires
	AskContribution                    // how much to pay for voluntary SI
	AskHI                              // household health insurance amounts
	AskLumpSum                         // how much a one-off withdrawal pays
	AskWhere                           // where to sign up or pay
	AskGroupMeaning                    // what a support group means ("hộ nghèo là gì")
)

// Has reports whether every intent of x is in i.
func (i Intent) Has(x Intent) bool { return i&x == x }

// Any reports whether one of x's intents is in i.
func (i Intent) Any(x Intent) bool { return i&x != 0 }

// Years is the time a person says they contributed. Compulsory and
// Voluntary are set when the message names the scheme ("8 năm bắt buộc");
// Other holds years said without a scheme. Total adds them up.
type Years struct {
	Compulsory, Voluntary, Other int
	Given                        bool
}

// Total is all the years together.
func (y Years) Total() int { return y.Compulsory + y.Voluntary + y.Other }

// Born is a birth month; Month is 0 when only the year was given.
type Born struct {
	Year  int
	Month time.Month
}

// IsZero reports that no birth year was read.
func (b Born) IsZero() bool { return b.Year == 0 }

// Reading is what a message says.
type Reading struct {
	Text    string // the message, trimmed
	Folded  string // folded (no diacritics), words separated by single spaces
	Intents Intent

	Income    decimal.Decimal // money with its unit (or a whole-đồng amount of 6-8 digits)
	HasIncome bool
	Years     Years
	Born      Born
	Age       int // "35 tuổi", "35t"
	Sex       calc.Sex
	Members   int        // household size: "4 người", or a bare number when the step asks it
	Group     calc.Group // a support group stated, not asked about
	Months    int        // a payment period named: 1, 3, 6 or 12 months
	Advance   int        // years paid ahead: "đóng trước 3 năm"
	Numbers   []int      // numbers without a unit, outside dates and amounts
	Personal  bool       // holds a phone, ID or code number (9+ digits)
	Words     int        // number of words
}

// token is one word or number of the message.
type token struct {
	raw    string // lower case, NFC, diacritics kept
	f      string // folded
	clause int    // index of the comma- or sentence-separated part it is in
	used   bool   // consumed as part of a value
}

// tokenize splits lower-cased text into words and numbers; separators
// inside numbers (".", ",", "/", "-") are kept: "1.500.000đ", "12/03/1981".
func tokenize(lower string) []token {
	var out []token
	rs := []rune(lower)
	clause := 0
	for i := 0; i < len(rs); {
		r := rs[i]
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if r == ',' || r == '.' || r == ';' || r == '?' || r == '!' || r == '\n' {
				clause++
			}
			i++
			continue
		}
		j := i
		for j < len(rs) {
			c := rs[j]
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				j++
				continue
			}
			if (c == '.' || c == ',' || c == '/' || c == '-') && j > i && unicode.IsDigit(rs[j-1]) && j+1 < len(rs) && unicode.IsDigit(rs[j+1]) {
				j++
				continue
			}
			break
		}
		w := string(rs[i:j])
		out = append(out, token{raw: w, f: vitext.Fold(w), clause: clause})
		i = j
	}
	return out
}

// Message reads one message; expect is what the current step asks.
func Message(text string, expect Expect) Reading {
	text = strings.TrimSpace(text)
	rd := Reading{Text: text}
	lower := vitext.Lower(text)
	toks := tokenize(lower)
	rd.Words = len(toks)
	fw := make([]string, len(toks))
	for i, t := range toks {
		fw[i] = t.f
	}
	rd.Folded = strings.Join(fw, " ")
	if len(toks) == 0 {
		rd.Intents |= Empty
		return rd
	}
	toned := vitext.HasDiacritics(text)
	r := &reader{rd: &rd, toks: toks, toned: toned, expect: expect}
	r.values()
	r.intents(text)
	r.bare()
	return rd
}

type reader struct {
	rd     *Reading
	toks   []token
	toned  bool
	expect Expect
}

func (r *reader) at(i int) string {
	if i < 0 || i >= len(r.toks) {
		return ""
	}
	return r.toks[i].f
}

func (r *reader) rawAt(i int) string {
	if i < 0 || i >= len(r.toks) {
		return ""
	}
	return r.toks[i].raw
}

// phrase reports whether the folded words starting at i are p.
func (r *reader) phrase(i int, p string) bool {
	for k, w := range strings.Fields(p) {
		if r.at(i+k) != w {
			return false
		}
	}
	return true
}

func hasPhrase(folded string, phrases ...string) bool {
	padded := " " + folded + " "
	for _, p := range phrases {
		if strings.Contains(padded, " "+p+" ") {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// digitsOnly keeps the digits of s.
func digitsOnly(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// isNumber: digits with optional thousands or decimal separators.
func isNumber(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == ',') {
			return false
		}
	}
	return true
}

// Unit words of money, folded, when they stand as words after a number.
var moneyUnits = map[string]bool{"trieu": true, "tr": true, "cu": true, "k": true, "nghin": true, "ngan": true, "ty": true, "ti": true, "trd": true}

// spelledMoney: a spelled-out number and a money unit at i ("hai triệu").
// Not after a number ("10 năm tr…" is ten years and "trước"), and "năm tr"
// is not five million: "tr" there is as often "trước".
// Incomes are not spelled in thousands ("hai k") or in tỷ.
func (r *reader) spelledMoney(i int) bool {
	f, unit := r.at(i), r.at(i+1)
	if _, ok := calc.SpelledNumber(f); !ok || !moneyUnits[unit] || unit == "k" || unit == "ty" || unit == "ti" || isNumber(r.at(i-1)) {
		return false
	}
	return !(f == "nam" && unit == "tr")
}

// currency words that may follow a written-out amount.
var currencyWords = map[string]bool{"dong": true, "d": true, "vnd": true}

// gluedMoney reports a token like "3tr", "1tr5", "500k", "1.500.000đ", "5m".
func gluedMoney(f string) bool {
	i := 0
	for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.' || f[i] == ',') {
		i++
	}
	if i == 0 || i == len(f) {
		return false
	}
	rest := f[i:]
	j := 0
	for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
		j++
	}
	unit, tail := rest[:j], rest[j:]
	if tail != "" && !isDigits(tail) {
		return false
	}
	switch unit {
	case "tr", "trieu", "k", "m", "cu", "ty", "trd":
		return true
	case "d", "dong", "vnd":
		return tail == "" && len(digitsOnly(f[:i])) >= 4
	}
	return false
}

// values reads every value with its unit or its question word.
func (r *reader) values() {
	rd := r.rd
	for i := 0; i < len(r.toks); i++ {
		t := &r.toks[i]
		if t.used {
			continue
		}
		f := t.f
		switch {
		case r.date(i):
		case gluedMoney(f):
			r.money(i, i)
		case r.spelledMoney(i):
			r.money(i, i+1) // "hai triệu", "một triệu rưỡi"
		case isNumber(f):
			r.number(i)
		case len(f) >= 2 && len(f) <= 4 && f[len(f)-1] == 't' && isDigits(f[:len(f)-1]):
			// "35t": an age typed the chat way.
			if n, _ := strconv.Atoi(f[:len(f)-1]); n >= 15 && n <= 100 && rd.Age == 0 {
				t.used = true
				rd.Age = n
			}
		case (f == "thang") && isDigits(r.at(i+1)):
			// "tháng 3 (năm 1980)": a month name, never a count of years.
			r.monthName(i)
		}
	}
	r.sex()
	r.group()
	if rd.Years.Total() > 0 || rd.Years.Given {
		rd.Years.Given = true
	}
}

// date reads "12/03/1981", "3/1981", "1981-03": a birth date when the year
// is plausible for a living adult.
func (r *reader) date(i int) bool {
	f := r.toks[i].f
	var parts []string
	for _, sep := range []string{"/", "-", "."} {
		if strings.Count(f, sep) >= 1 && !strings.ContainsAny(strings.ReplaceAll(f, sep, ""), "/-.,") {
			parts = strings.Split(f, sep)
			break
		}
	}
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	nums := make([]int, len(parts))
	for k, p := range parts {
		if !isDigits(p) || len(p) > 4 {
			return false
		}
		nums[k], _ = strconv.Atoi(p)
	}
	var y, m int
	switch {
	case len(parts) == 3 && len(parts[2]) == 4:
		y, m = nums[2], nums[1]
		if nums[0] < 1 || nums[0] > 31 {
			return false
		}
	case len(parts) == 2 && len(parts[1]) == 4:
		y, m = nums[1], nums[0]
	case len(parts) == 2 && len(parts[0]) == 4:
		y, m = nums[0], nums[1]
	default:
		return false
	}
	if m < 1 || m > 12 || y < 1900 || y > 2100 {
		return false
	}
	if sep := "."; strings.Contains(f, sep) && len(parts) == 2 {
		return false // "1.500" is money, not a date
	}
	r.toks[i].used = true
	if r.rd.Born.IsZero() {
		r.rd.Born = Born{Year: y, Month: time.Month(m)}
	}
	return true
}

// monthName reads "tháng 3 năm 1980" / "tháng 3/1980" after "sinh".
func (r *reader) monthName(i int) {
	m, _ := strconv.Atoi(r.at(i + 1))
	if m < 1 || m > 12 {
		return
	}
	r.toks[i+1].used = true
	// A year right after: "tháng 3 năm 1980", "tháng 3 1980".
	k := i + 2
	if r.at(k) == "nam" {
		k++
	}
	if y, ok := r.yearAt(k); ok {
		r.toks[k].used = true
		if r.rd.Born.IsZero() {
			r.rd.Born = Born{Year: y, Month: time.Month(m)}
		}
		return
	}
	if r.birthContext(i) && r.rd.Born.Month == 0 {
		r.rd.Born.Month = time.Month(m)
	}
}

// bareIncome reads the answer to the income step: the whole message as an
// amount ("1.500.000", "1500000 đồng"), or one number of 1 to 99 without a
// unit ("3", "1,5", "tầm 2"), which at this step can only mean triệu: the
// floor is 1,5 triệu and the ceiling about 50 triệu, and the reply shows the
// amount in full so a misreading is seen.
func (r *reader) bareIncome() {
	rd := r.rd
	if v, err := calc.ParseMoney(rd.Text); err == nil && strings.ContainsAny(rd.Folded, "0123456789") {
		rd.Income, rd.HasIncome = v, true
		return
	}
	if rd.Words > 3 {
		return
	}
	num := ""
	for _, t := range r.toks {
		if isNumber(t.f) {
			if num != "" {
				return
			}
			num = t.f
		}
	}
	if num == "" {
		return
	}
	v, err := calc.ParseMoney(num + " trieu")
	if err != nil || v.GreaterThanOrEqual(decimal.NewFromInt(100_000_000)) {
		return
	}
	rd.Income, rd.HasIncome = v, true
}

// yearAt reads a four-digit year (1900–2100) at i.
func (r *reader) yearAt(i int) (int, bool) {
	f := r.at(i)
	if len(f) != 4 || !isDigits(f) {
		return 0, false
	}
	y, _ := strconv.Atoi(f)
	return y, y >= 1900 && y <= 2100
}

// birthContext: "sinh", "sn", "ngày sinh" shortly before i.
func (r *reader) birthContext(i int) bool {
	for k := i - 1; k >= max(0, i-3); k-- {
		switch r.at(k) {
		case "sinh", "sn", "snam":
			return true
		}
	}
	return false
}

// money reads the amount in tokens from..to (a glued unit, or number + unit
// word, maybe followed by "5", "rưỡi", "200 nghìn").
func (r *reader) money(from, to int) {
	// Continuations: "1 triệu 5", "2 triệu rưỡi", "1 triệu 200 nghìn".
	if isDigits(r.at(to+1)) && moneyUnits[r.at(to+2)] && r.at(to+2) != "ty" {
		to += 2
	} else if r.at(to+1) == "ruoi" {
		to++
	} else if isDigits(r.at(to+1)) && len(r.at(to+1)) <= 3 && !r.countWord(to+2) && (moneyUnits[r.at(to)] || gluedMoney(r.at(to))) && !strings.HasSuffix(r.at(to), "k") {
		to++
	}
	if currencyWords[r.at(to+1)] && r.currencyWord(to+1) {
		to++
	}
	parts := make([]string, 0, to-from+1)
	for k := from; k <= to; k++ {
		parts = append(parts, r.toks[k].f)
		r.toks[k].used = true
	}
	v, err := calc.ParseMoney(strings.Join(parts, " "))
	if err != nil || r.rd.HasIncome {
		return
	}
	r.rd.Income, r.rd.HasIncome = v, true
}

// currencyWord: "đồng"/"đ" (or "dong" typed without diacritics) right after an amount.
func (r *reader) currencyWord(i int) bool {
	raw := r.rawAt(i)
	return raw != "đóng" && raw != "dòng"
}

// yearThenDong: a year followed by "dong" typed without diacritics ("năm
// 2027 đóng", "từ 2018 đóng bhxh") is a year and the verb, not 2.027 đồng.
func (r *reader) yearThenDong(i int) bool {
	_, year := r.yearAt(i)
	return year && r.rawAt(i+1) == "dong"
}

// countWord: a word that makes the number before it a count ("năm",
// "tháng", "người", ...), not a part of an amount.
func (r *reader) countWord(i int) bool {
	switch r.at(i) {
	case "nam", "thang", "nguoi", "tuoi", "lan", "ky", "ng", "khau", "thanh", "nhan", "mang":
		return true
	}
	return false
}

var memberWords = map[string]bool{"nguoi": true, "ng": true, "khau": true, "mang": true, "nguoj": true}

// number reads a number by the word after (or before) it.
func (r *reader) number(i int) {
	f := r.toks[i].f
	next := r.at(i + 1)
	digits := digitsOnly(f)
	if len(digits) >= 9 {
		r.rd.Personal = true
		r.toks[i].used = true
		return
	}
	switch {
	case moneyUnits[next] || (next == "m" && r.rawAt(i+1) == "m"):
		r.money(i, i+1)
		return
	case currencyWords[next] && len(digits) >= 4 && r.currencyWord(i+1) && !r.yearThenDong(i):
		r.money(i, i+1)
		return
	}
	if strings.ContainsAny(f, ".,") {
		// "1.500.000", "2,5": money when it has thousands groups.
		if len(digits) >= 6 {
			r.money(i, i)
		}
		return
	}
	n, err := strconv.Atoi(f)
	if err != nil {
		return
	}
	prev := r.at(i - 1)
	switch {
	case len(f) >= 6 && len(f) <= 8:
		r.money(i, i)
	case len(f) == 4 && n >= 1900 && n <= 2100:
		// A year: a birth year after "sinh", "sn", "năm sinh".
		if r.birthContext(i) || (prev == "nam" && r.birthContext(i-1)) || r.expect == ExpectBorn {
			r.toks[i].used = true
			if r.rd.Born.IsZero() {
				r.rd.Born = Born{Year: n}
			}
		}
	case next == "tuoi" || (next == "t" && r.rawAt(i+1) == "t" && n >= 15 && n <= 100):
		r.toks[i].used = true
		r.toks[i+1].used = true
		if n >= 1 && n <= 120 && r.rd.Age == 0 {
			r.rd.Age = n
		}
	case memberWords[next] || r.phrase(i+1, "thanh vien") || r.phrase(i+1, "nhan khau"):
		if r.phrase(i-1, "thu") || prev == "thu" { // "người thứ 2"
			return
		}
		r.toks[i].used = true
		if n >= 1 && n <= 99 && r.rd.Members == 0 {
			r.rd.Members = n
		}
	case next == "thang":
		r.toks[i].used = true
		r.toks[i+1].used = true
		if prev == "sinh" || prev == "sn" || prev == "nam" && isDigits(r.at(i-2)) {
			return // a birth month, or the months of "10 năm 6 tháng"
		}
		switch n {
		case 1, 3, 6, 12:
			if r.rd.Months == 0 {
				r.rd.Months = n
			}
		}
	case next == "nam" && !(r.toned && r.rawAt(i+1) == "nam" && false):
		r.years(i, n)
	}
}

// years reads "N năm": years contributed, by scheme when named nearby, or
// years paid ahead after "trước".
func (r *reader) years(i, n int) {
	r.toks[i].used = true
	r.toks[i+1].used = true
	prev, prev2 := r.at(i-1), r.at(i-2)
	after := r.at(i + 2)
	switch {
	case prev == "truoc" || prev2 == "truoc" && prev == "dong":
		if n >= 1 && n <= 5 {
			r.rd.Advance = n
		}
		return
	case after == "nua" || after == "toi" || after == "sau" || prev == "sau" || prev == "con" || prev == "moi":
		return // "5 năm nữa", "còn 5 năm": not time already contributed
	case prev == "sinh" || prev == "sn":
		return
	}
	if n < 0 || n > 60 {
		return
	}
	scheme := r.schemeNear(i)
	switch scheme {
	case "bb":
		r.rd.Years.Compulsory += n
	case "tn":
		r.rd.Years.Voluntary += n
	default:
		r.rd.Years.Other += n
	}
	r.rd.Years.Given = true
}

// schemeNear names the scheme written right after "N năm" ("8 năm bắt
// buộc") or right before it in the same clause ("bắt buộc 8 năm").
func (r *reader) schemeNear(i int) string {
	scheme := func(k int) string {
		switch {
		case r.phrase(k, "bat buoc"), r.at(k) == "bb", r.phrase(k, "cong ty"), r.at(k) == "cty", r.phrase(k, "o cong ty"), r.phrase(k, "di lam"):
			return "bb"
		case r.phrase(k, "tu nguyen"), r.at(k) == "tn", r.at(k) == "btn":
			return "tn"
		}
		return ""
	}
	for k := i + 2; k <= i+4 && k < len(r.toks); k++ {
		if r.toks[k].clause != r.toks[i].clause || isNumber(r.at(k)) {
			break
		}
		if s := scheme(k); s != "" {
			return s
		}
	}
	for k := i - 1; k >= max(0, i-4); k-- {
		if r.toks[k].clause != r.toks[i].clause || isNumber(r.at(k)) {
			break
		}
		if s := scheme(k); s != "" {
			return s
		}
	}
	return ""
}

// sex reads "nam"/"nữ" and their synonyms; "nam" typed without diacritics
// counts only where it cannot be "năm" (a year).
func (r *reader) sex() {
	for i, t := range r.toks {
		switch {
		case t.raw == "nữ", t.f == "nu" && !r.toned, r.phrase(i, "phu nu"), r.phrase(i, "dan ba"), r.phrase(i, "nu gioi"):
			if t.raw == "nụ" || t.raw == "nú" {
				continue
			}
			r.rd.Sex = calc.Female
			return
		case r.phrase(i, "dan ong"), r.phrase(i, "nam gioi"):
			r.rd.Sex = calc.Male
			return
		case t.f == "nam" && !t.used && r.maleNam(i):
			r.rd.Sex = calc.Male
			return
		}
	}
}

// maleNam: "nam" at i means male, not "năm".
func (r *reader) maleNam(i int) bool {
	raw := r.toks[i].raw
	if raw == "năm" || raw == "nằm" || raw == "nắm" || raw == "nặm" {
		return false
	}
	if r.toned && raw == "nam" {
		// With diacritics elsewhere, "năm" would carry its breve... unless
		// it is part of a place ("miền nam", "việt nam", "hà nam").
		prev := r.at(i - 1)
		return prev != "viet" && prev != "mien" && prev != "ha" && prev != "quang" && prev != "phia"
	}
	prev, next := r.at(i-1), r.at(i+1)
	if isNumber(prev) || isNumber(next) {
		return false
	}
	switch prev {
	case "sinh", "moi", "hang", "ca", "mot", "may", "tung", "cac", "nhung", "vai", "nua", "tron", "du", "hon", "gan", "duoi", "tren", "viet", "mien", "ha", "quang", "phia", "nhieu", "bao", "cuoi", "dau", "giua", "trong", "tai", "thang":
		return false
	}
	switch next {
	case "nay", "nua", "toi", "sau", "truoc", "ngoai", "ngoaj", "roi", "qua", "sinh", "dinh", "bo", "dong":
		if next == "sinh" || next == "dinh" || next == "bo" {
			return next == "sinh" // "nam sinh 1980": a man born in 1980
		}
		return false
	}
	return true
}

// group reads a support group stated in the message ("hộ cận nghèo"),
// unless the message asks what the group is.
func (r *reader) group() {
	f := r.rd.Folded
	var g calc.Group
	switch {
	case hasPhrase(f, "khong ngheo", "khong thuoc ho ngheo", "khong thuoc"):
		if r.expect == ExpectGroup {
			g = calc.GroupOther
		}
	case hasPhrase(f, "can ngheo", "hcn"):
		g = calc.GroupNearPoor
	case hasPhrase(f, "ho ngheo", "ngheo"):
		g = calc.GroupPoor
	case hasPhrase(f, "dan toc thieu so", "dtts", "nguoi dan toc", "dan toc"):
		g = calc.GroupEthnic
	case hasPhrase(f, "xa dao", "dac khu", "hai dao", "o dao", "song o dao"):
		g = calc.GroupIsland
	}
	if g == "" && r.expect == ExpectGroup {
		if pg, err := calc.ParseGroup(r.rd.Text); err == nil {
			g = pg
		}
	}
	if g == "" {
		return
	}
	if hasPhrase(f, "la gi", "la sao", "the nao la", "nhu the nao", "nghia la", "la ai", "gom nhung", "gom ai", "dieu kien", "xac nhan", "giay to", "chung nhan", "co phai", "sao biet", "lam sao biet", "the nao", "ntn", "thuoc dien", "khac gi", "ai duoc", "la nhu nao") {
		r.rd.Intents |= AskGroupMeaning
		return
	}
	r.rd.Group = g
}

// notYetWords are the words of "(tôi) chưa đóng (BHXH) ngày nào (cả)".
var notYetWords = set("chua", "dong", "tham", "gia", "ngay", "nam", "nao", "ca", "gi", "bhxh", "toi", "em", "minh", "a", "nhe")

// notYet: the whole message says no contribution was ever made ("chưa
// đóng", "chua dong ngay nao"); a question about it ("chưa đóng thì có được
// không") is not.
func (r *reader) notYet() bool {
	for _, t := range r.toks {
		if !notYetWords[t.f] {
			return false
		}
	}
	return hasPhrase(r.rd.Folded, "chua dong", "chua tham gia")
}

// bare collects numbers no unit claimed, and takes one as the step's answer.
func (r *reader) bare() {
	rd := r.rd
	for i, t := range r.toks {
		if t.used || !isDigits(t.f) || len(t.f) > 4 {
			continue
		}
		if r.countWord(i+1) && !memberWords[r.at(i+1)] {
			continue // "1 lần", "2 kỳ": a count of something else, not the step's number
		}
		n, _ := strconv.Atoi(t.f)
		rd.Numbers = append(rd.Numbers, n)
	}
	if r.expect == ExpectYears && !rd.Years.Given && r.notYet() {
		// The step's "Chưa đóng" button typed in words: no years yet.
		rd.Years.Given = true
		return
	}
	if r.expect == ExpectIncome && !rd.HasIncome {
		r.bareIncome()
	}
	if len(rd.Numbers) != 1 {
		return
	}
	n := rd.Numbers[0]
	switch r.expect {
	case ExpectMembers:
		if rd.Members == 0 && n >= 1 && n <= 99 {
			rd.Members = n
		}
	case ExpectYears:
		if !rd.Years.Given && n >= 0 && n <= 60 {
			rd.Years = Years{Other: n, Given: true}
		}
	case ExpectBorn:
		if rd.Born.IsZero() && n >= 1900 && n <= 2100 {
			rd.Born = Born{Year: n}
		}
	}
}
