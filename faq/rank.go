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
func (ix *Index) rankByTopic(hits []Hit, p []float64, x svec) []Hit {
	if p == nil {
		return hits
	}
	m := ix.model
	top := 0.0
	if len(hits) > 0 {
		top = hits[0].Score
	}
	// An entry's own evidence: its probability under its topic's entry
	// model (1 for the only entry of a topic), computed for the topics
	// that need it.
	byTopic := map[string]map[string]float64{}
	sim := func(e *Entry) float64 {
		ps, ok := byTopic[e.Topic]
		if !ok {
			ps = m.entryProbs(e.Topic, x)
			byTopic[e.Topic] = ps
		}
		if ps == nil {
			return 1
		}
		return ps[e.ID]
	}
	topBM := map[string]float64{}
	for _, h := range hits {
		topBM[h.Entry.Topic] = max(topBM[h.Entry.Topic], h.Score)
	}
	// Within a topic: its entry model's probability and its BM25 score
	// relative to the topic's best.
	entryScore := func(e *Entry, bm float64) float64 {
		var a float64
		if t := topBM[e.Topic]; t > 0 {
			a = bm / t
		}
		return entryModelShare*sim(e) + (1-entryModelShare)*a
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
		// No BM25 hit in this topic: the entry its entry model prefers.
		if pick := ix.bestEntry(t.topic, x); pick != nil {
			out = append(out, Hit{Entry: pick, Score: t.score})
			used[pick.ID] = true
		}
	}
	return out
}

// bestEntry returns the entry of topic its entry model prefers for x (the
// topic's only entry, or nil for a topic without entries).
func (ix *Index) bestEntry(topic string, x svec) *Entry {
	ps := ix.model.entryProbs(topic, x)
	var pick *Entry
	best := -1.0
	for _, e := range ix.topicEntries[topic] {
		v := 1.0
		if ps != nil {
			v = ps[e.ID]
		}
		if v > best {
			pick, best = e, v
		}
	}
	return pick
}
