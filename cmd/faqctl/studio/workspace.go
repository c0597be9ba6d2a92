package studio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// recheck is how often the content directory is looked at for changes made
// outside the studio (an editor, git pull): at most once per interval, on a
// request.
const recheck = 2 * time.Second

// workspace is the content directory: every file access goes through an
// os.Root, so nothing outside the directory is read or written, symbolic
// links included. It keeps the generation built from the files as they are
// now and rebuilds it when they change.
type workspace struct {
	root *os.Root
	fsys fs.FS
	lint LintFunc
	log  *slog.Logger
	now  func() time.Time

	buildMu   sync.Mutex // one check, rebuild or write at a time
	checkedAt time.Time
	recheck   time.Duration

	mu  sync.Mutex // guards cur and the generations' refs
	cur *generation
	n   int

	bgCtx    context.Context
	bgCancel context.CancelFunc
	bgWG     sync.WaitGroup
	evalMu   sync.Mutex
	lastEval *evalRun // the last finished evaluation: the next one lists what changed since
}

// generation is what the studio built from one state of the files. It is
// immutable once built, except bg, which its background job fills.
type generation struct {
	n        int
	built    time.Time
	print    string     // fingerprint of the files it was built from
	fsys     fs.FS      // the content directory
	ix       *faq.Index // nil when the content does not load
	calc     *calc.Calculator
	problems []string // what stops the bot from loading the content, as file:line
	labelled map[string]faq.Labelled
	aside    map[string]faq.SetAside // needed.tsv and ignored.tsv
	near     *nearIndex

	refs    int // guarded by workspace.mu
	retired bool

	bgOnce sync.Once
	bgDone chan struct{} // closed when bg is filled (or when retired before it started)
	bg     background
	prev   chan struct{} // the previous generation's bgDone

	verdicts sync.Map // question → verdict, for the inbox
}

// background is what a generation's background job computes: lint and the
// figures of the labelled-question sets.
type background struct {
	lintErrs, lintWarns []string
	eval                *evalRun
}

func openWorkspace(dir string, lint LintFunc, log *slog.Logger, now func() time.Time) (*workspace, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("studio: content directory %s: %w", dir, err)
	}
	ws := &workspace{root: root, fsys: root.FS(), lint: lint, log: log, now: now, recheck: recheck}
	ws.bgCtx, ws.bgCancel = context.WithCancel(context.Background())
	ws.buildMu.Lock()
	ws.install(ws.build(ws.fingerprint()))
	ws.checkedAt = time.Now()
	ws.buildMu.Unlock()
	return ws, nil
}

