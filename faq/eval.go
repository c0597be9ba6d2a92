package faq

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// EvalCase is one line of a question set: a question, the topic slug that
// answers it (or "none"/"other" when no entry should be offered) and other
// topics a careful reader would also accept.
type EvalCase struct {
	Line      int
	Question  string
	Topic     string
	AltTopics []string
}

// OffTopic reports whether the case expects DecisionNone.
func (c EvalCase) OffTopic() bool { return c.Topic == "none" || c.Topic == "other" }

// Accepts reports whether a hit on topic answers the case: its topic or one
// of its alternative topics.
func (c EvalCase) Accepts(topic string) bool {
	if topic == "" {
		return false
	}
	if topic == c.Topic {
		return true
	}
	for _, t := range c.AltTopics {
		if t == topic {
			return true
		}
	}
	return false
}

// ParseEvalSet reads `question<TAB>topic` lines. A first line (after
// comments) whose second field is "topic" is a header; it may name an
// `alt_topic` column, whose cells hold accepted alternative topics
// separated by "|". Other columns, blank lines and lines starting with #
// are ignored. Malformed lines are errors with their line.
func ParseEvalSet(name string, r io.Reader) ([]EvalCase, error) {
	probs := &Problems{}
	var cases []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	first := true
	alt := -1
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if !utf8.ValidString(text) {
			probs.Add(name, line, "dòng không phải UTF-8; lưu lại tệp bằng mã UTF-8")
			continue
		}
		header := first
		first = false
		f := strings.Split(text, "\t")
		if len(f) < 2 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[1]) == "" {
			probs.Add(name, line, "cần dạng `câu hỏi<TAB>chủ đề`")
			continue
		}
		if header && strings.TrimSpace(f[1]) == "topic" {
			for i, col := range f {
				if strings.TrimSpace(col) == "alt_topic" {
					alt = i
				}
			}
			continue
		}
		c := EvalCase{Line: line, Question: strings.TrimSpace(f[0]), Topic: strings.TrimSpace(f[1])}
		if alt >= 0 && alt < len(f) {
			for _, t := range strings.Split(f[alt], "|") {
				if t = strings.TrimSpace(t); t != "" && t != c.Topic {
					c.AltTopics = append(c.AltTopics, t)
				}
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		probs.Add(name, line+1, "dòng dài quá 1 MB: đây không phải tệp câu hỏi `câu hỏi<TAB>chủ đề`?")
	} else if err != nil {
		return nil, fmt.Errorf("faq: read %s: %w", name, err)
	}
	return cases, probs.Err()
}

// EvalReport holds the quality of an index on a question set. Rank metrics
// (top-1, top-3, MRR) use the ranked hits whatever the decision; how often
// the bot would actually answer, clarify or say none is reported
// separately, so a DecisionNone on an in-domain line is not counted as a
// top-1 miss but shows up in NoneRate. A hit is right when its topic is the
// line's topic or one of its alternative topics.
type EvalReport struct {
	Total        int     // in-domain lines
	Top1         float64 // share whose first hit has a right topic
	Top3         float64 // share with a right topic in the first 3 hits
	MRR          float64 // mean reciprocal rank of the first hit with a right topic (0 if not in the hits)
	AnswerRate   float64 // share of in-domain lines given answer (not clarify, not none)
	ClarifyRate  float64 // share of in-domain lines given clarify
	NoneRate     float64 // share of in-domain lines given none
	AnsweredOK   float64 // share of in-domain lines answered with a right topic
	Wrong        float64 // share of in-domain lines answered directly with a wrong topic
	Precision    float64 // share of direct answers (in-domain lines) on a right topic
	ClarifyOK    float64 // share of in-domain clarify replies whose choices include a right topic
	NoneTotal    int     // off-topic lines
	NoneAccuracy float64 // share of off-topic lines given DecisionNone (or answered on an accepted alternative topic)
	Topics       []TopicScore
	Misses       []Miss // in-domain lines whose top hit had another topic, and off-topic lines not given none
}

