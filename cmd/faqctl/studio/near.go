package studio

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// The search learns from the labelled questions, so the labelled questions
// most like a question explain much of what the bot does with it: a
// question labelled for the wrong entry pulls its look-alikes there.
// nearIndex finds them, on folded words weighted by how rare they are among
// the labelled questions (weighted Jaccard).

type nearIndex struct {
	lines []faq.Labelled
	words [][]string // distinct folded words of each line
	idf   map[string]float64
}

// near is one labelled question like the one asked.
type near struct {
	faq.Labelled
	Score  float64  // 0..1
	Shared []string // the words they share, folded
}

// words returns the distinct folded words of s, in order.
func words(s string) []string {
	f := strings.FieldsFunc(vitext.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	seen := make(map[string]bool, len(f))
	out := f[:0]
	for _, w := range f {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func newNearIndex(lines []faq.Labelled) *nearIndex {
	n := &nearIndex{lines: lines, words: make([][]string, len(lines)), idf: map[string]float64{}}
	df := map[string]int{}
	for i, l := range lines {
		n.words[i] = words(l.Question)
		for _, w := range n.words[i] {
			df[w]++
		}
	}
	for w, c := range df {
		n.idf[w] = math.Log(1 + float64(len(lines))/float64(c))
	}
	return n
}

// weight of a word; a word no labelled question has weighs the most.
func (n *nearIndex) weight(w string) float64 {
	if v, ok := n.idf[w]; ok {
		return v
	}
	return math.Log(1 + float64(len(n.lines)+1))
}

// find returns the k labelled questions most like q with a score of at
// least min, best first.
func (n *nearIndex) find(q string, k int, min float64) []near {
	qw := words(q)
	if len(qw) == 0 {
		return nil
	}
	in := make(map[string]bool, len(qw))
	var qMass float64
	for _, w := range qw {
		in[w] = true
		qMass += n.weight(w)
	}
	var out []near
	for i, lw := range n.words {
		var shared, lMass float64
		var common []string
		for _, w := range lw {
			x := n.weight(w)
			lMass += x
			if in[w] {
				shared += x
				common = append(common, w)
			}
		}
		if shared == 0 {
			continue
		}
		score := shared / (qMass + lMass - shared)
		if score >= min {
			out = append(out, near{Labelled: n.lines[i], Score: score, Shared: common})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > k {
		out = out[:k]
	}
	return out
}
