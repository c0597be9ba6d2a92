package faq

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// SearchOptions tune one search.
type SearchOptions struct {
	K       int  // number of hits to return; 0 means DefaultK
	Explain bool // attach bleve's score explanation to each hit
}

// longQueryTerms: questions analysed into more terms (unigrams and
// bigrams) than this search only the terms each field has.
const longQueryTerms = 24

// BM25 hits: bleve's score is multiplied by rerankAlpha + (1 -
// rerankAlpha) × Coverage of the hit (the share of the user's own words the
// entry has: BM25 alone favours entries whose short question is fully
// inside the user's), over the first bm25Window hits, which the learned
// ranking then reorders (faq/DESIGN.md).
const (
	rerankAlpha = 0.5
	bm25Window  = 20
)

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

// maxAlso is the most other questions of one message offered as buttons.
const maxAlso = 2

// SearchWith is Search with options.
func (ix *Index) SearchWith(ctx context.Context, raw string, opts SearchOptions) (Result, error) {
	focus := ReadFocus(raw)
	res, err := ix.searchFocus(ctx, raw, focus, opts)
	if err != nil {
		return res, err
	}
	res.Personal = focus.Personal
	if res.Decision != DecisionNone {
		res.Also = ix.also(focus, res)
	}
	return res, nil
}

// also reads each asking sentence of a message that asks several things
// with the topic model alone (no second search) and returns, for those it
// places on a topic the main result does not cover with the confidence of
// a direct answer, the entry its topic's entry model prefers.
func (ix *Index) also(focus Focus, main Result) []Hit {
	asks := focus.Asking()
	if ix.model == nil || len(asks) < 2 {
		return nil
	}
	covered := map[string]bool{}
	switch main.Decision {
	case DecisionAnswer:
		covered[main.Hits[0].Entry.Topic] = true
	case DecisionClarify:
		for _, h := range main.Hits[:min(main.Choices, len(main.Hits))] {
			covered[h.Entry.Topic] = true
		}
	}
	m := ix.model
	// whole is the model's reading of the whole message: a sentence read
	// alone loses its context ("Và được bao nhiêu phần trăm?" in a letter
	// about a hospital bill reads as a pension rate), so the whole message
	// must give its topic at least AlsoSupport.
	whole := main.probs
	var out []Hit
	for _, q := range asks {
		p, x := m.predict(Focus{Sentences: []Sentence{{Text: q, Kind: SentenceAsk, Weight: weightAsk}}})
		if p == nil {
			continue
		}
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		topic := m.classes[best]
		if topic == noneClass || p[best] < AnswerAbove || covered[topic] || whole == nil || whole[best] < AlsoSupport {
			continue
		}
		e := ix.bestEntry(topic, x)
		if e == nil {
			continue
		}
		covered[topic] = true
		out = append(out, Hit{Entry: e, Score: p[best]})
		if len(out) == maxAlso {
			break
		}
	}
	return out
}

// topicProb gives a hit its topic's probability in probs (the model's
// reading of a message); nil without probabilities.
func (ix *Index) topicProb(probs []float64) func(Hit) float64 {
	if probs == nil {
		return nil
	}
	return func(h Hit) float64 { return probs[ix.model.classOf[h.Entry.Topic]] }
}

// searchFocus searches one focused message.
func (ix *Index) searchFocus(ctx context.Context, raw string, focus Focus, opts SearchOptions) (Result, error) {
	k := opts.K
	if k <= 0 {
		k = DefaultK
	}
	k = min(k, 50)
	clean := CleanQuery(focus.Text(weightAsk))
	res := Result{Query: raw, Cleaned: clean, Decision: DecisionNone}
	terms := ix.queryTerms(clean)
	if len(terms) == 0 {
		return res, nil
	}
	req := bleve.NewSearchRequestOptions(ix.buildQuery(clean, terms), max(k, bm25Window), 0, opts.Explain)
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
	var probs []float64
	if ix.model != nil {
		var x svec
		probs, x = ix.model.predict(focus)
		res.Hits = ix.rankByTopic(res.Hits, probs, x)
	}
	var accTerms []string
	if ix.accStats != nil && vitext.HasDiacritics(clean) {
		accTerms = ix.analyze(anAccUniQ, clean)
	}
	res.Signals = ix.signals(terms, accTerms, res.Hits)
	if len(res.Hits) > 0 && !ix.baseline {
		res.Signals.Outside = ix.outside.find(clean, focus.All(), res.Hits[0].Entry.ID)
	}
	if probs != nil {
		m := ix.model
		res.Signals.None = probs[m.classOf[noneClass]]
		if len(res.Hits) > 0 {
			res.Signals.Topic = probs[m.classOf[res.Hits[0].Entry.Topic]]
		}
		if len(res.Hits) > 1 {
			res.Signals.Second = probs[m.classOf[res.Hits[1].Entry.Topic]]
		}
	}
	res.probs = probs
	res.Decision, res.Choices = decide(res.Signals, res.Hits, ix.topicProb(probs))
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
		if f.name == "covers" {
			continue // the topic's description: the topic model learns it (measured: no loss, 15% faster)
		}
		if q := termsQuery(f.name+foldSuffix, ix.present(f.name+foldSuffix, fold), f.boost); q != nil {
			clauses = append(clauses, q)
		}
		if f.name == "body" {
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

// present drops from terms those that add little but cost: terms more
// than 30% of entries have in field ("bảo hiểm", "đóng"), whose IDF is
// low but whose postings are the longest to walk (the topic model still
// reads them; measured: no change in top-1, p99 at 300 entries 6.5 → 3.9
// ms), and, for long
// questions only, terms no entry has in field (a letter brings many words
// and bigrams that can never match, each costing a term searcher).
func (ix *Index) present(field string, terms []string) []string {
	dict := ix.dicts[field]
	limit := ix.stats.n * 3 / 10
	long := len(terms) > longQueryTerms
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		df, ok := dict[t]
		if df <= limit && (ok || !long) {
			out = append(out, t)
		}
	}
	max := maxFieldTerms
	if strings.HasPrefix(field, "body") {
		max = maxBodyTerms
	}
	if len(out) > max {
		// A long letter: its rarest terms in this field say the most and
		// bound the cost (each term is a searcher); the topic model reads
		// all of it anyway.
		sort.SliceStable(out, func(i, j int) bool { return dict[out[i]] < dict[out[j]] })
		out = out[:max]
	}
	return out
}

// The most terms of one question searched in one field: the answers' text
// has the longest postings, so fewer there.
const (
	maxFieldTerms = 32
	maxBodyTerms  = 16
)

func isNumber(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' {
			return false
		}
	}
	return s != ""
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
