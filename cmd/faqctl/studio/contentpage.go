package studio

import (
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// The content page: the figures of the labelled-question sets and what
// changed since the previous run, then every entry by topic, rendered as
// the bot shows it on a day, with its sources, review date and lint
// problems.

// staleAfter: an entry not reviewed for this long is marked.
const staleAfter = 365 * 24 * time.Hour

type contentData struct {
	Day       string
	Ready     bool
	LintErrs  []string
	LintWarns []string
	General   []string // problems of files that are not entries
	Eval      *evalRun
	Groups    []topicGroup
	OnlyBad   bool
	Open      string // the entry to show open
	Entries   int
	WithProbs int
	Needed    []faq.SetAside // questions/needed.tsv: answers to write
}

type topicGroup struct {
	Name   string
	Topics []topicView
}

type topicView struct {
	Slug, Covers string
	Entries      []entryView
}

type entryView struct {
	*faq.Entry
	Answer    template.HTML
	AnswerErr string
	Problems  []string
	Labelled  int
	Reviewed  string
	Old       bool
}

func (s *Server) contentPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Nội dung", "noi-dung"
	q := r.URL.Query()
	day, dayText := s.parseDay(q.Get("ngay"))
	d := contentData{Day: dayText, OnlyBad: q.Get("chi-loi") == "1", Open: q.Get("bai")}
	problems := append([]string(nil), g.problems...)
	if bg, ok := s.ws.ready(g); ok {
		d.Ready = true
		d.LintErrs, d.LintWarns, d.Eval = bg.lintErrs, bg.lintWarns, bg.eval
		problems = dedupe(append(append(problems, bg.lintErrs...), bg.lintWarns...))
	} else {
		pd.Refresh = 5
	}
	byFile := problemsByFile(problems)
	if g.ix != nil {
		kb := g.ix.KB()
		labelled := map[string]int{}
		for _, l := range g.labelled {
			labelled[l.ID]++
		}
		entryFiles := map[string]bool{}
		byTopic := map[string][]entryView{}
		now := s.now().In(calc.Vietnam)
		for _, e := range kb.Entries() {
			entryFiles[e.File] = true
			ev := entryView{Entry: e, Problems: byFile[e.File], Labelled: labelled[e.ID],
				Reviewed: e.Reviewed.Format("02/01/2006"), Old: now.Sub(e.Reviewed) > staleAfter}
			if len(ev.Problems) > 0 {
				d.WithProbs++
			}
			d.Entries++
			if d.OnlyBad && len(ev.Problems) == 0 {
				continue
			}
			html, err := g.ix.AnswerHTML(e, s.at(day))
			if err != nil {
				ev.AnswerErr = err.Error()
			}
			ev.Answer = tgToHTML(html)
			byTopic[e.Topic] = append(byTopic[e.Topic], ev)
		}
		var cur *topicGroup
		for _, t := range kb.Topics() {
			if len(byTopic[t.Slug]) == 0 {
				continue
			}
			if cur == nil || cur.Name != t.Group {
				d.Groups = append(d.Groups, topicGroup{Name: t.Group})
				cur = &d.Groups[len(d.Groups)-1]
			}
			cur.Topics = append(cur.Topics, topicView{Slug: t.Slug, Covers: t.Covers, Entries: byTopic[t.Slug]})
		}
		for file, ps := range byFile {
			if !entryFiles[file] {
				d.General = append(d.General, ps...)
			}
		}
	} else {
		d.General = problems
	}
	d.General = sortProblems(d.General)
	for _, a := range g.aside {
		if a.File == faq.NeededFile {
			d.Needed = append(d.Needed, a)
		}
	}
	sort.Slice(d.Needed, func(i, j int) bool { return d.Needed[i].Line < d.Needed[j].Line })
	pd.Data = d
	s.render(w, http.StatusOK, "content", pd)
}
