//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
)

// TestContentDirectoryWithAPipe: a named pipe (or a device) named like a
// content file stops the start at once with its name, instead of hanging.
func TestContentDirectoryWithAPipe(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, content.FS()))
	require.NoError(t, os.Remove(filepath.Join(dir, "faq", "voluntary-si-what-is-it.md")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "faq", "voluntary-si-what-is-it.md"), 0o600))
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"-console", "-content", dir, "-db", filepath.Join(t.TempDir(), "bot.db")}, env(nil), strings.NewReader(""), &out, &errb)
	}()
	select {
	case code := <-done:
		assert.Equal(t, 1, code)
		assert.Contains(t, errb.String(), "voluntary-si-what-is-it.md")
		assert.Contains(t, errb.String(), "not a regular file")
	case <-time.After(time.Minute):
		t.Fatal("the start hangs on a named pipe")
	}
}
