package handoff

import (
	"context"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"log/slog"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/read"
)

// FlowName is the ChatState.Flow of the hand-off conversation.
const FlowName = "handoff"

// Steps of the flow.
const (
	stepWhere   = "where"   // share location, pick or type a province or commune
	stepCommune = "commune" // province chosen, type the commune
	stepList    = "list"    // agents shown
	stepTime    = "time"    // preferred call time
	stepConsent = "consent" // consent shown, waiting for the contact
)

// hs is the hand-off's typed state in st, created when missing.
func hs(st *bot.ChatState) *bot.HandoffState {
	if st.Data.Handoff == nil {
		st.Data.Handoff = &bot.HandoffState{}
	}
	return st.Data.Handoff
}

// describe puts what led here in words for the consent and the lead card.
func (f *Flow) describe(t bot.Topic) string {
	return t.Describe(f.question)
}

const (
	provPerPage = 8
	// farKm: beyond this the nearest agent is not "near you".
	farKm = 50
	// nearKm: beyond this the nearest agent may be in another province.
	nearKm = 10
)

// Flow is the hand-off conversation; it implements bot.Handoff.
type Flow struct {
	svc *Service
	now func() time.Time
	log *slog.Logger
	// question returns an FAQ entry's question by id (for the topic of a
	// hand-off that started under an answer); nil leaves it out.
	question func(id string) string
}

// SetQuestions tells the flow how to name an FAQ entry in a lead's topic.
func (f *Flow) SetQuestions(question func(id string) string) { f.question = question }

var _ bot.Handoff = (*Flow)(nil)

// NewFlow builds the conversation on a service. now and log may be nil.
func NewFlow(svc *Service, now func() time.Time, log *slog.Logger) *Flow {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Flow{svc: svc, now: now, log: log}
}

// otherPlace is the "Tìm nơi khác" button: the first page of provinces.
func otherPlace() bot.Button {
	return bot.Button{Text: btnOtherPlace, Data: bot.ProvPageCb(0).EncodeOrEmpty()}
}

func cancelButton() bot.Button {
	return bot.Button{Text: btnCancel, Data: bot.NavCb(bot.NavCancel).EncodeOrEmpty()}
}

func msg(html string, buttons [][]bot.Button) bot.Response {
	return bot.Response{Messages: []bot.Message{{HTML: html, Buttons: buttons}}}
}

// Start begins the hand-off from the menu, /daily or an answer's button. A
// person who came through an agent's QR code gets that agent at once (one
// message, with "Tìm nơi khác"); others are asked where they are: the
// share-location button (a reply keyboard, so a message of its own) and
// the provinces, with one ✖️ Hủy.
func (f *Flow) Start(ctx context.Context, ev bot.Event, st *bot.ChatState, topic bot.Topic) (bot.Response, error) {
	st.Enter(FlowName, stepWhere)
	hs(st).Topic = topic
	a, err := f.svc.AttributedAgent(ctx, ev.UserID)
	if err != nil {
		return bot.Response{}, err
	}
	if a != nil {
		st.Step = stepList
		hs(st).Province = a.ProvinceID
		return bot.Response{Messages: []bot.Message{f.agentsMessage(msgAttributed, []agents.Near{{Agent: a, Km: -1}}, f.province(a.ProvinceID), false, ev.Private)}}, nil
	}
	if !ev.Private {
		return bot.Response{Messages: []bot.Message{f.provincePage(0, msgWhereGroup+"\n"+msgPickProv2)}}, nil
	}
	return bot.Response{Messages: []bot.Message{
		{HTML: msgWhere, Keyboard: [][]bot.KeyButton{{{Text: btnLocation, RequestLocation: true}}}},
		f.provincePage(0, msgPickProv),
	}}, nil
}

// DeepLink routes the user's hand-offs to the agent whose code they came with.
// It returns the agent's name, or "" for a payload that is no agent's code.
func (f *Flow) DeepLink(ctx context.Context, ev bot.Event, payload string) (string, error) {
	a, err := f.svc.Attribute(ctx, ev.UserID, payload, f.now())
	if err != nil || a == nil {
		return "", err
	}
	return a.Name, nil
}

// DeleteUser removes the user's leads, their cards' queue and attribution.
func (f *Flow) DeleteUser(ctx context.Context, userID int64) error {
	return f.svc.DeleteUser(ctx, userID)
}

// Handle takes the hand-off's own events: its buttons (provinces, communes,
// call-back, call time, lead cards), shared locations
// and contacts, and text typed during the flow.
func (f *Flow) Handle(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	switch ev.Kind {
	case bot.KindButton:
		c, err := bot.DecodeCallback(ev.Data)
		if err != nil {
			return bot.Response{}, false, nil
		}
		switch c.Kind {
		case bot.CbProvPage, bot.CbProvince, bot.CbCommune, bot.CbCallMe, bot.CbCallTime, bot.CbLead:
			r, err := f.onButton(ctx, ev, st, c)
			return r, true, err
		}
		return bot.Response{}, false, nil
	case bot.KindLocation:
		if ev.Location == nil {
			return bot.Response{}, false, nil
		}
		return f.onLocation(ev, st), true, nil
	case bot.KindContact:
		if ev.Contact == nil {
			return bot.Response{}, false, nil
		}
		r, err := f.onContact(ctx, ev, st)
		return r, true, err
	case bot.KindText:
		if st.Flow != FlowName {
			if st.Flow == "" && !ev.Private && f.svc.IsCardChat(ev.ChatID) {
				// Staff talking in the chat that gets lead cards
				// (often replying to a card): not a question. A
				// calculation started there still takes typed answers.
				return bot.Response{}, true, nil
			}
			return bot.Response{}, false, nil
		}
		return f.onText(ctx, ev, st)
	}
	return bot.Response{}, false, nil
}

