package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

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
