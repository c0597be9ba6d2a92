package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio"
)

// studioPasswordEnv holds the studio's login password.
const studioPasswordEnv = "BHXHBOT_STUDIO_PASSWORD"

// cmdStudio is "faqctl studio": the staff web page over a working copy of
// content/ and, optionally, the bot's database (package studio).
func cmdStudio(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runStudio(ctx, args, os.Getenv, stdout, stderr, nil)
}

// runStudio is cmdStudio with its environment and, for tests, a function
// told the address once the studio listens.
func runStudio(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, listening func(addr string)) int {
	fl := flag.NewFlagSet("studio", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("content", "", "thư mục nội dung đang sửa (bắt buộc): studio đọc và ghi vào đó")
	dbPath := fl.String("db", "", "cơ sở dữ liệu của bot, cho hộp thư câu hỏi và đại lý: tệp SQLite hoặc URL postgres://… (mặc định $BHXHBOT_DB nếu có; không có thì hai trang đó trống)")
	addr := fl.String("addr", "127.0.0.1:8090", "địa chỉ nghe; ngoài 127.0.0.1 cần "+studioPasswordEnv)
	certFile := fl.String("tls-cert", "", "chứng chỉ HTTPS (PEM), cùng -tls-key: mật khẩu và phiên không đi qua mạng ở dạng đọc được")
	keyFile := fl.String("tls-key", "", "khoá của chứng chỉ HTTPS (PEM)")
	rest, err := parseArgs(fl, args)
	if err != nil {
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "faqctl studio: không cần tham số %q\n", rest[0])
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(stderr, "faqctl studio: cần -content THƯ_MỤC (bản làm việc của content/; studio ghi câu hỏi có nhãn vào đó)")
		return 2
	}
	if _, err := openContent(*dir); err != nil {
		fmt.Fprintf(stderr, "faqctl studio: %v\n", err)
		return 2
	}
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(stderr, "faqctl studio: -tls-cert và -tls-key phải đi cùng nhau")
		return 2
	}
	var tlsConf *tls.Config
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fmt.Fprintf(stderr, "faqctl studio: không đọc được chứng chỉ HTTPS: %v\n", err)
			return 2
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	password := getenv(studioPasswordEnv)
	if err := studio.CheckListen(*addr, password); err != nil {
		fmt.Fprintf(stderr, "faqctl studio: %v\n", err)
		return 2
	}
	path := *dbPath
	if path == "" {
		path = getenv("BHXHBOT_DB")
	}
	var records studio.Records
	if path != "" {
		st, err := openBotDB(ctx, path)
		if err != nil {
			fmt.Fprintf(stderr, "faqctl studio: %v\n", err)
			return 1
		}
		defer st.Close()
		records = st
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := studio.New(studio.Config{ContentDir: *dir, Records: records, Password: password, Lint: lintAll, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "faqctl studio: %v\n", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl studio: không nghe được ở %s: %v\n", *addr, err)
		return 1
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         tlsConf,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConf)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// [::] or 0.0.0.0 is no address a browser opens.
		fmt.Fprintf(stdout, "Studio đang chạy: mở %[1]s://localhost:%[2]d/ trên máy này, hoặc %[1]s://TÊN_HOẶC_ĐỊA_CHỈ_MÁY_NÀY:%[2]d/ từ máy khác, trong trình duyệt (Ctrl-C để dừng).\n", scheme, tcp.Port)
	} else {
		fmt.Fprintf(stdout, "Studio đang chạy: mở %s://%s/ trong trình duyệt (Ctrl-C để dừng).\n", scheme, ln.Addr())
	}
	switch {
	case password == "":
		fmt.Fprintln(stdout, "Chỉ máy này vào được (không có mật khẩu).")
	case tlsConf == nil:
		fmt.Fprintln(stdout, "Có mật khẩu nhưng không có HTTPS: dùng -tls-cert/-tls-key, hoặc đặt studio sau một máy chủ HTTPS, nếu mạng không tin cậy.")
	}
	if records == nil {
		fmt.Fprintln(stdout, "Chưa mở dữ liệu của bot (-db): hộp thư câu hỏi và trang đại lý sẽ trống.")
	}
	if listening != nil {
		listening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "faqctl studio: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "faqctl studio: dừng: %v\n", err)
	}
	return 0
}

// lintAll runs every lint check, as `faqctl lint` does, for the studio.
func lintAll(fsys fs.FS, now time.Time) (errs, warns []string) {
	for _, c := range lintChecks() {
		e, w := c.run(fsys, now)
		errs, warns = append(errs, e...), append(warns, w...)
	}
	return errs, warns
}
