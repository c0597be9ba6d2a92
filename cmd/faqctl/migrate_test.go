package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/calc"
)

// botDBWithEverything is leadsDB plus a row in every other table: chat
// state, handled updates, replies waiting, questions, feedback, deep links,
// a deleted lead's card to clear, reminders with what they sent.
func botDBWithEverything(t *testing.T) string {
	t.Helper()
	path := leadsDB(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	st := &bot.ChatState{ChatID: 42, UserID: 42, Flow: "vsi", Step: "income",
		Data: bot.StateData{VSI: &bot.VSIState{Income: decimal.NewFromInt(2_500_000)}}, Updated: at}
	require.NoError(t, s.Commit(ctx, bot.Commit{UpdateID: 7001, At: at, State: st,
		Outbox: []bot.Message{{ChatID: 42, HTML: "<b>Thu nhập</b> & mức đóng", Buttons: [][]bot.Button{{{Text: "3 triệu", Data: "x:1"}}}}}}))
	require.NoError(t, s.AddQuestion(ctx, bot.Question{UserID: 42, ChatID: 42, Text: "giá vàng hôm nay", Decision: "none", At: at}))
	require.NoError(t, s.AddFeedback(ctx, bot.Feedback{UserID: 42, ChatID: 42, FAQID: "vsi-rates", Vote: -1, Question: "đóng bao nhiêu", At: at}))
	require.NoError(t, s.SetAttribution(ctx, 42, "qr-hyn", at))
	require.NoError(t, s.SetAgentAttribution(ctx, 42, "hyn-bd-thaithuy", at))
	require.NoError(t, s.DeleteUserLeads(ctx, 1)) // lead 1's card was sent: a redaction waits
	r, err := s.SetReminder(ctx, bot.Reminder{ChatID: 42, Kind: bot.RemindPay, Months: 3, Start: calc.Month{Year: 2026, Month: 10},
		Income: decimal.NewFromInt(2_500_000), Group: calc.Group("other"), NextAt: at.Add(48 * time.Hour)}, []string{"2026-10#1"}, at)
	require.NoError(t, err)
	require.NoError(t, s.ChangeReminder(ctx, r, bot.EventSnoozed, "snooze:2026-10", at))
	_, err = s.SetReminder(ctx, bot.Reminder{ChatID: 43, Kind: bot.RemindNews}, nil, at)
	require.NoError(t, err)
	return path
}

// rowsOf returns every row of every table of the SQLite file, as text.
func sqliteRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer s.Close()
	db := s.DB()
	tables := map[string][]string{}
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT IN ('schema_migrations', 'store_meta', 'sqlite_sequence') ORDER BY m.name, p.cid`)
	require.NoError(t, err)
	for rows.Next() {
		var tbl, col string
		require.NoError(t, rows.Scan(&tbl, &col))
		tables[tbl] = append(tables[tbl], col)
	}
	require.NoError(t, rows.Close())
	out := map[string][]string{}
	for tbl, cols := range tables {
		var sel []string
		for _, c := range cols {
			sel = append(sel, "coalesce(CAST("+c+" AS TEXT), '∅')")
		}
		rows, err := db.Query(`SELECT ` + strings.Join(sel, " || '|' || ") + ` FROM ` + tbl)
		require.NoError(t, err)
		out[tbl] = []string{}
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			out[tbl] = append(out[tbl], line)
		}
		require.NoError(t, rows.Close())
		slices.Sort(out[tbl])
	}
	return out
}

// pgRows is sqliteRows on the PostgreSQL side, for the same tables and columns.
func pgRows(t *testing.T, s *postgres.Store, like map[string][]string, path string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer lite.Close()
	out := map[string][]string{}
	for tbl := range like {
		rows, err := lite.DB().Query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, tbl)
		require.NoError(t, err)
		var sel []string
		for rows.Next() {
			var c string
			require.NoError(t, rows.Scan(&c))
			sel = append(sel, "coalesce("+c+"::text, '∅')")
		}
		require.NoError(t, rows.Close())
		prow, err := s.Pool().Query(ctx, `SELECT `+strings.Join(sel, " || '|' || ")+` FROM `+tbl)
		require.NoError(t, err)
		out[tbl] = []string{}
		for prow.Next() {
			var line string
			require.NoError(t, prow.Scan(&line))
			out[tbl] = append(out[tbl], line)
		}
		require.NoError(t, prow.Err())
		prow.Close()
		slices.Sort(out[tbl])
	}
	return out
}

func faqctl(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestMigrateStoreMovesEverything: every row of every table arrives as it
// was, the staff tools print the same on both databases, new rows continue
// after the ids copied, and a second run into the now full database is
// refused without writing anything.
func TestMigrateStoreMovesEverything(t *testing.T) {
	url := pgtest.URL(t)
	path := botDBWithEverything(t)
	before := sqliteRows(t, path)
	for tbl, rows := range before {
		assert.NotEmpty(t, rows, "the fixture fills every table: %s", tbl)
	}

	out, errOut, code := faqctl(t, "migrate-store", "-from", path, "-to", url)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "lead_outbox")
	assert.Contains(t, out, "khớp")

	ctx := context.Background()
	pg, err := postgres.Open(ctx, url)
	require.NoError(t, err)
	defer pg.Close()
	assert.Equal(t, before, pgRows(t, pg, before, path), "every row of every table, value for value")

	for _, args := range [][]string{
		{"leads", "export"}, {"leads", "stats", "--json"}, {"leads", "export", "--province", "hung-yen"}, {"report", "-days", "3"},
		{"reminders", "stats", "--json"}, {"reminders", "due", "-at", time.Now().Add(72 * time.Hour).Format("2006-01-02T15:04"), "--json"},
	} {
		lite, _, code1 := faqctl(t, append(args, "-db", path)...)
		onPG, errPG, code2 := faqctl(t, append(args, "-db", url)...)
		require.Equal(t, 0, code1)
		require.Equal(t, 0, code2, errPG)
		assert.NotEmpty(t, strings.TrimSpace(lite), "%v prints something", args)
		assert.Equal(t, lite, onPG, "faqctl %v prints the same on both stores", args)
	}

	st, err := pg.LoadState(ctx, 42)
	require.NoError(t, err)
	require.NotNil(t, st.Data.VSI)
	assert.Equal(t, "2500000", st.Data.VSI.Income.String())
	seen, err := pg.Handled(ctx, 7001)
	require.NoError(t, err)
	assert.True(t, seen, "a redelivery after the move is still recognised")
	q, err := pg.ClaimOutbox(ctx, bot.OutboxClaim{Now: time.Now().Add(time.Minute), Owner: "new", Lease: time.Minute, Chats: 10, PerChat: 10})
	require.NoError(t, err)
	require.Len(t, q, 1, "the reply that was waiting is sent from PostgreSQL")
	assert.Equal(t, "<b>Thu nhập</b> & mức đóng", q[0][0].Message.HTML)
	rs, err := pg.ChatReminders(ctx, 42)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, calc.Month{Year: 2026, Month: 10}, rs[0].Start)
	assert.False(t, rs[0].NextAt.IsZero())
	sent, err := pg.SentOccurrences(ctx, rs[0].ID, []string{"2026-10#1"})
	require.NoError(t, err)
	assert.True(t, sent["2026-10#1"], "what a reminder sent is not sent again")

	l, err := pg.CreateLeadWithOutbox(ctx, handoff.Lead{UserID: 9, ChatID: 9, AgentID: "a", ProvinceID: "p", Phone: "1",
		ConsentVersion: "v", RecipientChatID: -1, RecipientName: "x", Status: handoff.StatusNew},
		handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: -1})
	require.NoError(t, err)
	assert.EqualValues(t, 4, l.ID, "new ids continue after the copied ones (leads 1-3)")

	_, errOut, code = faqctl(t, "migrate-store", "-from", path, "-to", url)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "đã có dữ liệu")
	n := 0
	require.NoError(t, pg.Pool().QueryRow(ctx, `SELECT count(*) FROM leads`).Scan(&n))
	assert.Equal(t, 3, n, "nothing written by the refused run")
}

func TestMigrateStoreUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "Cách dùng"},
		{[]string{"-from", "x.db"}, 2, "Cách dùng"},
		{[]string{"-from", "postgres://a/b", "-to", "postgres://c/d"}, 2, "-from là tệp SQLite"},
		{[]string{"-from", "x.db", "-to", "y.db"}, 2, "-to phải là URL"},
		{[]string{"-from", filepath.Join(dir, "missing.db"), "-to", "postgres://u@127.0.0.1:1/db"}, 1, "không mở được"},
	} {
		_, errOut, code := faqctl(t, append([]string{"migrate-store"}, tc.args...)...)
		assert.Equal(t, tc.code, code, "%v", tc.args)
		assert.Contains(t, errOut, tc.want, "%v", tc.args)
	}
	assert.NoFileExists(t, filepath.Join(dir, "missing.db"), "a mistyped source is not created")
}

// A copy taken while the bot still runs on the file would lose what the bot
// writes afterwards (replies, leads): it is refused, before connecting to
// PostgreSQL, and says to stop the bot.
func TestMigrateStoreRefusesWhileTheBotRuns(t *testing.T) {
	path := leadsDB(t)
	unlock, err := sqlite.Lock(path) // what bhxhbot holds while it runs
	require.NoError(t, err)
	_, errOut, code := faqctl(t, "migrate-store", "-from", path, "-to", "postgres://u@127.0.0.1:1/db?connect_timeout=1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "dừng nó trước")
	assert.NotContains(t, errOut, "store unavailable", "refused before connecting")
	unlock()
}
