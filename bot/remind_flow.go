package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// The reminders conversation: /nhacnho lists what is on and sets payment
// or card reminders; /tintuc subscribes to notices; the buttons under each
// reminder (Đã đóng, Nhắc lại sau 3 ngày, Đã gia hạn, Tắt nhắc) act on it.

// flowRemind is the ChatState.Flow of setting a reminder; its steps:
const (
	flowRemind    = "nhac"
	stepRemMethod = "method"
	stepRemPeriod = "period"
	stepRemCard   = "card"
)

// RemindState is the reminder set-up in progress: the payment's method and
// the amount's inputs (from the calculation it was started under), or a
// card's renewal.
type RemindState struct {
	Months  int             `json:"months,omitempty"`
	Income  decimal.Decimal `json:"income,omitzero"` // zero: the floor of the day
	Group   calc.Group      `json:"group,omitempty"`
	Assumed bool            `json:"assumed,omitempty"` // no calculation: the floor and "other" are assumed
}

// maxCardAhead: a household HI card is bought for at most 12 months (HI
// Law Art. 15(6); facts.md §6): a later expiry is a typo.
const maxCardAhead = 13 * 31 * 24 * time.Hour

// remindersOn reports whether the engine has a reminder store.
func (e *Engine) remindersOn() bool { return e.reminders != nil }

// onRemind handles a reminder button.
func (e *Engine) onRemind(ctx context.Context, ev Event, st *ChatState, cb Callback) (Response, error) {
	if !e.remindersOn() {
		return reply(msgRemindUnavail, mainMenu()), nil
	}
	switch cb.Value {
	case RemindMenu:
		return e.remindMenu(ctx, ev, st)
	case RemindSetPay:
		return e.startPay(st), nil
	case RemindSetCard:
		st.Enter(flowRemind, stepRemCard)
		st.Data.Remind = &RemindState{}
		return reply(msgRemindCardAsk, keyboard(navRow())), nil
	case RemindSetNews:
		return e.subscribeNews(ctx, ev, st)
	case RemindMethod:
		if st.Flow != flowRemind || st.Step != stepRemMethod || st.Data.Remind == nil {
			return badButton(), nil
		}
		return e.pickMethod(ctx, ev, st, int(cb.N))
	case RemindPeriod:
		m, ok := monthFromN(cb.N)
		if !ok || st.Flow != flowRemind || st.Step != stepRemPeriod || st.Data.Remind == nil {
			return badButton(), nil
		}
		return e.pickPeriod(ctx, ev, st, m)
	case RemindPaid, RemindLater:
		m, ok := monthFromN(cb.N)
		if !ok {
			return badButton(), nil
		}
		return e.onPayButton(ctx, ev, cb.Value, m)
	case RemindRenewed:
		return e.onRenewed(ctx, ev, st)
	case RemindOffPay:
		return e.stopReminder(ctx, ev, RemindPay)
	case RemindOffCard:
		return e.stopReminder(ctx, ev, RemindCard)
	case RemindOffNews:
		return e.stopReminder(ctx, ev, RemindNews)
	}
	return badButton(), nil
}

