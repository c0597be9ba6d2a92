package bot

import (
	"context"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// maxQuestionLen caps what is searched and stored; longer text is cut.
const maxQuestionLen = 1000

// onText handles free text. The reader says what it is: a word that means a
// button ("hủy", "menu", "quay lại"), small talk, the answer to a step, a
// question that already carries the numbers of a calculation, or a question
// for the FAQ.
func (e *Engine) onText(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	text := strings.TrimSpace(ev.Text)
	if len(text) > maxQuestionLen {
		text = strings.ToValidUTF8(text[:maxQuestionLen], "")
	}
	rd := read.Message(text, read.ExpectNothing)
	switch {
	case rd.Intents.Has(read.Cancel):
		st.Reset()
		return reply(msgCancelled, mainMenu()), nil
	case rd.Intents.Has(read.Menu):
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	case rd.Intents.Has(read.Back):
		if f := e.flows[st.Flow]; f != nil {
			return e.flowBack(st, f)
		}
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	}
	if f := e.flows[st.Flow]; f != nil {
		return e.flowText(ctx, ev, st, f, text)
	}
	if st.Flow == flowRemind {
		return e.remindText(ctx, ev, st, text)
	}
	if yes, ok := deleteAnswer(text); ok && st.Flow == flowDeleteConfirm {
		// /xoa's question answered in words: as its buttons.
		if yes {
			return e.onNav(ctx, ev, st, NavDelete)
		}
		return e.onNav(ctx, ev, st, NavKeep)
	}
	switch {
	case rd.Intents.Has(read.Empty):
		e.metrics.answer("smalltalk")
		return reply(msgFAQPrompt, mainMenu()), nil
	case rd.Intents.Has(read.Hello):
		e.metrics.answer("smalltalk")
		return reply(msgHello, mainMenu()), nil
	case rd.Intents.Any(read.Thanks | read.Ack):
		e.metrics.answer("smalltalk")
		return reply(msgThanks, nil), nil
	case rd.Intents.Has(read.DontKnow):
		e.metrics.answer("smalltalk")
		return reply(msgDontKnowFree, mainMenu()), nil
	}
	if r, ok, err := e.direct(st, rd); ok || err != nil {
		return r, err
	}
	return e.search(ctx, ev, st, text)
}

// direct starts a calculation from a question that carries its numbers:
// "nữ sinh 3/1980 bao giờ nghỉ hưu", "đóng 20 năm lương 5tr thì lương hưu
// bao nhiêu", "nhà 4 người mua bhyt hết bao nhiêu", "thu nhập 5 triệu đóng
// bao nhiêu". The flow asks only what is missing.
func (e *Engine) direct(st *ChatState, rd read.Reading) (Response, bool, error) {
	in := rd.Intents
	switch {
	case in.Has(read.AskRetireAge) && !in.Has(read.AskPension) && (!rd.Born.IsZero() || rd.Age > 0):
		r, err := e.startFlow(flowRetire, st, func(st *ChatState) { fillPerson(e, st.Data.Pension, rd) }, "")
		return r, true, err
	case in.Any(read.AskPension|read.AskLumpSum) && (rd.Years.Given || rd.Age > 0 || !rd.Born.IsZero()):
		r, err := e.startFlow(flowPension, st, func(st *ChatState) {
			p := st.Data.Pension
			fillPerson(e, p, rd)
			if rd.Years.Given {
				p.Compulsory, p.Voluntary, p.YearsSet = rd.Years.Compulsory, rd.Years.Voluntary+rd.Years.Other, true
			}
			if rd.HasIncome && e.checkIncome(rd.Income) == nil {
				p.Income = rd.Income
			}
		}, msgPensionGot(rd))
		return r, true, err
	case in.Has(read.AskHI) && rd.Members > 0:
		if rd.Members > calc.MaxHouseholdMembers {
			return reply(warn(msgMembersHelp), mainMenu()), true, nil
		}
		r, err := e.startFlow(flowHI, st, func(st *ChatState) {
			st.Data.HI.Members = rd.Members
			switch rd.Months {
			case 3, 6, 12:
				st.Data.HI.Months = rd.Months
			}
			if rd.Years.Other == 1 {
				st.Data.HI.Months = 12
			}
		}, "")
		return r, true, err
	case in.Has(read.AskContribution) && rd.HasIncome && !in.Any(read.AskPension|read.AskLumpSum):
		r, err := e.startFlow(flowVSI, st, func(st *ChatState) {
			v := st.Data.VSI
			v.Income = rd.Income
			v.Group, v.GroupAssumed = rd.Group, false
			if v.Group == "" {
				v.Group, v.GroupAssumed = calc.GroupOther, true
			}
			switch {
			case rd.Advance >= calc.AdvanceYearsMin:
				v.Advance = rd.Advance
			case rd.Months == 1 || rd.Months == 3 || rd.Months == 6 || rd.Months == 12:
				v.Months = rd.Months
			case rd.Years.Other == 1 || rd.Advance == 1:
				v.Months = 12
			}
		}, "")
		return r, true, err
	}
	return Response{}, false, nil
}

// fillPerson copies sex and birth (or age) from a reading.
func fillPerson(e *Engine, p *PensionState, rd read.Reading) {
	p.Sex = rd.Sex
	now := e.today()
	switch {
	case !rd.Born.IsZero():
		p.Born = calc.Month{Year: rd.Born.Year, Month: rd.Born.Month}
		if rd.Born.Month == 0 {
			p.Born.Month, p.BornYearOnly = time.January, true
		}
	case rd.Age > 0:
		p.Age = rd.Age
		p.Born = calc.Month{Year: now.Year() - rd.Age, Month: now.Month()}
	}
	if p.Born.Year != 0 {
		if age := ageAt(p.Born, now); age < 15 || age > 100 {
			p.Born, p.BornYearOnly, p.Age = calc.Month{}, false, 0
		}
	}
}
