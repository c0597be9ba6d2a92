package faq

import (
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// outsideList holds the [outside] phrases of synonyms.txt: words of other
// subjects (unemployment insurance, taxes, vehicles, loans, prices, weather,
// sport...) that share everyday words with the content ("bao nhiêu tiền",
// "đăng ký", "giấy tờ") but are not what it answers. A question containing
// one gets DecisionNone, unless the top entry itself uses the phrase (then
// the content does speak about it).
type outsideList struct {
	acc, fold []string          // phrases as words: accented (one tone placement) and folded
	text      map[string]string // entry id → " folded words of all its text "
}

func newOutsideList(phrases []string, kb *KB) *outsideList {
	o := &outsideList{text: map[string]string{}}
	for _, p := range phrases {
		o.acc = append(o.acc, " "+spacedWords(vitext.LowerTones(p))+" ")
		o.fold = append(o.fold, " "+spacedWords(vitext.Fold(p))+" ")
	}
	for _, e := range kb.entries {
		all := strings.Join(append(append([]string{e.Question, e.Body}, e.Alternates...), e.Tags...), " ")
		o.text[e.ID] = " " + spacedWords(vitext.Fold(all)) + " "
	}
	return o
}

// spacedWords keeps letters and digits and makes one space of everything
// else, so that phrases match on whole words.
func spacedWords(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}), " ")
}

// find returns the first outside phrase in the cleaned question that the
// entry top does not use, or "" if none. A question typed with diacritics
// is matched with them ("ở tờ khai" is not "ô tô"); an unaccented one
// folded. (Personal numbers are taken out before search: see ReadFocus.)
func (o *outsideList) find(clean, top string) string {
	if o == nil {
		return ""
	}
	phrases, q := o.fold, " "+spacedWords(vitext.Fold(clean))+" "
	if vitext.HasDiacritics(clean) {
		phrases, q = o.acc, " "+spacedWords(vitext.LowerTones(clean))+" "
	}
	for i, p := range phrases {
		if strings.Contains(q, p) && !strings.Contains(o.text[top], o.fold[i]) {
			return strings.TrimSpace(p)
		}
	}
	return ""
}
