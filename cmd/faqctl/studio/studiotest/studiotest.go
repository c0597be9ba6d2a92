// Package studiotest builds what tests of the studio run on: a copy of a
// content tree, and a real bot database (SQLite) holding recorded
// questions, 👎 and leads, as the bot would have stored them.
//
//	go test ./cmd/faqctl/studio/studiotest -demo-db /tmp/demo.db
//
// writes the demo database (demo-questions.tsv and three leads) for trying
// `faqctl studio -db /tmp/demo.db` by hand.
package studiotest

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// CopyFS copies fsys into dir, skipping the top-level entries named in
// skip.
func CopyFS(fsys fs.FS, dir string, skip ...string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, s := range skip {
			if p == s {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// Recorded is a question the bot recorded Times times: Kind is
// "unanswered", "clarify", "rejected" or "thumbs-down"; Top the best
// candidate, or the answer 👎'd.
type Recorded struct {
	Text, Kind, Top string
	Times           int
}

//go:embed demo-questions.tsv
var demo string

// Demo returns the recorded questions of demo-questions.tsv.
func Demo() ([]Recorded, error) {
	var out []Recorded
	sc := bufio.NewScanner(strings.NewReader(demo))
	line := 0
	for sc.Scan() {
		line++
		if t := sc.Text(); t != "" && !strings.HasPrefix(t, "#") {
			f := strings.Split(t, "\t")
			if len(f) != 4 {
				return nil, fmt.Errorf("demo-questions.tsv:%d: want 4 columns", line)
			}
			n, err := strconv.Atoi(f[3])
			if err != nil {
				return nil, fmt.Errorf("demo-questions.tsv:%d: %v", line, err)
			}
			out = append(out, Recorded{Text: f[0], Kind: f[1], Top: f[2], Times: n})
		}
	}
	return out, nil
}

// Seed records the questions in st: each time by another user, an hour
// apart, going back from now.
func Seed(ctx context.Context, st *sqlite.Store, qs []Recorded, now time.Time) error {
	user := int64(100)
	for i, q := range qs {
		for n := range q.Times {
			user++
			at := now.Add(-time.Duration(i*7+n) * time.Hour)
			var err error
			decision := q.Kind
			if decision == "unanswered" {
				decision = "none" // as the bot stores it
			}
			if q.Kind == "thumbs-down" {
				err = st.AddFeedback(ctx, bot.Feedback{UserID: user, ChatID: user, FAQID: q.Top, Vote: -1, Question: q.Text, At: at})
			} else {
				err = st.AddQuestion(ctx, bot.Question{UserID: user, ChatID: user, Text: q.Text, Decision: decision, TopID: q.Top, At: at})
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// LeadName and LeadPhone are in every lead SeedLeads writes: pages that
// must not show personal data are checked for them.
const (
	LeadName  = "Nguyễn Thị Lan"
	LeadPhone = "0912345678"
)

// SeedLeads adds three leads two days before now: two for a sample agent
// of Hưng Yên (one delivered and enrolled), one for An Giang's office.
func SeedLeads(ctx context.Context, st *sqlite.Store, now time.Time) error {
	t0 := now.Add(-48 * time.Hour)
	mk := func(user int64, prov, agent string) handoff.Lead {
		return handoff.Lead{UserID: user, ChatID: user, AgentID: agent, ProvinceID: prov, Commune: "xã A", Name: LeadName,
			Phone: LeadPhone, Context: "đóng bao nhiêu", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0,
			RecipientChatID: -100, RecipientName: "X", Status: handoff.StatusNew, CreatedAt: t0, UpdatedAt: t0, EscalateAt: t0}
	}
	item := handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: -100, WithPhone: true, NextAttempt: t0, CreatedAt: t0}
	for _, l := range []handoff.Lead{mk(1, "hung-yen", "hyn-bd-thaithuy"), mk(2, "hung-yen", "hyn-bd-thaithuy"), mk(3, "an-giang", "")} {
		if _, err := st.CreateLeadWithOutbox(ctx, l, item); err != nil {
			return err
		}
	}
	items, err := st.ClaimDue(ctx, t0, time.Minute, 1)
	if err != nil || len(items) == 0 {
		return fmt.Errorf("claim a card: %v", err)
	}
	if err := st.MarkSent(ctx, items[0].ID, 1, t0); err != nil {
		return err
	}
	_, _, err = st.SetLeadStatus(ctx, items[0].LeadID, -100, 7, handoff.StatusEnrolled, t0)
	return err
}

// DemoDB writes a bot database at path with the demo questions and the
// leads, as of now.
func DemoDB(ctx context.Context, path string, now time.Time) error {
	qs, err := Demo()
	if err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := Seed(ctx, st, qs, now); err != nil {
		return err
	}
	return SeedLeads(ctx, st, now)
}
