package faq

import (
	"regexp"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// MaxQueryRunes is how much of a question is searched; longer letters are
// cut (the question is usually at the start or the end, so we keep both).
const MaxQueryRunes = 500

var (
	urlRE     = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)
	commandRE = regexp.MustCompile(`(?:^|\s)/[a-zA-Z_]+(?:@\w+)?`)
	mentionRE = regexp.MustCompile(`@\w+`)
)

// CleanQuery prepares user text for search: NFC, no URLs, bot commands or
// @mentions, no emoji, symbols or control characters, spaces collapsed, and
// at most MaxQueryRunes characters (the first and last halves of a long
// letter). It never fails; the result may be empty.
func CleanQuery(s string) string {
	s = strings.ToValidUTF8(s, " ")
	if len(s) > 16*MaxQueryRunes { // bound the work on huge input first
		s = strings.ToValidUTF8(s[:8*MaxQueryRunes]+" "+s[len(s)-8*MaxQueryRunes:], " ")
	}
	s = vitext.NFC(s)
	if strings.Contains(s, "http") || strings.Contains(s, "www.") || strings.Contains(s, "HTTP") || strings.Contains(s, "WWW.") {
		s = urlRE.ReplaceAllString(s, " ")
	}
	if strings.Contains(s, "/") {
		s = commandRE.ReplaceAllString(s, " ")
	}
	if strings.Contains(s, "@") {
		s = mentionRE.ReplaceAllString(s, " ")
	}
	s = vitext.StripSymbols(s) // emoji, symbols, control characters, joiners
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > MaxQueryRunes {
		half := MaxQueryRunes / 2
		s = string(r[:half]) + " " + string(r[len(r)-half:])
	}
	return s
}
