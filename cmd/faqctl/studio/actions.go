package studio

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// maxBatch is the most questions one form labels or sets aside.
const maxBatch = 50

// Outcomes of one question of a write.
const (
	doneWritten  = "written"  // written now
	doneSame     = "same"     // already there, nothing to write
	doneConflict = "conflict" // labelled for another entry: change that label instead
	doneInvalid  = "invalid"  // cannot be written (empty, too long)
)

// done is what a write did with one question and what the bot does with
// it before and after.
type done struct {
	Question string
	Status   string
	Detail   string
	Before   verdict
	After    verdict
	Where    *faq.Labelled // the label in the way of a conflict
}

// result is the page shown after a write.
type result struct {
	Kind  string // "label", "needed", "ignored", "relabel"
	File  string // the file written, when one was
	ID    string // the entry labelled
	Entry string // its question
	Note  string
	Done  []done
	Err   string
	Chat  *chatView // the first question's reply, drawn after the write
	Day   string
	Back  string // where staff came from
	Gen   int
}

// Written counts the questions written.
func (r *result) Written() int {
	n := 0
	for _, d := range r.Done {
		if d.Status == doneWritten {
			n++
		}
	}
	return n
}

// results keeps the last results in memory for the page after the redirect.
type results struct {
	mu   sync.Mutex
	m    map[string]*result
	keys []string
}

const maxResults = 200

func newResults() *results { return &results{m: map[string]*result{}} }

func (rs *results) put(r *result) string {
	id := base64.RawURLEncoding.EncodeToString(randomBytes(12))
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.m[id] = r
	rs.keys = append(rs.keys, id)
	if len(rs.keys) > maxResults {
		delete(rs.m, rs.keys[0])
		rs.keys = rs.keys[1:]
	}
	return id
}

func (rs *results) get(id string) (*result, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.m[id]
	return r, ok
}

// formQuestions reads the q fields of a form: at most maxBatch.
func formQuestions(r *http.Request) ([]string, error) {
	qs := r.PostForm["q"]
	if len(qs) == 0 {
		return nil, tell("Chưa chọn câu hỏi nào.")
	}
	if len(qs) > maxBatch {
		return nil, tell("Mỗi lần chỉ gán được %d câu.", maxBatch)
	}
	return qs, nil
}

// labelSubmit writes questions as labelled for an entry (or none) in
// questions/studio.tsv, rebuilds, and shows what the bot does now.
func (s *Server) labelSubmit(w http.ResponseWriter, r *http.Request, _ *pageData) {
	qs, err := formQuestions(r)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	id := strings.TrimSpace(r.PostForm.Get("id"))
	res := &result{Kind: "label", ID: id, File: StudioFile, Back: localPath(r.PostForm.Get("back"))}
	day, dayText := s.parseDay(r.PostForm.Get("ngay"))
	res.Day = dayText
	ctx := r.Context()

	var ng *generation
	ng, err = s.ws.change(func(root *os.Root, cur *generation) (func() error, error) {
		if cur.ix == nil {
			return nil, tell("Nội dung đang có lỗi: sửa các lỗi ở đầu trang trước khi gán.")
		}
		if id == "" {
			return nil, tell("Chưa chọn câu trả lời.")
		}
		if id != faq.NoneID {
			e, ok := cur.ix.KB().Entry(id)
			if !ok {
				return nil, tell("Không có câu trả lời %q.", id)
			}
			res.Entry = e.Question
		}
		var lines []string
		batch := map[string]bool{}
		for _, raw := range qs {
			q, why := checkQuestion(raw)
			d := done{Question: q, Status: doneWritten}
			if q == "" {
				d.Question = raw
			}
			key := faq.QuestionKey(q)
			switch l, labelled := cur.labelled[key]; {
			case why != "":
				d.Status, d.Detail = doneInvalid, why
			case batch[key]:
				d.Status, d.Detail = doneSame, "trùng với câu ở trên"
			case labelled && l.ID == id:
				d.Status, d.Detail, d.Where = doneSame, fmt.Sprintf("đã gán cho câu trả lời này ở %s:%d", l.File, l.Line), &l
			case labelled:
				d.Status, d.Detail, d.Where = doneConflict, fmt.Sprintf("đang gán cho %q ở %s:%d; một câu chỉ gán một câu trả lời: sửa nhãn đó", l.ID, l.File, l.Line), &l
			}
			if d.Status != doneInvalid {
				d.Before = judge(ctx, cur, q, id)
			}
			if d.Status == doneWritten {
				batch[key] = true
				lines = append(lines, q+"\t"+id)
			}
			res.Done = append(res.Done, d)
		}
		if len(lines) == 0 {
			return func() error { return nil }, errNothing
		}
		return appendLines(root, StudioFile, labelledHeader, lines)
	})
	s.finish(ctx, w, r, res, ng, err, day)
}

