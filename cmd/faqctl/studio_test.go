package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
	"github.com/bhxh-tn/bhxhbot/content"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestStudioRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"no content", nil, nil, 2, "cần -content"},
		{"open address without password", []string{"-content", dir, "-addr", "0.0.0.0:8090"}, nil, 2, "BHXHBOT_STUDIO_PASSWORD"},
		{"all interfaces without password", []string{"-content", dir, "-addr", ":8090"}, nil, 2, "BHXHBOT_STUDIO_PASSWORD"},
		{"short password", []string{"-content", dir, "-addr", "0.0.0.0:8090"}, map[string]string{studioPasswordEnv: "123"}, 2, "ít nhất 10 ký tự"},
		{"content missing", []string{"-content", filepath.Join(dir, "nope")}, nil, 2, "không có thư mục"},
		{"database missing", []string{"-content", dir, "-db", filepath.Join(dir, "nope.db")}, nil, 1, "không mở được cơ sở dữ liệu"},
		{"extra argument", []string{"-content", dir, "x"}, nil, 2, "không cần tham số"},
	} {
		var out, errOut bytes.Buffer
		code := runStudio(context.Background(), tc.args, env(tc.env), &out, &errOut, nil)
		assert.Equal(t, tc.code, code, tc.name)
		assert.Contains(t, errOut.String(), tc.want, tc.name)
		assert.Equal(t, 1, strings.Count(errOut.String(), "\n"), "%s: one clear line: %q", tc.name, errOut.String())
	}
}

func TestStudioServesAndStops(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	require.NoError(t, studiotest.CopyFS(content.FS(), dir))
	ctx, cancel := context.WithCancel(context.Background())
	addrc, done := make(chan string, 1), make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() {
		done <- runStudio(ctx, []string{"-content", dir, "-addr", "127.0.0.1:0"}, env(nil), &out, &errOut, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	resp, err := http.Get("http://" + addr + "/thu?q=bhxh+t%E1%BB%B1+nguy%E1%BB%87n+l%C3%A0+g%C3%AC")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `class="msg bot"`)
	cancel()
	assert.Equal(t, 0, <-done, errOut.String())
	assert.Contains(t, out.String(), "Studio đang chạy: mở http://"+addr+"/")
	assert.Contains(t, out.String(), "Chưa mở dữ liệu của bot")
}
