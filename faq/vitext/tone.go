package vitext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LowerTones is Lower with the tone mark of the open syllables ending in
// "oa", "oe" and "uy" always on the first of the two vowels: "hoà" and "hòa",
// "thuý" and "thúy", "huỷ" and "hủy" are the same word written in the old and
// the new placement, and keyboards and people use both. It also mends the
// common "ưo" slip (a horn forgotten on the o: "lưong") to "ươ", a pair
// Vietnamese never writes otherwise.
func LowerTones(s string) string {
	s = Lower(s)
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			b.WriteString(toneFirst(hornPair(s[start:i])))
			start = -1
		}
		b.WriteRune(r)
	}
	if start >= 0 {
		b.WriteString(toneFirst(hornPair(s[start:])))
	}
	return b.String()
}

// isTone reports whether r is one of the five Vietnamese tone marks
// (combining grave, acute, tilde, hook above, dot below).
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// Vowels with any tone mark (or none), lower case NFC.
const (
	toneO = "oòóỏõọ"
	toneU = "uùúủũụ"
	toneA = "aàáảãạ"
	toneE = "eèéẻẽẹ"
	toneY = "yỳýỷỹỵ"
)

// toneFirst moves the tone mark of a lower-case NFC syllable ending in
// oa/oe/uy (no final consonant; "qu" + y excepted, where u belongs to the
// onset) from the last vowel to the one before it.
func toneFirst(w string) string {
	if isASCII(w) {
		return w
	}
	last, n2 := utf8.DecodeLastRuneInString(w)
	prev, n1 := utf8.DecodeLastRuneInString(w[:len(w)-n2])
	switch {
	case strings.ContainsRune(toneO, prev) && (strings.ContainsRune(toneA, last) || strings.ContainsRune(toneE, last)):
	case strings.ContainsRune(toneU, prev) && strings.ContainsRune(toneY, last):
	default:
		return w
	}
	if last == 'a' || last == 'e' || last == 'y' {
		return w // no tone on the last vowel
	}
	head := w[:len(w)-n2-n1]
	if before, _ := utf8.DecodeLastRuneInString(head); head != "" {
		fb := Fold(string(before))
		if strings.Contains("aeiouy", fb) || (fb == "q" && strings.ContainsRune(toneU, prev)) {
			return w // a third vowel, or qu + y
		}
	}
	if prev != 'o' && prev != 'u' {
		return w // marks on both vowels: leave it alone
	}
	var tone rune
	for _, r := range norm.NFD.String(string(last)) {
		if isTone(r) {
			tone = r
		}
	}
	base := strings.Map(func(r rune) rune {
		if isTone(r) {
			return -1
		}
		return r
	}, norm.NFD.String(string(last)))
	return head + norm.NFC.String(string(prev)+string(tone)) + base
}

// hornPair turns "ưo" (any tone) into "ươ" in a lower-case NFC word.
func hornPair(w string) string {
	if !strings.ContainsAny(w, "ừứửữựư") {
		return w
	}
	d := []rune(norm.NFD.String(w))
	changed := false
	for i := 0; i+1 < len(d); i++ {
		if d[i] != 'u' || d[i+1] != '\u031b' {
			continue
		}
		j := i + 2
		for j < len(d) && isTone(d[j]) {
			j++
		}
		if j < len(d) && d[j] == 'o' && (j+1 == len(d) || d[j+1] != '\u031b') {
			d = append(d[:j+1], append([]rune{'\u031b'}, d[j+1:]...)...)
			changed = true
		}
	}
	if !changed {
		return w
	}
	return norm.NFC.String(string(d))
}
