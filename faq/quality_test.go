package faq

import (
	"context"
	"flag"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

var calibrate = flag.Bool("calibrate", false, "print the decision calibration grid and the cross-validation of the labelled questions")

// realDevPath is the labelled set of real questions beside the project
// (internal evaluation only: read, never copied).
const realDevPath = "../../shared/eval/real-dev.tsv"

// qualityFloor is what a question set is held to, set just under what was
// measured (see faq/DESIGN.md and README "Search quality"); crossing one is
// a regression.
type qualityFloor struct {
	top1, top3 float64 // at least
	wrong      float64 // at most: in-domain lines answered directly on a wrong topic
	noneAcc    float64 // at least: off-topic lines given none
}

// Floors, as written and with every diacritic stripped. Measured
// 07/12/2026 on 108 entries and about 10,300 training examples (9,330
// labelled questions): heldout.tsv top-1 0.944/0.944, top-3 0.989/0.989,
// wrong 0.028/0.028, off-topic given none 0.97; heldout-letters.tsv top-1
// 0.985/0.985, top-3 0.995/0.995, wrong 0.005/0.005, off-topic 1.00;
// heldout-blind.tsv top-1 0.975/0.975, top-3 0.990/0.990, wrong
// 0.020/0.020, off-topic 1.00; real-dev.tsv top-1 0.919/0.913, top-3
// 0.963/0.963, wrong 0.031/0.031, off-topic 0.83 (10 of 12). Three other
// training seeds on the same data: real-dev top-1 0.907–0.925 and wrong
// 0.025, heldout top-1 0.944–0.955 and wrong 0.017–0.028; a batch of
// labelled lines moves them as much, so the floors sit below that spread
// (a floor one line above a figure failed on noise once and taught people
// to drop good lines).
// Re-measure: go test ./faq -run 'Quality|RealDev|Calibrate' -calibrate -v
var (
	heldOutFloors = [2]qualityFloor{{0.91, 0.97, 0.045, 0.93}, {0.91, 0.97, 0.045, 0.93}}
	// heldout-letters.tsv: letters, headlines and chat written for
	// measuring only (195 + 30 off-topic), never trained on.
	heldOutLettersFloors = [2]qualityFloor{{0.94, 0.98, 0.035, 0.93}, {0.94, 0.98, 0.035, 0.93}}
	// heldout-blind.tsv: 200 + 30 messages written from topics.md and
	// facts.md alone, by a writer who never read the entries or the
	// labelled questions, never trained on.
	heldOutBlindFloors = [2]qualityFloor{{0.94, 0.97, 0.04, 0.93}, {0.94, 0.97, 0.04, 0.93}}
	// real-dev wrong: 0.055 is 9 of 161 lines, three above the worst seed.
	realDevFloors = [2]qualityFloor{{0.87, 0.95, 0.055, 0.74}, {0.87, 0.95, 0.055, 0.74}}
)

func loadEvalSet(t testing.TB, path string) []EvalCase {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	cases, err := ParseEvalSet(path, f)
	require.NoError(t, err)
	return cases
}

// shippedIndex is the index of the shipped content, built once per test
// binary (an Index is safe for concurrent use; building it with -race takes
// seconds) and never closed.
func shippedIndex(t testing.TB) *Index {
	t.Helper()
	shipped.once.Do(func() { shipped.ix, shipped.err = Open(content.FS()) })
	require.NoError(t, shipped.err)
	return shipped.ix
}

var shipped struct {
	once sync.Once
	ix   *Index
	err  error
}

// checkQuality evaluates a set as written and folded against its floors.
func checkQuality(t *testing.T, ix *Index, name string, cases []EvalCase, floors [2]qualityFloor) {
	for i, fold := range []bool{false, true} {
		r, err := Evaluate(context.Background(), ix, cases, fold)
		require.NoError(t, err)
		t.Logf("%s fold=%v: %s", name, fold, summary(r))
		f := floors[i]
		assert.GreaterOrEqual(t, r.Top1, f.top1, "%s top-1 (fold=%v)", name, fold)
		assert.GreaterOrEqual(t, r.Top3, f.top3, "%s top-3 (fold=%v)", name, fold)
		assert.LessOrEqual(t, r.Wrong, f.wrong, "%s wrong direct answers (fold=%v)", name, fold)
		assert.GreaterOrEqual(t, r.NoneAccuracy, f.noneAcc, "%s off-topic given none (fold=%v)", name, fold)
	}
}

// TestQualityHeldOut: the team's held-out set, never used for training or
// tuning (the team's two other sets are training data now, in
// content/questions/own-*.tsv).
func TestQualityHeldOut(t *testing.T) {
	ix := shippedIndex(t)
	checkQuality(t, ix, "heldout.tsv", loadEvalSet(t, "testdata/heldout.tsv"), heldOutFloors)
	checkQuality(t, ix, "heldout-letters.tsv", loadEvalSet(t, "testdata/heldout-letters.tsv"), heldOutLettersFloors)
	checkQuality(t, ix, "heldout-blind.tsv", loadEvalSet(t, "testdata/heldout-blind.tsv"), heldOutBlindFloors)
}

// TestRealDev: real questions people wrote (../shared/eval/real-dev.tsv,
// beside the repository in development and CI, never copied into it). Fails
// when top-1, top-3, wrong answers or off-topic refusals regress past the
// recorded figures; skips when the file is absent.
func TestRealDev(t *testing.T) {
	if _, err := os.Stat(realDevPath); err != nil {
		t.Skip("no " + realDevPath)
	}
	checkQuality(t, shippedIndex(t), "real-dev.tsv", loadEvalSet(t, realDevPath), realDevFloors)
}

func summary(r EvalReport) string {
	return fmt.Sprintf("in-domain=%d top1=%.3f top3=%.3f mrr=%.3f answer=%.3f (right %.3f, wrong %.3f, precision %.3f) clarify=%.3f (with a right choice %.3f) none=%.3f | off-topic=%d given none %.3f",
		r.Total, r.Top1, r.Top3, r.MRR, r.AnswerRate, r.AnsweredOK, r.Wrong, r.Precision, r.ClarifyRate, r.ClarifyOK, r.NoneRate, r.NoneTotal, r.NoneAccuracy)
}

// calRow is one evaluated line kept for the calibration grid.
type calRow struct {
	set  string
	fold bool
	c    EvalCase
	res  Result
}

// TestCalibrate prints, for candidate thresholds, what the decision would
// do on the held-out set and the real questions, as written and folded:
// right and wrong direct answers, clarify replies with a right choice,
// off-topic lines given none; then the 5-fold cross-validation of the
// labelled questions (topic and entry top-1). Run:
//
//	go test ./faq -run TestCalibrate -calibrate -v
func TestCalibrate(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate")
	}
	ix := shippedIndex(t)
	sets := map[string]string{"heldout": "testdata/heldout.tsv", "heldout-letters": "testdata/heldout-letters.tsv", "heldout-blind": "testdata/heldout-blind.tsv"}
	if _, err := os.Stat(realDevPath); err == nil {
		sets["real-dev"] = realDevPath
	}
	var rows []calRow
	names := make([]string, 0, len(sets))
	for name, path := range sets {
		names = append(names, name)
		for _, fold := range []bool{false, true} {
			for _, c := range loadEvalSet(t, path) {
				q := c.Question
				if fold {
					q = vitext.Fold(q)
				}
				res, err := ix.SearchWith(context.Background(), q, SearchOptions{K: 10})
				require.NoError(t, err)
				rows = append(rows, calRow{name, fold, c, res})
			}
		}
	}
	sort.Strings(names)
	grid := []thresholds{}
	for _, a := range []float64{0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60} {
		for _, n := range []float64{0.25, 0.35, 0.50} {
			grid = append(grid, thresholds{answer: a, choice: ChoiceAbove, none: n})
		}
	}
	for _, th := range grid {
		line := fmt.Sprintf("answer≥%.2f none≥%.2f", th.answer, th.none)
		for _, name := range names {
			for _, fold := range []bool{false, true} {
				var in, right, wrong, clar, clarOK, off, offNone int
				for _, r := range rows {
					if r.set != name || r.fold != fold {
						continue
					}
					d, n := r.res.Decision, r.res.Choices
					if tp := ix.topicProb(r.res.probs); tp != nil && r.res.Signals.Outside == "" && len(r.res.Hits) > 0 {
						d, n = decideWith(r.res.Signals, r.res.Hits, tp, th)
					}
					if r.c.OffTopic() {
						off++
						if d == DecisionNone {
							offNone++
						}
						continue
					}
					in++
					switch d {
					case DecisionAnswer:
						if r.c.Accepts(r.res.Hits[0].Entry.Topic) {
							right++
						} else {
							wrong++
						}
					case DecisionClarify:
						clar++
						for _, h := range r.res.Hits[:n] {
							if r.c.Accepts(h.Entry.Topic) {
								clarOK++
								break
							}
						}
					}
				}
				line += fmt.Sprintf(" | %s fold=%v right %.3f wrong %.3f clarify %.3f (ok %.3f) off→none %.3f", name, fold,
					frac(right, in), frac(wrong, in), frac(clar, in), frac(clarOK, clar), frac(offNone, off))
			}
		}
		t.Log(line)
	}
	typoRobustness(t, ix, sets)
	crossValidate(t)
}