// fingerprint sums the names, sizes and modification times of every file.
func (ws *workspace) fingerprint() string {
	h := sha256.New()
	_ = fs.WalkDir(ws.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

// build loads the content as the bot does. Content problems end up in
// problems, never in an error.
func (ws *workspace) build(print string) *generation {
	g := &generation{built: ws.now(), print: print, fsys: ws.fsys, bgDone: make(chan struct{})}
	ix, err := faq.Open(ws.fsys)
	if err != nil {
		g.problems = append(g.problems, problemLines(err)...)
	}
	params, perr := calc.LoadParams(ws.fsys)
	if perr != nil {
		var pe *calc.ParamsError
		if errors.As(perr, &pe) {
			g.problems = append(g.problems, pe.Problems...)
		} else {
			g.problems = append(g.problems, perr.Error())
		}
	}
	if ix != nil && perr != nil {
		ix.Close()
		ix = nil
	}
	g.problems = dedupe(g.problems)
	if ix == nil {
		return g
	}
	g.ix, g.calc = ix, calc.New(params)
	g.labelled = map[string]faq.Labelled{}
	for _, l := range ix.KB().Labelled() {
		g.labelled[faq.QuestionKey(l.Question)] = l
	}
	g.aside = map[string]faq.SetAside{}
	needed, ignored, _ := faq.LoadSetAside(ws.fsys) // problems already reported by Open
	for _, s := range append(needed, ignored...) {
		g.aside[faq.QuestionKey(s.Question)] = s
	}
	g.near = newNearIndex(ix.KB().Labelled())
	return g
}

// install makes g current and retires the previous generation. Called
// with buildMu held.
func (ws *workspace) install(g *generation) {
	ws.mu.Lock()
	ws.n++
	g.n = ws.n
	old := ws.cur
	ws.cur = g
	ws.mu.Unlock()
	if old != nil {
		g.prev = old.bgDone
		old.bgOnce.Do(func() { close(old.bgDone) }) // never started: nothing to wait for
		ws.retire(old)
	}
}

// startBackground starts g's background job (lint and figures) unless it
// started already. It runs only when a page needs it, so trying questions
// and labelling never wait for the CPU it takes; jobs run one at a time,
// in order, so each compares with the one before.
func (ws *workspace) startBackground(g *generation) {
	g.bgOnce.Do(func() {
		ws.mu.Lock()
		g.refs++
		ws.mu.Unlock()
		ws.bgWG.Add(1)
		go func() {
			defer ws.bgWG.Done()
			defer ws.release(g)
			if g.prev != nil {
				<-g.prev
			}
			ws.background(g)
		}()
	})
}

// background runs lint and evaluates the labelled-question sets on g.
func (ws *workspace) background(g *generation) {
	defer close(g.bgDone)
	ctx := ws.bgCtx
	ws.mu.Lock()
	stale := g.retired // a newer generation came meanwhile: its job will say it all
	ws.mu.Unlock()
	if stale {
		return
	}
	var bg background
	if ws.lint != nil {
		// Lint cannot be stopped: on close, stop waiting for it (it
		// ends soon after the directory is closed).
		done := make(chan struct{})
		go func() {
			defer close(done)
			bg.lintErrs, bg.lintWarns = ws.lint(ws.fsys, ws.now().In(calc.Vietnam))
		}()
		select {
		case <-done:
		case <-ctx.Done():
			return
		}
	}
	if g.ix != nil && ctx.Err() == nil {
		ws.evalMu.Lock()
		prev := ws.lastEval
		ws.evalMu.Unlock()
		run, err := evaluate(ctx, g, prev)
		if err != nil {
			if ctx.Err() == nil {
				ws.log.Error("studio: evaluate labelled questions", slog.Any("err", err))
			}
		} else {
			bg.eval = run
			ws.evalMu.Lock()
			if ws.lastEval == nil || ws.lastEval.Gen < g.n {
				ws.lastEval = run
			}
			ws.evalMu.Unlock()
		}
	}
	g.bg = bg
}

// acquire returns the current generation, rebuilt first when the files
// changed since it was built. Release it when done.
func (ws *workspace) acquire() *generation {
	ws.buildMu.Lock()
	if time.Since(ws.checkedAt) >= ws.recheck {
		if p := ws.fingerprint(); p != ws.current().print {
			ws.install(ws.build(p))
		}
		ws.checkedAt = time.Now()
	}
	ws.buildMu.Unlock()
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.cur.refs++
	return ws.cur
}

// ready starts g's background job if needed and returns what it
// computed, once it has.
func (ws *workspace) ready(g *generation) (*background, bool) {
	ws.startBackground(g)
	select {
	case <-g.bgDone:
		return &g.bg, true
	default:
		return nil, false
	}
}

func (ws *workspace) current() *generation {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.cur
}

// release gives back a generation from acquire; the last user of a retired
// generation closes its index.
func (ws *workspace) release(g *generation) {
	ws.mu.Lock()
	g.refs--
	done := g.retired && g.refs == 0
	ws.mu.Unlock()
	if done && g.ix != nil {
		g.ix.Close()
	}
}

func (ws *workspace) retire(g *generation) {
	ws.mu.Lock()
	g.retired = true
	done := g.refs == 0
	ws.mu.Unlock()
	if done && g.ix != nil {
		g.ix.Close()
	}
}

// errRejected is a write that would break the content; nothing was written.
var errRejected = errors.New("studio: write rejected")

// change writes to the content directory with fn, then rebuilds. fn gets
// the current generation (no other write runs meanwhile) and returns how
// to undo its write: when the content loaded before the write
// and does not after it, the write is undone and the error lists the
// problems. The new generation is returned acquired.
func (ws *workspace) change(fn func(root *os.Root, cur *generation) (undo func() error, err error)) (*generation, error) {
	ws.buildMu.Lock()
	defer ws.buildMu.Unlock()
	before := ws.current()
	undo, err := fn(ws.root, before)
	if err != nil {
		return nil, err
	}
	g := ws.build(ws.fingerprint())
	if g.ix == nil && before.ix != nil {
		if uerr := undo(); uerr != nil {
			ws.log.Error("studio: undo a write", slog.Any("err", uerr))
		}
		return nil, fmt.Errorf("%w: %s", errRejected, strings.Join(g.problems, "; "))
	}
	ws.install(g)
	ws.checkedAt = time.Now()
	ws.mu.Lock()
	g.refs++
	ws.mu.Unlock()
	return g, nil
}

func (ws *workspace) close() {
	ws.bgCancel()
	ws.bgWG.Wait()
	ws.mu.Lock()
	g := ws.cur
	ws.mu.Unlock()
	if g != nil {
		ws.retire(g)
	}
	ws.root.Close()
}

// problemLines splits a content error into its file:line lines.
func problemLines(err error) []string {
	var p *faq.Problems
	if errors.As(err, &p) {
		out := make([]string, len(p.List))
		for i, pr := range p.List {
			out[i] = pr.String()
		}
		return out
	}
	return []string{err.Error()}
}

func dedupe(lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// problemsByFile groups "file:line: message" lines by file; lines without a
// file go under "".
func problemsByFile(lines []string) map[string][]string {
	out := map[string][]string{}
	for _, l := range lines {
		file, _, ok := strings.Cut(l, ":")
		if !ok || strings.ContainsAny(file, " \t") {
			file = ""
		}
		out[file] = append(out[file], l)
	}
	return out
}

// sortProblems orders "file:line: message" lines by file, then line.
func sortProblems(lines []string) []string {
	type key struct {
		file string
		line int
	}
	keyOf := func(l string) key {
		file, rest, _ := strings.Cut(l, ":")
		n, _, _ := strings.Cut(rest, ":")
		line, _ := strconv.Atoi(n)
		return key{file, line}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := keyOf(lines[i]), keyOf(lines[j])
		if a.file != b.file {
			return a.file < b.file
		}
		return a.line < b.line
	})
	return lines
}
