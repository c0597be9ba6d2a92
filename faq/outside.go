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
// the content does speak about it). [context] phrases (a job, a vehicle, a
// phone, a country: "tôi chạy xe máy giao hàng, đóng BHXH tự nguyện bao
// nhiêu") count only in a question that does not name the subject with a
// [subject] phrase.
type outsideList struct {
	phrases phraseSet         // [outside] then [context] phrases
	context []bool            // the phrase of the same index is a [context] phrase
	subject phraseSet         // [subject] phrases
	text    map[string]string // entry id → " folded words of all its text "
}

// phraseSet is a list of phrases as " words ": accented (one tone
// placement) and folded.
type phraseSet struct{ acc, fold []string }

func (ps *phraseSet) add(p string) {
	ps.acc = append(ps.acc, " "+spacedWords(vitext.LowerTones(p))+" ")
	ps.fold = append(ps.fold, " "+spacedWords(vitext.Fold(p))+" ")
}

// view returns the phrases to match text against and text as " words ":
// with diacritics when text has some ("ở tờ khai" is not "ô tô"), folded
// otherwise.
func (ps *phraseSet) view(text string) (phrases []string, q string) {
	if vitext.HasDiacritics(text) {
		return ps.acc, " " + spacedWords(vitext.LowerTones(text)) + " "
	}
	return ps.fold, " " + spacedWords(vitext.Fold(text)) + " "
}

// in says whether text has one of the phrases.
func (ps *phraseSet) in(text string) bool {
	phrases, q := ps.view(text)
	for _, p := range phrases {
		if strings.Contains(q, p) {
			return true
		}
	}
	return false
}

// newOutsideList reads the [outside], [context] and [subject] phrases of
// syn (nil: none) and the text of every entry.
func newOutsideList(syn *Synonyms, kb *KB) *outsideList {
	o := &outsideList{text: map[string]string{}}
	if syn != nil {
		for _, p := range syn.outside {
			o.phrases.add(p)
			o.context = append(o.context, false)
		}
		for _, p := range syn.context {
			o.phrases.add(p)
			o.context = append(o.context, true)
		}
		for _, p := range syn.subject {
			o.subject.add(p)
		}
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

// find returns the first outside phrase in the cleaned question (its
// asking part) that the entry top does not use, or "" if none; a [context]
// phrase counts only when whole (the whole message, greeting and story
// included) does not name the subject. (Personal numbers are taken out
// before search: see ReadFocus.)
func (o *outsideList) find(clean, whole, top string) string {
	if o == nil {
		return ""
	}
	phrases, q := o.phrases.view(clean)
	for i, p := range phrases {
		if !strings.Contains(q, p) || strings.Contains(o.text[top], o.phrases.fold[i]) {
			continue
		}
		if o.context[i] && o.subject.in(whole) {
			continue
		}
		return strings.TrimSpace(p)
	}
	return ""
}
