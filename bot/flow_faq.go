package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// maxQuestionLen caps what is searched and stored; longer text is cut.
const maxQuestionLen = 1000

// onText handles free text: a step of the current flow, small talk, a
// question that already carries the numbers, or an FAQ question.
func (e *Engine) onText(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	text := strings.TrimSpace(ev.Text)
	if text == "" {
		return reply(msgFAQPrompt, mainMenu()), nil
	}
	if len(text) > maxQuestionLen {
		text = strings.ToValidUTF8(text[:maxQuestionLen], "")
	}
	if f := e.flows[st.Flow]; f != nil {
		return e.flowText(ctx, ev, st, f, text)
	}
	switch smallTalk(text) {
	case talkHello:
		e.metrics.answer("smalltalk")
		return reply(msgHello, mainMenu()), nil
	case talkThanks:
		e.metrics.answer("smalltalk")
		return reply(msgThanks, nil), nil
	}
	if resp, ok, err := e.direct(ctx, ev, st, text); ok || err != nil {
		return resp, err
	}
	return e.search(ctx, ev, st, text)
}

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
	st.Reset()
	st.Set(keyQuestion, clip(scrubbed, 300))
	e.metrics.answer(string(res.Decision))
	switch {
	case res.Decision == faq.DecisionAnswer && len(res.Hits) > 0 && res.Hits[0].Entry != nil:
		return e.renderAnswer(st, res.Hits[0].Entry)
	case res.Decision == faq.DecisionClarify && len(res.Hits) > 0:
		if err := e.recordQuestion(ctx, ev, scrubbed, res); err != nil {
			return Response{}, err
		}
		n := res.Choices
		if n < 2 || n > 3 {
			n = 3
		}
		var rows [][]Button
		for _, h := range res.Hits[:min(n, len(res.Hits))] {
			if h.Entry != nil {
				rows = append(rows, []Button{btn(clip(h.Entry.Question, 60), AnswerCb(h.Entry.ID))})
			}
		}
		rows = append(rows, []Button{btn(BtnMenu, MenuCb(MenuMain))})
		return reply(msgClarify, keyboard(rows...)), nil
	default:
		if err := e.recordQuestion(ctx, ev, scrubbed, res); err != nil {
			return Response{}, err
		}
		return reply(msgNone, mainMenu()), nil
	}
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
	if kind == CbRelated {
		st.Set(keyQuestion, clip(entry.Question, 300))
	}
	st.Reset()
	return e.renderAnswer(st, entry)
}

// renderAnswer is the answer card: the question, the rendered answer, the
// source footer, related questions, 👍/👎 and "Gặp đại lý".
func (e *Engine) renderAnswer(st *ChatState, entry *faq.Entry) (Response, error) {
	body, err := faq.RenderHTML(entry.Body)
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
	st.Set(keyTopic, entry.ID)
	var rows [][]Button
	for _, rid := range entry.Related {
		if len(rows) == 3 {
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
	html := lines(bold(entry.Question), "", body, "", answerFooter(entry.Sources, reviewed))
	return reply(html, keyboard(rows...)), nil
}

// onFeedback records 👍/👎 with the question that led to the answer.
func (e *Engine) onFeedback(ctx context.Context, ev Event, st *ChatState, cb Callback) (Response, error) {
	if _, ok := e.faq.Entry(cb.ID); !ok {
		return badButton(), nil
	}
	f := Feedback{UserID: ev.UserID, ChatID: ev.ChatID, FAQID: cb.ID, Vote: cb.Vote, At: e.now()}
	if st.Get(keyTopic) == cb.ID {
		f.Question = st.Get(keyQuestion)
	}
	if err := e.store.AddFeedback(ctx, f); err != nil {
		return Response{}, fmt.Errorf("feedback: %w", err)
	}
	if cb.Vote > 0 {
		return Response{CallbackText: toastThanksUp}, nil
	}
	return Response{CallbackText: toastThanksDn}, nil
}

type talk int

const (
	talkNone talk = iota
	talkHello
	talkThanks
)

var (
	helloWords  = map[string]bool{"chao": true, "xin chao": true, "hi": true, "hello": true, "helo": true, "alo": true, "hey": true, "chao buoi sang": true, "start": true}
	thanksWords = map[string]bool{"cam on": true, "thanks": true, "thank you": true, "thank": true, "tks": true, "thanks you": true, "ok": true, "oke": true, "okay": true, "okie": true, "uh": true, "da": true, "vang": true, "cmon": true, "camon": true}
	fillerWords = map[string]bool{"a": true, "ad": true, "admin": true, "nhe": true, "nha": true, "nhieu": true, "ban": true, "bot": true, "em": true, "anh": true, "chi": true, "minh": true, "ah": true, "oi": true, "shop": true, "rat": true, "nhiu": true, "nhe.": true}
)

// smallTalk recognises a whole message that is only a greeting or thanks.
func smallTalk(text string) talk {
	f := strings.FieldsFunc(vitext.Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(f) == 0 || len(f) > 6 {
		return talkNone
	}
	var kept []string
	for _, w := range f {
		if !fillerWords[w] {
			kept = append(kept, w)
		}
	}
	s := strings.Join(kept, " ")
	switch {
	case helloWords[s]:
		return talkHello
	case thanksWords[s]:
		return talkThanks
	}
	return talkNone
}
