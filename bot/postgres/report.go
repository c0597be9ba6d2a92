package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Report returns the most frequent unanswered questions, low-confidence
// (clarify) questions, questions whose choices the person turned down and
// 👎 answers since the given time, grouped by folded text, at most limit
// rows of each kind. Texts compare byte by byte (COLLATE "C"), as in
// SQLite, so both stores pick the same example of a group.
func (s *Store) Report(ctx context.Context, since time.Time, limit int) ([]bot.ReportRow, error) {
	questions := func(decision string) string {
		return `SELECT min(text COLLATE "C"), max(top_id COLLATE "C"), count(*), count(DISTINCT user_id), max(created_at)
			FROM questions WHERE decision = '` + decision + `' AND created_at >= $1 GROUP BY folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT $2`
	}
	var out []bot.ReportRow
	for _, q := range []struct{ kind, sql string }{
		{"unanswered", questions("none")},
		{"clarify", questions("clarify")},
		{"rejected", questions("rejected")},
		{"thumbs-down", `SELECT min(question COLLATE "C"), faq_id, count(*), count(DISTINCT user_id), max(created_at)
			FROM feedback WHERE vote = -1 AND created_at >= $1 GROUP BY faq_id, folded
			ORDER BY count(*) DESC, max(created_at) DESC LIMIT $2`},
	} {
		rows, err := s.pool.Query(ctx, q.sql, since.Unix(), limit)
		if err != nil {
			return nil, fmt.Errorf("postgres: report: %w", normalize(err))
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (bot.ReportRow, error) {
			row := bot.ReportRow{Kind: q.kind}
			var last int64
			err := r.Scan(&row.Text, &row.FAQID, &row.Count, &row.Users, &last)
			row.LastAt = time.Unix(last, 0).UTC()
			return row, err
		})
		if err != nil {
			return nil, fmt.Errorf("postgres: report: %w", normalize(err))
		}
		out = append(out, got...)
	}
	return out, nil
}
