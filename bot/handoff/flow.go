package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
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

// State keys (without "_": the engine's Reset clears them).
const (
	kProv    = "prov"
	kAgent   = "agent"
	kCommune = "commune"
	kWhen    = "when"
	kConsent = "cv"
	kTopic   = "topic"
)

const (
	provPerPage = 8
	// farKm: beyond this the nearest agent is not "near you".
	farKm = 50
	// engineQuestionKey is the engine's state key holding the last question
	// (scrubbed of phone and ID numbers and names); it is what the person
	// asked before pressing "Gặp đại lý".
	engineQuestionKey = "_q"
)

// Flow is the hand-off conversation; it implements bot.Handoff.
type Flow struct {
	svc *Service
	now func() time.Time
	log *slog.Logger
}

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

func cb(raw string) string { return bot.HandoffCb(raw).MustEncode() }

func cancelButton() bot.Button {
	return bot.Button{Text: btnCancel, Data: bot.NavCb(bot.NavCancel).MustEncode()}
}

func msg(html string, buttons [][]bot.Button) bot.Response {
	return bot.Response{Messages: []bot.Message{{HTML: html, Buttons: buttons}}}
}

// Start begins the hand-off from the menu, /daily or an answer's button.
func (f *Flow) Start(ctx context.Context, ev bot.Event, st *bot.ChatState, topic string) (bot.Response, error) {
	st.Enter(FlowName, stepWhere)
	if c := contextText(st, topic); c != "" {
		st.Set(kTopic, c)
	}
	var resp bot.Response
	if a, err := f.svc.AttributedAgent(ctx, ev.UserID); err != nil {
		return bot.Response{}, err
	} else if a != nil {
		resp.Messages = append(resp.Messages, f.agentsMessage(msgAttributed, []Near{{a, -1}}, f.province(a.ProvinceID), false, ev.Private))
	}
	if ev.Private {
		resp.Messages = append(resp.Messages, bot.Message{HTML: msgWhere,
			Keyboard: [][]bot.KeyButton{{{Text: btnLocation, RequestLocation: true}}}})
		resp.Messages = append(resp.Messages, f.provincePage(0, msgPickProv))
	} else {
		resp.Messages = append(resp.Messages, f.provincePage(0, msgWhereGroup+"\n"+msgPickProv2))
	}
	return resp, nil
}

// contextText is what led here: a calculation in words, else the last
// question asked (already scrubbed by the engine), else the topic.
func contextText(st *bot.ChatState, topic string) string {
	if s, ok := describeTopic(topic); ok {
		return s
	}
	if q := strings.TrimSpace(st.Get(engineQuestionKey)); q != "" {
		return shorten(q, 300)
	}
	return shorten(topic, 300)
}

// DeepLink routes the user's hand-offs to the agent whose code they came with.
func (f *Flow) DeepLink(ctx context.Context, ev bot.Event, payload string) (bool, error) {
	return f.svc.Attribute(ctx, ev.UserID, payload, f.now())
}

// DeleteUser removes the user's leads, their cards' queue and attribution.
func (f *Flow) DeleteUser(ctx context.Context, userID int64) error {
	return f.svc.DeleteUser(ctx, userID)
}

// Handle takes the hand-off's own events: "h:" buttons, shared locations
// and contacts, and text typed during the flow.
func (f *Flow) Handle(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	switch ev.Kind {
	case bot.KindButton:
		c, err := bot.DecodeCallback(ev.Data)
		if err != nil || c.Kind != bot.CbHandoff {
			return bot.Response{}, false, nil
		}
		r, err := f.onButton(ctx, ev, st, c.Raw)
		return r, true, err
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
			return bot.Response{}, false, nil
		}
		return f.onText(ctx, ev, st)
	}
	return bot.Response{}, false, nil
}

func (f *Flow) province(id string) *Province {
	p, _ := f.svc.Dir.Province(id)
	return p
}

// sortedProvinces orders the 34 provinces by folded name.
func (f *Flow) sortedProvinces() []*Province {
	ps := append([]*Province(nil), f.svc.Dir.Provinces...)
	// By the name without "Thành phố": Hồ Chí Minh sorts under H.
	sort.SliceStable(ps, func(i, j int) bool { return placeKey(ps[i].Name) < placeKey(ps[j].Name) })
	return ps
}

