// The place half of the hand-off conversation: provinces, communes typed
// or picked, a shared location, and the agents found.

package handoff

import (
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"sort"
	"strings"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

func (f *Flow) province(id string) *agents.Province {
	p, _ := f.svc.Dir.Province(id)
	return p
}

// sortedProvinces orders the 34 provinces by folded name.
func (f *Flow) sortedProvinces() []*agents.Province {
	ps := append([]*agents.Province(nil), f.svc.Dir.Provinces...)
	// By the name without "Thành phố": Hồ Chí Minh sorts under H.
	sort.SliceStable(ps, func(i, j int) bool { return agents.PlaceKey(ps[i].Name) < agents.PlaceKey(ps[j].Name) })
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
		row = append(row, bot.Button{Text: p.Name, Data: bot.ProvinceCb(p.ID).EncodeOrEmpty()})
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var nav []bot.Button
	if page > 0 {
		nav = append(nav, bot.Button{Text: btnPrev, Data: bot.ProvPageCb(page - 1).EncodeOrEmpty()})
	}
	if page < pages-1 {
		nav = append(nav, bot.Button{Text: btnNext, Data: bot.ProvPageCb(page + 1).EncodeOrEmpty()})
	}
	nav = append(nav, cancelButton())
	rows = append(rows, nav)
	return bot.Message{HTML: text + fmt.Sprintf(" <i>(trang %d/%d)</i>", page+1, pages), Buttons: rows}
}

func (f *Flow) askCommune(st *bot.ChatState, p *agents.Province) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepCommune)
	}
	st.Step = stepCommune
	hs(st).Province = p.ID
	communes := f.svc.Dir.Communes(p.ID)
	if len(communes) == 0 {
		st.Step = stepWhere
		return msg(fmt.Sprintf(msgNoAgentsProv, esc(p.Name))+"\n\n"+FallbackHTML(p),
			[][]bot.Button{{otherPlace(), cancelButton()}})
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
		rows = append(rows, []bot.Button{{Text: c.Name, Data: bot.CommuneCb(p.ID, i).EncodeOrEmpty()}})
	}
	rows = append(rows, []bot.Button{otherPlace(), cancelButton()})
	return msg(text, rows)
}

// notProvinceNames drops matches found through a name that is also a
// province's (a ward "Thái Bình" in the former province Thái Bình).
func (f *Flow) notProvinceNames(ms []agents.Match) []agents.Match {
	var out []agents.Match
	for _, m := range ms {
		if _, s := f.svc.Dir.FindProvinceScore(m.Matched); s != 0 {
			out = append(out, m)
		}
	}
	return out
}

// looksLikePlace reports whether text names a province or a served commune.
func (f *Flow) looksLikePlace(st *bot.ChatState, text string) bool {
	if _, s := f.svc.Dir.FindProvinceScore(text); s >= 0 {
		return true
	}
	return len(f.svc.Dir.FindCommune(hs(st).Province, text)) > 0 || len(f.svc.Dir.FindCommune("", text)) > 0
}

// askProvinceCommune is askCommune for a province the person typed; a
// former province ("Thái Bình") is told where it belongs now.
func (f *Flow) askProvinceCommune(st *bot.ChatState, p *agents.Province, text string) bot.Response {
	r := f.askCommune(st, p)
	if note := mergeNote(p, text); note != "" {
		r.Messages[0].HTML = note + "\n" + r.Messages[0].HTML
	}
	return r
}

// mergeNote says which province a former one typed in text now belongs to,
// or "" when text does not name a former province of p.
func mergeNote(p *agents.Province, text string) string {
	own, q := agents.PlaceKey(p.Name), agents.PlaceKey(text)
	for _, former := range p.Former {
		if k := agents.PlaceKey(former); k != own && agents.NameScore(q, k) >= 0 {
			now := esc(p.Kind) + " <b>" + esc(p.Name) + "</b>"
			if strings.HasPrefix(vitext.Fold(p.Name), "thanh pho") {
				now = "<b>" + esc(p.Name) + "</b>"
			}
			return fmt.Sprintf(msgMerged, esc(former), now)
		}
	}
	return ""
}

