package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bhxh-tn/bhxhbot/content"

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
	assert.NotContains(t, out, "rates.yaml")
	// From 01/01/2027 the planned poverty line and the missing 2027 coefficient
	// table need a person's attention: warnings, so that content work is not
	// blocked until BHXH publishes them; -strict makes them fail.
	code, out, stderr := runCmd(t, "lint", "-content", dir, "--date", "2027-01-01")
	assert.Equal(t, 0, code, out)
	assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(dir)+`/rates\.yaml:\d+: cảnh báo: rural_poverty_line 2\.200\.000 đ là mức dự kiến từ 2027-01-01`, out)
	assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(dir)+`/rates\.yaml:\d+: cảnh báo: income_coefficients: chưa có bảng hệ số cho năm giải quyết 2027`, out)
	assert.Contains(t, out, "rates: ổn, 2 cảnh báo")
	assert.Contains(t, stderr, "không có lỗi")
	code, _, stderr = runCmd(t, "lint", "-content", dir, "--date", "2027-01-01", "-strict")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "0 lỗi")
	code, _, stderr = runCmd(t, "lint", "-date", "01/01/2027")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "YYYY-MM-DD")
}

func TestLintRatesCheck(t *testing.T) {
	errs, warns := lintRates(content.FS(), calcNow())
	assert.Empty(t, errs)
	assert.Empty(t, warns)
	errs, warns = lintRates(content.FS(), time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC))
	assert.Empty(t, errs, "a planned value whose day has come and a coefficient table not yet published are warnings, not errors")
	require.Len(t, warns, 2)
	assert.Regexp(t, `^rates\.yaml:\d+: cảnh báo: rural_poverty_line 2\.200\.000 đ là mức dự kiến`, warns[0])
	assert.Regexp(t, `^rates\.yaml:\d+: cảnh báo: income_coefficients: chưa có bảng hệ số cho năm giải quyết 2027`, warns[1])
	errs, _ = lintRates(fstest.MapFS{"rates.yaml": {Data: []byte("reference_level: 5\n")}}, calcNow())
	assert.Contains(t, strings.Join(errs, "\n"), "rates.yaml:1: reference_level: cần một danh sách")
	errs, _ = lintRates(fstest.MapFS{}, calcNow())
	assert.Equal(t, []string{missingRates}, errs, "no rates.yaml is a problem")
}

// A broken rates.yaml also stops the FAQ from loading: its problem is
// printed and counted once, without the heading of the error it came in
// ("rates.yaml có lỗi:" was printed as a problem and counted: "2 lỗi").
func TestLintBrokenRatesCountedOnce(t *testing.T) {
	dir := withRates(t, fixtureContent)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rates.yaml"), []byte("foo: [\n"), 0o644))
	code, out, stderr := runCmd(t, "lint", "-content", dir)
	assert.Equal(t, 1, code)
	assert.NotContains(t, out, "có lỗi:")
	assert.Equal(t, 1, strings.Count(out, "rates.yaml:1:"), out)
	assert.Contains(t, stderr, "1 lỗi")
}
