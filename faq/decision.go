package faq

import "github.com/bhxh-tn/bhxhbot/faq/vitext"

// Signals are the numbers the decision is made from, computed on content
// unigrams (folded, abbreviations expanded, fillers dropped) weighted by
// their BM25 IDF, so that words every entry uses ("bảo hiểm") count little
// and rare or unknown words count a lot; function words ("gì", "không",
// "được") count nothing.
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
	// Outside is the [outside] phrase of synonyms.txt (or the personal
	// number) found in the question and not in the top entry; it makes the
	// decision none.
	Outside string
}

// Decision thresholds, calibrated on faq/testdata/questions.tsv (437
// in-domain and 48 off-topic lines, each run as written and with every
// diacritic stripped; heldout.tsv is never used for tuning) with
//
//	go test ./faq -run TestCalibrate -calibrate -v
//
// which prints, for each candidate NoneBelow, the share of off-topic lines
// given none and the share of in-domain lines kept (FAQ_CALIBRATE_DUMP=file
// also writes every line's signals, for a closer look).
//
// How they were chosen (80 shipped entries, 26/11/2026):
//   - Confidence = (Coverage + Match) / 2. A grid over the weights of
//     Coverage, Match and the raw bleve score kept the most in-domain lines
//     at 95% off-topic rejection with this plain average and no raw score
//     (raw scores move with the corpus; the two shares do not).
//   - Long questions (LongTerms content words or more, i.e. letters that
//     tell a story first) use max(average, Match): the story words are
//     unknown to the content and drag Coverage down, while containing most
//     of one phrasing of an entry is strong evidence. On the development set
//     this kept 4 points more in-domain lines at the same off-topic
//     rejection.
//   - NoneBelow = 0.72: off-topic → none was 0.885 at 0.64, 0.938 at 0.66
//     and 0.948 from 0.68 to 0.76 (the rest are off-topic lines that share
//     a whole phrase with an entry, like "nghỉ ốm hưởng bảo hiểm xã hội bắt
//     buộc thế nào"), while in-domain lines kept fell from 0.954 to 0.949
//     (0.66), 0.941 (0.68), 0.931 (0.70) and 0.921 (0.72). 0.72 is the
//     middle of that plateau: the most margin for off-topic wording we have
//     not seen (re-ranking picks, among 10 hits, the one sharing most words
//     with the question, which also lifts off-topic questions a little).
//   - Unaccented words of 5+ letters the content never uses are read as
//     the top entry's word one edit away, if any (typos; the fuzzy clauses
//     already ranked with them): +1 point of in-domain lines kept, no
//     off-topic line changed.
//   - Questions typed with diacritics are checked with their diacritics
//     (a word with the same letters but other marks gets half credit), so
//     "lương hưu ở Nhật" is not taken for "nhất": this cost 0.6 point of
//     in-domain lines kept and turns that kind of off-topic line to none.
//   - AnswerAbove = 0.85: kept lines with Confidence 0.70–0.85 had the right
//     topic first 0.79–0.87 of the time, 0.93 above 0.90, so in that band
//     the bot offers the top hits as buttons instead.
//   - ClarifyRatio = 0.90: when the 2nd hit scored ≥ 0.90 of the 1st, top-1
//     was right 0.57–0.65 of the time (0.86–0.96 below): offer the close
//     ones.
//
// Re-run the calibration whenever the content or the analysis changes a
// lot: IDF weights and bleve scores move with the corpus.
const (
	NoneBelow    = 0.68
	AnswerAbove  = 0.85
	ClarifyRatio = 0.90
	LongTerms    = 15
)

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
func decide(s Signals, hits []Hit) (Decision, int) {
	if len(hits) == 0 || s.Terms == 0 || s.Confidence < NoneBelow || s.Outside != "" {
		return DecisionNone, 0
	}
	close := 1
	for i := 1; i < len(hits) && i < 3; i++ {
		if hits[i].Score >= ClarifyRatio*hits[0].Score {
			close = i + 1
		}
	}
	switch {
	case close > 1:
		return DecisionClarify, close
	case s.Confidence < AnswerAbove && len(hits) > 1:
		return DecisionClarify, min(3, len(hits))
	default:
		return DecisionAnswer, 0
	}
}
