package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// ReportRow is one group of similar questions: same folded text.
type ReportRow = bot.ReportRow

// Report returns the most frequent unanswered questions, low-confidence
// (clarify) questions, questions whose choices the person turned down
// ("Không phải những câu này") and 👎 answers since the given time, grouped by folded
// text, at most limit rows of each kind.
func (s *Store) Report(ctx context.Context, since time.Time, limit int) ([]ReportRow, error) {
	var out []ReportRow
	queries := []struct{ kind, sql string }{
		{"unanswered", `SELECT min(text), max(top_id), count(*), count(DISTINCT user_id), max(created_at)
			FROM questions WHERE decision = 'none' AND created_at >= ? GROUP BY folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT ?`},
		{"clarify", `SELECT min(text), max(top_id), count(*), count(DISTINCT user_id), max(created_at)
			FROM questions WHERE decision = 'clarify' AND created_at >= ? GROUP BY folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT ?`},
		{"rejected", `SELECT min(text), max(top_id), count(*), count(DISTINCT user_id), max(created_at)
			FROM questions WHERE decision = 'rejected' AND created_at >= ? GROUP BY folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT ?`},
		{"thumbs-down", `SELECT min(question), faq_id, count(*), count(DISTINCT user_id), max(created_at)
			FROM feedback WHERE vote = -1 AND created_at >= ? GROUP BY faq_id, folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT ?`},
	}
	for _, q := range queries {
		rows, err := s.db.QueryContext(ctx, q.sql, since.Unix(), limit)
		if err != nil {
			return nil, fmt.Errorf("sqlite: report: %w", normalize(err))
		}
		for rows.Next() {
			r := ReportRow{Kind: q.kind}
			var last int64
			if err := rows.Scan(&r.Text, &r.FAQID, &r.Count, &r.Users, &last); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: report: %w", normalize(err))
			}
			r.LastAt = time.Unix(last, 0).UTC()
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: report: %w", normalize(err))
		}
		rows.Close()
	}
	return out, nil
}

func joinFields(s string) string { return strings.Join(strings.Fields(s), " ") }
