// Package vitext is the project's one Vietnamese text normalisation: Unicode
// normalisation, lower case, and diacritic folding that also maps đ→d. The FAQ
// search analyzers and the place search of the hand-off both use it.
package vitext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C (precomposed letters), which is
// how Vietnamese keyboards usually send text; some send NFD. Invisible
// format characters are dropped (see DropInvisible).
func NFC(s string) string {
	if isASCII(s) {
		return s
	}
	return norm.NFC.String(DropInvisible(s))
}

// DropInvisible removes the invisible format characters (Unicode category
// Cf): zero-width space, joiner and non-joiner, word joiner, soft hyphen,
// byte-order mark, direction marks. Pasted text carries them inside words
// ("b\u200bh\u200bx\u200bh" shows as "bhxh"), where they would split the word.
func DropInvisible(s string) string {
	for i, r := range s {
		if r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r) {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for _, r := range s[i:] {
				if !unicode.Is(unicode.Cf, r) {
					b.WriteRune(r)
				}
			}
			return b.String()
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Lower returns s in NFC and lower case.
func Lower(s string) string { return strings.ToLower(NFC(s)) }

// Fold returns s in lower case with every diacritic removed and đ mapped to d,
// so "Đóng BHXH tự nguyện" becomes "dong bhxh tu nguyen". It accepts NFC and
// NFD input alike. Characters other than letters and digits are kept as they
// are (callers tokenize afterwards).
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	// Fast path: every rune ASCII or a precomposed Latin letter of the
	// table; anything else (combining marks, other scripts) takes the
	// general path below.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r >= foldFrom && r < foldFrom+rune(len(foldTable)) && foldTable[r-foldFrom] != 0:
			b.WriteByte(foldTable[r-foldFrom])
		default:
			return foldSlow(s)
		}
	}
	return b.String()
}

// foldTable maps each precomposed Latin letter from U+00C0 to U+1EFF to its
// folded ASCII letter (0: not a letter that folds to one ASCII letter).
const foldFrom = 0x00C0

var foldTable = func() []byte {
	t := make([]byte, 0x1F00-foldFrom)
	for r := rune(foldFrom); r < 0x1F00; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		if f := foldSlow(string(r)); len(f) == 1 && f[0] < utf8.RuneSelf && 'a' <= f[0] && f[0] <= 'z' {
			t[r-foldFrom] = f[0]
		}
	}
	return t
}()

// foldSlow is Fold for any text: NFD, drop the combining marks and the
// invisible format characters, đ→d, lower case.
func foldSlow(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// HasDiacritics reports whether s contains any Vietnamese letter with a
// diacritic (or đ), i.e. whether folding changes it beyond lower-casing.
func HasDiacritics(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// StripSymbols replaces emoji, pictographs, control characters, variation
// selectors and other symbols by spaces, and drops invisible format
// characters (a zero-width space inside a word leaves the word whole),
// keeping letters, digits, combining marks and the punctuation that carries
// meaning in a question or a number (". , % ? ! : ; - / ' \" ( )").
func StripSymbols(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r):
			return -1
		case unicode.Is(unicode.Variation_Selector, r):
			return ' ' // a combining mark, but only ever styles emoji
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.Is(unicode.Mn, r):
			return r
		case strings.ContainsRune(".,%?!:;-/'\"()", r):
			return r
		default:
			return ' '
		}
	}, s)
}

// Words returns the folded words of s: Fold, then split on every character
// that is not a letter or a digit. "Đóng BHXH: 1,5tr?" gives
// [dong bhxh 1 5tr].
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