// TopicScore is the top-1 of the lines of one expected topic.
type TopicScore struct {
	Topic string
	Total int
	Top1  float64
}

// Miss is one wrong line, for staff to read.
type Miss struct {
	Case     EvalCase
	Decision Decision
	GotTopic string // topic of the first hit, "" when no hit
	GotID    string
}

// Evaluate runs every case through ix. With fold, every question is first
// stripped of its diacritics (vitext.Fold), as typed on a phone without a
// Vietnamese keyboard.
func Evaluate(ctx context.Context, ix *Index, cases []EvalCase, fold bool) (EvalReport, error) {
	var r EvalReport
	var top1, top3, answered, clarified, clarifyOK, answeredOK, noneOK int
	var rr float64
	per := map[string]*[2]int{}
	for _, c := range cases {
		q := c.Question
		if fold {
			q = vitext.Fold(q)
		}
		res, err := ix.SearchWith(ctx, q, SearchOptions{K: 10})
		if err != nil {
			return r, err
		}
		got := Miss{Case: c, Decision: res.Decision}
		if len(res.Hits) > 0 {
			got.GotTopic, got.GotID = res.Hits[0].Entry.Topic, res.Hits[0].Entry.ID
		}
		if c.OffTopic() {
			r.NoneTotal++
			// An off-topic line with an accepted alternative topic is
			// also right when answered on that topic.
			if res.Decision == DecisionNone || (res.Decision == DecisionAnswer && c.Accepts(got.GotTopic)) {
				noneOK++
			} else {
				r.Misses = append(r.Misses, got)
			}
			continue
		}
		r.Total++
		p := per[c.Topic]
		if p == nil {
			p = &[2]int{}
			per[c.Topic] = p
		}
		p[0]++
		for i, h := range res.Hits {
			if c.Accepts(h.Entry.Topic) {
				rr += 1 / float64(i+1)
				if i == 0 {
					top1++
					p[1]++
				}
				if i < 3 {
					top3++
				}
				break
			}
		}
		switch res.Decision {
		case DecisionAnswer:
			answered++
			if c.Accepts(got.GotTopic) {
				answeredOK++
			}
		case DecisionClarify:
			clarified++
			for _, h := range res.Hits[:min(res.Choices, len(res.Hits))] {
				if c.Accepts(h.Entry.Topic) {
					clarifyOK++
					break
				}
			}
		}
		if !c.Accepts(got.GotTopic) {
			r.Misses = append(r.Misses, got)
		}
	}
	frac := func(n, d int) float64 {
		if d == 0 {
			return 0
		}
		return float64(n) / float64(d)
	}
	r.Top1, r.Top3, r.MRR = frac(top1, r.Total), frac(top3, r.Total), 0
	if r.Total > 0 {
		r.MRR = rr / float64(r.Total)
	}
	r.AnswerRate, r.ClarifyRate, r.AnsweredOK = frac(answered, r.Total), frac(clarified, r.Total), frac(answeredOK, r.Total)
	r.NoneRate = frac(r.Total-answered-clarified, r.Total)
	r.Wrong = frac(answered-answeredOK, r.Total)
	r.Precision = frac(answeredOK, answered)
	r.ClarifyOK = frac(clarifyOK, clarified)
	r.NoneAccuracy = frac(noneOK, r.NoneTotal)
	for t, p := range per {
		r.Topics = append(r.Topics, TopicScore{Topic: t, Total: p[0], Top1: frac(p[1], p[0])})
	}
	sort.Slice(r.Topics, func(i, j int) bool {
		if r.Topics[i].Top1 != r.Topics[j].Top1 {
			return r.Topics[i].Top1 < r.Topics[j].Top1
		}
		return r.Topics[i].Topic < r.Topics[j].Topic
	})
	return r, nil
}
