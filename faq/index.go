package faq

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
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

// Index is an in-memory bleve index over a KB plus what the decision needs.
// It is safe for concurrent use. Close it when replaced.
type Index struct {
	idx      bleve.Index
	kb       *KB
	baseline bool
	qUni     analysis.Analyzer // question → content unigrams
	iUni     analysis.Analyzer // entry text → unigrams
	stats    *corpusStats      // folded
	accStats *corpusStats      // accented, for questions typed with diacritics (nil for the baseline)
	accUni   analysis.Analyzer
	dicts    map[string]map[string]int // field → term → entries that have it
}

// Open loads the KB and synonyms from the content root and builds the index.
// Errors from content are *Problems.
func Open(fsys fs.FS) (*Index, error) {
	kb, err := Load(fsys)
	syn, serr := LoadSynonyms(fsys)
	if err != nil || serr != nil {
		return nil, joinProblems(err, serr)
	}
	return NewIndex(kb, syn)
}

// OpenBaseline is Open with bleve's default (English "standard") analyzer
// and TF-IDF scoring, no Vietnamese analysis: the reference point that
// `faqctl eval --baseline` measures the Vietnamese analysis against.
func OpenBaseline(fsys fs.FS) (*Index, error) {
	kb, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	return NewBaselineIndex(kb)
}

func joinProblems(errs ...error) error {
	all := &Problems{}
	for _, err := range errs {
		var p *Problems
		switch {
		case err == nil:
		case errors.As(err, &p):
			all.List = append(all.List, p.List...)
		default:
			return err
		}
	}
	return all.err()
}

// NewIndex builds the Vietnamese index of kb in one batch; syn may be nil.
func NewIndex(kb *KB, syn *Synonyms) (*Index, error) {
	m, err := viMapping(syn)
	if err != nil {
		return nil, fmt.Errorf("faq: index mapping: %w", err)
	}
	return build(kb, m, false)
}

// NewBaselineIndex builds the same documents with bleve's defaults.
func NewBaselineIndex(kb *KB) (*Index, error) {
	m := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	dm.Dynamic = false
	for _, f := range indexedFields() {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = standard.Name
		fm.Name = f.name + foldSuffix
		fm.Store, fm.IncludeInAll, fm.IncludeTermVectors, fm.DocValues = false, false, false, false
		dm.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = dm
	return build(kb, m, true)
}

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
	body, _ := RenderText(e.Body)
	t, _ := kb.Topic(e.Topic)
	return map[string]interface{}{
		"question":   e.Question,
		"alternates": e.Alternates,
		"tags":       e.Tags,
		"body":       body,
		"covers":     t.Covers,
	}
}

func build(kb *KB, m *mapping.IndexMappingImpl, baseline bool) (*Index, error) {
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("faq: new index: %w", err)
	}
	// One batch (one segment: an in-memory scorch index never merges)
	// up to maxBatch entries; beyond that, batches of maxBatch bound the
	// memory the analysis holds at once, at the price of a few segments.
	docs := make(map[string]map[string]interface{}, len(kb.entries))
	for _, e := range kb.entries {
		docs[e.ID] = document(kb, e)
	}
	for start := 0; start < len(kb.entries); start += maxBatch {
		b := idx.NewBatch()
		for _, e := range kb.entries[start:min(start+maxBatch, len(kb.entries))] {
			if err := b.Index(e.ID, docs[e.ID]); err != nil {
				_ = idx.Close()
				return nil, fmt.Errorf("faq: index %s: %w", e.ID, err)
			}
		}
		if err := idx.Batch(b); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("faq: index batch: %w", err)
		}
	}
	ix := &Index{idx: idx, kb: kb, baseline: baseline}
	qName, iName := anFoldUniQ, anFoldUniI
	if baseline {
		qName, iName = standard.Name, standard.Name
	}
	ix.qUni = idx.Mapping().AnalyzerNamed(qName)
	ix.iUni = idx.Mapping().AnalyzerNamed(iName)
	if ix.qUni == nil || ix.iUni == nil {
		_ = idx.Close()
		return nil, errors.New("faq: analyzers missing from mapping")
	}
	ix.stats = newCorpusStats(kb, docs, ix.qUni, ix.iUni)
	if !baseline {
		ix.accUni = idx.Mapping().AnalyzerNamed(anAccUniQ)
		accIdx := idx.Mapping().AnalyzerNamed(anAccUniI)
		if ix.accUni == nil || accIdx == nil {
			_ = idx.Close()
			return nil, errors.New("faq: accented analyzers missing from mapping")
		}
		ix.accStats = newCorpusStats(kb, docs, ix.accUni, accIdx)
	}
	if !baseline {
		if err := ix.loadDicts(); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("faq: read dictionaries: %w", err)
		}
	}
	return ix, nil
}