// remindMenu is /nhacnho: what is on, and buttons to set or stop each kind.
func (e *Engine) remindMenu(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	st.Reset()
	if !e.remindersOn() {
		return reply(msgRemindUnavail, mainMenu()), nil
	}
	if err := e.reminders.ReachableChat(ctx, ev.ChatID); err != nil {
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	rs, err := e.reminders.ChatReminders(ctx, ev.ChatID)
	if err != nil {
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	parts := []string{msgRemindIntro, ""}
	on := map[ReminderKind]bool{}
	if len(rs) == 0 {
		parts = append(parts, msgRemindNone)
	} else {
		parts = append(parts, msgRemindOn)
		for _, r := range rs {
			on[r.Kind] = true
			parts = append(parts, remindLine(r))
		}
	}
	rows := [][]Button{
		{btn(BtnSetPay, RemindCb(RemindSetPay, 0))},
		{btn(BtnSetCard, RemindCb(RemindSetCard, 0))},
	}
	if !on[RemindNews] {
		rows = append(rows, []Button{btn(BtnRemindNews, RemindCb(RemindSetNews, 0))})
	}
	for _, k := range []struct {
		kind   ReminderKind
		label  string
		action string
	}{{RemindPay, BtnOffPay, RemindOffPay}, {RemindCard, BtnOffCard, RemindOffCard}, {RemindNews, BtnOffNews, RemindOffNews}} {
		if on[k.kind] {
			rows = append(rows, []Button{btn(k.label, RemindCb(k.action, 0))})
		}
	}
	rows = append(rows, []Button{btn(BtnMenu, MenuCb(MenuMain))})
	return reply(strings.Join(parts, "\n"), keyboard(rows...)), nil
}

// startPay asks the payment method; the amount's inputs come from the last
// contribution result when there is one.
func (e *Engine) startPay(st *ChatState) Response {
	rs := &RemindState{Group: calc.GroupOther, Assumed: true}
	if c := st.Data.Last.Calc; c != nil && c.VSI != nil && c.VSI.Income.IsPositive() && c.VSI.Group.Valid() {
		rs.Income, rs.Group, rs.Assumed = c.VSI.Income, c.VSI.Group, false
		if floor, _, err := e.calc.VSIBounds(e.today()); err == nil && rs.Income.Equal(floor) {
			rs.Income = decimal.Zero // the floor: follows it when it changes
		}
	}
	st.Enter(flowRemind, stepRemMethod)
	st.Data.Remind = rs
	return e.methodPrompt("")
}

func (e *Engine) methodPrompt(pre string) Response {
	var row []Button
	for _, m := range PayMethods {
		row = append(row, btn(btnMethod(m), RemindCb(RemindMethod, int64(m))))
	}
	html := msgRemindMethod
	if pre != "" {
		html = pre + "\n\n" + html
	}
	return reply(html, keyboard(row, navRow()))
}

// pickMethod takes the method: a monthly payment's period is this month;
// the others ask which period the person is in.
func (e *Engine) pickMethod(ctx context.Context, ev Event, st *ChatState, months int) (Response, error) {
	if deadlineMonths[months] == 0 {
		return badButton(), nil
	}
	st.Data.Remind.Months = months
	now := monthVN(e.now())
	if months == 1 {
		return e.savePay(ctx, ev, st, PayPeriod{Start: now, Months: 1})
	}
	st.Step = stepRemPeriod
	return e.periodPrompt(st, ""), nil
}

func (e *Engine) periodPrompt(st *ChatState, pre string) Response {
	var rows [][]Button
	var row []Button
	for _, p := range PeriodsAround(monthVN(e.now()), st.Data.Remind.Months) {
		row = append(row, btn(periodChoice(p), RemindCb(RemindPeriod, periodN(p.Start))))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	html := msgRemindPeriod
	if pre != "" {
		html = pre + "\n\n" + html
	}
	return reply(html, keyboard(append(rows, navRow())...))
}

// pickPeriod takes the current period's first month: one of the periods
// that contain this month.
func (e *Engine) pickPeriod(ctx context.Context, ev Event, st *ChatState, start calc.Month) (Response, error) {
	for _, p := range PeriodsAround(monthVN(e.now()), st.Data.Remind.Months) {
		if p.Start == start {
			return e.savePay(ctx, ev, st, p)
		}
	}
	return e.periodPrompt(st, warnHTML(msgStepHint)), nil
}

// savePay stores the payment reminder for period p and confirms it.
func (e *Engine) savePay(ctx context.Context, ev Event, st *ChatState, p PayPeriod) (Response, error) {
	rs := *st.Data.Remind
	now := e.now()
	agent := ""
	if e.agents != nil {
		id, err := e.agents.ChosenAgent(ctx, ev.UserID)
		if err != nil {
			return Response{}, fmt.Errorf("reminders: chosen agent: %w", err)
		}
		agent = id
	}
	first, at := firstPay(p, now)
	r := Reminder{ChatID: ev.ChatID, Kind: RemindPay, Months: rs.Months, Start: first.Start, Income: rs.Income, Group: rs.Group, AgentID: agent, NextAt: at}
	amt, err := payAmount(e.calc, r, p, now)
	if err != nil {
		return Response{}, fmt.Errorf("reminders: amount: %w", err)
	}
	if _, err := e.reminders.SetReminder(ctx, r, nil, now); err != nil {
		return Response{}, fmt.Errorf("reminders: set: %w", err)
	}
	st.Reset()
	return reply(msgPaySet(p, first, at, amt, rs.Assumed, now), keyboard(
		[]Button{btn(BtnOff, RemindCb(RemindOffPay, 0)), btn(BtnMenu, MenuCb(MenuMain))},
	)), nil
}

// remindText reads typed text during the set-up: a method, a period's
// first month, or a card's expiry date.
func (e *Engine) remindText(ctx context.Context, ev Event, st *ChatState, text string) (Response, error) {
	if st.Data.Remind == nil {
		st.Reset()
		return e.search(ctx, ev, st, text)
	}
	// A question ("đóng 3 tháng có được giảm không") is answered and the
	// step kept; a short choice ("3 tháng", "10/2026") is the step's answer.
	rd := read.Message(text, read.ExpectNothing)
	question := rd.Intents.Has(read.Question) && rd.Words >= 2
	switch st.Step {
	case stepRemMethod:
		if m, ok := parseMethod(text); ok && !(question && rd.Words >= 4) {
			return e.pickMethod(ctx, ev, st, m)
		}
		if r, ok, err := e.answerAtStep(ctx, ev, st, text, question, e.methodPrompt(msgBackToStep)); ok || err != nil {
			return r, err
		}
		return e.methodPrompt(warnHTML(msgStepHint)), nil
	case stepRemPeriod:
		if m, ok := parseStartMonth(text); ok && !(question && rd.Words >= 4) {
			return e.pickPeriod(ctx, ev, st, m)
		}
		if r, ok, err := e.answerAtStep(ctx, ev, st, text, question, e.periodPrompt(st, msgBackToStep)); ok || err != nil {
			return r, err
		}
		return e.periodPrompt(st, warnHTML(msgStepHint)), nil
	case stepRemCard:
		if _, ok := ParseDay(text); !ok {
			again := reply(msgBackToStep+"\n\n"+msgRemindCardAsk, keyboard(navRow()))
			if r, ok, err := e.answerAtStep(ctx, ev, st, text, question, again); ok || err != nil {
				return r, err
			}
		}
		return e.takeExpiry(ctx, ev, st, text)
	}
	st.Reset()
	return e.search(ctx, ev, st, text)
}

// answerAtStep answers a question typed at a reminder step, then asks the
// step again; ok is false when it is no question or the FAQ has nothing.
func (e *Engine) answerAtStep(ctx context.Context, ev Event, st *ChatState, text string, question bool, again Response) (Response, bool, error) {
	if !question {
		return Response{}, false, nil
	}
	ans, answered, err := e.answerOnly(ctx, ev, st, text)
	if err != nil || !answered {
		return Response{}, false, err
	}
	ans.Messages = append(ans.Messages, again.Messages...)
	return ans, true, nil
}

// takeExpiry reads a card's expiry date and sets its reminders.
func (e *Engine) takeExpiry(ctx context.Context, ev Event, st *ChatState, text string) (Response, error) {
	d, ok := ParseDay(text)
	if !ok {
		return reply(warnHTML(msgRemindDateBad), keyboard(navRow())), nil
	}
	now := e.now()
	switch {
	case daysUntil(d, now) < 0:
		st.Reset()
		return reply(msgCardLapsed(d, now), keyboard([]Button{btn(BtnAgentS, AgentCb("")), btn(BtnMenu, MenuCb(MenuMain))})), nil
	case d.Sub(now) > maxCardAhead:
		return reply(warnHTML(msgRemindFar), keyboard(navRow())), nil
	}
	var times []time.Time
	for t := nextCardAfter(d, now, 0); !t.IsZero(); t = nextCardAfter(d, t, 0) {
		times = append(times, t)
	}
	st.Reset()
	if len(times) == 0 {
		// Too near for a reminder: say it now; nothing is stored.
		if _, err := e.reminders.StopReminder(ctx, ev.ChatID, RemindCard, now); err != nil {
			return Response{}, fmt.Errorf("reminders: stop: %w", err)
		}
		return reply(msgCardSoon(d, now), keyboard([]Button{btn(BtnAgentS, AgentCb("")), btn(BtnMenu, MenuCb(MenuMain))})), nil
	}
	r := Reminder{ChatID: ev.ChatID, Kind: RemindCard, Expiry: d, NextAt: times[0]}
	if _, err := e.reminders.SetReminder(ctx, r, nil, now); err != nil {
		return Response{}, fmt.Errorf("reminders: set: %w", err)
	}
	return reply(msgCardSet(d, times), keyboard([]Button{btn(BtnOff, RemindCb(RemindOffCard, 0)), btn(BtnMenu, MenuCb(MenuMain))})), nil
}

// chatReminder returns the chat's reminder of kind, or ErrNotFound.
func (e *Engine) chatReminder(ctx context.Context, chatID int64, kind ReminderKind) (Reminder, error) {
	rs, err := e.reminders.ChatReminders(ctx, chatID)
	if err != nil {
		return Reminder{}, err
	}
	for _, r := range rs {
		if r.Kind == kind {
			return r, nil
		}
	}
	return Reminder{}, ErrNotFound
}

// onPayButton handles "Đã đóng" and "Nhắc lại sau 3 ngày" under the
// reminder of the period starting in month start.
func (e *Engine) onPayButton(ctx context.Context, ev Event, action string, start calc.Month) (Response, error) {
	r, err := e.chatReminder(ctx, ev.ChatID, RemindPay)
	if errors.Is(err, ErrNotFound) {
		return reply(msgRemindGone, nil), nil
	}
	if err != nil {
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	now := e.now()
	p := PayPeriod{Start: start, Months: r.Months}
	var (
		html, event, occ string
		toast            string
	)
	switch action {
	case RemindPaid:
		if r.Start == p.Start {
			// Paid before the last reminder: the schedule moves to the
			// next period now.
			np, at := firstPay(p.Next(), now)
			r.Start, r.NextAt = np.Start, at
		}
		event, occ, toast = EventPaid, "paid:"+p.Start.String(), toastThanksPaid
		html = msgPaidNext(r.Period(), r.NextAt)
	case RemindLater:
		dl := nineAM(p.Deadline(), 0)
		at := nineAM(now.AddDate(0, 0, snoozeDays), 0)
		if at.After(dl) {
			at = dl
		}
		if p.over(now) || !at.After(now) || (r.Start != p.Start && r.Start != p.Next().Start) {
			return reply(msgRemindPeriodOver, nil), nil
		}
		r.Start, r.NextAt = p.Start, at
		event, occ = EventSnoozed, fmt.Sprintf("snooze:%s#%d", p.Start, r.Seq)
		html = msgSnoozed(at)
	}
	switch err := e.reminders.ChangeReminder(ctx, r, event, occ, now); {
	case errors.Is(err, ErrNotFound):
		return reply(msgRemindGone, nil), nil
	case errors.Is(err, ErrConflict):
		// A reminder went out meanwhile: the person presses again on it.
		return reply(msgRemindPeriodOver, nil), nil
	case err != nil:
		return Response{}, fmt.Errorf("reminders: change: %w", err)
	}
	resp := reply(html, nil)
	resp.CallbackText = toast
	return resp, nil
}

// onRenewed counts a renewed card and asks the new card's expiry.
func (e *Engine) onRenewed(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	r, err := e.chatReminder(ctx, ev.ChatID, RemindCard)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return Response{}, fmt.Errorf("reminders: %w", err)
	default:
		occ := "renewed:" + r.Expiry.Format(time.DateOnly)
		if err := e.reminders.ChangeReminder(ctx, r, EventPaid, occ, e.now()); err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
			return Response{}, fmt.Errorf("reminders: change: %w", err)
		}
	}
	st.Enter(flowRemind, stepRemCard)
	st.Data.Remind = &RemindState{}
	resp := reply(msgRemindCardNew, keyboard(navRow()))
	resp.CallbackText = toastThanksPaid
	return resp, nil
}

// stopReminder is "Tắt nhắc".
func (e *Engine) stopReminder(ctx context.Context, ev Event, kind ReminderKind) (Response, error) {
	if _, err := e.reminders.StopReminder(ctx, ev.ChatID, kind, e.now()); err != nil {
		return Response{}, fmt.Errorf("reminders: stop: %w", err)
	}
	resp := reply(msgRemindOffDone, nil)
	resp.CallbackText = toastRemindOff
	return resp, nil
}

// subscribeNews turns notices on: those in force now count as read.
func (e *Engine) subscribeNews(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	st.Reset()
	var seen []string
	if e.notices != nil {
		seen = noticeKeys(e.notices.Notices(e.today()))
	}
	if _, err := e.reminders.SetReminder(ctx, Reminder{ChatID: ev.ChatID, Kind: RemindNews}, seen, e.now()); err != nil {
		return Response{}, fmt.Errorf("reminders: set news: %w", err)
	}
	return reply(msgNewsOn, keyboard([]Button{btn(BtnOffNews, RemindCb(RemindOffNews, 0)), btn(BtnMenu, MenuCb(MenuMain))})), nil
}

// onNews is /tintuc: the notices in force, and a button to get new ones.
func (e *Engine) onNews(ctx context.Context, ev Event) (Response, error) {
	html := newsText(e.faq.NoticesHTML(e.today()))
	if !e.remindersOn() {
		return reply(html, mainMenu()), nil
	}
	if err := e.reminders.ReachableChat(ctx, ev.ChatID); err != nil {
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	sub := btn(BtnRemindNews, RemindCb(RemindSetNews, 0))
	switch _, err := e.chatReminder(ctx, ev.ChatID, RemindNews); {
	case err == nil:
		sub = btn(BtnOffNews, RemindCb(RemindOffNews, 0))
	case !errors.Is(err, ErrNotFound):
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	return reply(html, append([][]Button{{sub}}, mainMenu()...)), nil
}

// remindButton is the reminder button under an FAQ answer of a topic where
// people need one: paying (registration, methods, stopping) or a card.
func (e *Engine) remindButton(topic string) []Button {
	if !e.remindersOn() {
		return nil
	}
	switch topic {
	case "where-to-register", "how-to-register-online", "documents-needed", "payment-methods", "stop-and-resume", "change-income-or-method":
		return []Button{btn(BtnRemindPay, RemindCb(RemindSetPay, 0))}
	case "household-hi-validity", "household-hi-rate", "household-hi-members":
		return []Button{btn(BtnRemindCard, RemindCb(RemindSetCard, 0))}
	}
	return nil
}

// reachable clears a chat's block when the person comes back (/start).
func (e *Engine) reachable(ctx context.Context, chatID int64) error {
	if !e.remindersOn() {
		return nil
	}
	return e.reminders.ReachableChat(ctx, chatID)
}

// deleteReminders removes the chat's reminders (/xoa), before the rest.
func (e *Engine) deleteReminders(ctx context.Context, chatID int64) error {
	if !e.remindersOn() {
		return nil
	}
	return e.reminders.DeleteChatReminders(ctx, chatID, e.now())
}