// provincePage is one page of province buttons, two per row.
func (f *Flow) provincePage(page int, text string) bot.Message {
	ps := f.sortedProvinces()
	pages := (len(ps) + provPerPage - 1) / provPerPage
	page = min(max(page, 0), max(pages-1, 0))
	var rows [][]bot.Button
	var row []bot.Button
	for _, p := range ps[page*provPerPage : min(len(ps), (page+1)*provPerPage)] {
		row = append(row, bot.Button{Text: p.Name, Data: cb("pv:" + p.ID)})
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var nav []bot.Button
	if page > 0 {
		nav = append(nav, bot.Button{Text: btnPrev, Data: cb("pp:" + strconv.Itoa(page-1))})
	}
	if page < pages-1 {
		nav = append(nav, bot.Button{Text: btnNext, Data: cb("pp:" + strconv.Itoa(page+1))})
	}
	nav = append(nav, cancelButton())
	rows = append(rows, nav)
	return bot.Message{HTML: text + fmt.Sprintf(" <i>(trang %d/%d)</i>", page+1, pages), Buttons: rows}
}

func (f *Flow) onButton(ctx context.Context, ev bot.Event, st *bot.ChatState, raw string) (bot.Response, error) {
	if strings.HasPrefix(raw, "lead:") {
		toast, edit, err := f.svc.PressCard(ctx, raw, ev.ChatID, ev.UserID, ev.MessageID, f.now())
		if err != nil {
			return bot.Response{}, err
		}
		r := bot.Response{CallbackText: toast}
		if edit != nil {
			r.Messages = []bot.Message{*edit}
		}
		return r, nil
	}
	kind, arg, _ := strings.Cut(raw, ":")
	switch kind {
	case "pp":
		page, err := strconv.Atoi(arg)
		if err != nil {
			return staleButton(), nil
		}
		if st.Flow != FlowName {
			st.Enter(FlowName, stepWhere)
		}
		m := f.provincePage(page, msgPickProv2)
		m.EditMessageID = ev.MessageID
		return bot.Response{Messages: []bot.Message{m}}, nil
	case "pv":
		p, ok := f.svc.Dir.Province(arg)
		if !ok {
			return staleButton(), nil
		}
		return f.askCommune(st, p), nil
	case "c":
		provID, idx, _ := strings.Cut(arg, ":")
		i, err := strconv.Atoi(idx)
		list := f.svc.Dir.Communes(provID)
		if err != nil || i < 0 || i >= len(list) {
			return staleButton(), nil
		}
		return f.showCommune(st, list[i], ev.Private), nil
	case "cb":
		a, ok := f.svc.Dir.Agent(arg)
		if !ok {
			return staleButton(), nil
		}
		return f.askTime(st, a, ev.Private), nil
	case "t":
		return f.askConsent(st, arg, ev.Private), nil
	}
	return staleButton(), nil
}

func staleButton() bot.Response {
	r := msg(msgBadButton, nil)
	r.CallbackText = "Nút đã cũ"
	return r
}

func (f *Flow) askCommune(st *bot.ChatState, p *Province) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepCommune)
	}
	st.Step = stepCommune
	st.Set(kProv, p.ID)
	communes := f.svc.Dir.Communes(p.ID)
	if len(communes) == 0 {
		st.Step = stepWhere
		return msg(fmt.Sprintf(msgNoAgentsProv, esc(p.Name))+"\n\n"+FallbackHTML(p),
			[][]bot.Button{{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()}})
	}
	example := "thai thuy"
	if len(communes[0].Aliases) > 0 {
		example = vitext.Fold(communes[0].Aliases[0])
	}
	text := fmt.Sprintf(msgAskCommune, esc(p.Name), esc(example)) + "\n" + msgCommuneButtons
	var rows [][]bot.Button
	for i, c := range communes {
		if i >= provPerPage {
			break
		}
		rows = append(rows, []bot.Button{{Text: c.Name, Data: cb("c:" + p.ID + ":" + strconv.Itoa(i))}})
	}
	rows = append(rows, []bot.Button{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()})
	return msg(text, rows)
}

