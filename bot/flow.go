package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// Calculator flows ask, step by step, only what the person has not said yet,
// keep the answers in their own typed struct (StateData), and end with a
// result card. A step accepts a button press (a value token from its own
// buttons) or typed text read by package read.

// Flow names (ChatState.Flow and the second field of "c:" callbacks).
const (
	flowVSI     = "vsi"
	flowHI      = "hi"
	flowPension = "pen"
	flowRetire  = "retire"
)

// stepEdit is the step field of a "change this" button under a result
// ("c:vsi:edit:grp"): the flow opens again at that step with the same inputs.
const stepEdit = "edit"

// calcFlow is one calculator conversation.
type calcFlow interface {
	// init creates the flow's empty state in st.
	init(st *ChatState)
	// next is the first step still missing, or "" when the result can be given.
	next(st *ChatState) string
	// expect says what a step asks, for the reader.
	expect(step string) read.Expect
	// prompt renders the question of step and its buttons (without the nav row).
	prompt(e *Engine, st *ChatState, step string) (string, [][]Button, error)
	// take applies a reading to step: false when it does not answer it;
	// *calc.InputError when it does but the value is refused.
	take(e *Engine, st *ChatState, step string, rd read.Reading) (bool, error)
	// press applies a button value of step; errBadValue for forged data.
	press(e *Engine, st *ChatState, step, value string) error
	// clear forgets the answer to step (for "Quay lại").
	clear(st *ChatState, step string)
	// steps lists the steps in order.
	steps() []string
	// result renders the result card and records the calculation in st.Data.Last.
	result(e *Engine, st *ChatState) (Response, error)
	// help is said when the person answers a step with "không biết".
	help(step string) string
}

// errBadValue is a button value that no step would produce (forged data).
var errBadValue = errors.New("bot: bad step value")

// startFlow starts a flow; pre fills values the question already gave.
func (e *Engine) startFlow(name string, st *ChatState, pre func(st *ChatState), note string) (Response, error) {
	f := e.flows[name]
	st.Enter(name, "")
	f.init(st)
	if pre != nil {
		pre(st)
	}
	return e.advance(st, f, note)
}

// advance asks the next missing step, or gives the result.
func (e *Engine) advance(st *ChatState, f calcFlow, note string) (Response, error) {
	step := f.next(st)
	if step == "" {
		r, err := f.result(e, st)
		if err != nil {
			var ie *calc.InputError
			if errors.As(err, &ie) {
				st.Reset()
				return reply(warn(ie.Msg), mainMenu()), nil
			}
			return Response{}, fmt.Errorf("%s result: %w", st.Flow, err)
		}
		// The result restates its inputs: the note of what was understood
		// is left out.
		e.metrics.answer("calc")
		st.Flow, st.Step = "", ""
		return r, nil
	}
	st.Step = step
	return e.prompt(st, f, step, note)
}

// prompt asks step, optionally after a line of explanation (already HTML).
func (e *Engine) prompt(st *ChatState, f calcFlow, step, pre string) (Response, error) {
	html, rows, err := f.prompt(e, st, step)
	if err != nil {
		return Response{}, fmt.Errorf("%s/%s prompt: %w", st.Flow, step, err)
	}
	if pre != "" {
		html = pre + "\n\n" + html
	}
	rows = append(rows, navRow())
	r := reply(html, keyboard(rows...))
	switch f.expect(step) {
	case read.ExpectMembers, read.ExpectYears, read.ExpectIncome, read.ExpectBorn:
		r.Messages[0].NumericReply = true
	}
	return r, nil
}

// flowButton handles a "c:" button: a step's value, or "change this" under a result.
func (e *Engine) flowButton(ctx context.Context, ev Event, st *ChatState, cb Callback) (Response, error) {
	f := e.flows[cb.Flow]
	if f == nil {
		return badButton(), nil
	}
	if cb.Step == stepEdit {
		return e.reopen(st, cb.Flow, cb.Value)
	}
	if st.Flow != cb.Flow || st.Step != cb.Step {
		return badButton(), nil
	}
	if err := f.press(e, st, cb.Step, cb.Value); err != nil {
		return e.stepRefused(st, f, cb.Step, err, true)
	}
	return e.advance(st, f, "")
}

