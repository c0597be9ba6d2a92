package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// search answers a question from the FAQ.
func (e *Engine) search(ctx context.Context, ev Event, st *ChatState, text string) (Response, error) {
	res, err := e.faq.Search(ctx, text)
	if err != nil {
		return Response{}, fmt.Errorf("faq search: %w", err)
	}
	if strings.TrimSpace(res.Cleaned) == "" {
		// Only emoji, symbols or a link: nothing to answer, nothing worth
		// recording for staff.
		e.metrics.answer("smalltalk")
		return reply(msgFAQPrompt, mainMenu()), nil
	}
	scrubbed := Scrub(text)
	if st.Flow == "" || e.flows[st.Flow] != nil || st.Flow == flowDeleteConfirm {
		st.Reset()
	} // else a step of the hand-off hook (the consent screen) stays open
	st.Data.Last = Topic{Question: clip(scrubbed, 300)}
	e.metrics.answer(string(res.Decision))
	var resp Response
	switch {
	case res.Decision == faq.DecisionAnswer && len(res.Hits) > 0 && res.Hits[0].Entry != nil:
		resp, err = e.renderAnswer(st, res.Hits[0].Entry)
		if err != nil {
			return Response{}, err
		}
	case res.Decision == faq.DecisionClarify && len(res.Hits) > 0:
		if err := e.recordQuestion(ctx, ev, scrubbed, res); err != nil {
			return Response{}, err
		}
		resp = reply(msgClarify, keyboard(append(choiceRows(res), []Button{btn(BtnMenu, MenuCb(MenuMain))})...))
	default:
		if err := e.recordQuestion(ctx, ev, scrubbed, res); err != nil {
			return Response{}, err
		}
		resp = reply(msgNone, mainMenu())
	}
	addAlso(&resp, res)
	if len(res.Personal) > 0 {
		resp.Messages = append([]Message{{HTML: msgPersonalNumber}}, resp.Messages...)
	}
	return resp, nil
}

// choiceRows are the buttons of a clarify reply: the choices the search
// offers (only those above its floor), then "none of these".
func choiceRows(res faq.Result) [][]Button {
	var rows [][]Button
	for _, h := range res.Hits[:min(max(res.Choices, 1), 3, len(res.Hits))] {
		if h.Entry != nil {
			rows = append(rows, []Button{btn(clip(h.Entry.Question, 60), AnswerCb(h.Entry.ID))})
		}
	}
	return append(rows, []Button{btn(BtnNotThese, NavCb(NavNotThese))})
}

// addAlso puts a button for each other question the message asked under
// the first message of the reply ("Bạn cũng hỏi: …").
func addAlso(resp *Response, res faq.Result) {
	if len(res.Also) == 0 || len(resp.Messages) == 0 {
		return
	}
	var rows [][]Button
	for _, h := range res.Also {
		if h.Entry != nil {
			rows = append(rows, []Button{btn(clip(alsoPrefix+h.Entry.Question, 64), AnswerCb(h.Entry.ID))})
		}
	}
	m := &resp.Messages[0]
	m.Buttons = append(rows, m.Buttons...)
}

// notThese answers "none of these" under a clarify reply: the question is
// recorded for staff (as rejected choices) and people who can help are
// offered; a step in progress stays open.
func (e *Engine) notThese(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	if q := st.Data.Last.Question; q != "" {
		rec := Question{
			UserID: ev.UserID, ChatID: ev.ChatID, Text: q,
			Folded:   strings.Join(strings.Fields(vitext.Fold(q)), " "),
			Decision: decisionRejected, At: e.now(),
		}
		if err := e.store.AddQuestion(ctx, rec); err != nil {
			return Response{}, fmt.Errorf("record question: %w", err)
		}
	}
	return reply(msgNotThese, keyboard(
		[]Button{btn(BtnAgentS, AgentCb("")), btn(BtnHotline, MenuCb(MenuHotline))},
		[]Button{btn(BtnMenu, MenuCb(MenuMain))},
	)), nil
}

// decisionRejected records a question whose offered choices the person
// turned down ("Không phải những câu này").
const decisionRejected = "rejected"

// answerOnly answers a question typed in the middle of a step without
// ending the step: the answer when the FAQ is sure, the choices when it
// hesitates. answered is false when it has nothing to offer.
func (e *Engine) answerOnly(ctx context.Context, ev Event, st *ChatState, text string) (Response, bool, error) {
	res, err := e.faq.Search(ctx, text)
	if err != nil {
		return Response{}, false, fmt.Errorf("faq search: %w", err)
	}
	switch {
	case res.Decision == faq.DecisionAnswer && len(res.Hits) > 0 && res.Hits[0].Entry != nil:
		e.metrics.answer(string(res.Decision))
		r, err := e.answerCard(res.Hits[0].Entry, false)
		return r, err == nil, err
	case res.Decision == faq.DecisionClarify && len(res.Hits) > 0:
		e.metrics.answer(string(res.Decision))
		rows := choiceRows(res)
		return reply(msgClarify, keyboard(rows...)), len(rows) > 1, nil
	}
	return Response{}, false, nil
}

