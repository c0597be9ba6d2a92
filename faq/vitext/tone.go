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

// toneFirst moves the tone mark of a lower-case NFC syllable ending in
// oa/oe/uy (no final consonant; "qu" + y excepted, where u belongs to the
// onset) from the last vowel to the one before it.
func toneFirst(w string) string {
	if isASCII(w) || utf8.RuneCountInString(w) < 2 {
		return w
	}
	f := Fold(w)
	n := len(f)
	if n != utf8.RuneCountInString(w) || n < 2 {
		return w
	}
	pair := f[n-2:]
	if pair != "oa" && pair != "oe" && pair != "uy" {
		return w
	}
	if n >= 3 && (strings.ContainsRune("aeiouy", rune(f[n-3])) || (pair == "uy" && f[n-3] == 'q')) {
		return w
	}
	rs := []rune(w)
	v1, v2 := norm.NFD.String(string(rs[n-2])), norm.NFD.String(string(rs[n-1]))
	var tone rune
	for _, r := range v2 {
		if isTone(r) {
			tone = r
		}
	}
	if tone == 0 {
		return w
	}
	for _, r := range v1 {
		if isTone(r) {
			return w // marks on both vowels: leave it alone
		}
	}
	v2 = strings.Map(func(r rune) rune {
		if isTone(r) {
			return -1
		}
		return r
	}, v2)
	return string(rs[:n-2]) + norm.NFC.String(v1+string(tone)) + norm.NFC.String(v2)
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
