package faq

import (
	"errors"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// field is one indexed property of an entry and its query boost. Question
// and alternates weigh most, then tags, then the body; the topic's own
// description ("covers" in topics.yaml) adds a little topic-level signal.
type field struct {
	name  string
	boost float64
}

// userLike reports whether the field holds question-like text.
func (f field) userLike() bool { return f.name != "body" && f.name != "covers" }

func indexedFields() []field {
	return []field{{"question", 3}, {"alternates", 2}, {"tags", 2}, {"body", 1}, {"covers", 0.5}}
}

// Analyzer names in the index mapping.
const (
	anAccIdx   = "vi_acc_idx"    // accented: NFC, lower, [both] rules, bigrams
	anAccQ     = "vi_acc_q"      // accented query: + [query] rules
	anFoldIdx  = "vi_fold_idx"   // folded: no diacritics, đ→d, [both] rules, bigrams
	anFoldQ    = "vi_fold_q"     // folded query: + [query] rules
	anFoldUniI = "vi_fold_uni_i" // folded unigrams of entries (vocabulary)
	anFoldUniQ = "vi_fold_uni_q" // folded unigrams of questions (coverage, fuzzy)
	anAccUniI  = "vi_acc_uni_i"  // accented unigrams of entries
	anAccUniQ  = "vi_acc_uni_q"  // accented unigrams of questions
	foldSuffix = "_f"
)

func viMapping(syn *Synonyms) (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	rules := syn.encode()
	var errs []error
	check := func(err error) { errs = append(errs, err) }
	check(m.AddCustomTokenFilter("vi_bigram", map[string]interface{}{"type": shingle.Name, "min": 2.0, "max": 2.0, "output_original": true}))
	for _, f := range []struct {
		name        string
		fold, query bool
	}{{"exp_acc_i", false, false}, {"exp_acc_q", false, true}, {"exp_fold_i", true, false}, {"exp_fold_q", true, true}} {
		check(m.AddCustomTokenFilter(f.name, map[string]interface{}{"type": expandFilter, "rules": rules, "fold": f.fold, "query": f.query}))
	}
	analyzer := func(name, char string, filters ...string) {
		check(m.AddCustomAnalyzer(name, map[string]interface{}{"type": custom.Name, "char_filters": []string{char},
			"tokenizer": unicode.Name, "token_filters": filters}))
	}
	analyzer(anAccIdx, lowerCharFilter, "exp_acc_i", "vi_bigram")
	analyzer(anAccQ, lowerCharFilter, "exp_acc_q", "vi_bigram")
	analyzer(anFoldIdx, foldCharFilter, "exp_fold_i", "vi_bigram")
	analyzer(anFoldQ, foldCharFilter, "exp_fold_q", "vi_bigram")
	analyzer(anFoldUniI, foldCharFilter, "exp_fold_i")
	analyzer(anFoldUniQ, foldCharFilter, "exp_fold_q")
	analyzer(anAccUniI, lowerCharFilter, "exp_acc_i")
	analyzer(anAccUniQ, lowerCharFilter, "exp_acc_q")
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentMapping()
	dm.Dynamic = false
	for _, f := range indexedFields() {
		// Questions, alternates and tags are phrased like user questions
		// (alternates on purpose in chat spelling: "rút 1 lần đc ko"), so
		// they get the query analysis, [query] rules included; the body
		// keeps only the [both] rules ("à" in a sentence is not "anh").
		acc, fold := textField(f.name, anAccQ), textField(f.name+foldSuffix, anFoldQ)
		if !f.userLike() {
			acc, fold = textField(f.name, anAccIdx), textField(f.name+foldSuffix, anFoldIdx)
		}
		dm.AddFieldMappingsAt(f.name, acc, fold)
	}
	m.DefaultMapping = dm
	m.DefaultAnalyzer = anFoldIdx
	return m, m.Validate()
}

func textField(name, analyzer string) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = analyzer
	fm.Store, fm.IncludeInAll, fm.IncludeTermVectors, fm.DocValues = false, false, false, false
	return fm
}

// document is what gets indexed for one entry.
func document(kb *KB, e *Entry) map[string]interface{} {
	body := kb.indexText(e)
	t, _ := kb.Topic(e.Topic)
	return map[string]interface{}{
		"question":   e.Question,
		"alternates": e.Alternates,
		"tags":       e.Tags,
		"body":       body,
		"covers":     t.Covers,
	}
}
