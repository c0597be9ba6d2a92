package faq

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// A tag is an attractor when the questions people ask with all of its words
// are mostly about other topics: "thẻ BHYT" on the moving-province entry
// pulls every question about buying, renewing or using a health card to it.
// The labelled questions are the evidence: a tag is reported when at least
// attractorMin of them contain every content word of the tag and fewer than
// attractorOwn percent of those are labelled with the tag's own topic.
const (
	attractorMin = 30
	attractorOwn = 4
)

// Warnings returns what staff should look at but does not stop the bot:
// tags that attract other topics' questions, and labelled questions the
// [outside] and [context] lists would refuse, as file:line. Alternates are
// whole questions and are judged by the labelled questions themselves
// (faqctl eval, TestCalibrate's cross-validation).
func (ix *Index) Warnings() []Problem {
	if ix.baseline || ix.stats == nil || len(ix.kb.labelled) == 0 {
		return nil
	}
	st := ix.stats
	// The content words of every labelled in-domain question, with its topic.
	type labelled struct {
		words map[string]bool
		acc   map[string]map[string]bool // folded word → its accented forms, for a question with diacritics
		topic string
	}
	var qs []labelled
	for _, l := range ix.kb.labelled {
		e, ok := ix.kb.byID[l.ID]
		if !ok {
			continue
		}
		set := map[string]bool{}
		for _, w := range ix.queryTerms(CleanQuery(l.Question)) {
			set[w] = true
		}
		qs = append(qs, labelled{set, accentedForms(l.Question), e.Topic})
	}
	var out []Problem
	for _, e := range ix.kb.entries {
		for i, tag := range e.Tags {
			tagAcc := accentedForms(tag)
			var content []string
			for _, w := range ix.queryTerms(CleanQuery(tag)) {
				if st.weight(w) > 0 {
					content = append(content, w)
				}
			}
			if len(content) == 0 {
				continue
			}
			n, own := 0, 0
			others := map[string]int{}
			for _, q := range qs {
				all := true
				for _, w := range content {
					if !q.words[w] {
						all = false
						break
					}
				}
				if !all || !sameAccents(tagAcc, q.acc) {
					continue
				}
				n++
				if q.topic == e.Topic {
					own++
				} else {
					others[q.topic]++
				}
			}
			if n < attractorMin || own*100 >= n*attractorOwn {
				continue
			}
			out = append(out, Problem{File: e.File, Line: lineAt(e.tagLines, i), Msg: fmt.Sprintf(
				"cảnh báo: thẻ %q kéo câu hỏi của chủ đề khác: %d câu hỏi có nhãn chứa nó, chỉ %d thuộc chủ đề %s (nhiều nhất: %s) — dùng cụm cụ thể hơn hoặc bỏ",
				tag, n, own, e.Topic, topTopics(others, 3))})
		}
	}
	out = append(out, ix.outsideLabelled()...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// accentedForms maps each folded word of an accented text to the accented
// forms it has there ("sổ" and "số" both fold to "so"), read as the
// [outside] phrases are (one tone placement); nil for a text typed without
// diacritics.
func accentedForms(s string) map[string]map[string]bool {
	if !vitext.HasDiacritics(s) {
		return nil
	}
	out := map[string]map[string]bool{}
	for _, w := range strings.Fields(spacedWords(vitext.LowerTones(s))) {
		f := vitext.Fold(w)
		if out[f] == nil {
			out[f] = map[string]bool{}
		}
		out[f][w] = true
	}
	return out
}

// sameAccents reports whether an accented question has the tag's accented
// words as written: a question whose only "dung" is "đúng" or "xây dựng"
// does not contain the tag "dừng đóng". A word the question lacks (it came
// from a synonym) or either text typed without diacritics is no evidence
// against the tag.
func sameAccents(tag, q map[string]map[string]bool) bool {
	if tag == nil || q == nil {
		return true
	}
	for f, forms := range tag {
		have := q[f]
		if len(have) == 0 {
			continue
		}
		found := false
		for w := range forms {
			if have[w] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// topTopics lists the k topics with the most questions, "topic (n)".
func topTopics(count map[string]int, k int) string {
	type tc struct {
		t string
		n int
	}
	var all []tc
	for t, n := range count {
		all = append(all, tc{t, n})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].t < all[j].t
	})
	var parts []string
	for _, x := range all[:min(k, len(all))] {
		parts = append(parts, fmt.Sprintf("%s %d", x.t, x.n))
	}
	return strings.Join(parts, ", ")
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// outsideLabelled reports labelled in-domain questions whose asking part has
// an [outside] phrase of synonyms.txt that their entry does not use (or a
// [context] one, in a question that names no [subject] phrase): the
// bot would answer "not my subject" even when it finds the entry, so the
// label and the list contradict each other ("đóng theo năm có được giảm như
// mua bảo hiểm xe không" labelled to the discount entry, "bảo hiểm xe" in
// [outside]).
func (ix *Index) outsideLabelled() []Problem {
	var out []Problem
	for _, l := range ix.kb.labelled {
		if l.ID == NoneID {
			continue
		}
		f := ReadFocus(l.Question)
		if p := ix.outside.find(CleanQuery(f.Text(weightAsk)), f.All(), l.ID); p != "" {
			out = append(out, Problem{File: l.File, Line: l.Line, Msg: fmt.Sprintf(
				"cảnh báo: câu hỏi có nhãn %s chứa cụm %q của [outside] hoặc [context] (synonyms.txt) mà mục không nhắc tới: bot sẽ trả lời \"không thuộc phạm vi\" — thêm cụm vào thẻ của mục, hoặc bỏ cụm khỏi danh sách",
				l.ID, p)})
		}
	}
	return out
}
