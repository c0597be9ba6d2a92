package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// lintCheck validates one kind of content. run returns nil when the content
// is clean; otherwise an error whose message is one problem per line, each
// "file:line: message" with file relative to the content root (faq.Problems
// has that shape). Owners of other loaders add one line to lintChecks.
type lintCheck struct {
	name string
	run  func(fsys fs.FS, now time.Time) error
}

func lintChecks() []lintCheck {
	return []lintCheck{
		{"faq", func(fsys fs.FS, _ time.Time) error { return lintFAQ(fsys) }},
		{"rates", lintRatesAt},
		{"agents", func(fsys fs.FS, _ time.Time) error { return handoff.Lint(fsys) }},
	}
}

// lintFAQ loads the FAQ entries, topics and synonyms and builds the search
// index, exactly as the bot does at start.
func lintFAQ(fsys fs.FS) error {
	ix, err := faq.Open(fsys)
	if err != nil {
		return err
	}
	return ix.Close()
}

func cmdLint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("lint", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("content", "", "thư mục nội dung đang sửa (mặc định: bản nhúng trong chương trình)")
	date := fl.String("date", "", "kiểm tra như vào ngày YYYY-MM-DD, ví dụ xem rates.yaml đã sẵn sàng cho 2027-01-01 chưa (mặc định: hôm nay)")
	rest, err := parseArgs(fl, args)
	if err != nil {
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "faqctl lint: không cần tham số %q\n", rest[0])
		return 2
	}
	fsys, err := openContent(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl lint: %v\n", err)
		return 2
	}
	now := time.Now().In(vietnam)
	if *date != "" {
		d, err := time.ParseInLocation(time.DateOnly, *date, vietnam)
		if err != nil {
			fmt.Fprintf(stderr, "faqctl lint: ngày %q chưa đúng dạng YYYY-MM-DD, ví dụ 2027-01-01\n", *date)
			return 2
		}
		now = d
	}
	prefix := contentPrefix(*dir)
	bad := 0
	for _, c := range lintChecks() {
		err := c.run(fsys, now)
		if err == nil {
			fmt.Fprintf(stdout, "%s: ổn\n", c.name)
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
			fmt.Fprintln(stdout, prefix+line)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "faqctl lint: %d lỗi\n", bad)
		return 1
	}
	return 0
}

// contentPrefix is put before content-relative paths so that they can be
// opened from the working directory: the -content DIR, or content/ for the
// embedded copy (built from the repository's content/ directory).
func contentPrefix(dir string) string {
	if dir == "" {
		return "content/"
	}
	return strings.TrimSuffix(dir, "/") + "/"
}

// openContent is content.Open with its errors in words staff understand.
func openContent(dir string) (fs.FS, error) {
	fsys, err := content.Open(dir)
	switch {
	case err == nil:
		return fsys, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("không có thư mục %s (kiểm tra lại đường dẫn sau -content)", dir)
	case errors.Is(err, fs.ErrInvalid):
		return nil, fmt.Errorf("%s không phải là thư mục; -content cần thư mục nội dung (có faq/, topics.yaml, rates.yaml...)", dir)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("không có quyền đọc thư mục %s", dir)
	}
	return nil, err
}
