package studio

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// The database groups questions by their exact folded text. The inbox
// groups further by similar wording: two texts go together when the words
// they share weigh at least groupMin of the words of both (weighted
// Jaccard, words weighted by rarity among the recorded questions, so
// "bhxh" or "đóng" count little). Each text keeps its own status: it is the
// texts that get labelled, set aside or ignored.
const groupMin = 0.5

// candidateWords: a text is compared with the groups that share one of its
// rarest words, this many.
const candidateWords = 3

// Status of a recorded question in the content files.
const (
	statusOpen     = "open"     // nothing done yet
	statusLabelled = "labelled" // in a labelled-question file
	statusNeeded   = "needed"   // questions/needed.tsv
	statusIgnored  = "ignored"  // questions/ignored.tsv
)

// kindWords names the kinds of Report rows for staff.
var kindWords = map[string]string{
	"unanswered":  "bot không trả lời được",
	"clarify":     "bot phải hỏi lại",
	"rejected":    "người hỏi bấm «Không phải những câu này»",
	"thumbs-down": "bị 👎",
}

// member is one distinct text of a group.
type member struct {
	Text   string
	Key    string // faq.QuestionKey(Text)
	Count  int
	Users  int
	Last   time.Time
	Kinds  []kindCount
	FAQIDs []string // the answer 👎'd or the best candidate the bot had
	Status string
	Label  faq.Labelled // when labelled
	Aside  faq.SetAside // when needed or ignored
}

type kindCount struct {
	Kind, Words string
	Count       int
}

// qgroup is a group of similar questions.
type qgroup struct {
	Key     string // the key of its most asked text: the group's name in URLs
	Members []*member
	Count   int
	Users   int // summed over texts: a person who asked two of them counts twice
	Last    time.Time
	Kinds   []kindCount
	Status  string
	words   []int32 // of its first text
	mass    float64 // their weight
}

// Text is the group's most asked text.
func (g *qgroup) Text() string { return g.Members[0].Text }

// Open returns the texts nothing was done with yet.
func (g *qgroup) Open() []*member {
	var out []*member
	for _, m := range g.Members {
		if m.Status == statusOpen {
			out = append(out, m)
		}
	}
	return out
}

// groupRows turns Report rows into groups of similar questions, most asked
// first, with each text's status in generation g.
func groupRows(rows []bot.ReportRow, g *generation) []*qgroup {
	// One member per distinct text (a text can be unanswered and 👎).
	byKey := map[string]*member{}
	var members []*member
	for _, r := range rows {
		key := faq.QuestionKey(r.Text)
		if key == "" {
			key = "👎 " + r.FAQID // a 👎 without the question: one per answer
		}
		m := byKey[key]
		if m == nil {
			m = &member{Text: r.Text, Key: key}
			byKey[key] = m
			members = append(members, m)
		}
		m.Count += r.Count
		m.Users += r.Users
		if r.LastAt.After(m.Last) {
			m.Last = r.LastAt
		}
		m.Kinds = addKind(m.Kinds, r.Kind, r.Count)
		if r.FAQID != "" && !slices.Contains(m.FAQIDs, r.FAQID) {
			m.FAQIDs = append(m.FAQIDs, r.FAQID)
		}
	}
	for _, m := range members {
		m.Status = statusOpen
		if l, ok := g.labelled[m.Key]; ok {
			m.Status, m.Label = statusLabelled, l
		} else if a, ok := g.aside[m.Key]; ok {
			m.Aside = a
			m.Status = statusNeeded
			if a.File == faq.IgnoredFile {
				m.Status = statusIgnored
			}
		}
	}
	sort.SliceStable(members, func(i, j int) bool {
		if members[i].Count != members[j].Count {
			return members[i].Count > members[j].Count
		}
		return members[i].Last.After(members[j].Last)
	})

	// Words as numbers, weighted by their rarity among the recorded texts.
	ids := map[string]int32{}
	var df []int
	ws := make([][]int32, len(members))
	for i, m := range members {
		for _, w := range words(m.Text) {
			id, ok := ids[w]
			if !ok {
				id = int32(len(df))
				ids[w] = id
				df = append(df, 0)
			}
			df[id]++
			ws[i] = append(ws[i], id)
		}
	}
	weight := make([]float64, len(df))
	for id, n := range df {
		weight[id] = math.Log(1 + float64(len(members))/float64(n))
	}
	mass := func(ws []int32) float64 {
		var t float64
		for _, w := range ws {
			t += weight[w]
		}
		return t
	}

	// Each text joins the group it is most like, if it is alike enough,
	// else starts one. Candidates are the groups that share one of its
	// candidateWords rarest words (a group sharing none of them cannot
	// weigh half of the two together but for texts of common words only).
	var groups []*qgroup
	byWord := make([][]int32, len(df)) // word → groups whose first text has it
	in := make([]int, len(df))         // word → 1 + the text being placed that has it
	seen := map[int32]bool{}
	for i, m := range members {
		var best *qgroup
		if m.Text != "" && len(ws[i]) > 0 {
			for _, w := range ws[i] {
				in[w] = i + 1
			}
			rare := slices.Clone(ws[i])
			slices.SortFunc(rare, func(a, b int32) int { return cmp.Compare(weight[b], weight[a]) })
			own := mass(ws[i])
			bestScore := groupMin
			clear(seen)
			for _, w := range rare[:min(candidateWords, len(rare))] {
				for _, gi := range byWord[w] {
					if seen[gi] {
						continue
					}
					seen[gi] = true
					gr := groups[gi]
					var shared float64
					for _, x := range gr.words {
						if in[x] == i+1 {
							shared += weight[x]
						}
					}
					if s := shared / (own + gr.mass - shared); s >= bestScore {
						best, bestScore = gr, s
					}
				}
			}
		}
		if best == nil {
			best = &qgroup{Key: m.Key, words: ws[i], mass: mass(ws[i])}
			if m.Text != "" {
				for _, w := range ws[i] {
					byWord[w] = append(byWord[w], int32(len(groups)))
				}
			}
			groups = append(groups, best)
		}
		best.Members = append(best.Members, m)
		best.Count += m.Count
		best.Users += m.Users
		if m.Last.After(best.Last) {
			best.Last = m.Last
		}
		for _, k := range m.Kinds {
			best.Kinds = addKind(best.Kinds, k.Kind, k.Count)
		}
	}
	for _, gr := range groups {
		gr.Status = groupStatus(gr.Members)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].Count != groups[j].Count {
			return groups[i].Count > groups[j].Count
		}
		return groups[i].Last.After(groups[j].Last)
	})
	return groups
}

// groupStatus: open while one text is open; else needed if one is, else
// ignored if one is, else labelled.
func groupStatus(ms []*member) string {
	has := map[string]bool{}
	for _, m := range ms {
		has[m.Status] = true
	}
	for _, s := range []string{statusOpen, statusNeeded, statusIgnored} {
		if has[s] {
			return s
		}
	}
	return statusLabelled
}

func addKind(ks []kindCount, kind string, n int) []kindCount {
	for i := range ks {
		if ks[i].Kind == kind {
			ks[i].Count += n
			return ks
		}
	}
	return append(ks, kindCount{Kind: kind, Words: kindWords[kind], Count: n})
}