// reopen opens a flow again at step with the inputs of the last result.
func (e *Engine) reopen(st *ChatState, name, step string) (Response, error) {
	f := e.flows[name]
	last := st.Data.Last.Calc
	if last == nil || !contains(f.steps(), step) {
		return badButton(), nil
	}
	st.Enter(name, step)
	f.init(st)
	switch {
	case name == flowVSI && last.VSI != nil:
		st.Data.VSI.Income = last.VSI.Income
		st.Data.VSI.Group = last.VSI.Group
		// The method asked about stays ticked ("đóng trước 5 năm").
		st.Data.VSI.Months, st.Data.VSI.Advance = last.VSI.Months, last.VSI.Years
	case name == flowHI && last.HI != nil:
		st.Data.HI.Members = last.HI.Members
	case (name == flowPension || name == flowRetire) && last.Pension != nil:
		p := *last.Pension
		st.Data.Pension = &p
	default:
		st.Reset()
		return badButton(), nil
	}
	f.clear(st, step)
	return e.prompt(st, f, step, "")
}

// stepRefused answers a value the step cannot take.
func (e *Engine) stepRefused(st *ChatState, f calcFlow, step string, err error, pressed bool) (Response, error) {
	var ie *calc.InputError
	switch {
	case errors.Is(err, errBadValue) && pressed:
		return badButton(), nil
	case errors.Is(err, errBadValue):
		return e.prompt(st, f, step, warnHTML(msgStepHint))
	case errors.As(err, &ie):
		r, perr := e.prompt(st, f, step, warn(ie.Msg))
		if perr == nil && !ie.Nearest.IsZero() {
			near := CalcCb(st.Flow, step, ie.Nearest.String())
			rows := keyboard([]Button{btn(msgUseNearest(calc.FormatVND(ie.Nearest)), near)})
			r.Messages[0].Buttons = append(rows, r.Messages[0].Buttons...)
		}
		return r, perr
	}
	return Response{}, fmt.Errorf("%s/%s: %w", st.Flow, step, err)
}

// flowText reads typed text at a step. The step's answer moves on; values
// for other steps are kept; "không biết" gets help; a question is answered
// and the step asked again; anything else gets a hint.
func (e *Engine) flowText(ctx context.Context, ev Event, st *ChatState, f calcFlow, text string) (Response, error) {
	step := st.Step
	if !contains(f.steps(), step) {
		st.Reset()
		return e.search(ctx, ev, st, text)
	}
	rd := read.Message(text, f.expect(step))
	if rd.Intents.Has(read.DontKnow) {
		return e.prompt(st, f, step, f.help(step))
	}
	ok, err := f.take(e, st, step, rd)
	if err != nil {
		return e.stepRefused(st, f, step, err, false)
	}
	if ok {
		// The same message may answer later steps too ("nữ, sinh 3/1980").
		for _, s := range f.steps() {
			if s != step && f.next(st) == s {
				if ok2, err := f.take(e, st, s, rd); err != nil || !ok2 {
					break
				}
			}
		}
		return e.advance(st, f, "")
	}
	if rd.Intents.Has(read.AskGroupMeaning) && step == stepGroup {
		return e.prompt(st, f, step, msgGroupHelp)
	}
	if rd.Intents.Any(read.Question|read.AskGroupMeaning) && rd.Words >= 2 {
		// A question typed during a step: answer it, keep the step.
		ans, answered, err := e.answerOnly(ctx, ev, st, text)
		if err != nil {
			return Response{}, err
		}
		if answered {
			p, err := e.prompt(st, f, step, msgBackToStep)
			if err != nil {
				return Response{}, err
			}
			ans.Messages = append(ans.Messages, p.Messages...)
			return ans, nil
		}
	}
	// Values for other steps ("3/1981" at the years step is a birth month).
	for _, s := range f.steps() {
		if s == step {
			continue
		}
		if ok2, _ := f.take(e, st, s, rd); ok2 {
			return e.prompt(st, f, step, msgTakenOther)
		}
	}
	return e.prompt(st, f, step, warnHTML(msgStepHint))
}

// flowBack steps back to the previous step the person answered.
func (e *Engine) flowBack(st *ChatState, f calcFlow) (Response, error) {
	steps := f.steps()
	i := index(steps, st.Step)
	if i <= 0 {
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	}
	prev := steps[i-1]
	f.clear(st, prev)
	f.clear(st, st.Step)
	st.Step = prev
	return e.prompt(st, f, prev, "")
}

// resultButtons is the keyboard under a calculation result: details, a
// change of the main assumption, the agent finder, again, and the menu.
func resultButtons(flow string, change ...Button) [][]Button {
	row := []Button{btn(BtnDetails, DetailCb())}
	row = append(row, change...)
	return keyboard(
		row,
		[]Button{btn(BtnAgentS, AgentCb("")), btn(BtnAgain, MenuCb(flowMenu(flow)))},
		[]Button{btn(BtnMenu, MenuCb(MenuMain))},
	)
}

func flowMenu(flow string) string {
	switch flow {
	case flowHI:
		return MenuHI
	case flowPension, flowRetire:
		return MenuPension
	}
	return MenuVSI
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