func (f *Flow) onText(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, bool, error) {
	text := strings.TrimSpace(ev.Text)
	switch st.Step {
	case stepConsent:
		if isNo(text) {
			st.Reset()
			return bot.Response{Messages: []bot.Message{{HTML: msgDeclined, RemoveKeyboard: true}}}, true, nil
		}
		return bot.Response{Messages: []bot.Message{{HTML: msgConsentWait}}}, true, nil
	case stepTime:
		if code := typedCallTime(text); code != "" {
			return f.askConsent(st, code, ev.Private), true, nil
		}
		if !f.looksLikePlace(st, text) {
			// "tối", "8h tối": ask again, saying when agents call.
			if a, ok := f.svc.Dir.Agent(st.Get(kAgent)); ok {
				r := f.askTime(st, a, ev.Private)
				r.Messages[0].HTML = msgTimeAgain + "\n" + r.Messages[0].HTML
				return r, true, nil
			}
		}
	}
	provID := st.Get(kProv)
	if provID != "" {
		if m := f.svc.Dir.FindCommune(provID, text); len(m) > 0 {
			return f.showMatches(st, m, ev.Private), true, nil
		}
	}
	// "Thái Bình", "kien giang": a province, old or new, asks for the commune
	// there, even when a ward carries the same name ("TP Thái Bình").
	p, pScore := f.svc.Dir.findProvince(text)
	if pScore == 0 {
		return f.askCommune(st, p), true, nil
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
		return f.askCommune(st, p), true, nil
	}
	if m := f.svc.Dir.FindCommune("", text); len(m) > 0 {
		return f.showMatches(st, m, ev.Private), true, nil
	}
	if len(tokens(text)) >= 5 {
		// Most likely a question, not a place: let the engine answer it.
		st.Reset()
		return bot.Response{}, false, nil
	}
	if p := f.province(provID); p != nil {
		return f.notFound(st, p, text), true, nil
	}
	return msg(msgNotFoundAny, [][]bot.Button{{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()}}), true, nil
}

// notProvinceNames drops matches found through a name that is also a
// province's (a ward "Thái Bình" in the former province Thái Bình).
func (f *Flow) notProvinceNames(ms []Match) []Match {
	var out []Match
	for _, m := range ms {
		if _, s := f.svc.Dir.findProvince(m.Matched); s != 0 {
			out = append(out, m)
		}
	}
	return out
}

// typedCallTime reads a typed preferred call time: "sáng", "buoi chieu",
// "lúc nào cũng được", "bat ky luc nao"; "" when it is none of them.
func typedCallTime(s string) string {
	f := " " + strings.Join(tokens(s), " ") + " "
	switch {
	case strings.Contains(f, " nao cung ") || strings.Contains(f, " bat ky ") || strings.Contains(f, " gi cung ") ||
		strings.Contains(f, " luc nao ") || strings.Contains(f, " any "):
		return "any"
	case strings.Contains(f, " sang ") && !strings.Contains(f, " chieu "):
		return "sang"
	case strings.Contains(f, " chieu ") && !strings.Contains(f, " sang "):
		return "chieu"
	}
	return ""
}

// looksLikePlace reports whether text names a province or a served commune.
func (f *Flow) looksLikePlace(st *bot.ChatState, text string) bool {
	if _, s := f.svc.Dir.findProvince(text); s >= 0 {
		return true
	}
	return len(f.svc.Dir.FindCommune(st.Get(kProv), text)) > 0 || len(f.svc.Dir.FindCommune("", text)) > 0
}

func isNo(s string) bool {
	switch strings.Trim(vitext.Fold(s), " .!") {
	case "khong", "khong, cam on", "khong cam on", "ko", "k", "huy", "thoi", "no":
		return true
	}
	return false
}

func (f *Flow) notFound(st *bot.ChatState, p *Province, text string) bot.Response {
	r := f.askCommune(st, p)
	r.Messages[0].HTML = fmt.Sprintf(msgNotFound, esc(shorten(text, 60)), esc(p.Name)) + "\n\n" + FallbackHTML(p)
	return r
}

func (f *Flow) showMatches(st *bot.ChatState, ms []Match, private bool) bot.Response {
	if len(ms) == 1 {
		return f.showCommune(st, ms[0].Commune, private)
	}
	var rows [][]bot.Button
	for i, m := range ms {
		if i >= provPerPage {
			break
		}
		idx := indexOf(f.svc.Dir.Communes(m.ProvinceID), m.Commune)
		label := m.Name + ", " + f.province(m.ProvinceID).Name
		rows = append(rows, []bot.Button{{Text: label, Data: cb("c:" + m.ProvinceID + ":" + strconv.Itoa(idx))}})
	}
	rows = append(rows, []bot.Button{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()})
	return msg(msgWhich, rows)
}

