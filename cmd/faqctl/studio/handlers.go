package studio

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// routes: Vietnamese paths, as staff see them in the address bar.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.fail(w, r, http.StatusNotFound, "Không có trang này.")
			return
		}
		w.Header().Set("Cache-Control", "max-age=300")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET /dang-nhap", s.loginPage)
	mux.HandleFunc("POST /dang-nhap", s.loginSubmit)
	mux.Handle("POST /dang-xuat", s.form(s.logout))
	mux.Handle("GET /{$}", s.page(func(w http.ResponseWriter, r *http.Request, _ *pageData) {
		http.Redirect(w, r, "/thu", http.StatusSeeOther)
	}))
	mux.Handle("GET /thu", s.page(s.tryPage))
	mux.Handle("POST /thu/bam", s.form(s.press))
	mux.Handle("GET /hop-thu", s.page(s.inboxPage))
	mux.Handle("GET /hop-thu/nhom", s.page(s.groupPage))
	mux.Handle("POST /gan", s.form(s.labelSubmit))
	mux.Handle("POST /sua-nhan", s.form(s.relabelSubmit))
	mux.Handle("POST /de-rieng", s.form(s.asideSubmit))
	mux.Handle("GET /ket-qua", s.page(s.resultPage))
	mux.Handle("GET /noi-dung", s.page(s.contentPage))
	mux.Handle("GET /dai-ly", s.page(s.agentsPage))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "Không có trang này.")
	})
	return s.secure(s.recover(mux))
}

// pageData is what every page gets: the layout's parts and the page's own.
type pageData struct {
	Title    string
	Nav      string // the menu item to highlight
	CSRF     string
	LoggedIn bool // show "Đăng xuất"
	Problems []string
	Gen      int
	Refresh  int // seconds; the page reloads itself while figures are computed
	Data     any
}

type pageFunc func(w http.ResponseWriter, r *http.Request, pd *pageData)

// page serves a GET page to a logged-in user (anyone on loopback without a
// password, who gets a session on the first page).
func (s *Server) page(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := s.auth.session(r)
		if sess == "" {
			if s.cfg.Password != "" {
				http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			sess = s.auth.start(w, r)
		}
		fn(w, r, &pageData{CSRF: s.auth.token(sess), LoggedIn: s.cfg.Password != ""})
	})
}

// form serves a POST from a studio page: a session and its token are
// required.
func (s *Server) form(fn pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.fail(w, r, http.StatusRequestEntityTooLarge, "Nội dung gửi lên quá lớn.")
				return
			}
			s.fail(w, r, http.StatusBadRequest, "Không đọc được nội dung gửi lên.")
			return
		}
		sess := s.auth.session(r)
		if sess == "" {
			s.fail(w, r, http.StatusForbidden, "Phiên làm việc đã hết hạn: mở lại trang rồi làm lại.")
			return
		}
		if !s.auth.checkToken(sess, r.PostForm.Get("csrf")) {
			s.fail(w, r, http.StatusForbidden, "Mã xác nhận của biểu mẫu không đúng: mở lại trang rồi làm lại.")
			return
		}
		fn(w, r, &pageData{CSRF: s.auth.token(sess), LoggedIn: s.cfg.Password != ""})
	})
}

// recover turns a panic into a calm page and a log line.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("studio: panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				s.fail(w, r, http.StatusInternalServerError, "Studio gặp lỗi (đã ghi vào nhật ký). Thử lại sau.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// render draws a page; an error drawing it is logged and answered with 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, pd *pageData) {
	var b bytes.Buffer
	if err := s.pages[name].Execute(&b, pd); err != nil {
		s.log.Error("studio: render", slog.String("page", name), slog.Any("err", err))
		http.Error(w, "Studio gặp lỗi khi vẽ trang.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// fail answers with a short page that says what went wrong.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error", &pageData{Title: "Không thực hiện được", Data: msg})
}

// withGen fills the layout's view of the content generation.
func (pd *pageData) withGen(g *generation) {
	pd.Problems, pd.Gen = g.problems, g.n
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Password == "" || s.auth.session(r) != "" {
		http.Redirect(w, r, "/thu", http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, "login", &pageData{Title: "Đăng nhập", Data: loginData{Next: localPath(r.URL.Query().Get("next"))}})
}

type loginData struct {
	Next, Err string
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Password == "" {
		http.Redirect(w, r, "/thu", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, "Không đọc được nội dung gửi lên.")
		return
	}
	next := localPath(r.PostForm.Get("next"))
	ok, err := s.auth.login(clientAddr(r), r.PostForm.Get("password"))
	switch {
	case errors.Is(err, errTooMany):
		s.render(w, http.StatusTooManyRequests, "login", &pageData{Title: "Đăng nhập", Data: loginData{Next: next,
			Err: fmt.Sprintf("Sai mật khẩu nhiều lần: chờ %d phút rồi thử lại.", int(failWindow/time.Minute))}})
	case !ok:
		s.render(w, http.StatusUnauthorized, "login", &pageData{Title: "Đăng nhập", Data: loginData{Next: next, Err: "Mật khẩu không đúng."}})
	default:
		s.auth.end(w, r) // a new session id on login
		s.auth.start(w, r)
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ *pageData) {
	s.auth.end(w, r)
	if s.cfg.Password == "" {
		http.Redirect(w, r, "/thu", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

// localPath keeps a redirect target on the studio: a path starting with one
// "/", anything else becomes "/thu".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/thu"
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return "/thu"
	}
	return p
}

// parseDay reads a YYYY-MM-DD form value; empty or malformed is today.
func (s *Server) parseDay(v string) (time.Time, string) {
	today := s.now().In(calc.Vietnam)
	if d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), calc.Vietnam); err == nil && d.Year() >= 2000 && d.Year() <= 2100 {
		return d, d.Format(time.DateOnly)
	}
	return today, today.Format(time.DateOnly)
}
