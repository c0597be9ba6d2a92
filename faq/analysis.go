package faq

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Names of the bleve components registered by this package.
const (
	foldCharFilter  = "vi_fold_chars"  // vitext.Fold: lower case, no diacritics, đ→d
	lowerCharFilter = "vi_lower_chars" // vitext.LowerTones: NFC, lower case, one tone-mark placement
	expandFilter    = "vi_expand"      // synonyms.txt expansion + number forms
)

// Registering analysis components is the one init side effect bleve
// requires: it builds analyzers by name from the index mapping.
func init() {
	mustRegister(registry.RegisterCharFilter(foldCharFilter, func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
		return charFunc(vitext.Fold), nil
	}))
	mustRegister(registry.RegisterCharFilter(lowerCharFilter, func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
		return charFunc(vitext.LowerTones), nil
	}))
	mustRegister(registry.RegisterTokenFilter(expandFilter, newExpander))
}

func mustRegister(err error) {
	if err != nil {
		panic("faq: registering bleve component: " + err.Error())
	}
}

// charFunc adapts a string function to bleve's CharFilter.
type charFunc func(string) string

func (f charFunc) Filter(in []byte) []byte { return []byte(f(string(in))) }

// expander is the vi_expand token filter: it replaces abbreviations and
// chat spellings by their full words (one token can become several, or
// none for fillers), and rewrites numbers with units ("1tr5", "2 triệu",
// "500k", "1.500.000đ") to one canonical number token plus the unit word.
// Positions are renumbered so a following shingle filter sees the expanded
// words as adjacent.
type expander struct {
	fold  bool                    // tokens are folded (vi_fold_chars ran before)
	exact map[string][]phraseRule // first word (lower case) → rules, longest first
	ascii map[string][]phraseRule // first word folded → rules, for ASCII tokens
	units map[string]unitRule     // unit name folded → rule
}

type phraseRule struct {
	words []string // variant, split into words
	to    []string // expansion words
}

// newExpander builds the filter from its config: "rules" (encoded
// Synonyms), "fold" (bool) and "query" (bool: include query-only rules).
func newExpander(cfg map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
	items, _ := cfg["rules"].([]interface{})
	fold, _ := cfg["fold"].(bool)
	query, _ := cfg["query"].(bool)
	syn := decodeSynonyms(items)
	e := &expander{fold: fold, exact: map[string][]phraseRule{}, ascii: map[string][]phraseRule{}, units: map[string]unitRule{}}
	for _, r := range syn.rules {
		if r.queryOnly && !query {
			continue
		}
		to := strings.Fields(r.to)
		if fold {
			to = strings.Fields(vitext.Fold(r.to))
		}
		for _, v := range r.from {
			e.add(e.ascii, strings.Fields(vitext.Fold(v)), to)
			if !fold {
				e.add(e.exact, strings.Fields(v), to)
			}
		}
	}
	for _, u := range syn.units {
		if fold {
			u.word = vitext.Fold(u.word)
		}
		for _, n := range u.names {
			e.units[vitext.Fold(n)] = u
		}
	}
	return e, nil
}

func (e *expander) add(m map[string][]phraseRule, words, to []string) {
	if len(words) == 0 {
		return
	}
	rules := append(m[words[0]], phraseRule{words: words, to: to})
	sort.SliceStable(rules, func(i, j int) bool { return len(rules[i].words) > len(rules[j].words) })
	m[words[0]] = rules
}

func (e *expander) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in)+4)
	emit := func(term string, typ analysis.TokenType, start, end int) {
		out = append(out, &analysis.Token{Term: []byte(term), Type: typ, Start: start, End: end, Position: len(out) + 1})
	}
	for i := 0; i < len(in); {
		tok := in[i]
		if n, words, used := e.number(in, i); used > 0 {
			end := in[i+used-1].End
			emit(n, analysis.Numeric, tok.Start, end)
			for _, w := range words {
				emit(w, analysis.AlphaNumeric, tok.Start, end)
			}
			i += used
			continue
		}
		if r, ok := e.match(in, i); ok {
			end := in[i+len(r.words)-1].End
			for _, w := range r.to {
				emit(w, analysis.AlphaNumeric, tok.Start, end)
			}
			i += len(r.words)
			continue
		}
		emit(string(tok.Term), tok.Type, tok.Start, tok.End)
		i++
	}
	return out
}