func indexOf(list []*Commune, c *Commune) int {
	for i, x := range list {
		if x == c {
			return i
		}
	}
	return -1
}

func (f *Flow) showCommune(st *bot.ChatState, c *Commune, private bool) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepList)
	}
	st.Step = stepList
	st.Set(kProv, c.ProvinceID)
	st.Set(kCommune, c.Name)
	p := f.province(c.ProvinceID)
	heading := fmt.Sprintf(msgServing, esc(c.Name))
	if p != nil {
		heading = fmt.Sprintf(msgServingOther, esc(c.Name), esc(p.Name))
	}
	return bot.Response{Messages: []bot.Message{f.agentsMessage(heading, c.ServingAgents(MaxAgents), p, false, private)}}
}

// agentsMessage lists agents with a call-back button for each that can
// receive leads.
func (f *Flow) agentsMessage(heading string, list []Near, p *Province, showKm bool, private bool) bot.Message {
	now := f.now()
	text := AgentsHTML(heading, list, p, now, showKm)
	sample := false
	var rows [][]bot.Button
	for i, n := range list {
		sample = sample || n.Sample
		if _, ok := f.svc.RouteFor(n.Agent); ok {
			label := fmt.Sprintf(btnCallback, i+1)
			if len(list) == 1 {
				label = btnCallbackAt
			}
			rows = append(rows, []bot.Button{{Text: label, Data: cb("cb:" + n.ID)}})
		}
	}
	if len(rows) > 0 {
		text += "\n\n" + msgCallHint
	}
	if sample {
		text += "\n\n" + msgSampleNote
	}
	rows = append(rows, []bot.Button{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()})
	return bot.Message{HTML: text, Buttons: rows}
}

// onLocation answers a shared location with the nearest agents. The point is
// not kept: not in the state, not in the store, not in logs.
func (f *Flow) onLocation(ev bot.Event, st *bot.ChatState) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepList)
	}
	st.Step = stepList
	st.Set(kCommune, "") // unknown: the point is not turned into a stored place
	list := f.svc.Dir.Nearest(ev.Location.Lat, ev.Location.Lon, MaxAgents)
	if len(list) == 0 || list[0].Km > farKm {
		st.Step = stepWhere
		r := bot.Response{Messages: []bot.Message{{HTML: fmt.Sprintf(msgFarAway, farKm), RemoveKeyboard: true}}}
		r.Messages = append(r.Messages, f.provincePage(0, msgPickProv2))
		return r
	}
	p := f.province(list[0].ProvinceID)
	// Not even the province the point lies in is kept: a commune typed next
	// is searched everywhere.
	st.Set(kProv, "")
	// Drop agents far from the person (another side of a province line is fine).
	for i := 1; i < len(list); i++ {
		if list[i].Km > farKm {
			list = list[:i]
			break
		}
	}
	return bot.Response{Messages: []bot.Message{
		{HTML: "📍 Đã nhận vị trí (mình không lưu).", RemoveKeyboard: true},
		f.agentsMessage(msgNearYou, list, p, true, ev.Private),
	}}
}

func (f *Flow) askTime(st *bot.ChatState, a *Agent, private bool) bot.Response {
	if !private {
		return msg(msgGroupOnly, nil)
	}
	if _, ok := f.svc.RouteFor(a); !ok {
		return msg(msgNoCallback, [][]bot.Button{{{Text: btnOtherPlace, Data: cb("pp:0")}, cancelButton()}})
	}
	if st.Flow != FlowName {
		st.Enter(FlowName, stepTime)
	}
	st.Step = stepTime
	st.Set(kAgent, a.ID)
	var row []bot.Button
	for _, t := range callTimes {
		row = append(row, bot.Button{Text: t.label, Data: cb("t:" + t.code)})
	}
	return msg(msgAskTime, [][]bot.Button{row[:2], row[2:], {cancelButton()}})
}

