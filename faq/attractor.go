package faq

import (
	"fmt"
	"sort"
	"strings"
)

// attractorMin is how many entries of other topics a tag or an alternate
// may match before it is reported: a phrase whose every content word
// appears in the phrasings of that many other entries ("thẻ BHYT", "hộ gia
// đình") pulls their questions to its own entry.
// The limit grows with the content: attractorShare percent of the entries.
const (
	attractorMin   = 6
	attractorShare = 10
	commonShare    = 40
)

// Warnings returns what staff should look at but does not stop the bot:
// tags so generic that they match many entries of other topics
// (attractors), as file:line. Alternates are whole questions and are judged
// by the labelled questions instead (faqctl eval).
func (ix *Index) Warnings() []Problem {
	if ix.baseline || ix.stats == nil {
		return nil
	}
	st := ix.stats
	// Every content word of each entry's question, alternates and tags.
	words := make(map[string]map[string]bool, len(ix.kb.entries))
	for _, e := range ix.kb.entries {
		set := map[string]bool{}
		for _, p := range st.phrasings[e.ID] {
			for _, w := range p {
				set[w] = true
			}
		}
		words[e.ID] = set
	}
	var out []Problem
	check := func(e *Entry, kind, phrase string, line int) {
		// Words that most entries use ("bảo hiểm", "tự nguyện") say
		// nothing about which entry a phrase belongs to: left out.
		var content []string
		for _, w := range ix.queryTerms(CleanQuery(phrase)) {
			if st.weight(w) > 0 && st.df[w]*100 <= st.n*commonShare {
				content = append(content, w)
			}
		}
		if len(content) == 0 {
			return
		}
		var others []string
		for _, o := range ix.kb.entries {
			if o.Topic == e.Topic {
				continue
			}
			all := true
			for _, w := range content {
				if !words[o.ID][w] {
					all = false
					break
				}
			}
			if all {
				others = append(others, o.ID)
			}
		}
		if len(others) >= max(attractorMin, len(ix.kb.entries)*attractorShare/100) {
			sort.Strings(others)
			shown := others[:min(3, len(others))]
			out = append(out, Problem{File: e.File, Line: line, Msg: fmt.Sprintf(
				"cảnh báo: %s %q chung quá: mọi từ của nó đều có ở %d câu hỏi thuộc chủ đề khác (%s…); nó kéo câu hỏi của chúng về câu này — dùng cụm cụ thể hơn hoặc bỏ",
				kind, phrase, len(others), strings.Join(shown, ", "))})
		}
	}
	for _, e := range ix.kb.entries {
		for i, t := range e.Tags {
			check(e, "thẻ", t, lineAt(e.tagLines, i))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}
