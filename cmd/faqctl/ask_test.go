package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const fixtureContent = "../../faq/testdata/kb"

func TestAskJSON(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "-content", fixtureContent, "--json", "-k", "2", "rut bhxh 1 lan khi nao dc"},
		{"ask", "rut bhxh 1 lan khi nao dc", "--json", "-k", "2", "-content", fixtureContent},
		{"ask", "-content=" + fixtureContent, "rut", "bhxh", "1", "lan", "khi", "nao", "dc", "-json", "--k=2"},
	} {
		code, out, stderr := runCmd(t, args...)
		require.Equal(t, 0, code, stderr)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		assert.Equal(t, "rut bhxh 1 lan khi nao dc", got["query"])
		assert.Contains(t, []any{"answer", "clarify", "none"}, got["decision"])
		results := got["results"].([]any)
		require.Len(t, results, 2)
		first := results[0].(map[string]any)
		assert.Equal(t, "lump-sum-when", first["id"])
		assert.Equal(t, "lump-sum-withdrawal", first["topic"])
		assert.Contains(t, first, "question")
		assert.Contains(t, first, "score")
	}
}

func TestAskTextAndExplain(t *testing.T) {
	code, out, _ := runCmd(t, "ask", "-content", fixtureContent, "--explain", "Số tổng đài BHXH là gì?")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Quyết định: answer")
	assert.Contains(t, out, "confidence=")
	assert.Contains(t, out, "1900 9068")
	assert.Contains(t, out, "bleve explain")
}

func TestAskOffTopicAndEmpty(t *testing.T) {
	code, out, _ := runCmd(t, "ask", "-content", fixtureContent, "--json", "😀😀 <b>")
	require.Equal(t, 0, code)
	assert.JSONEq(t, `{"query":"😀😀 <b>","decision":"none","results":[]}`, out)

	code, _, stderr := runCmd(t, "ask")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Cách dùng")
}

func TestEvalJSON(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "q.tsv")
	require.NoError(t, os.WriteFile(file, []byte("question\ttopic\textra\n"+
		"rut bhxh 1 lan khi nao dc\tlump-sum-withdrawal\tx\n"+
		"mua bhyt hgđ hết bn\thousehold-hi-rate\n"+
		"số tổng đài bhxh\thotline-contact\n"+
		"công thức làm bánh flan\tnone\n"), 0o644))
	code, out, stderr := runCmd(t, "eval", file, "--json", "-content", fixtureContent)
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Len(t, got, 6, "exactly the documented keys: %s", out)
	assert.EqualValues(t, 3, got["total"])
	assert.EqualValues(t, 1, got["top1"])
	assert.EqualValues(t, 1, got["top3"])
	assert.EqualValues(t, 1, got["mrr"])
	assert.EqualValues(t, 1, got["none_total"])
	assert.EqualValues(t, 1, got["none_accuracy"])

	code, out, _ = runCmd(t, "eval", "-content", fixtureContent, "--baseline", "--fold", "-v", file)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "top-1")
	assert.Contains(t, out, "Chủ đề yếu nhất")
}

func TestLint(t *testing.T) {
	code, out, _ := runCmd(t, "lint", "-content", fixtureContent)
	assert.Equal(t, 0, code, out)

	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "faq"), 0o755))
	topics, err := os.ReadFile(filepath.Join(fixtureContent, "topics.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "topics.yaml"), topics, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "synonyms.txt"), []byte("bhxh = bảo hiểm xã hội\nsai dòng\n"), 0o644))
	entry := "---\nid: x\ntopic: nope\nquestion: Q?\nalternates: [a, b, c]\nsources: [s]\nreviewed: 2026-11-26\n---\n# Tiêu đề\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "faq", "x.md"), []byte(entry), 0o644))
	code, out, stderr := runCmd(t, "lint", "-content", dir)
	assert.Equal(t, 1, code)
	var lines []string // problems only: other checks (rates) report "NAME: ổn"
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasSuffix(l, ": ổn") {
			lines = append(lines, l)
		}
	}
	assert.Equal(t, []string{
		dir + `/faq/x.md:3: chủ đề "nope" không có trong topics.yaml`,
		dir + "/faq/x.md:9: không dùng tiêu đề (#) trong câu trả lời; hãy viết **chữ đậm** thay thế",
		dir + "/synonyms.txt:2: thiếu dấu `=`: viết dạng `viết tắt, viết tắt khác = từ đầy đủ`",
	}, lines)
	assert.Contains(t, stderr, "3 lỗi")
}
