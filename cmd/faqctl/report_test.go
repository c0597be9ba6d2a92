package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

func TestReport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	now := time.Now()
	for i, q := range []string{"Giá vé máy bay?", "gia ve may bay?", "thời tiết"} {
		require.NoError(t, st.AddQuestion(ctx, bot.Question{UserID: int64(i), ChatID: int64(i), Text: q, Decision: "none", At: now}))
	}
	require.NoError(t, st.AddQuestion(ctx, bot.Question{UserID: 1, ChatID: 1, Text: "cũ lắm", Decision: "none", At: now.Add(-60 * 24 * time.Hour)}))
	require.NoError(t, st.AddFeedback(ctx, bot.Feedback{UserID: 1, ChatID: 1, FAQID: "lump-sum-amount", Vote: -1, Question: "rút 1 lần", At: now}))
	require.NoError(t, st.Close())

	var out, errb bytes.Buffer
	code := cmdReport(ctx, []string{"-days", "30", "-db", path}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Contains(t, s, "Câu hỏi bot chưa trả lời được")
	assert.Regexp(t, `2\s+2\s+-\s+(Giá vé máy bay\?|gia ve may bay\?)`, s)
	assert.Contains(t, s, "lump-sum-amount")
	assert.NotContains(t, s, "cũ lắm")

	out.Reset()
	code = cmdReport(ctx, []string{"-db", path, "--json"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var rows []bot.ReportRow
	require.NoError(t, json.Unmarshal(out.Bytes(), &rows))
	assert.Len(t, rows, 3)
}

func TestReportMissingDB(t *testing.T) {
	var out, errb bytes.Buffer
	code := cmdReport(context.Background(), []string{"-db", filepath.Join(t.TempDir(), "none.db")}, &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "không mở được")
}

// The staff tools only read: an empty file, another program's database or
// a directory given as -db is reported, and left as it was (it used to become a new,
// empty bot database, or get the bot's tables added).
func TestReadersRefuseAFileThatIsNotTheBots(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	foreign := filepath.Join(dir, "customers.db")
	db, err := sql.Open("sqlite", foreign)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE customers(id INTEGER, name TEXT)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	foreignBytes, err := os.ReadFile(foreign)
	require.NoError(t, err)

	for _, file := range []string{empty, foreign, dir} {
		for _, args := range [][]string{{"report"}, {"leads", "stats"}, {"leads", "export"}, {"reminders", "stats"}, {"reminders", "due"}} {
			var out, errb bytes.Buffer
			code := run(context.Background(), append(args, "-db", file), &out, &errb)
			assert.Equal(t, 1, code, "%v %s", args, file)
			assert.Contains(t, errb.String(), file, args)
			assert.NotContains(t, errb.String(), "unavailable", "a wrong -db, not a database in trouble")
		}
	}
	st, err := os.Stat(empty)
	require.NoError(t, err)
	assert.Zero(t, st.Size(), "the empty file stays empty")
	after, err := os.ReadFile(foreign)
	require.NoError(t, err)
	assert.Equal(t, foreignBytes, after, "the other program's file is untouched")
}

// Staff read faqctl's help in Vietnamese: every flag of every subcommand is
// described in it (report's were in English).
func TestFlagHelpInVietnamese(t *testing.T) {
	for _, cmd := range []string{"lint", "ask", "eval", "report", "studio", "migrate-store"} {
		_, _, stderr := runCmd(t, cmd, "-h")
		lines := strings.Split(stderr, "\n")
		n := 0
		for i, l := range lines {
			if !strings.HasPrefix(strings.TrimSpace(l), "-") || i+1 >= len(lines) {
				continue
			}
			desc := strings.TrimSpace(lines[i+1])
			if _, inline, ok := strings.Cut(strings.TrimSpace(l), "\t"); ok { // "-v\tin từng câu sai"
				desc = inline
			}
			n++
			hasVietnamese := desc == "in JSON" || // "in": print
				strings.IndexFunc(desc, func(r rune) bool { return r > unicode.MaxASCII }) >= 0
			assert.True(t, hasVietnamese, "faqctl %s: %s: %q", cmd, strings.TrimSpace(l), desc)
		}
		assert.NotZero(t, n, "faqctl %s -h lists its flags", cmd)
	}
}

// Help asked for is not an error (exit 0, on standard output, as each
// subcommand's -h); a mistyped subcommand is named.
func TestHelpAndUnknownSubcommands(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "help"} {
		code, out, _ := runCmd(t, arg)
		assert.Equal(t, 0, code, arg)
		assert.Contains(t, out, "faqctl studio", arg)
	}
	code, _, stderr := runCmd(t)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Cách dùng")
	for _, args := range [][]string{{"leads", "exprot"}, {"reminders", "stat"}} {
		code, _, stderr := runCmd(t, args...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, stderr, fmt.Sprintf("không có lệnh %q", args[1]), args)
	}
}

// A question stored with an escape sequence (as typed, before Scrub dropped
// control characters) is printed without it: it would recolour, retitle or
// rewrite the staff member's terminal.
func TestReportPrintsNoControlCharacters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, st.AddQuestion(ctx, bot.Question{UserID: 1, ChatID: 1, Text: "giá vàng \x1b[2J\x1b]0;pwned\a hôm nay", Decision: "none", At: time.Now()}))
	require.NoError(t, st.Close())
	var out, errb bytes.Buffer
	require.Equal(t, 0, cmdReport(ctx, []string{"-db", path}, &out, &errb), errb.String())
	assert.Contains(t, out.String(), "giá vàng")
	assert.NotContains(t, out.String(), "\x1b")
	assert.NotContains(t, out.String(), "\a")
}