// staffError is an error whose message is for staff, in Vietnamese.
type staffError struct{ msg string }

func (e *staffError) Error() string { return e.msg }

func tell(format string, args ...any) error { return &staffError{fmt.Sprintf(format, args...)} }

// errNothing: nothing to write; the result still says why.
var errNothing = errors.New("studio: nothing to write")

// finish judges the questions on the new generation, draws the first
// one's reply and redirects to the result page.
func (s *Server) finish(ctx context.Context, w http.ResponseWriter, r *http.Request, res *result, ng *generation, err error, day time.Time) {
	switch {
	case errors.Is(err, errNothing):
		ng = s.ws.acquire()
	case errors.Is(err, errRejected):
		res.Err = "Không ghi: sau khi ghi, nội dung có lỗi nên đã trả lại như cũ. " + strings.TrimPrefix(err.Error(), errRejected.Error()+": ")
	case errors.As(err, new(*staffError)):
		res.Err = err.Error()
	case errors.Is(err, errStale):
		res.Err = "Tệp vừa được sửa ở nơi khác: mở lại trang rồi làm lại."
	case err != nil:
		s.log.Error("studio: write", slog.Any("err", err))
		res.Err = "Không ghi được tệp: " + err.Error()
	}
	if ng != nil {
		defer s.ws.release(ng)
		res.Gen = ng.n
		label := res.ID
		if res.Kind != "label" && res.Kind != "relabel" {
			label = ""
		}
		for i := range res.Done {
			d := &res.Done[i]
			if d.Status == doneInvalid {
				continue
			}
			d.After = judge(ctx, ng, d.Question, label)
			if d.Status == doneConflict && d.Where != nil {
				d.After.Label = d.Where.ID
			}
		}
		if len(res.Done) > 0 && res.Done[0].Status != doneInvalid {
			v := s.reply(ctx, ng, bot.Event{ChatID: newChatID(), Kind: bot.KindText, Text: res.Done[0].Question}, day)
			res.Chat = &v
		}
	}
	http.Redirect(w, r, "/ket-qua?id="+s.results.put(res), http.StatusSeeOther)
}

