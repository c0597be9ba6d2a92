// The call-back half of the hand-off conversation: preferred time, consent,
// the shared contact and the confirmation.

package handoff

import (
	"context"
	"errors"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"log/slog"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// typedCallTime reads a typed preferred call time: "sáng", "buoi chieu",
// "lúc nào cũng được", "bat ky luc nao"; "" when it is none of them.
func typedCallTime(s string) string {
	f := " " + strings.Join(agents.Tokens(s), " ") + " "
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

// namesATime reports whether s speaks of a time of day ("tối", "8h",
// "trưa mai"): at the call-time step that is an answer to ask again, not a
// question for the FAQ.
func namesATime(s string) bool {
	for _, t := range agents.Tokens(s) {
		switch {
		case t == "toi" || t == "dem" || t == "trua" || t == "khuya" || t == "gio" || t == "mai":
			return true
		case len(t) > 1 && t[0] >= '0' && t[0] <= '9' && (strings.HasSuffix(t, "h") || strings.HasSuffix(t, "g")):
			return true
		}
	}
	return false
}

func isNo(s string) bool {
	switch strings.Trim(vitext.Fold(s), " .!") {
	case "khong", "khong, cam on", "khong cam on", "ko", "k", "huy", "thoi", "no":
		return true
	}
	return false
}

func (f *Flow) askTime(st *bot.ChatState, a *agents.Agent, private bool) bot.Response {
	if !private {
		return msg(msgGroupOnly, nil)
	}
	if _, ok := f.svc.RouteFor(a); !ok {
		return msg(msgNoCallback, [][]bot.Button{{otherPlace(), cancelButton()}})
	}
	if st.Flow != FlowName {
		st.Enter(FlowName, stepTime)
	}
	st.Step = stepTime
	hs(st).Agent = a.ID
	var row []bot.Button
	for _, t := range callTimes {
		row = append(row, bot.Button{Text: t.label, Data: bot.CallTimeCb(t.code).EncodeOrEmpty()})
	}
	return msg(msgAskTime, [][]bot.Button{row[:2], row[2:], {cancelButton()}})
}

func (f *Flow) askConsent(st *bot.ChatState, when string, private bool) bot.Response {
	a, ok := f.svc.Dir.Agent(hs(st).Agent)
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
			hs(st).When = t.text
			found = true
		}
	}
	if !found {
		return staleButton()
	}
	st.Step = stepConsent
	hs(st).Consent = ConsentVersion
	text := ConsentHTML(rcp, a.Name, hs(st).Commune, f.describe(hs(st).Topic), f.svc.cfg.RetentionDays())
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
	if hs(st).Consent != ConsentVersion {
		r := f.askConsent(st, whenCode(hs(st).When), ev.Private)
		r.Messages = append([]bot.Message{{HTML: msgConsentChanged}}, r.Messages...)
		return r, nil
	}
	a, ok := f.svc.Dir.Agent(hs(st).Agent)
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
		UserID: ev.UserID, ChatID: ev.ChatID, AgentID: a.ID, Commune: hs(st).Commune,
		Name: name, Phone: ev.Contact.Phone, Context: f.describe(hs(st).Topic), PreferredTime: hs(st).When,
		ConsentVersion: hs(st).Consent, ConsentAt: now,
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
	pref := hs(st).When
	st.Reset()
	hours := a.Hours
	if l.RecipientChatID != a.ChatID {
		hours, _ = agents.ParseHours(DefaultOfficeHours) // the provincial office calls
	}
	when := ExpectedCallAt(hours, now, whenCode(pref))
	text := fmt.Sprintf(msgSent, l.ID, esc(l.RecipientName), esc(when), esc(agents.FormatPhone(a.Phone)))
	if a.Sample {
		text += "\n\n" + msgSampleNote
	}
	return bot.Response{Messages: []bot.Message{{HTML: text, RemoveKeyboard: true}}}, nil
}

// alreadySentHTML tells the person their earlier request went out.
func alreadySentHTML(l Lead) string {
	return fmt.Sprintf(msgAlreadySent, l.ID, esc(l.RecipientName), l.CreatedAt.In(calc.Vietnam).Format("15:04 02/01"))
}

func whenCode(text string) string {
	for _, t := range callTimes {
		if t.text == text {
			return t.code
		}
	}
	return "any"
}
