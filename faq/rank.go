package faq

import "sort"

// Ranking weights (faq/DESIGN.md; re-measure with
// `go test ./faq -run TestCalibrate -calibrate -v`):
//   - topicModelShare: a topic's score is this share of the model's
//     probability plus the rest of its best BM25 score relative to the
//     first hit's;
//   - entryModelShare: within a topic, an entry's score is this share of
//     its entry model probability and similarity to its labelled questions
//     plus the rest of its BM25 score relative to the topic's best.
const (
	topicModelShare = 0.7
	entryModelShare = 0.5
)

// maxRanked is how many hits the ranking keeps: one entry per topic, the
// most likely topics first.
const maxRanked = 10

// rankByTopic turns BM25 hits into the ranking: one entry per topic, topics
// ordered by a score that mixes the model's probability and the best BM25
// score of the topic's entries (relative to the first hit); within a topic
// the entry its entry model and BM25 prefer. A topic the model finds likely
// but BM25 did not reach gets its entry the entry model prefers. Hit.Score
// becomes the topic's score.
func (ix *Index) rankByTopic(hits []Hit, p []float64, x svec, terms []string) []Hit {
	if p == nil {
		return hits
	}
	m := ix.model
	top := 0.0
	if len(hits) > 0 {
		top = hits[0].Score
	}
	// An entry's own evidence: its probability under its topic's entry
	// model (1 for the only entry of a topic).
	sim := m.entryProbs(x)
	for _, e := range ix.kb.entries {
		if _, ok := sim[e.ID]; !ok {
			sim[e.ID] = 1
		}
	}
	// The best entry of each topic: its BM25 score and its similarity to
	// the questions labelled with it, each relative to the topic's best.
	topBM, topSim := map[string]float64{}, map[string]float64{}
	for _, h := range hits {
		topBM[h.Entry.Topic] = max(topBM[h.Entry.Topic], h.Score)
	}
	for _, e := range ix.kb.entries {
		topSim[e.Topic] = max(topSim[e.Topic], sim[e.ID])
	}
	entryScore := func(e *Entry, bm float64) float64 {
		var a, b float64
		if t := topBM[e.Topic]; t > 0 {
			a = bm / t
		}
		if t := topSim[e.Topic]; t > 0 {
			b = sim[e.ID] / t
		}
		return entryModelShare*b + (1-entryModelShare)*a
	}
	best := map[string]int{} // topic → index of its best hit
	for i, h := range hits {
		j, ok := best[h.Entry.Topic]
		if !ok || entryScore(h.Entry, h.Score) > entryScore(hits[j].Entry, hits[j].Score) {
			best[h.Entry.Topic] = i
		}
	}
	type ts struct {
		topic string
		score float64
	}
	var topics []ts
	for c, slug := range m.classes {
		if slug == noneClass {
			continue
		}
		b := 0.0
		if top > 0 {
			b = topBM[slug] / top
		}
		topics = append(topics, ts{slug, topicModelShare*p[c] + (1-topicModelShare)*b})
	}
	sort.SliceStable(topics, func(i, j int) bool { return topics[i].score > topics[j].score })
	var out []Hit
	used := map[string]bool{}
	for _, t := range topics {
		if len(out) == maxRanked {
			break
		}
		if i, ok := best[t.topic]; ok {
			h := hits[i]
			h.Score = t.score
			out = append(out, h)
			used[h.Entry.ID] = true
			continue
		}
		// No BM25 hit in this topic: its entry most like the question.
		var pick *Entry
		bc := -1.0
		for _, e := range ix.kb.entries {
			if e.Topic == t.topic {
				if c := sim[e.ID] + 1e-3*ix.coverage(terms, e.ID); c > bc {
					pick, bc = e, c
				}
			}
		}
		if pick != nil {
			out = append(out, Hit{Entry: pick, Score: t.score})
			used[pick.ID] = true
		}
	}
	return out
}
