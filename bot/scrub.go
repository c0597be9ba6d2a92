package bot

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Personal data is scrubbed from questions before they are stored: the
// personal numbers faq.FindPersonal knows (phone numbers, ID numbers, social
// insurance codes, health card codes, other long digit runs that are not
// amounts) and names introduced as "tên là X", "tên tôi là X", "tôi tên X",
// or "em là X" / "tôi là X" when X is written as a name (capitalised words:
// "tôi là người dân tộc" stays).
var reName = regexp.MustCompile(`\b((?i:t[eê]n\s+(?:t[oô]i\s+|m[iì]nh\s+|em\s+|c[uủ]a\s+(?:t[oô]i|m[iì]nh|em)\s+)?l[aà])|(?i:(?:t[oô]i|m[iì]nh|em|con|ch[aá]u)\s+t[eê]n))\s+[\p{L}]+(?:\s+\p{Lu}[\p{L}]*){0,3}`)

var reNameIs = regexp.MustCompile(`\b((?i:t[oô]i|m[iì]nh|em|con|ch[aá]u|anh|ch[iị]|c[oô]|ch[uú]|b[aá]c)\s+(?i:l[aà]))\s+\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,3}([^\p{L}]|$)`)

// scrubLabel is what replaces a personal number of each kind.
var scrubLabel = map[string]string{
	faq.PersonalPhone: scrubPhone,
	faq.PersonalID:    scrubID,
	faq.PersonalSI:    scrubSI,
	faq.PersonalCard:  scrubCard,
	faq.PersonalOther: scrubID,
}

// Scrub removes personal numbers and names from s, and the control and
// invisible characters a message may carry (an escape sequence stored as
// typed would act on the terminal of staff reading faqctl report).
func Scrub(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, vitext.DropInvisible(s))
	if spans := faq.FindPersonal(s); len(spans) > 0 {
		var b strings.Builder
		last := 0
		for _, p := range spans {
			b.WriteString(s[last:p.Start])
			b.WriteString(scrubLabel[p.Kind])
			last = p.End
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	s = reName.ReplaceAllString(s, "$1 "+scrubName)
	return reNameIs.ReplaceAllString(s, "$1 "+scrubName+"$2")
}
