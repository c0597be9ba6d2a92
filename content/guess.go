package content

import "strings"

// guesses are words that mark a statement as a guess.
var guesses = []string{"có lẽ", "co le", "hình như", "chắc là", "probably", "maybe", "perhaps"}

// Guess returns the first word of s that marks it as a guess ("có lẽ"), or
// "". Sources citizens read (FAQ sources, the sources of dated values in
// rates.yaml) say what is known, or only the law and article: the content
// checks refuse a source with such a word.
func Guess(s string) string {
	l := strings.ToLower(s)
	for _, g := range guesses {
		if strings.Contains(l, g) {
			return g
		}
	}
	return ""
}
