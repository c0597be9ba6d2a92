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

	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// lintCheck validates one kind of content. run returns the problems that
// make the content unusable (errors) and those staff should look at
// (warnings: a value typed in an answer, a planned rate whose day has
// come), each "file:line: message" with file relative to the content root
// (faq.Problems has that shape). Owners of other loaders add one line to
// lintChecks.
type lintCheck struct {
	name string
	run  func(fsys fs.FS, now time.Time) (errs, warns []string)
}

func lintChecks() []lintCheck {
	return []lintCheck{
		{"faq", lintFAQ},
		{"rates", lintRates},
		{"notices", lintNotices},
		{"agents", func(fsys fs.FS, _ time.Time) ([]string, []string) { return lines(agents.Lint(fsys)), nil }},
	}
}

// lines splits an error of one problem per line.
func lines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(strings.TrimSpace(err.Error()), "\n")
}

// lintFAQ loads the FAQ entries, topics, synonyms and rates and builds the
// search index, exactly as the bot does at start; then it renders every
// answer as on day now: a placeholder that cannot be computed that day is an
// error, an amount typed in an answer a warning.
func lintFAQ(fsys fs.FS, now time.Time) (errs, warns []string) {
	ix, err := faq.Open(fsys)
	if pe := (*calc.ParamsError)(nil); errors.As(err, &pe) {
		return pe.Problems, nil // the rates check's, printed once (not its "rates.yaml có lỗi:" heading)
	}
	if err != nil {
		return lines(err), nil
	}
	defer ix.Close()
	perrs, pwarns := ix.KB().CheckAmounts(ix.Amounts(), now)
	for _, p := range perrs {
		errs = append(errs, p.String())
	}
	for _, p := range pwarns {
		warns = append(warns, p.String())
	}
	for _, p := range ix.Warnings() {
		warns = append(warns, p.String())
	}
	return errs, warns
}

// lintNotices checks notices.yaml as on day now: load problems and amounts
// that cannot be computed are errors; an expired notice or an amount typed
// in a notice is a warning.
func lintNotices(fsys fs.FS, now time.Time) (errs, warns []string) {
	notices, err := faq.LoadNotices(fsys)
	if err != nil {
		return lines(err), nil
	}
	a, _ := faq.LoadAmounts(fsys) // rates.yaml problems are the rates check's
	perrs, pwarns := faq.CheckNotices(notices, a, now)
	for _, p := range perrs {
		errs = append(errs, p.String())
	}
	for _, p := range pwarns {
		warns = append(warns, p.String())
	}
	return errs, warns
}

// lintRates checks rates.yaml: load problems are errors; values that need a
// person's attention on day now (a planned value whose day has come, a
// missing coefficient table) are warnings. A content tree without rates.yaml
// is an error: the bot refuses to start without it.
func lintRates(fsys fs.FS, now time.Time) (errs, warns []string) {
	if _, err := fs.Stat(fsys, calc.RatesFile); errors.Is(err, fs.ErrNotExist) {
		return []string{missingRates}, nil
	}
	p, err := calc.LoadParams(fsys)
	if pe := (*calc.ParamsError)(nil); errors.As(err, &pe) {
		return pe.Problems, nil
	} else if err != nil {
		return []string{err.Error()}, nil
	}
	for _, w := range p.Stale(now) {
		file, msg, _ := strings.Cut(w, ": ")
		warns = append(warns, file+": cảnh báo: "+msg)
	}
	return nil, warns
}

func cmdLint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("lint", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("content", "", "thư mục nội dung đang sửa (mặc định: bản nhúng trong chương trình)")
	date := fl.String("date", "", "kiểm tra và tính các câu trả lời như vào ngày YYYY-MM-DD, ví dụ xem nội dung đã sẵn sàng cho 2027-01-01 chưa (mặc định: hôm nay)")
	strict := fl.Bool("strict", false, "coi cảnh báo là lỗi (mã thoát 1)")
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
	bad, warned := 0, 0
	seen := map[string]bool{} // rates.yaml problems also stop the FAQ from loading: print them once
	print := func(l string) bool {
		if seen[l] {
			return false
		}
		seen[l] = true
		fmt.Fprintln(stdout, prefix+l)
		return true
	}
	for _, c := range lintChecks() {
		errs, warns := c.run(fsys, now)
		e, w := 0, 0
		for _, l := range errs {
			if print(l) {
				e++
			}
		}
		for _, l := range warns {
			if print(l) {
				w++
			}
		}
		switch {
		case len(errs) == 0 && w == 0:
			fmt.Fprintf(stdout, "%s: ổn\n", c.name)
		case len(errs) == 0:
			fmt.Fprintf(stdout, "%s: ổn, %d cảnh báo\n", c.name, w)
		}
		bad, warned = bad+e, warned+w
	}
	switch {
	case bad > 0 || (*strict && warned > 0):
		fmt.Fprintf(stderr, "faqctl lint: %d lỗi, %d cảnh báo\n", bad, warned)
		return 1
	case warned > 0:
		fmt.Fprintf(stderr, "faqctl lint: không có lỗi, %d cảnh báo\n", warned)
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
