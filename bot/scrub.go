package bot

import "regexp"

// Personal data is scrubbed from questions before they are stored: phone
// numbers (0xxxxxxxxx, +84…, 84…, also glued to words as in "sdt0912345678"),
// ID numbers (9 or 12 digits) and names introduced as "tên là X",
// "tên tôi là X", "tôi tên X".
var (
	rePhone = regexp.MustCompile(`(?:\+\s?84|84|0)(?:[\s.\-]?\d){9}`)
	reID    = regexp.MustCompile(`\d{12}|\d{9}`)
	reName  = regexp.MustCompile(`\b((?i:t[eê]n\s+(?:t[oô]i\s+|m[iì]nh\s+|em\s+|c[uủ]a\s+(?:t[oô]i|m[iì]nh|em)\s+)?l[aà])|(?i:(?:t[oô]i|m[iì]nh|em|con|ch[aá]u)\s+t[eê]n))\s+[\p{L}]+(?:\s+\p{Lu}[\p{L}]*){0,3}`)
)

// Scrub removes phone numbers, ID numbers and names from s.
func Scrub(s string) string {
	s = replaceDigits(s, rePhone, scrubPhone)
	s = replaceDigits(s, reID, scrubID)
	s = reName.ReplaceAllString(s, "$1 "+scrubName)
	return s
}

// replaceDigits replaces matches of re that are not part of a longer run of
// digits (so a 9-digit ID is not found inside an 11-digit number).
func replaceDigits(s string, re *regexp.Regexp, repl string) string {
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var out []byte
	last, pos := 0, 0
	for pos < len(s) {
		loc := re.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if isDigit(start-1) || isDigit(end) {
			pos = start + 1 // try again one byte later: matches may overlap
			continue
		}
		out = append(out, s[last:start]...)
		out = append(out, repl...)
		last, pos = end, end
	}
	if last == 0 {
		return s
	}
	return string(append(out, s[last:]...))
}