// recordQuestion stores an unanswered or low-confidence question, scrubbed.
func (e *Engine) recordQuestion(ctx context.Context, ev Event, scrubbed string, res faq.Result) error {
	q := Question{
		UserID: ev.UserID, ChatID: ev.ChatID, Text: scrubbed,
		Folded:   strings.Join(strings.Fields(vitext.Fold(scrubbed)), " "),
		Decision: string(res.Decision), At: e.now(),
	}
	if len(res.Hits) > 0 && res.Hits[0].Entry != nil {
		q.TopID = res.Hits[0].Entry.ID
	}
	if err := e.store.AddQuestion(ctx, q); err != nil {
		return fmt.Errorf("record question: %w", err)
	}
	return nil
}

// showAnswer answers a button: a clarify choice or a related question.
func (e *Engine) showAnswer(ctx context.Context, ev Event, st *ChatState, id string, kind CallbackKind) (Response, error) {
	entry, ok := e.faq.Entry(id)
	if !ok {
		return badButton(), nil
	}
	st.Reset()
	if kind == CbRelated {
		st.Data.Last.Question = clip(entry.Question, 300)
	}
	return e.renderAnswer(st, entry)
}

// renderAnswer is the answer card: the question, the rendered answer, the
// source footer, related questions, the next step, 👍/👎 and "Gặp đại lý".
func (e *Engine) renderAnswer(st *ChatState, entry *faq.Entry) (Response, error) {
	st.Data.Last.FAQID = entry.ID
	st.Data.Last.Calc = nil
	return e.answerCard(entry, true)
}

func (e *Engine) answerCard(entry *faq.Entry, full bool) (Response, error) {
	body, err := e.faq.AnswerHTML(entry, e.today())
	if err != nil {
		return Response{}, fmt.Errorf("render %s: %w", entry.ID, err)
	}
	if strings.TrimSpace(body) == "" {
		body = msgEmptyAnswer
	}
	reviewed := ""
	if !entry.Reviewed.IsZero() {
		reviewed = entry.Reviewed.Format("02/01/2006")
	}
	var rows [][]Button
	if next := nextStep(entry); len(next) > 0 {
		rows = append(rows, next)
	}
	if r := e.remindButton(entry.Topic); len(r) > 0 {
		rows = append(rows, r)
	}
	if full {
		for _, rid := range entry.Related {
			if len(rows) == 4 {
				break
			}
			if rel, ok := e.faq.Entry(rid); ok {
				rows = append(rows, []Button{btn(relatedLabel(rel.Question), RelatedCb(rel.ID))})
			}
		}
		rows = append(rows,
			[]Button{btn(BtnUp, FeedbackCb(entry.ID, 1)), btn(BtnDown, FeedbackCb(entry.ID, -1)), btn(BtnAgentS, AgentCb(entry.ID))},
			[]Button{btn(BtnMenu, MenuCb(MenuMain))},
		)
	}
	html := lines(bold(entry.Question), "", body, "", answerFooter(entry.Sources, reviewed))
	return reply(html, keyboard(rows...)), nil
}

// nextStep is the obvious next action after an answer, by the entry's
// topic: the calculator after a contribution answer, the agent finder after
// a registration answer.
func nextStep(entry *faq.Entry) []Button {
	switch entry.Topic {
	case "contribution-rate", "min-max-income", "state-support", "payment-methods", "pay-in-advance", "change-income-or-method":
		return []Button{btn(BtnVSI, MenuCb(MenuVSI))}
	case "household-hi-rate", "household-hi-members":
		return []Button{btn(BtnHI, MenuCb(MenuHI))}
	case "pension-amount", "pension-eligibility", "retirement-age", "lump-sum-vs-pension", "pay-missing-years":
		return []Button{btn(BtnPension, MenuCb(MenuPension))}
	case "where-to-register", "documents-needed", "how-to-register-online", "who-can-join", "household-hi-validity", "moving-province":
		return []Button{btn(BtnAgent, MenuCb(MenuAgent))}
	}
	return nil
}

// onFeedback records 👍/👎 with the question that led to the answer; 👎
// offers to ask again, the agent finder and the hotline.
func (e *Engine) onFeedback(ctx context.Context, ev Event, st *ChatState, cb Callback) (Response, error) {
	if _, ok := e.faq.Entry(cb.ID); !ok {
		return badButton(), nil
	}
	f := Feedback{UserID: ev.UserID, ChatID: ev.ChatID, FAQID: cb.ID, Vote: cb.Vote, At: e.now()}
	if st.Data.Last.FAQID == cb.ID {
		f.Question = st.Data.Last.Question
	}
	if err := e.store.AddFeedback(ctx, f); err != nil {
		return Response{}, fmt.Errorf("feedback: %w", err)
	}
	if cb.Vote > 0 {
		return Response{CallbackText: toastThanksUp}, nil
	}
	r := reply(msgThumbsDown, keyboard(
		[]Button{btn(BtnAgentS, AgentCb(cb.ID)), btn(BtnHotline, MenuCb(MenuHotline))},
		[]Button{btn(BtnMenu, MenuCb(MenuMain))},
	))
	r.CallbackText = toastThanksDn
	return r, nil
}
