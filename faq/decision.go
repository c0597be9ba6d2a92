package faq

import "github.com/bhxh-tn/bhxhbot/faq/vitext"

// Signals are the numbers the decision is made from: the topic model's
// probabilities, and lexical evidence computed on content unigrams (folded,
// abbreviations expanded, fillers dropped) weighted by their BM25 IDF, so
// that words every entry uses ("bảo hiểm") count little and rare or unknown
// words count a lot; function words ("gì", "không", "được") count nothing.
type Signals struct {
	// Terms is the number of distinct content words in the question.
	Terms int
	// Coverage is the share of the question's word weight found anywhere
	// in the top entry (question, alternates, tags, body, topic). A question
	// about football or crypto is mostly words the entry does not have.
	Coverage float64
	// Match is the best share of one phrasing of the top entry (its
	// question or one alternate) found in the question: how completely the
	// question asks what the entry answers. It is the "self-score"
	// normalisation of the score, computed without a second search.
	Match float64
	// Ratio is score(2nd hit) / score(1st hit), 0 when there is one hit.
	Ratio float64
	// Confidence combines Coverage and Match into one number in 0..1.
	Confidence float64
	// Topic is the model's probability of the first hit's topic; Second
	// that of the second hit's topic; None the model's probability that
	// the question is outside the subject.
	Topic, Second, None float64
	// Outside is the [outside] phrase of synonyms.txt found in the
	// question and not in the top entry; it makes the decision none.
	Outside string
}

// Decision thresholds on the topic model's probabilities, chosen on the
// development sets (faq/DESIGN.md; re-measure with
// `go test ./faq -run TestCalibrate -calibrate -v`).
const (
	// AnswerAbove: the first hit is sent as the answer when the model gives
	// its topic at least this probability.
	AnswerAbove = 0.45
	// ChoiceAbove: below AnswerAbove, hits whose topic has at least this
	// probability are offered as choices; none above it means none.
	ChoiceAbove = 0.08
	// AlsoSupport: a "Bạn cũng hỏi" question placed on a topic by one
	// sentence needs at least this probability of that topic from the
	// whole message. On real-dev's 26 letters with such buttons it removed
	// three misreadings (0.002–0.005: a hospital bill's "bao nhiêu phần
	// trăm" read as a pension rate) and kept the secondary questions the
	// letters did ask (0.014–0.07); the whole message's mass sits on its
	// main topic, so ChoiceAbove (0.08) would drop most of those.
	AlsoSupport = 0.01
	// NoneAbove: the model's "outside the subject" class at or above this
	// means none, whatever the topics get.
	NoneAbove = 0.25
	// WeakBelow: a question whose words the first entry barely has
	// (Confidence, the share of its word weight found) gets no choices:
	// the model's probabilities on words it hardly knows mean little.
	WeakBelow = 0.3
)

// LongTerms: questions of this many content words or more (letters that
// tell a story) use Match rather than the average in Confidence.
const LongTerms = 15

// signals computes the decision signals for the top hit. When the question
// has diacritics, accTerms are its accented words and accented words are
// looked up with their diacritics ("Nhật" is not "nhất"), ASCII words
// (typed without diacritics in the same question) folded.
func (ix *Index) signals(terms, accTerms []string, hits []Hit) Signals {
	if accTerms != nil {
		terms = accTerms
	}
	s := Signals{Terms: len(terms)}
	if len(hits) == 0 || len(terms) == 0 {
		return s
	}
	fold, acc := ix.stats, ix.accStats
	// statsOf says where a word is counted: folded stats for ASCII words
	// (and for every word of an unaccented question), accented otherwise.
	statsOf := func(t string) *corpusStats {
		if accTerms == nil || isASCII(t) {
			return fold
		}
		return acc
	}
	top := hits[0].Entry.ID
	if accTerms == nil {
		terms = fold.correct(terms, top)
	}
	var total, found float64
	inQuery := make(map[string]bool, len(terms))
	for _, t := range terms {
		inQuery[t] = true
		st := statsOf(t)
		w := st.weight(t)
		total += w
		switch {
		case st.vocab[top][t]:
			found += w
		case st != fold && fold.vocab[top][vitext.Fold(t)]:
			// Same letters, other diacritics: a wrong mark or another
			// word ("Nhật" vs "nhất"). Half credit.
			found += w / 2
		case st != fold && acc.df[t] == 0 && fold.df[vitext.Fold(t)] == 0:
			// A word the content never uses, even unaccented: a typo
			// ("ngyện") of a word of the entry one edit away is read as
			// that word, as for unaccented questions.
			if c := fold.correct([]string{vitext.Fold(t)}, top)[0]; fold.vocab[top][c] {
				found += w
			}
		}
	}
	if total > 0 {
		s.Coverage = found / total
	}
	phrasings, pst := fold.phrasings[top], fold
	if accTerms != nil {
		phrasings, pst = acc.phrasings[top], acc
	}
	for _, p := range phrasings {
		var pt, pf float64
		for _, t := range p {
			w := pst.weight(t)
			pt += w
			if inQuery[t] || (accTerms != nil && inQuery[vitext.Fold(t)]) {
				pf += w
			}
		}
		if pt > 0 && pf/pt > s.Match {
			s.Match = pf / pt
		}
	}
	if len(hits) > 1 && hits[0].Score > 0 {
		s.Ratio = hits[1].Score / hits[0].Score
	}
	s.Confidence = 0.5*s.Coverage + 0.5*s.Match
	if s.Terms >= LongTerms {
		s.Confidence = max(s.Confidence, s.Match)
	}
	return s
}

// decide turns signals into a decision and the number of choices to offer.
// probs are the model's class probabilities by hit (nil without a model:
// the baseline index, or a question with no word the model knows).
func decide(s Signals, hits []Hit, topicProb func(Hit) float64) (Decision, int) {
	return decideWith(s, hits, topicProb, thresholds{AnswerAbove, ChoiceAbove, NoneAbove})
}

// thresholds of the decision (the constants above; the calibration tries
// others).
type thresholds struct{ answer, choice, none float64 }

func decideWith(s Signals, hits []Hit, topicProb func(Hit) float64, th thresholds) (Decision, int) {
	if len(hits) == 0 || s.Terms == 0 || s.Outside != "" || topicProb == nil {
		return DecisionNone, 0
	}
	if s.None >= th.none {
		return DecisionNone, 0
	}
	if s.Topic >= th.answer {
		return DecisionAnswer, 0
	}
	if s.Confidence < WeakBelow {
		return DecisionNone, 0
	}
	n := 0
	for n < len(hits) && n < 3 && topicProb(hits[n]) >= th.choice {
		n++
	}
	if n == 0 {
		return DecisionNone, 0
	}
	return DecisionClarify, n
}
