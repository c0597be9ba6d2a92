package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withRates copies the FAQ fixture into a temporary content directory with
// the shipped rates.yaml, which lint requires.
func withRates(t *testing.T, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	if fixture != "" {
		require.NoError(t, os.CopyFS(dir, os.DirFS(fixture)))
	}
	rates, err := os.ReadFile("../../content/rates.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rates.yaml"), rates, 0o644))
	return dir
}

func TestLint(t *testing.T) {
	clean := withRates(t, fixtureContent)
	code, out, _ := runCmd(t, "lint", "-content", clean, "-date", "2026-11-26")
	assert.Equal(t, 0, code, out)

	dir := withRates(t, "")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "faq"), 0o755))
	topics, err := os.ReadFile(filepath.Join(fixtureContent, "topics.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "topics.yaml"), topics, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "synonyms.txt"), []byte("bhxh = bảo hiểm xã hội\nsai dòng\n"), 0o644))
	entry := "---\nid: x\ntopic: nope\nquestion: Q?\nalternates: [a, b, c]\nsources: [s]\nreviewed: 2026-11-26\n---\n# Tiêu đề\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "faq", "x.md"), []byte(entry), 0o644))
	code, out, stderr := runCmd(t, "lint", "-content", dir, "-date", "2026-11-26")
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

func TestLintMissingRatesIsReported(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(fixtureContent)))
	code, out, _ := runCmd(t, "lint", "-content", dir)
	assert.Equal(t, 1, code, "a working copy without rates.yaml is not clean: the bot and the calculator need it")
	assert.Contains(t, out, dir+"/rates.yaml: không có tệp này")
	assert.NotContains(t, out, "rates: ổn")
}

func TestContentDirProblemsInVietnamese(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.txt")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	for _, args := range [][]string{
		{"lint", "-content", "/khong/co/thu/muc"},
		{"ask", "-content", "/khong/co/thu/muc", "rút 1 lần"},
		{"calc", "hi", "--members", "1", "--months", "3", "--content", "/khong/co/thu/muc"},
	} {
		code, out, stderr := runCmd(t, args...)
		assert.Equal(t, 2, code, args)
		assert.Empty(t, out)
		assert.Contains(t, stderr, "không có thư mục /khong/co/thu/muc", args)
		assert.NotContains(t, stderr, "no such file", args)
	}
	code, _, stderr := runCmd(t, "lint", "-content", file)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "không phải là thư mục")
}

func TestLintDateReportsStalePlannedValues(t *testing.T) {
	dir := withRates(t, fixtureContent)
	code, out, _ := runCmd(t, "lint", "-content", dir, "-date", "2026-12-31")
	assert.Equal(t, 0, code, out)
	code, out, stderr := runCmd(t, "lint", "-content", dir, "--date", "2027-01-01")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(dir)+`/rates\.yaml:\d+: rural_poverty_line 2\.200\.000 đ là mức dự kiến từ 2027-01-01`, out)
	assert.Contains(t, stderr, "2 lỗi", "the planned line and the missing 2027 coefficient table")
	code, _, stderr = runCmd(t, "lint", "-date", "01/01/2027")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "YYYY-MM-DD")
}
