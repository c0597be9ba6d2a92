package studio

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// maxAsk bounds a question typed in the studio (the bot takes long letters;
// it reads 500 characters of them).
const maxAsk = 4000

// tryData is the "Thử câu hỏi" page.
type tryData struct {
	Q, Day, Today string
	Asked         bool
	Analysis      *analysis
	Chat          chatView
}

// analysis is everything the studio says about one question.
type analysis struct {
	Q        string
	Verdict  verdict
	Reasons  []string
	Hits     []hitView
	Near     []near
	Labelled *faq.Labelled // the question is already labelled
	Aside    *faq.SetAside // set aside in needed.tsv or ignored.tsv
	Picker   picker
}

type hitView struct {
	Rank     int
	ID       string
	Question string
	Topic    string
	Score    string
	Choice   bool // offered as a button
}

func (s *Server) tryPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Thử câu hỏi", "thu"
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxAsk {
		q = string([]rune(q)[:maxAsk])
	}
	day, dayText := s.parseDay(r.URL.Query().Get("ngay"))
	d := tryData{Q: q, Day: dayText, Today: s.now().In(calc.Vietnam).Format("02/01/2006")}
	if q != "" && g.ix != nil {
		d.Asked = true
		d.Analysis = s.analyse(r.Context(), g, q, r.URL.Query().Get("tim"))
		d.Chat = s.reply(r.Context(), g, bot.Event{ChatID: newChatID(), Kind: bot.KindText, Text: q}, day)
	}
	pd.Data = d
	s.render(w, http.StatusOK, "try", pd)
}

// analyse searches q and gathers the why: the decision in words, the
// ranked entries, the labelled questions most like it, and the label form.
func (s *Server) analyse(ctx context.Context, g *generation, q, find string) *analysis {
	a := &analysis{Q: q}
	key := faq.QuestionKey(q)
	label := ""
	if l, ok := g.labelled[key]; ok {
		a.Labelled, label = &l, l.ID
	}
	if sa, ok := g.aside[key]; ok {
		a.Aside = &sa
	}
	res, err := g.ix.SearchWith(ctx, q, faq.SearchOptions{K: 5})
	if err != nil {
		a.Verdict = verdict{Err: "lỗi tìm kiếm: " + err.Error()}
		return a
	}
	a.Verdict = verdictOf(res, label)
	a.Reasons = reasons(res, g)
	for i, h := range res.Hits {
		a.Hits = append(a.Hits, hitView{Rank: i + 1, ID: h.Entry.ID, Question: h.Entry.Question, Topic: h.Entry.Topic,
			Score: pctf(h.Score), Choice: res.Decision == faq.DecisionClarify && i < res.Choices})
	}
	a.Near = g.near.find(q, 5, 0.15)
	a.Picker = s.picker(ctx, g, res, find, label)
	return a
}

// press is a button of a drawn reply pressed: the engine gets it in the
// same scratch chat.
func (s *Server) press(w http.ResponseWriter, r *http.Request, pd *pageData) {
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Thử câu hỏi", "thu"
	f := r.PostForm
	chat, err := strconv.ParseInt(f.Get("chat"), 10, 64)
	if err != nil || chat <= 0 {
		s.fail(w, r, http.StatusBadRequest, "Nút này không thuộc cuộc trò chuyện nào.")
		return
	}
	day, dayText := s.parseDay(f.Get("ngay"))
	data := f.Get("data")
	if len(data) > 64 {
		s.fail(w, r, http.StatusBadRequest, "Nút không hợp lệ.")
		return
	}
	v := s.reply(r.Context(), g, bot.Event{ChatID: chat, Kind: bot.KindButton, Data: data, CallbackID: "studio"}, day)
	v.Said, v.Pressed = f.Get("text"), true
	pd.Data = tryData{Q: strings.TrimSpace(f.Get("q")), Day: dayText, Today: s.now().In(calc.Vietnam).Format("02/01/2006"), Asked: true, Chat: v}
	s.render(w, http.StatusOK, "try", pd)
}
