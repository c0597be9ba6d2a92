package studio

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/bhxh-tn/bhxhbot/faq"
)

// The figures of the labelled-question sets: every line of
// questions/*.tsv asked again on the content as it is, per file. The search
// learns from these very lines, so the figures say how well it learnt them
// (a line it still gets wrong is worth a look: a label that contradicts
// others, or an entry too close to another), not how it does on questions
// it never saw. Each run is compared with the previous one, so staff see
// which lines a change fixed or broke.

// outcome is what the bot does with one labelled line.
type outcome struct {
	faq.Labelled
	Decision faq.Decision
	Top      string // the first entry (the answer, or the first choice)
}

// Right: the labelled entry is the answer, or none for a none line.
func (o outcome) Right() bool {
	if o.ID == faq.NoneID {
		return o.Decision == faq.DecisionNone
	}
	return o.Decision == faq.DecisionAnswer && o.Top == o.ID
}

// Wrong: the bot answers, with something else than the label.
func (o outcome) Wrong() bool {
	return o.Decision == faq.DecisionAnswer && o.Top != o.ID
}

// setFigures are the figures of one file.
type setFigures struct {
	File      string
	Lines     int // labelled with an entry
	Top1      int // lines whose first entry is the label, whatever the decision
	Answered  int // answered with the label
	Clarify   int
	Unknown   int // none for a line labelled with an entry
	Wrong     []outcome
	NoneLines int // labelled none
	NoneRight int
}

// Percent helpers for the template.
func (f setFigures) Top1Pct() int     { return pct(f.Top1, f.Lines) }
func (f setFigures) AnsweredPct() int { return pct(f.Answered, f.Lines) }
func (f setFigures) NonePct() int     { return pct(f.NoneRight, f.NoneLines) }

func pct(a, b int) int {
	if b == 0 {
		return 0
	}
	return (a*1000/b + 5) / 10
}

// lineChange is a line whose outcome changed since the previous run.
type lineChange struct {
	Before *outcome // nil: a new line
	After  outcome
}

// evalRun is one evaluation of every labelled line.
type evalRun struct {
	Gen      int
	At       time.Time
	Took     time.Duration
	Sets     []setFigures
	Total    setFigures
	Outcomes map[string]outcome // by question key
	Changed  []lineChange       // against PrevGen
	PrevGen  int
}

// evaluate asks every labelled line of g on g's index, on every core, and
// compares with prev.
func evaluate(ctx context.Context, g *generation, prev *evalRun) (*evalRun, error) {
	t0 := time.Now()
	lines := g.ix.KB().Labelled()
	out := make([]outcome, len(lines))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := g.ix.Search(ctx, lines[i].Question)
				if err != nil {
					errs <- err
					return
				}
				o := outcome{Labelled: lines[i], Decision: res.Decision}
				if len(res.Hits) > 0 {
					o.Top = res.Hits[0].Entry.ID
				}
				out[i] = o
			}
		}()
	}
	var err error
feed:
	for i := range lines {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return nil, err
	}

	run := &evalRun{Gen: g.n, At: time.Now(), Outcomes: make(map[string]outcome, len(out))}
	byFile := map[string]*setFigures{}
	for _, o := range out {
		run.Outcomes[faq.QuestionKey(o.Question)] = o
		f := byFile[o.File]
		if f == nil {
			f = &setFigures{File: o.File}
			byFile[o.File] = f
		}
		for _, fig := range []*setFigures{f, &run.Total} {
			fig.add(o)
		}
	}
	for _, f := range byFile {
		run.Sets = append(run.Sets, *f)
	}
	sort.Slice(run.Sets, func(i, j int) bool { return run.Sets[i].File < run.Sets[j].File })
	if prev != nil {
		run.PrevGen = prev.Gen
		for _, o := range out {
			key := faq.QuestionKey(o.Question)
			p, ok := prev.Outcomes[key]
			switch {
			case !ok:
				run.Changed = append(run.Changed, lineChange{After: o})
			case p.Decision != o.Decision || p.Top != o.Top || p.ID != o.ID:
				run.Changed = append(run.Changed, lineChange{Before: &p, After: o})
			}
		}
	}
	run.Took = time.Since(t0)
	return run, nil
}

func (f *setFigures) add(o outcome) {
	if o.ID == faq.NoneID {
		f.NoneLines++
		if o.Right() {
			f.NoneRight++
		} else if o.Wrong() {
			f.Wrong = append(f.Wrong, o)
		}
		return
	}
	f.Lines++
	if o.Top == o.ID {
		f.Top1++
	}
	switch {
	case o.Right():
		f.Answered++
	case o.Wrong():
		f.Wrong = append(f.Wrong, o)
	case o.Decision == faq.DecisionClarify:
		f.Clarify++
	case o.Decision == faq.DecisionNone:
		f.Unknown++
	}
}