func (f *Flow) askConsent(st *bot.ChatState, when string, private bool) bot.Response {
	a, ok := f.svc.Dir.Agent(st.Get(kAgent))
	if st.Flow != FlowName || !ok {
		return staleButton()
	}
	if !private {
		return msg(msgGroupOnly, nil)
	}
	rcp, ok := f.svc.RouteFor(a)
	if !ok {
		return msg(msgNoCallback, nil)
	}
	found := false
	for _, t := range callTimes {
		if t.code == when {
			st.Set(kWhen, t.text)
			found = true
		}
	}
	if !found {
		return staleButton()
	}
	st.Step = stepConsent
	st.Set(kConsent, ConsentVersion)
	text := ConsentHTML(rcp, st.Get(kCommune), st.Get(kTopic), f.svc.cfg.RetentionDays())
	return bot.Response{Messages: []bot.Message{{HTML: text, Keyboard: [][]bot.KeyButton{
		{{Text: btnConsent, RequestContact: true}},
		{{Text: btnDecline}},
	}}}}
}

// onContact stores the lead once the person shared their own number on the
// consent screen, then confirms who will call and when.
func (f *Flow) onContact(ctx context.Context, ev bot.Event, st *bot.ChatState) (bot.Response, error) {
	if st.Flow != FlowName || st.Step != stepConsent {
		// A second tap on the share button after the request went out (its
		// confirmation may have been lost): say so rather than "not used".
		if l, err := f.svc.store.LatestLead(ctx, ev.UserID); err == nil && f.now().Sub(l.CreatedAt) < time.Hour {
			return bot.Response{Messages: []bot.Message{{HTML: alreadySentHTML(l), RemoveKeyboard: true}}}, nil
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return bot.Response{}, fmt.Errorf("latest lead: %w", err)
		}
		return bot.Response{Messages: []bot.Message{{HTML: msgContactUnasked, RemoveKeyboard: true}}}, nil
	}
	if ev.Contact.UserID != ev.UserID || strings.TrimSpace(ev.Contact.Phone) == "" {
		return msg(msgNotOwnContact, nil), nil
	}
	if st.Get(kConsent) != ConsentVersion {
		r := f.askConsent(st, whenCode(st.Get(kWhen)), ev.Private)
		r.Messages = append([]bot.Message{{HTML: msgConsentChanged}}, r.Messages...)
		return r, nil
	}
	a, ok := f.svc.Dir.Agent(st.Get(kAgent))
	if !ok {
		st.Reset()
		return staleButton(), nil
	}
	name := strings.TrimSpace(ev.Contact.FirstName + " " + ev.Contact.LastName)
	if name == "" {
		name = ev.FirstName
	}
	now := f.now()
	l, err := f.svc.CreateLead(ctx, Request{
		UserID: ev.UserID, ChatID: ev.ChatID, AgentID: a.ID, Commune: st.Get(kCommune),
		Name: name, Phone: ev.Contact.Phone, Context: st.Get(kTopic), PreferredTime: st.Get(kWhen),
		ConsentVersion: st.Get(kConsent), ConsentAt: now,
	}, now)
	if errors.Is(err, ErrNoRecipient) {
		st.Reset()
		return bot.Response{Messages: []bot.Message{{HTML: msgNoCallback, RemoveKeyboard: true}}}, nil
	}
	if errors.Is(err, ErrAlreadySent) {
		st.Reset()
		return bot.Response{Messages: []bot.Message{{HTML: alreadySentHTML(l), RemoveKeyboard: true}}}, nil
	}
	if err != nil {
		return bot.Response{}, fmt.Errorf("create lead: %w", err)
	}
	f.log.Info("lead created", slog.Any("lead", l))
	pref := st.Get(kWhen)
	st.Reset()
	hours := a.Hours
	if l.RecipientChatID != a.ChatID {
		hours, _ = ParseHours(DefaultOfficeHours) // the provincial office calls
	}
	when := ExpectedCallAt(hours, now, whenCode(pref))
	text := fmt.Sprintf(msgSent, l.ID, esc(l.RecipientName), esc(when), esc(FormatPhone(a.Phone)))
	if a.Sample {
		text += "\n\n" + msgSampleNote
	}
	return bot.Response{Messages: []bot.Message{{HTML: text, RemoveKeyboard: true}}}, nil
}

// alreadySentHTML tells the person their earlier request went out.
func alreadySentHTML(l Lead) string {
	return fmt.Sprintf(msgAlreadySent, l.ID, esc(l.RecipientName), l.CreatedAt.In(ICT).Format("15:04 02/01"))
}

func whenCode(text string) string {
	for _, t := range callTimes {
		if t.text == text {
			return t.code
		}
	}
	return "any"
}
