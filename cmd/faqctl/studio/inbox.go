package studio

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// The inbox: what the bot recorded (unanswered, clarified, "none of these",
// 👎), grouped by similar wording, with what the bot does now with each.

const (
	perPage     = 30
	reportLimit = 2000 // rows of each kind read from the database
)

// inboxViews are the tabs of the inbox.
var inboxViews = []struct{ Key, Status, Words string }{
	{"can-xu-ly", statusOpen, "Cần xử lý"},
	{"can-moi", statusNeeded, "Cần câu trả lời mới"},
	{"da-gan", statusLabelled, "Đã gán"},
	{"bo-qua", statusIgnored, "Đã bỏ qua"},
}

// windows are the periods staff can look at, in days.
var windows = []int{7, 30, 90, 365}

type inboxData struct {
	NoDB     bool
	Err      string
	Tabs     []tab
	View     string
	Days     int
	Windows  []int
	Groups   []groupView
	Page     int
	Pages    int
	Total    int // groups in the view
	Recorded int // questions recorded in the period
}

type tab struct {
	Key, Words string
	Count      int
	Active     bool
}

type groupView struct {
	*qgroup
	Now verdict
}

// readGroups reads the database and groups what it recorded over days.
func (s *Server) readGroups(ctx context.Context, g *generation, days int) ([]*qgroup, error) {
	since := s.now().Add(-time.Duration(days) * 24 * time.Hour)
	rows, err := s.cfg.Records.Report(ctx, since, reportLimit)
	if err != nil {
		return nil, err
	}
	return groupRows(rows, g), nil
}

func (s *Server) formDays(v string) int {
	d, err := strconv.Atoi(v)
	if err != nil {
		return 30
	}
	for _, w := range windows {
		if d == w {
			return d
		}
	}
	return 30
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Hộp thư câu hỏi", "hop-thu"
	q := r.URL.Query()
	d := inboxData{Days: s.formDays(q.Get("ngay")), Windows: windows, View: inboxViews[0].Key}
	for _, v := range inboxViews {
		if q.Get("xem") == v.Key {
			d.View = v.Key
		}
	}
	if s.cfg.Records == nil {
		d.NoDB = true
		pd.Data = d
		s.render(w, http.StatusOK, "inbox", pd)
		return
	}
	groups, err := s.readGroups(r.Context(), g, d.Days)
	if err != nil {
		s.log.Error("studio: report", "err", err)
		d.Err = "Không đọc được cơ sở dữ liệu của bot: " + err.Error()
	}
	counts := map[string]int{}
	status := ""
	for _, v := range inboxViews {
		if v.Key == d.View {
			status = v.Status
		}
	}
	var shown []*qgroup
	for _, gr := range groups {
		counts[gr.Status]++
		d.Recorded += gr.Count
		if gr.Status == status {
			shown = append(shown, gr)
		}
	}
	for _, v := range inboxViews {
		d.Tabs = append(d.Tabs, tab{Key: v.Key, Words: v.Words, Count: counts[v.Status], Active: v.Key == d.View})
	}
	d.Total = len(shown)
	d.Pages = max(1, (len(shown)+perPage-1)/perPage)
	d.Page, _ = strconv.Atoi(q.Get("trang"))
	d.Page = min(max(d.Page, 1), d.Pages)
	from := (d.Page - 1) * perPage
	for _, gr := range shown[from:min(from+perPage, len(shown))] {
		gv := groupView{qgroup: gr}
		if gr.Text() != "" {
			label := ""
			if m := gr.Members[0]; m.Status == statusLabelled {
				label = m.Label.ID
			}
			gv.Now = g.judgeCached(r.Context(), gr.Text(), label)
		}
		d.Groups = append(d.Groups, gv)
	}
	pd.Data = d
	s.render(w, http.StatusOK, "inbox", pd)
}

// groupData is the page of one group: its texts, what the bot does now,
// and the forms to label, keep or ignore them.
type groupData struct {
	Group    *qgroup
	Days     int
	Day      string
	Back     string
	Analysis *analysis
	Chat     chatView
	Example  string // the text analysed: the most asked open one
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Nhóm câu hỏi", "hop-thu"
	q := r.URL.Query()
	if s.cfg.Records == nil {
		s.fail(w, r, http.StatusNotFound, "Chưa mở cơ sở dữ liệu của bot (faqctl studio -db TỆP).")
		return
	}
	d := groupData{Days: s.formDays(q.Get("ngay")), Back: r.URL.RequestURI()}
	day, dayText := s.parseDay(q.Get("ngay-tl"))
	d.Day = dayText
	groups, err := s.readGroups(r.Context(), g, d.Days)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Không đọc được cơ sở dữ liệu của bot.")
		return
	}
	key := q.Get("k")
	for _, gr := range groups {
		for _, m := range gr.Members {
			if m.Key == key {
				d.Group = gr
			}
		}
	}
	if d.Group == nil {
		s.fail(w, r, http.StatusNotFound, "Không còn nhóm câu hỏi này trong khoảng thời gian đã chọn.")
		return
	}
	d.Example = d.Group.Text()
	if open := d.Group.Open(); len(open) > 0 {
		d.Example = open[0].Text
	}
	if d.Example != "" && g.ix != nil {
		d.Analysis = s.analyse(r.Context(), g, d.Example, q.Get("tim"))
		d.Chat = s.reply(r.Context(), g, bot.Event{ChatID: newChatID(), Kind: bot.KindText, Text: d.Example}, day)
	}
	pd.Data = d
	s.render(w, http.StatusOK, "group", pd)
}

// judgeCached is judge, remembered for the generation.
func (g *generation) judgeCached(ctx context.Context, q, label string) verdict {
	key := label + "\x00" + q
	if v, ok := g.verdicts.Load(key); ok {
		return v.(verdict)
	}
	v := judge(ctx, g, q, label)
	if v.Err == "" {
		g.verdicts.Store(key, v)
	}
	return v
}
