// Package studio is `faqctl studio`: a small server-rendered web application
// in which staff who have never used a terminal try questions on the content
// on disk (the bot's reply drawn as Telegram shows it, and why), sort the
// questions the bot could not answer (label them for an entry, keep them as
// needing a new answer, or ignore them) and see at once what the bot answers
// now, read every entry with its lint problems and the figures of the
// labelled-question sets, and see the agents' funnel.
//
// It writes only to files of the content directory, in formats `faqctl
// lint` checks: questions/studio.tsv (labelled questions), a line changed in
// place in another questions/*.tsv (a wrong label corrected), and
// questions/needed.tsv / questions/ignored.tsv. Pages are html/template with
// no JavaScript; see security.go for what protects them.
package studio

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// Records is what the studio reads from the bot's database: the questions
// the bot could not answer and the 👎 (already scrubbed), and the lead
// funnel. *sqlite.Store and *postgres.Store implement it.
type Records interface {
	Report(ctx context.Context, since time.Time, limit int) ([]bot.ReportRow, error)
	LeadFunnel(ctx context.Context, since time.Time) ([]handoff.FunnelRow, error)
}

var (
	_ Records = (*sqlite.Store)(nil)
	_ Records = (*postgres.Store)(nil)
)

// LintFunc runs `faqctl lint` on a content tree as on day now and returns
// its errors and warnings as "file:line: message".
type LintFunc func(fsys fs.FS, now time.Time) (errs, warns []string)

// Config is what New needs.
type Config struct {
	ContentDir string   // the working copy of content/ to read and write (required)
	Records    Records  // the bot's database; nil: the inbox and the funnel say there is none
	Password   string   // "" means no login (only on loopback: see CheckListen)
	Lint       LintFunc // nil: no lint problems shown
	Logger     *slog.Logger
	Now        func() time.Time
	// ScratchDir holds the throw-away database of the engine that draws
	// replies; "" makes a temporary directory, removed by Close.
	ScratchDir string
}

// Server is the studio's HTTP handler and what it holds. Close it.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	ws       *workspace
	scratch  *scratch
	auth     *auth
	results  *results
	pages    map[string]*template.Template
	handler  http.Handler
	closeOne sync.Once
}

//go:embed templates/*.html static/*
var assets embed.FS

// New opens the content directory, builds the search index and the
// throw-away store. Errors: the directory cannot be opened, the templates
// do not parse, the scratch database cannot be created. Content with
// problems is not an error: the pages show the problems.
func New(cfg Config) (*Server, error) {
	if cfg.ContentDir == "" {
		return nil, errors.New("studio: no content directory")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	ws, err := openWorkspace(cfg.ContentDir, cfg.Lint, cfg.Logger, cfg.Now)
	if err != nil {
		return nil, err
	}
	dir, owned := cfg.ScratchDir, false
	if dir == "" {
		if dir, err = os.MkdirTemp("", "faqctl-studio-"); err != nil {
			ws.close()
			return nil, fmt.Errorf("studio: scratch directory: %w", err)
		}
		owned = true
	}
	sc, err := openScratch(filepath.Join(dir, "replies.db"))
	if err != nil {
		ws.close()
		if owned {
			os.RemoveAll(dir)
		}
		return nil, err
	}
	if owned {
		sc.removeDir = dir
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger, now: cfg.Now, ws: ws, scratch: sc,
		auth: newAuth(cfg.Password, cfg.Now), results: newResults(), pages: pages,
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the studio.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops background work and releases the index and the scratch store.
func (s *Server) Close() error {
	var err error
	s.closeOne.Do(func() {
		s.ws.close()
		err = s.scratch.close()
	})
	return err
}

// Ready starts computing the lint and the figures of the current content
// (the content page does it when first drawn) and blocks until they are
// computed, or ctx ends.
func (s *Server) Ready(ctx context.Context) error {
	g := s.ws.acquire()
	defer s.ws.release(g)
	s.ws.startBackground(g)
	select {
	case <-g.bgDone:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func parsePages() (map[string]*template.Template, error) {
	names := []string{"try", "inbox", "group", "result", "content", "agents", "login", "error"}
	out := make(map[string]*template.Template, len(names))
	for _, n := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/parts.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("studio: template %s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}
