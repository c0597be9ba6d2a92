package studio

import (
	"net/http"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// The agents page: the lead funnel per province and agent, as `faqctl
// leads stats` prints it. Leads hold names and phone numbers; the page
// shows only counts, the agent's id, kind and commune.

type agentsData struct {
	NoDB      bool
	Err       string
	Since     string
	Provinces []provinceFunnel
	Total     handoff.FunnelRow
}

type provinceFunnel struct {
	ID, Name string
	Total    handoff.FunnelRow
	Agents   []agentFunnel
}

type agentFunnel struct {
	ID, Kind, Commune string
	Row               handoff.FunnelRow
}

func (s *Server) agentsPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Đại lý", "dai-ly"
	d := agentsData{}
	var since time.Time
	if v := r.URL.Query().Get("tu"); v != "" {
		if t, err := time.ParseInLocation(time.DateOnly, v, calc.Vietnam); err == nil {
			since, d.Since = t, v
		}
	}
	if s.cfg.Records == nil {
		d.NoDB = true
		pd.Data = d
		s.render(w, http.StatusOK, "agents", pd)
		return
	}
	rows, err := s.cfg.Records.LeadFunnel(r.Context(), since)
	if err != nil {
		s.log.Error("studio: lead funnel", "err", err)
		d.Err = "Không đọc được cơ sở dữ liệu của bot: " + err.Error()
	}
	places, _ := agents.LoadPlaces(g.fsys) // names only; problems are lint's
	dir, _ := agents.LoadDirectory(g.fsys) // kinds and communes only
	index := map[string]int{}
	for _, row := range rows {
		i, ok := index[row.ProvinceID]
		if !ok {
			name := row.ProvinceID
			if places != nil {
				if p, ok := places.Province(row.ProvinceID); ok {
					name = p.Name
				}
			}
			i = len(d.Provinces)
			index[row.ProvinceID] = i
			d.Provinces = append(d.Provinces, provinceFunnel{ID: row.ProvinceID, Name: name})
		}
		a := agentFunnel{ID: row.AgentID, Row: row}
		if a.ID == "" {
			a.ID = "(văn phòng tỉnh)"
		}
		if dir != nil {
			if ag, ok := dir.Agent(row.AgentID); ok {
				a.Kind = ag.Kind.Label()
				if len(ag.Communes) > 0 {
					a.Commune = ag.Communes[0].Name
				}
			}
		}
		p := &d.Provinces[i]
		p.Agents = append(p.Agents, a)
		p.Total.Add(row)
		d.Total.Add(row)
	}
	pd.Data = d
	s.render(w, http.StatusOK, "agents", pd)
}
