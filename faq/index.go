package faq

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
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
	outside  *outsideList              // [outside] phrases of synonyms.txt (nil for the baseline)
	notices  []Notice                  // staff notices (notices.yaml)
	model    *topicModel               // learned topic ranking (nil for the baseline)
	// topicEntries are the entries of each topic, in id order.
	topicEntries map[string][]*Entry
}

// Open loads the KB and synonyms from the content root and builds the index.
// Errors from content are *Problems.
func Open(fsys fs.FS) (*Index, error) {
	kb, err := Load(fsys)
	syn, serr := LoadSynonyms(fsys)
	if err != nil || serr != nil {
		return nil, joinProblems(err, serr)
	}
	if err := kb.loadAmounts(fsys); err != nil {
		return nil, err
	}
	ix, err := NewIndex(kb, syn)
	if err == nil {
		err = ix.loadNotices(fsys)
	}
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// OpenBaseline is Open with bleve's default (English "standard") analyzer
// and TF-IDF scoring, no Vietnamese analysis: the reference point that
// `faqctl eval --baseline` measures the Vietnamese analysis against.
func OpenBaseline(fsys fs.FS) (*Index, error) {
	kb, err := Load(fsys)
	if err == nil {
		err = kb.loadAmounts(fsys)
	}
	if err != nil {
		return nil, err
	}
	ix, err := NewBaselineIndex(kb)
	if err == nil {
		err = ix.loadNotices(fsys)
	}
	if err != nil {
		return nil, err
	}
	return ix, nil
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
	return all.Err()
}

// NewIndex builds the Vietnamese index of kb in one batch; syn may be nil.
func NewIndex(kb *KB, syn *Synonyms) (*Index, error) {
	m, err := viMapping(syn)
	if err != nil {
		return nil, fmt.Errorf("faq: index mapping: %w", err)
	}
	ix, err := build(kb, m, false)
	if err != nil {
		return nil, err
	}
	ix.outside = newOutsideList(syn, kb)
	return ix, nil
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
		an := idx.Mapping().AnalyzerNamed(anFoldQ)
		if an == nil {
			_ = idx.Close()
			return nil, errors.New("faq: query analyzer missing from mapping")
		}
		ix.model = newTopicModel(kb, an)
		ix.topicEntries = map[string][]*Entry{}
		for _, e := range kb.entries {
			ix.topicEntries[e.Topic] = append(ix.topicEntries[e.Topic], e)
		}
	}
	return ix, nil
}

// KB returns the knowledge base the index was built from.
func (ix *Index) KB() *KB { return ix.kb }

// Close releases the bleve index.
func (ix *Index) Close() error { return ix.idx.Close() }

// maxBatch is the most entries indexed in one batch.
const maxBatch = 1000

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

// Learned reports what the learned ranking was trained on: the number of
// training examples (entries' phrasings and labelled questions) and how long
// training took; zero for the baseline index.
func (ix *Index) Learned() (examples int, took time.Duration) {
	if ix.model == nil {
		return 0, 0
	}
	return ix.model.n, ix.model.trained
}
