package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
