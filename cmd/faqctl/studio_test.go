package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// smallStudioContent is the shipped content with the six entries and the
// labelled questions of the studio's tests: it loads in a fraction of a
// second.
func smallStudioContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	require.NoError(t, studiotest.CopyFS(content.FS(), dir, "faq", "questions"))
	require.NoError(t, studiotest.CopyFS(os.DirFS("studio/testdata/content"), dir))
	return dir
}

func TestStudioServesAndStops(t *testing.T) {
	dir := smallStudioContent(t)
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
	resp, err := http.Get("http://" + addr + "/thu?q=s%E1%BB%91+hotline+bhxh")
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

// TestStudioOnAllInterfacesSaysWhereToOpen: started for other machines
// (-addr 0.0.0.0:PORT) the studio printed "mở http://[::]:PORT/", an address
// no browser opens; it names localhost for this machine and says what to
// type on another.
func TestStudioOnAllInterfacesSaysWhereToOpen(t *testing.T) {
	dir := smallStudioContent(t)
	ctx, cancel := context.WithCancel(context.Background())
	addrc, done := make(chan string, 1), make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() {
		done <- runStudio(ctx, []string{"-content", dir, "-addr", "0.0.0.0:0"}, env(map[string]string{studioPasswordEnv: "mat-khau-du-dai"}), &out, &errOut, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	cancel()
	assert.Equal(t, 0, <-done, errOut.String())
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Contains(t, first, "http://localhost:"+port+"/ trên máy này")
	assert.Contains(t, first, "từ máy khác")
	assert.NotContains(t, first, "[::]")
	assert.NotContains(t, first, "0.0.0.0")
}

// selfSigned writes a certificate and key for 127.0.0.1 and returns their
// files and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "studio"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestStudioOverHTTPS(t *testing.T) {
	dir := smallStudioContent(t)
	certFile, keyFile, pool := selfSigned(t)
	var out, errOut bytes.Buffer
	code := runStudio(context.Background(), []string{"-content", dir, "-tls-cert", certFile}, env(nil), &out, &errOut, nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), "phải đi cùng nhau")

	ctx, cancel := context.WithCancel(context.Background())
	addrc, done := make(chan string, 1), make(chan int, 1)
	go func() {
		done <- runStudio(ctx, []string{"-content", dir, "-addr", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile},
			env(map[string]string{studioPasswordEnv: "mật khẩu đủ dài"}), &out, &errOut, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	hc := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, _ := http.NewRequest(http.MethodPost, "https://"+addr+"/dang-nhap", strings.NewReader("password="+url.QueryEscape("mật khẩu đủ dài")))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.NotEmpty(t, resp.Cookies())
	assert.True(t, resp.Cookies()[0].Secure, "over HTTPS the session cookie is Secure")
	cancel()
	assert.Equal(t, 0, <-done, errOut.String())
	assert.Contains(t, out.String(), "mở https://"+addr+"/")
}