// match finds the longest rule whose words start at in[i]. ASCII tokens
// (and every token in folded mode) match the folded variants; accented
// tokens match the variants exactly as written.
func (e *expander) match(in analysis.TokenStream, i int) (phraseRule, bool) {
	term := string(in[i].Term)
	rules, folded := e.exact[term], false
	if e.fold || isASCII(term) {
		rules, folded = e.ascii[term], true
	}
	for _, r := range rules {
		if i+len(r.words) > len(in) {
			continue
		}
		ok := true
		for k := 1; k < len(r.words) && ok; k++ {
			t := string(in[i+k].Term)
			ok = t == r.words[k] || (folded && vitext.Fold(t) == r.words[k])
		}
		if ok {
			return r, true
		}
	}
	return phraseRule{}, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// numRE matches a number, an optional attached unit and optional digits
// after the unit: "1.500.000", "1,5", "2tr", "1tr5", "500k", "25t", "300.000đ".
var numRE = regexp.MustCompile(`^(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)(\pL*)(\d*)$`)

// number rewrites the number starting at in[i]; it returns the canonical
// number, the unit words and how many tokens it used (0: not a number).
func (e *expander) number(in analysis.TokenStream, i int) (string, []string, int) {
	m := numRE.FindStringSubmatch(string(in[i].Term))
	if m == nil {
		return "", nil, 0
	}
	mant, scale, ok := parseDecimal(m[1])
	if !ok {
		return "", nil, 0
	}
	used := 1
	unitName := vitext.Fold(m[2])
	var unit unitRule
	switch {
	case unitName != "":
		u, known := e.units[unitName]
		if !known {
			return "", nil, 0
		}
		unit = u
	case m[3] == "" && i+1 < len(in):
		next := vitext.Fold(string(in[i+1].Term))
		if u, known := e.units[next]; known && len([]rune(next)) > 1 {
			unit, used = u, 2
		}
	}
	if unit.mult == 0 {
		if m[3] != "" {
			return "", nil, 0
		}
		return formatDecimal(mant, scale), nil, 1
	}
	// value = (mant / 10^scale + frac / 10^len(frac)) * mult, kept exact in
	// integers: bring both parts to a common scale.
	frac := m[3]
	if len(m[1]) > 12 || len(frac) > 3 {
		return "", nil, 0
	}
	if frac != "" {
		if scale > 0 {
			return "", nil, 0 // "1,5tr5" is not a number form
		}
		f, _ := strconv.ParseInt(frac, 10, 64)
		mant = mant*pow10(len(frac)) + f
		scale = len(frac)
	}
	return formatDecimal(mant*unit.mult, scale), strings.Fields(unit.word), used
}

// parseDecimal parses "1.500.000" (dots group thousands), "1,5" or "1.5"
// (decimal) and "1500" into mantissa and number of decimals.
func parseDecimal(s string) (int64, int, bool) {
	scale := 0
	switch {
	case strings.Count(s, ".") >= 1 && isThousands(s):
		s = strings.ReplaceAll(s, ".", "")
	case strings.ContainsAny(s, ".,"):
		k := strings.IndexAny(s, ".,")
		scale = len(s) - k - 1
		s = s[:k] + s[k+1:]
	}
	if len(s) > 15 {
		return 0, 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, scale, err == nil
}

func isThousands(s string) bool {
	parts := strings.Split(s, ".")
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return len(parts[0]) >= 1 && len(parts[0]) <= 3
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// formatDecimal prints mant/10^scale without trailing zeros, with a
// decimal comma as Vietnamese writes it: 15,1 → "1,5"; 1500000,0 → "1500000".
func formatDecimal(mant int64, scale int) string {
	for scale > 0 && mant%10 == 0 {
		mant /= 10
		scale--
	}
	s := strconv.FormatInt(mant, 10)
	if scale == 0 {
		return s
	}
	for len(s) <= scale {
		s = "0" + s
	}
	return s[:len(s)-scale] + "," + s[len(s)-scale:]
}
