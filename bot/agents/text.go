package agents

import (
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// maxQueryRunes bounds what the place search looks at: nobody types a
// commune name longer than this, and it keeps edit distance cheap.
const maxQueryRunes = 80

// placePrefixes are the administrative words people put before a place name,
// already folded; multi-word ones are listed as token sequences.
var placePrefixes = [][]string{
	{"thi", "tran"}, {"thanh", "pho"}, {"dac", "khu"}, {"thi", "xa"},
	{"xa"}, {"phuong"}, {"p"}, {"tt"}, {"huyen"}, {"h"}, {"tp"}, {"quan"}, {"q"},
	{"tinh"}, {"tx"},
}

// Tokens folds s with vitext.Fold and splits it into runs of letters and
// digits.
func Tokens(s string) []string {
	if r := []rune(s); len(r) > maxQueryRunes {
		s = string(r[:maxQueryRunes])
	}
	return strings.FieldsFunc(vitext.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// stripPrefixes removes leading administrative words ("xã", "p.", "thành
// phố", ...) as long as something remains after them.
func stripPrefixes(toks []string) []string {
	for {
		stripped := false
		for _, p := range placePrefixes {
			if len(toks) > len(p) && hasPrefix(toks, p) {
				toks = toks[len(p):]
				stripped = true
				break
			}
		}
		if !stripped {
			return toks
		}
	}
}

func hasPrefix(toks, p []string) bool {
	for i := range p {
		if toks[i] != p[i] {
			return false
		}
	}
	return true
}

// PlaceKey is the search key of a place name: folded, punctuation removed,
// prefixes stripped, tokens joined by single spaces. "P. Trần Phú" and
// "phuong tran phu" have the same key.
func PlaceKey(s string) string {
	return strings.Join(stripPrefixes(Tokens(s)), " ")
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of two neighbouring letters
// ("thyu" for "thuy") each count one. It works on bytes; keys are folded to
// ASCII letters and digits except for rare non-Latin input.
func editDistance(a, b string) int {
	n, m := len(a), len(b)
	// Three rolling rows (the swap looks two rows back) in one allocation.
	buf := make([]int, 3*(m+1))
	prev2, prev, cur := buf[:m+1], buf[m+1:2*(m+1)], buf[2*(m+1):]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m]
}

// allowedTypos is how many edits a name of n letters tolerates: none below
// five letters, one from five, two from nine.
func allowedTypos(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	default:
		return 0
	}
}

// NameScore says how well query key q matches name key k: 0 exact, 1–2 the
// number of typos (spaces ignored), 3 when q starts with k as whole words and
// 4 when it contains k elsewhere (the person added words such as the
// province), -1 for no match.
func NameScore(q, k string) int {
	if q == "" || k == "" {
		return -1
	}
	if q == k {
		return 0
	}
	qs, ks := strings.ReplaceAll(q, " ", ""), strings.ReplaceAll(k, " ", "")
	if qs == ks {
		return 0
	}
	if allow := allowedTypos(min(len(qs), len(ks))); allow > 0 && abs(len(qs)-len(ks)) <= allow {
		if d := editDistance(qs, ks); d <= allow {
			return d
		}
	}
	if len(ks) >= 4 {
		switch {
		case strings.HasPrefix(q, k+" "):
			return 3
		case strings.Count(q, " ") <= strings.Count(k, " ")+3 && strings.Contains(" "+q+" ", " "+k+" "):
			// Only in short texts: "thai thuy, thai binh", not a whole
			// sentence that happens to contain "dong thap".
			return 4
		}
	}
	return -1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
