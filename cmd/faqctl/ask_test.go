package main

import (
	"bytes"
	"context"
	"encoding/json"
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
	assert.JSONEq(t, `{"query":"😀😀 <b>","decision":"none","choices":0,"confidence":0,"focus":"b","personal":[],"results":[],"also":[]}`, out)

	code, _, stderr := runCmd(t, "ask")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Cách dùng")
}

func TestAskRejectsBadK(t *testing.T) {
	for _, k := range []string{"0", "-1", "51"} {
		code, out, stderr := runCmd(t, "ask", "-content", fixtureContent, "-k", k, "--json", "rut bhxh 1 lan")
		assert.Equal(t, 2, code, k)
		assert.Empty(t, out, k)
		assert.Contains(t, stderr, "-k phải từ 1 đến 50", k)
	}
}

func TestAskJSONLinesFromStdin(t *testing.T) {
	var out, errOut bytes.Buffer
	in := strings.NewReader("rut bhxh 1 lan khi nao dc\nsố tổng đài bhxh\r\n\ncông thức làm bánh flan\n")
	code := runIO(context.Background(), []string{"ask", "--json", "-content", fixtureContent, "-"}, in, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4, "one JSON object per input line, blank lines included")
	var queries []string
	for _, l := range lines {
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &got), l)
		queries = append(queries, got["query"].(string))
	}
	assert.Equal(t, []string{"rut bhxh 1 lan khi nao dc", "số tổng đài bhxh", "", "công thức làm bánh flan"}, queries)

	// The same object as `faqctl ask --json "…"`.
	code, single, _ := runCmd(t, "ask", "--json", "-content", fixtureContent, "số tổng đài bhxh")
	require.Equal(t, 0, code)
	assert.JSONEq(t, single, lines[1])
}

// A line over 1 MB on standard input (a binary given by mistake) is named
// in Vietnamese with its line number, after the lines before it were
// answered; before, Go's "bufio.Scanner: token too long" was printed.
func TestAskStdinLineTooLong(t *testing.T) {
	var out, errOut bytes.Buffer
	in := strings.NewReader("số tổng đài bhxh\n" + strings.Repeat("a", 2<<20) + "\n")
	code := runIO(context.Background(), []string{"ask", "--json", "-content", fixtureContent, "-"}, in, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(out.String(), "\n"), "the first line is answered")
	assert.Contains(t, errOut.String(), "dòng 2 của đầu vào dài quá 1 MB")
	assert.NotContains(t, errOut.String(), "token too long")
}
