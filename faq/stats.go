package faq

import (
	"math"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// corpusStats are the per-entry vocabularies and document frequencies the
// decision signals use.
type corpusStats struct {
	n         int
	df        map[string]int
	vocab     map[string]map[string]bool // entry id → unigrams of all fields
	phrasings map[string][][]string      // entry id → unigrams of the question, each alternate and each tag
}

// newCorpusStats analyses question-like fields with userLike (as the index
// does) and the body and topic text with bodyAn.
func newCorpusStats(kb *KB, docs map[string]map[string]interface{}, userLike, bodyAn analysis.Analyzer) *corpusStats {
	s := &corpusStats{n: len(kb.entries), df: map[string]int{}, vocab: map[string]map[string]bool{}, phrasings: map[string][][]string{}}
	uniq := func(an analysis.Analyzer, text string) []string {
		seen := map[string]bool{}
		var out []string
		for _, t := range an.Analyze([]byte(text)) {
			if w := string(t.Term); !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
		return out
	}
	for _, e := range kb.entries {
		v := map[string]bool{}
		doc := docs[e.ID]
		for _, text := range []string{doc["body"].(string), doc["covers"].(string)} {
			for _, w := range uniq(bodyAn, text) {
				v[w] = true
			}
		}
		for _, text := range append(append([]string{e.Question}, e.Alternates...), e.Tags...) {
			for _, w := range uniq(userLike, text) {
				v[w] = true
			}
		}
		for w := range v {
			s.df[w]++
		}
		s.vocab[e.ID] = v
		for _, p := range append(append([]string{e.Question}, e.Alternates...), e.Tags...) {
			s.phrasings[e.ID] = append(s.phrasings[e.ID], uniq(userLike, p))
		}
	}
	return s
}

// idf is the BM25 inverse document frequency of a unigram; words the
// content never uses weigh the most.
// Numbers ("25", "1500000") are specific to the asker, not to a topic, so
// they weigh at most 1.
func (s *corpusStats) idf(t string) float64 {
	df := float64(s.df[t])
	if isNumber(t) {
		return min(1, math.Log(1+(float64(s.n)-df+0.5)/(df+0.5)))
	}
	return math.Log(1 + (float64(s.n)-df+0.5)/(df+0.5))
}

// weight is the IDF of a content word and 0 for a function word: question
// words and particles ("gì", "nào", "không", "được", "vậy") say how
// something is asked, not what, and an entry that happens not to use them
// must not look less relevant.
func (s *corpusStats) weight(t string) float64 {
	f := t
	if !isASCII(t) {
		f = vitext.Fold(t)
	}
	if functionWord(f) {
		return 0
	}
	return s.idf(t)
}

// functionWord reports whether a folded word is a Vietnamese function word.
// Words that fold onto content words are left out: "tu" (tự), "ho" (hộ),
// "the" (thẻ), "bao" (bảo), "cho" (chờ), "hoi" (hội), "can" (cận),
// "ban" (bán), "muon" (muộn).
func functionWord(t string) bool {
	switch t {
	case "gi", "nao", "sao", "khong", "duoc", "co", "la", "thi", "ma", "cua", "voi",
		"nhung", "cac", "va", "hay", "hoac", "de", "o", "vay", "roi", "chua", "da",
		"dang", "se", "bi", "nay", "khi", "neu", "nhu", "ra", "vao", "lai",
		"ai", "dau", "nhieu", "luc", "giup", "phai", "nghin", "ngan":
		return true
	}
	return false
}

// correct replaces each word of 5+ letters that the content never uses (a
// likely typo: "nguyn", "tham gai") by a word of entry id one edit away
// (insertion, deletion, substitution or swap of neighbours), so that the
// signals see what the fuzzy clauses already matched.
func (s *corpusStats) correct(terms []string, id string) []string {
	out := terms
	for i, t := range terms {
		if len(t) < 5 || s.df[t] > 0 || isNumber(t) {
			continue
		}
		for w := range s.vocab[id] {
			if w[0] == t[0] && oneEdit(t, w) {
				if &out[0] == &terms[0] {
					out = append([]string(nil), terms...)
				}
				out[i] = w
				break
			}
		}
	}
	return out
}

// oneEdit reports whether a and b (folded, ASCII) differ by exactly one
// insertion, deletion, substitution or swap of two neighbouring letters.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) {
		return a[i:] == b[i+1:]
	}
	if a[i+1:] == b[i+1:] {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// coverage is the share of the weight of the (folded) question terms found
// in entry id.
func (ix *Index) coverage(terms []string, id string) float64 {
	st := ix.stats
	terms = st.correct(terms, id)
	var total, found float64
	for _, t := range terms {
		w := st.weight(t)
		total += w
		if st.vocab[id][t] {
			found += w
		}
	}
	if total == 0 {
		return 0
	}
	return found / total
}