func frac(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// crossValidate trains on four fifths of the labelled questions (and every
// entry) and tests on the rest, five times: how well the labelled questions
// teach, topic and entry top-1.
func crossValidate(t *testing.T) {
	kb, err := Load(content.FS())
	require.NoError(t, err)
	syn, err := LoadSynonyms(content.FS())
	require.NoError(t, err)
	const folds = 5
	var n, topicOK, entryOK, off, offNone int
	for f := 0; f < folds; f++ {
		cp := *kb
		cp.labelled = nil
		var test []Labelled
		for i, l := range kb.labelled {
			if i%folds == f {
				test = append(test, l)
			} else {
				cp.labelled = append(cp.labelled, l)
			}
		}
		ix, err := NewIndex(&cp, syn)
		require.NoError(t, err)
		for _, l := range test {
			res, err := ix.Search(context.Background(), l.Question)
			require.NoError(t, err)
			if l.ID == NoneID {
				off++
				if res.Decision == DecisionNone {
					offNone++
				}
				continue
			}
			n++
			if len(res.Hits) > 0 && res.Hits[0].Entry.Topic == kb.byID[l.ID].Topic {
				topicOK++
				if res.Hits[0].Entry.ID == l.ID {
					entryOK++
				}
			}
		}
		_ = ix.Close()
	}
	t.Logf("labelled questions, 5-fold: %d in-domain, topic top-1 %.3f, entry top-1 %.3f; %d none, given none %.3f",
		n, frac(topicOK, n), frac(entryOK, n), off, frac(offNone, off))
}

// TestShippedContentHasLabelledQuestions guards the embedding: the
// labelled questions are part of the shipped content.
func TestShippedContentHasLabelledQuestions(t *testing.T) {
	kb, err := Load(content.FS())
	require.NoError(t, err)
	assert.Greater(t, len(kb.Labelled()), 1000)
	var files []string
	seen := map[string]bool{}
	for _, l := range kb.Labelled() {
		if !seen[l.File] {
			seen[l.File] = true
			files = append(files, l.File)
		}
	}
	assert.True(t, strings.HasPrefix(files[0], QuestionsDir+"/"), files)
}

// typo mistypes about rate of the words of q of three letters or more.
func typo(rng *mrand.Rand, q string, rate float64) string {
	words := strings.Fields(q)
	for i, w := range words {
		r := []rune(w)
		if len(r) < 3 || rng.Float64() >= rate {
			continue
		}
		k := rng.IntN(len(r) - 1)
		switch rng.IntN(3) {
		case 0: // drop
			r = append(r[:k], r[k+1:]...)
		case 1: // swap
			r[k], r[k+1] = r[k+1], r[k]
		case 2: // drop the diacritics of one letter
			r[k] = []rune(vitext.Fold(string(r[k])))[0]
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// typoRobustness measures top-1 with some words mistyped (a letter
// dropped, two swapped, or one letter's diacritics lost), three seeds each.
func typoRobustness(t *testing.T, ix *Index, sets map[string]string) {
	names := make([]string, 0, len(sets))
	for name := range sets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		set := sets[name]
		cases := loadEvalSet(t, set)
		for _, rate := range []float64{0, 0.15} {
			var n, ok int
			for rep := 0; rep < 3; rep++ {
				rng := mrand.New(mrand.NewPCG(uint64(rep), 7))
				for _, c := range cases {
					if c.OffTopic() {
						continue
					}
					q := typo(rng, c.Question, rate)
					res, err := ix.Search(context.Background(), q)
					if err != nil {
						t.Fatal(err)
					}
					n++
					if len(res.Hits) > 0 && c.Accepts(res.Hits[0].Entry.Topic) {
						ok++
					}
				}
			}
			t.Logf("%s, %.0f %% of words mistyped: top-1 %.3f (%d searches)", name, rate*100, float64(ok)/float64(n), n)
		}
	}
}
