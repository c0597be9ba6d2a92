package bot

import "regexp"

// Personal data is scrubbed from questions before they are stored: phone
// numbers (0xxxxxxxxx, +84…, 84…), ID numbers (9 or 12 digits) and names
// introduced as "tên là X", "tên tôi là X", "tôi tên X".
var (
	rePhone = regexp.MustCompile(`(?:\+\s?84|\b84|\b0)(?:[\s.\-]?\d){9}\b`)
	reID    = regexp.MustCompile(`\b(?:\d{12}|\d{9})\b`)
	reName  = regexp.MustCompile(`\b((?i:t[eê]n\s+(?:t[oô]i\s+|m[iì]nh\s+|em\s+|c[uủ]a\s+(?:t[oô]i|m[iì]nh|em)\s+)?l[aà])|(?i:(?:t[oô]i|m[iì]nh|em|con|ch[aá]u)\s+t[eê]n))\s+[\p{L}]+(?:\s+\p{Lu}[\p{L}]*){0,3}`)
)

// Replacement markers.
const (
	scrubPhone = "[SĐT]"
	scrubID    = "[số giấy tờ]"
	scrubName  = "[tên]"
)

// Scrub removes phone numbers, ID numbers and names from s.
func Scrub(s string) string {
	s = rePhone.ReplaceAllString(s, scrubPhone)
	s = reID.ReplaceAllString(s, scrubID)
	s = reName.ReplaceAllString(s, "$1 "+scrubName)
	return s
}