func (f *Flow) onButton(ctx context.Context, ev bot.Event, st *bot.ChatState, c bot.Callback) (bot.Response, error) {
	switch c.Kind {
	case bot.CbLead:
		toast, edit, err := f.svc.PressCardBy(ctx, c.N, c.Value, ev.ChatID, ev.UserID, ev.FirstName, ev.MessageID, f.now())
		if err != nil {
			return bot.Response{}, err
		}
		r := bot.Response{CallbackText: toast}
		if edit != nil {
			r.Messages = []bot.Message{*edit}
		}
		return r, nil
	case bot.CbProvPage:
		if st.Flow != FlowName {
			st.Enter(FlowName, stepWhere)
		}
		m := f.provincePage(int(c.N), msgPickProv2)
		m.EditMessageID = ev.MessageID
		return bot.Response{Messages: []bot.Message{m}}, nil
	case bot.CbProvince:
		p, ok := f.svc.Dir.Province(c.ID)
		if !ok {
			return staleButton(), nil
		}
		return f.askCommune(st, p), nil
	case bot.CbCommune:
		list := f.svc.Dir.Communes(c.ID)
		if c.N >= int64(len(list)) {
			return staleButton(), nil
		}
		return f.showCommune(st, list[c.N], ev.Private), nil
	case bot.CbCallMe:
		a, ok := f.svc.Dir.Agent(c.ID)
		if !ok {
			return staleButton(), nil
		}
		return f.askTime(st, a, ev.Private), nil
	case bot.CbCallTime:
		return f.askConsent(st, c.Value, ev.Private), nil
	}
	return staleButton(), nil
}

func staleButton() bot.Response {
	r := msg(msgBadButton, nil)
	r.CallbackText = toastStale
	return r
}

func (f *Flow) onText(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	text := strings.TrimSpace(ev.Text)
	switch st.Step {
	case stepConsent:
		if isNo(text) {
			st.Reset()
			return bot.Response{Messages: []bot.Message{{HTML: msgDeclined, RemoveKeyboard: true}}}, true, nil
		}
		if phone, ok := agents.TypedPhone(text); ok {
			// The number typed on the consent screen is as good as the
			// button: the person read who gets it and sent it.
			ev.Contact = &bot.Contact{Phone: phone, FirstName: ev.FirstName, UserID: ev.UserID}
			r, err := f.onContact(ctx, ev, st)
			return r, true, err
		}
		if rd := read.Message(text, read.ExpectNothing); rd.Intents.Has(read.Question) || rd.Words >= 4 {
			// A question: the engine answers it; the consent stays on screen.
			return bot.Response{}, false, nil
		}
		return bot.Response{Messages: []bot.Message{{HTML: msgConsentWait}}}, true, nil
	case stepTime:
		if code := typedCallTime(text); code != "" {
			return f.askConsent(st, code, ev.Private), true, nil
		}
		if rd := read.Message(text, read.ExpectNothing); (rd.Intents.Has(read.Question) || rd.Words >= 4) && !namesATime(text) {
			// A question: the engine answers it; the step stays.
			return bot.Response{}, false, nil
		}
		if !f.looksLikePlace(st, text) {
			// "tối", "8h tối": ask again, saying when agents call.
			if a, ok := f.svc.Dir.Agent(hs(st).Agent); ok {
				r := f.askTime(st, a, ev.Private)
				r.Messages[0].HTML = msgTimeAgain + "\n" + r.Messages[0].HTML
				return r, true, nil
			}
		}
	}
	provID := hs(st).Province
	if provID != "" {
		if m := f.svc.Dir.FindCommune(provID, text); len(m) > 0 {
			return f.showMatches(st, m, ev.Private), true, nil
		}
	}
	// "Thái Bình", "kien giang": a province, old or new, asks for the commune
	// there, even when a ward carries the same name ("TP Thái Bình").
	p, pScore := f.svc.Dir.FindProvinceScore(text)
	if pScore == 0 {
		return f.askProvinceCommune(st, p, text), true, nil
	}
	if pScore > 0 {
		// The province came with more words: "rach gia kien giang",
		// "xã Thái Thụy, tỉnh Thái Bình". A commune of that province among
		// them is the answer, unless what matched is itself a province name
		// ("thai binh, hung yen": the person named provinces only).
		if m := f.notProvinceNames(f.svc.Dir.FindCommune(p.ID, text)); len(m) > 0 {
			return f.showMatches(st, m, ev.Private), true, nil
		}
	}
	if m := f.svc.Dir.FindCommune("", text); len(m) > 0 && m[0].Score <= 2 {
		return f.showMatches(st, m, ev.Private), true, nil
	}
	if pScore >= 0 {
		return f.askProvinceCommune(st, p, text), true, nil
	}
	if m := f.svc.Dir.FindCommune("", text); len(m) > 0 {
		return f.showMatches(st, m, ev.Private), true, nil
	}
	if len(agents.Tokens(text)) >= 5 {
		// Most likely a question, not a place: let the engine answer it.
		st.Reset()
		return bot.Response{}, false, nil
	}
	if p := f.province(provID); p != nil {
		return f.notFound(st, p, text), true, nil
	}
	return msg(msgNotFoundAny, [][]bot.Button{{otherPlace(), cancelButton()}}), true, nil
}
