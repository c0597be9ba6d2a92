//go:build unix

package content_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
}

func TestDirIsAnFS(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "topics.yaml"), "topics: []\n")
	writeFile(t, filepath.Join(dir, "faq", "a.md"), "---\nid: a\n---\nx\n")
	fsys, err := content.Open(dir)
	require.NoError(t, err)
	require.NoError(t, fstest.TestFS(fsys, "topics.yaml", "faq/a.md"))
}

func TestTheRealContentDirectory(t *testing.T) {
	fsys, err := content.Open(".")
	require.NoError(t, err)
	b, err := fs.ReadFile(fsys, "rates.yaml")
	require.NoError(t, err)
	embedded, err := fs.ReadFile(content.FS(), "rates.yaml")
	require.NoError(t, err)
	assert.Equal(t, embedded, b)
	md, err := fs.Glob(fsys, "faq/*.md")
	require.NoError(t, err)
	assert.NotEmpty(t, md)
}

// open reads name from a directory holding it, failing the test if that
// takes more than a moment (a named pipe would block an ordinary open).
func open(t *testing.T, dir, name string) error {
	t.Helper()
	fsys, err := content.Open(dir)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { _, err := fs.ReadFile(fsys, name); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("reading %s did not return", name)
		return nil
	}
}

func TestOnlyRegularFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "faq"), 0o750))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "faq", "pipe.md"), 0o600))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "faq", "zero.md")))

	err := open(t, dir, "faq/pipe.md")
	require.ErrorIs(t, err, content.ErrNotRegular)
	assert.Contains(t, err.Error(), "faq/pipe.md")
	assert.Contains(t, err.Error(), "named pipe")

	err = open(t, dir, "faq/zero.md")
	require.ErrorIs(t, err, content.ErrNotRegular)
	assert.Contains(t, err.Error(), "character device")

	fsys, err := content.Open(dir)
	require.NoError(t, err)
	_, err = fs.Glob(fsys, "faq/*.md")
	assert.NoError(t, err, "listing a directory does not open what is in it")
}

func TestSizeCheckedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "agents.csv"))
	require.NoError(t, err)
	require.NoError(t, f.Truncate(content.MaxFileSize+1)) // sparse: nothing written
	require.NoError(t, f.Close())
	err = open(t, dir, "agents.csv")
	require.ErrorIs(t, err, content.ErrTooLarge)
}

func TestNothingOpensOnceCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "topics.yaml"), "topics: []\n")
	ctx, cancel := context.WithCancel(context.Background())
	fsys, err := content.OpenContext(ctx, dir)
	require.NoError(t, err)
	_, err = fs.ReadFile(fsys, "topics.yaml")
	require.NoError(t, err)
	cancel()
	_, err = fs.ReadFile(fsys, "topics.yaml")
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}
