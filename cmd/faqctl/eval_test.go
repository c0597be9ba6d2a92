package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	assert.Len(t, got, 11, "exactly the documented keys: %s", out)
	for _, k := range []string{"precision", "wrong", "answer", "clarify", "none"} {
		assert.Contains(t, got, k)
	}
	assert.InDelta(t, 1.0, got["answer"].(float64)+got["clarify"].(float64)+got["none"].(float64), 1e-9)
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

func TestEvalInputProblems(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		code   int
		stderr []string
	}{
		{"unknown topic is reported, not counted as a miss",
			"question\ttopic\nrut bhxh 1 lan khi nao dc\tlump-sum-withdrwal\ncông thức làm bánh flan\tnone\n", 1,
			[]string{`q.tsv:2: chủ đề "lump-sum-withdrwal" không có trong topics.yaml`}},
		{"None in capitals is not none", "công thức làm bánh flan\tNone\n", 1, []string{`q.tsv:1: chủ đề "None"`}},
		{"empty file", "", 1, []string{"không có câu hỏi nào"}},
		{"header only", "question\ttopic\n", 1, []string{"không có câu hỏi nào"}},
		{"comments and blank lines only", "# ghi chú\n\n\n", 1, []string{"không có câu hỏi nào"}},
		{"one field", "rut bhxh 1 lan\n", 1, []string{"q.tsv:1: cần dạng `câu hỏi<TAB>chủ đề`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "q.tsv")
			require.NoError(t, os.WriteFile(file, []byte(tt.data), 0o644))
			code, out, stderr := runCmd(t, "eval", "--json", "-content", fixtureContent, file)
			assert.Equal(t, tt.code, code, stderr)
			assert.Empty(t, out, "nothing on stdout when the file cannot be evaluated")
			for _, w := range tt.stderr {
				assert.Contains(t, stderr, w)
			}
		})
	}
}

func TestEvalCRLFAndBOM(t *testing.T) {
	file := filepath.Join(t.TempDir(), "q.tsv")
	require.NoError(t, os.WriteFile(file, []byte("\ufeffquestion\ttopic\r\n"+
		"rut bhxh 1 lan khi nao dc\tlump-sum-withdrawal\r\n\r\n"+
		"công thức làm bánh flan\tother\textra\r\n"), 0o644))
	code, out, stderr := runCmd(t, "eval", "--json", "-content", fixtureContent, file)
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.EqualValues(t, 1, got["total"], "total counts the in-domain lines only")
	assert.EqualValues(t, 1, got["top1"])
	assert.EqualValues(t, 1, got["none_total"])
}

func TestEvalUsageDocumentsTotal(t *testing.T) {
	code, _, stderr := runCmd(t, "eval")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "total")
	assert.Contains(t, stderr, "none/other")
}

func TestEvalFileProblemsInVietnamese(t *testing.T) {
	code, out, stderr := runCmd(t, "eval", "--json", "/khong/co/tep.tsv")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "không có tệp /khong/co/tep.tsv")
	assert.NotContains(t, stderr, "no such file")
	dir := t.TempDir()
	code, _, stderr = runCmd(t, "eval", dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "là thư mục")
	assert.NotContains(t, stderr, "is a directory")
}
