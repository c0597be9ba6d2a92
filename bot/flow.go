package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// Calculator flows are a list of steps. Each step asks with buttons and
// accepts a typed answer; values are kept as short tokens in ChatState.Values
// under the step name, so "Quay lại" simply steps back and forgets.

// Flow names (ChatState.Flow and the second field of "c:" callbacks).
const (
	flowVSI     = "vsi"
	flowHI      = "hi"
	flowPension = "pen"
)

type flowStep struct {
	name string
	// prompt renders the question and its buttons (without the nav row).
	prompt func(e *Engine, st *ChatState) (string, [][]Button, error)
	// parse turns typed text into a value token; *calc.InputError for people.
	parse func(e *Engine, st *ChatState, text string) (string, error)
	// check validates a value (typed or pressed); *calc.InputError for people.
	check func(e *Engine, st *ChatState, value string) error
}

type flowDef struct {
	name   string
	steps  []flowStep
	result func(e *Engine, st *ChatState) (Response, error)
}

func (f *flowDef) index(step string) int {
	for i, s := range f.steps {
		if s.name == step {
			return i
		}
	}
	return -1
}

// errBadValue is a button value that no step would produce (forged data).
var errBadValue = errors.New("bot: bad step value")

func (e *Engine) startFlow(ctx context.Context, ev Event, st *ChatState, name string) (Response, error) {
	f := e.flows[name]
	st.Enter(f.name, f.steps[0].name)
	return e.prompt(st, f, 0, "")
}

// prompt asks step i, optionally after a line of explanation (already HTML).
func (e *Engine) prompt(st *ChatState, f *flowDef, i int, pre string) (Response, error) {
	s := f.steps[i]
	html, rows, err := s.prompt(e, st)
	if err != nil {
		return Response{}, fmt.Errorf("%s/%s prompt: %w", f.name, s.name, err)
	}
	if pre != "" {
		html = pre + "\n\n" + html
	}
	rows = append(rows, navRow())
	return reply(html, keyboard(rows...)), nil
}

func (e *Engine) flowButton(ctx context.Context, ev Event, st *ChatState, cb Callback) (Response, error) {
	f := e.flows[cb.Flow]
	if f == nil || st.Flow != cb.Flow || st.Step != cb.Step {
		return badButton(), nil
	}
	return e.accept(ctx, ev, st, f, cb.Value, true)
}

func (e *Engine) flowText(ctx context.Context, ev Event, st *ChatState, f *flowDef, text string) (Response, error) {
	i := f.index(st.Step)
	if i < 0 {
		st.Reset()
		return e.search(ctx, ev, st, text)
	}
	v, err := f.steps[i].parse(e, st, text)
	if err != nil {
		var ie *calc.InputError
		if !errors.As(err, &ie) {
			return Response{}, err
		}
		// Not an answer to the step. A real question typed mid-flow gets
		// its answer (and ends the flow); anything else a kind hint.
		if looksLikeQuestion(text) {
			res, serr := e.faq.Search(ctx, text)
			if serr == nil && res.Decision == faq.DecisionAnswer && len(res.Hits) > 0 && res.Hits[0].Entry != nil {
				e.metrics.answer(string(res.Decision))
				st.Reset()
				st.Set(keyQuestion, clip(Scrub(text), 300))
				return e.renderAnswer(st, res.Hits[0].Entry)
			}
		}
		return e.prompt(st, f, i, warn(ie.Msg))
	}
	return e.accept(ctx, ev, st, f, v, false)
}

// accept validates a value for the current step, stores it and moves on.
func (e *Engine) accept(ctx context.Context, ev Event, st *ChatState, f *flowDef, v string, pressed bool) (Response, error) {
	i := f.index(st.Step)
	if i < 0 {
		return badButton(), nil
	}
	s := f.steps[i]
	if err := s.check(e, st, v); err != nil {
		var ie *calc.InputError
		switch {
		case errors.Is(err, errBadValue) && pressed:
			return badButton(), nil
		case errors.Is(err, errBadValue):
			return e.prompt(st, f, i, warnHTML(msgStepHint))
		case errors.As(err, &ie):
			r, perr := e.prompt(st, f, i, warn(ie.Msg))
			if perr == nil && !ie.Nearest.IsZero() {
				near := CalcCb(f.name, s.name, ie.Nearest.String())
				rows := keyboard([]Button{btn(msgUseNearest(calc.FormatVND(ie.Nearest)), near)})
				r.Messages[0].Buttons = append(rows, r.Messages[0].Buttons...)
			}
			return r, perr
		default:
			return Response{}, fmt.Errorf("%s/%s check: %w", f.name, s.name, err)
		}
	}
	st.Set(s.name, v)
	next := i + 1
	for next < len(f.steps) && st.Get(f.steps[next].name) != "" {
		next++ // already given in the question that started the flow
	}
	if next < len(f.steps) {
		st.Step = f.steps[next].name
		return e.prompt(st, f, next, "")
	}
	r, err := f.result(e, st)
	if err != nil {
		var ie *calc.InputError
		if errors.As(err, &ie) {
			st.Reset()
			return reply(warn(ie.Msg), mainMenu()), nil
		}
		return Response{}, fmt.Errorf("%s result: %w", f.name, err)
	}
	topic := st.Get(keyTopic)
	st.Reset()
	st.Set(keyTopic, topic)
	return r, nil
}

func (e *Engine) flowBack(ctx context.Context, ev Event, st *ChatState, f *flowDef) (Response, error) {
	i := f.index(st.Step)
	if i <= 0 {
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	}
	for _, s := range f.steps[i-1:] {
		delete(st.Values, s.name)
	}
	st.Step = f.steps[i-1].name
	return e.prompt(st, f, i-1, "")
}

// resultButtons is the row under every calculation result.
func resultButtons(again string) [][]Button {
	return keyboard(
		[]Button{btn(BtnAgain, MenuCb(again)), btn(BtnAgentS, AgentCb(""))},
		[]Button{btn(BtnMenu, MenuCb(MenuMain))},
	)
}

// looksLikeQuestion: at least three words with a question word ("không",
// "bao nhiêu", "sao", "gì", "nào", ...) or a question mark. "tôi sinh năm
// 1995" is an attempt at the step, "rút 1 lần được không" a question.
func looksLikeQuestion(text string) bool {
	if len(strings.Fields(text)) < 3 {
		return false
	}
	f := folded(text)
	return strings.Contains(text, "?") || hasAny(f, "khong", "ko", "hok", "bao nhieu", "bn", "sao", "gi", "nao", "the nao", "o dau", "khi nao", "bao gio")
}