// KB returns the knowledge base the index was built from.
func (ix *Index) KB() *KB { return ix.kb }

// Close releases the bleve index.
func (ix *Index) Close() error { return ix.idx.Close() }

// SearchOptions tune one search.
type SearchOptions struct {
	K       int  // number of hits to return; 0 means DefaultK
	Explain bool // attach bleve's score explanation to each hit
}

// longQueryTerms: questions analysed into more terms (unigrams and
// bigrams) than this search only the terms each field has.
const longQueryTerms = 24

// Re-ranking: bleve's score is multiplied by rerankAlpha + (1 -
// rerankAlpha) × Coverage of the hit, over the first rerankWindow hits.
// BM25 favours entries whose short question is fully inside the user's
// question ("BHXH tự nguyện là gì" inside "tỷ lệ đóng BHXH tự nguyện"); the
// share of the user's own words the entry has corrects that. On the
// development set: top-1 0.881 → 0.888 as written, 0.874 → 0.883 folded,
// top-3 0.961 → 0.966; 0.3 gained more top-1 but let off-topic questions
// through, 0.7 less.
const (
	rerankAlpha  = 0.5
	rerankWindow = 10
)

// maxBatch is the most entries indexed in one batch.
const maxBatch = 1000

// maxFuzzy is the most words of one question searched with typo tolerance.
const maxFuzzy = 3

// DefaultK is the number of hits Search returns.
const DefaultK = 5

// Search finds the entries answering query and decides what to do with
// them. Any text is accepted: empty, huge, emoji, HTML-like; user text never
// reaches a query parser. An empty or meaningless question gives
// DecisionNone. Errors come only from bleve or a cancelled ctx.
func (ix *Index) Search(ctx context.Context, q string) (Result, error) {
	return ix.SearchWith(ctx, q, SearchOptions{})
}

// SearchWith is Search with options.
func (ix *Index) SearchWith(ctx context.Context, raw string, opts SearchOptions) (Result, error) {
	k := opts.K
	if k <= 0 {
		k = DefaultK
	}
	k = min(k, 50)
	clean := CleanQuery(raw)
	res := Result{Query: raw, Cleaned: clean, Decision: DecisionNone}
	terms := ix.queryTerms(clean)
	if len(terms) == 0 {
		return res, nil
	}
	req := bleve.NewSearchRequestOptions(ix.buildQuery(clean, terms), max(k, rerankWindow), 0, opts.Explain)
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return res, fmt.Errorf("faq: search: %w", err)
	}
	for _, h := range sr.Hits {
		e, ok := ix.kb.byID[h.ID]
		if !ok {
			continue
		}
		hit := Hit{Entry: e, Score: h.Score}
		if opts.Explain && h.Expl != nil {
			hit.Explain = h.Expl.String()
		}
		res.Hits = append(res.Hits, hit)
	}
	if !ix.baseline {
		for i := range res.Hits {
			c := ix.coverage(terms, res.Hits[i].Entry.ID)
			res.Hits[i].Score *= rerankAlpha + (1-rerankAlpha)*c
		}
	}
	sortHits(res.Hits)
	var accTerms []string
	if ix.accStats != nil && vitext.HasDiacritics(clean) {
		accTerms = ix.analyze(anAccUniQ, clean)
	}
	res.Signals = ix.signals(terms, accTerms, res.Hits)
	res.Decision, res.Choices = decide(res.Signals, res.Hits)
	if keep := max(k, res.Choices); len(res.Hits) > keep {
		res.Hits = res.Hits[:keep] // never fewer hits than choices to offer
	}
	return res, nil
}