func (f *Flow) notFound(st *bot.ChatState, p *agents.Province, text string) bot.Response {
	r := f.askCommune(st, p)
	r.Messages[0].HTML = fmt.Sprintf(msgNotFound, esc(shorten(text, 60)), esc(p.Name)) + "\n\n" + FallbackHTML(p)
	return r
}

func (f *Flow) showMatches(st *bot.ChatState, ms []agents.Match, private bool) bot.Response {
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
		rows = append(rows, []bot.Button{{Text: label, Data: bot.CommuneCb(m.ProvinceID, idx).EncodeOrEmpty()}})
	}
	rows = append(rows, []bot.Button{otherPlace(), cancelButton()})
	return msg(msgWhich, rows)
}

func indexOf(list []*agents.Commune, c *agents.Commune) int {
	for i, x := range list {
		if x == c {
			return i
		}
	}
	return -1
}

func (f *Flow) showCommune(st *bot.ChatState, c *agents.Commune, private bool) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepList)
	}
	st.Step = stepList
	hs(st).Province = c.ProvinceID
	hs(st).Commune = c.Name
	p := f.province(c.ProvinceID)
	heading := fmt.Sprintf(msgServing, esc(c.Name))
	if p != nil {
		heading = fmt.Sprintf(msgServingOther, esc(c.Name), esc(p.Name))
	}
	return bot.Response{Messages: []bot.Message{f.agentsMessage(heading, c.ServingAgents(agents.MaxAgents), p, false, private)}}
}

// agentsMessage lists agents with a call-back button for each that can
// receive leads.
func (f *Flow) agentsMessage(heading string, list []agents.Near, p *agents.Province, showKm bool, private bool) bot.Message {
	now := f.now()
	text := AgentsHTML(heading, list, p, now, showKm)
	sample := false
	callback := false
	var rows [][]bot.Button
	for i, n := range list {
		sample = sample || n.Sample
		if _, ok := f.svc.RouteFor(n.Agent); ok {
			callback = true
			if !private {
				// The call-back needs Telegram's share-contact
				// button, which works only in a private chat.
				continue
			}
			label := fmt.Sprintf(btnCallback, i+1)
			if len(list) == 1 {
				label = btnCallbackAt
			}
			rows = append(rows, []bot.Button{{Text: label, Data: bot.CallMeCb(n.ID).EncodeOrEmpty()}})
		}
	}
	switch {
	case callback && private:
		text += "\n\n" + msgCallHint
	case callback:
		text += "\n\n" + msgGroupOnly
	}
	if sample {
		text += "\n\n" + msgSampleNote
	}
	rows = append(rows, []bot.Button{otherPlace(), cancelButton()})
	return bot.Message{HTML: text, Buttons: rows}
}

// onLocation answers a shared location with the nearest agents. The point is
// not kept: not in the state, not in the store, not in logs.
func (f *Flow) onLocation(ev bot.Event, st *bot.ChatState) bot.Response {
	if st.Flow != FlowName {
		st.Enter(FlowName, stepList)
	}
	st.Step = stepList
	hs(st).Commune = "" // unknown: the point is not turned into a stored place
	list := f.svc.Dir.Nearest(ev.Location.Lat, ev.Location.Lon, agents.MaxAgents)
	if len(list) == 0 || list[0].Km > farKm {
		st.Step = stepWhere
		r := bot.Response{Messages: []bot.Message{{HTML: fmt.Sprintf(msgFarAway, farKm), RemoveKeyboard: true}}}
		r.Messages = append(r.Messages, f.provincePage(0, msgPickProv2))
		return r
	}
	p := f.province(list[0].ProvinceID)
	// Not even the province the point lies in is kept: a commune typed next
	// is searched everywhere.
	hs(st).Province = ""
	// Drop agents far from the person (another side of a province line is fine).
	for i := 1; i < len(list); i++ {
		if list[i].Km > farKm {
			list = list[:i]
			break
		}
	}
	heading := msgNearYou
	if list[0].Km > nearKm {
		// Without borders on the map, a point this far from every agent may
		// lie in another province: name no provincial office.
		heading, p = msgNearestFar, nil
	}
	return bot.Response{Messages: []bot.Message{
		{HTML: msgLocationTaken, RemoveKeyboard: true},
		f.agentsMessage(heading, list, p, true, ev.Private),
	}}
}