// asideSubmit keeps questions in questions/needed.tsv or ignored.tsv.
func (s *Server) asideSubmit(w http.ResponseWriter, r *http.Request, _ *pageData) {
	qs, err := formQuestions(r)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	kind := r.PostForm.Get("kind")
	file, header := faq.NeededFile, neededHeader
	switch kind {
	case "needed":
	case "ignored":
		file, header = faq.IgnoredFile, ignoredHeader
	default:
		s.fail(w, r, http.StatusBadRequest, "Không rõ cần làm gì với câu hỏi.")
		return
	}
	note := cleanCell(r.PostForm.Get("note"))
	if n := []rune(note); len(n) > 300 {
		note = string(n[:300])
	}
	res := &result{Kind: kind, File: file, Note: note, Back: localPath(r.PostForm.Get("back"))}
	day, dayText := s.parseDay(r.PostForm.Get("ngay"))
	res.Day = dayText
	ng, err := s.ws.change(func(root *os.Root, cur *generation) (func() error, error) {
		var lines []string
		batch := map[string]bool{}
		for _, raw := range qs {
			q, why := checkQuestion(raw)
			d := done{Question: q, Status: doneWritten}
			if q == "" {
				d.Question = raw
			}
			key := faq.QuestionKey(q)
			switch a, aside := cur.aside[key]; {
			case why != "":
				d.Status, d.Detail = doneInvalid, why
			case batch[key]:
				d.Status, d.Detail = doneSame, "trùng với câu ở trên"
			case aside && a.File == file:
				d.Status, d.Detail = doneSame, fmt.Sprintf("đã có ở %s:%d", a.File, a.Line)
			case aside:
				d.Status, d.Detail = doneConflict, fmt.Sprintf("đang ở %s:%d; xoá dòng đó trước nếu muốn chuyển", a.File, a.Line)
			}
			if d.Status == doneWritten {
				batch[key] = true
				lines = append(lines, q+"\t"+note)
			}
			res.Done = append(res.Done, d)
		}
		if len(lines) == 0 {
			return func() error { return nil }, errNothing
		}
		return appendLines(root, file, header, lines)
	})
	s.finish(r.Context(), w, r, res, ng, err, day)
}

// relabelSubmit changes the id of one line of a labelled-question file:
// the line must be one the content has now, with the same question.
func (s *Server) relabelSubmit(w http.ResponseWriter, r *http.Request, _ *pageData) {
	f := r.PostForm
	file, q, id := f.Get("file"), f.Get("q"), strings.TrimSpace(f.Get("id"))
	line, err := strconv.Atoi(f.Get("line"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Không rõ dòng cần sửa.")
		return
	}
	res := &result{Kind: "relabel", ID: id, File: file, Back: localPath(f.Get("back"))}
	day, dayText := s.parseDay(f.Get("ngay"))
	res.Day = dayText
	ng, err := s.ws.change(func(root *os.Root, cur *generation) (func() error, error) {
		if cur.ix == nil {
			return nil, tell("Nội dung đang có lỗi: sửa các lỗi ở đầu trang trước.")
		}
		if id != faq.NoneID {
			e, ok := cur.ix.KB().Entry(id)
			if !ok {
				return nil, tell("Không có câu trả lời %q.", id)
			}
			res.Entry = e.Question
		}
		l, ok := cur.labelled[faq.QuestionKey(q)]
		if !ok || l.File != file || l.Line != line {
			// Only a line the content holds now: the file name is
			// never taken from the request as such.
			return nil, tell("Không tìm thấy dòng %s:%d với câu hỏi này (tệp có thể vừa được sửa): mở lại trang.", file, line)
		}
		d := done{Question: l.Question, Status: doneWritten, Detail: fmt.Sprintf("%s:%d: %q → %q", l.File, l.Line, l.ID, id)}
		if l.ID == id {
			d.Status, d.Detail = doneSame, fmt.Sprintf("đã gán cho câu trả lời này ở %s:%d", l.File, l.Line)
		}
		d.Before = judge(r.Context(), cur, l.Question, id)
		res.Done = append(res.Done, d)
		if d.Status == doneSame {
			return func() error { return nil }, errNothing
		}
		return replaceLabel(root, l.File, l.Line, l.Question, id)
	})
	s.finish(r.Context(), w, r, res, ng, err, day)
}

func (s *Server) resultPage(w http.ResponseWriter, r *http.Request, pd *pageData) {
	res, ok := s.results.get(r.URL.Query().Get("id"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Kết quả này không còn (studio đã khởi động lại, hoặc đã lâu).")
		return
	}
	g := s.ws.acquire()
	defer s.ws.release(g)
	pd.withGen(g)
	pd.Title, pd.Nav = "Kết quả", ""
	pd.Data = res
	s.render(w, http.StatusOK, "result", pd)
}