// queryTerms returns the distinct content unigrams of a cleaned question
// (fillers dropped, abbreviations expanded), as the index would see them.
func (ix *Index) queryTerms(clean string) []string {
	if clean == "" {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range ix.qUni.Analyze([]byte(clean)) {
		s := string(t.Term)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (ix *Index) buildQuery(clean string, terms []string) query.Query {
	var clauses []query.Query
	if ix.baseline {
		for _, f := range indexedFields() {
			mq := bleve.NewMatchQuery(clean)
			mq.SetField(f.name + foldSuffix)
			mq.SetBoost(f.boost)
			clauses = append(clauses, mq)
		}
		return bleve.NewDisjunctionQuery(clauses...)
	}
	accented := vitext.HasDiacritics(clean)
	fold := ix.analyze(anFoldQ, clean)
	var acc []string
	if accented {
		acc = ix.analyze(anAccQ, clean)
	}
	for _, f := range indexedFields() {
		if q := termsQuery(f.name+foldSuffix, ix.present(f.name+foldSuffix, fold), f.boost); q != nil {
			clauses = append(clauses, q)
		}
		if f.name == "body" || f.name == "covers" {
			continue // exact-diacritic matches count on the short fields only
		}
		if q := termsQuery(f.name, ix.present(f.name, acc), f.boost); q != nil {
			clauses = append(clauses, q)
		}
	}
	// Typo tolerance: words the content never uses, of 4+ letters, may be
	// typos of words it does use; edit distance 1 on the short fields. Only
	// the maxFuzzy longest such words: fuzzy searchers are the costliest,
	// and a long letter has many words no entry uses.
	var unknown []string
	for _, t := range terms {
		if utf8.RuneCountInString(t) >= 4 && ix.stats.df[t] == 0 && !isNumber(t) {
			unknown = append(unknown, t)
		}
	}
	sort.SliceStable(unknown, func(i, j int) bool { return len(unknown[i]) > len(unknown[j]) })
	for _, t := range unknown[:min(len(unknown), maxFuzzy)] {
		for _, f := range []field{{"question", 0.6}, {"alternates", 0.4}, {"tags", 0.4}} {
			fq := bleve.NewFuzzyQuery(t)
			fq.SetField(f.name + foldSuffix)
			fq.SetFuzziness(1)
			fq.SetPrefix(1)
			fq.SetBoost(f.boost)
			clauses = append(clauses, fq)
		}
	}
	return bleve.NewDisjunctionQuery(clauses...)
}

// analyze returns the distinct terms (unigrams and bigrams) analyzer makes
// of text.
func (ix *Index) analyze(analyzer, text string) []string {
	an := ix.idx.Mapping().AnalyzerNamed(analyzer)
	if an == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range an.Analyze([]byte(text)) {
		if s := string(t.Term); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// termsQuery is what a MatchQuery (OR) on field builds, with each distinct
// term once: a long letter repeats words, and each repeat would cost a term
// searcher and count twice.
func termsQuery(field string, terms []string, boost float64) query.Query {
	if len(terms) == 0 {
		return nil
	}
	tqs := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		tqs[i] = tq
	}
	dq := bleve.NewDisjunctionQuery(tqs...)
	dq.SetBoost(boost)
	return dq
}

// loadDicts reads the term dictionary of every indexed field.
func (ix *Index) loadDicts() error {
	ix.dicts = map[string]map[string]int{}
	for _, f := range indexedFields() {
		for _, name := range []string{f.name, f.name + foldSuffix} {
			d, err := ix.idx.FieldDict(name)
			if err != nil {
				return err
			}
			set := map[string]int{}
			for {
				e, err := d.Next()
				if err != nil {
					_ = d.Close()
					return err
				}
				if e == nil {
					break
				}
				set[e.Term] = int(e.Count)
			}
			if err := d.Close(); err != nil {
				return err
			}
			ix.dicts[name] = set
		}
	}
	return nil
}

// present drops from terms those that can add nothing but cost: terms more
// than 80% of entries have in field ("bảo hiểm", "đóng"), whose IDF is
// near zero but whose postings are the longest to walk, and, for long
// questions only, terms no entry has in field (a letter brings many words
// and bigrams that can never match, each costing a term searcher).
func (ix *Index) present(field string, terms []string) []string {
	dict := ix.dicts[field]
	limit := ix.stats.n * 4 / 5
	long := len(terms) > longQueryTerms
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		df, ok := dict[t]
		if df <= limit && (ok || !long) {
			out = append(out, t)
		}
	}
	return out
}

func isNumber(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' {
			return false
		}
	}
	return s != ""
}

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

// sortHits orders hits by score, then id, for stable output.
func sortHits(h []Hit) {
	sort.SliceStable(h, func(i, j int) bool {
		if h[i].Score != h[j].Score {
			return h[i].Score > h[j].Score
		}
		return h[i].Entry.ID < h[j].Entry.ID
	})
}
