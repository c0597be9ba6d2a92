package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// cmdReport lists the most frequent unanswered, low-confidence and 👎
// questions of the last N days, grouped by folded text, so staff know which
// answers to write or fix next.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	days := fs.Int("days", 30, "xem N ngày gần nhất")
	dbPath := fs.String("db", defaultDB(), dbFlagHelp)
	limit := fs.Int("n", 20, "số dòng mỗi phần")
	asJSON := fs.Bool("json", false, "in JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *days < 1 || *limit < 1 {
		fmt.Fprintln(stderr, "faqctl report: -days và -n phải lớn hơn 0")
		return 2
	}
	st, err := openBotDB(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl report:", err)
		return 1
	}
	defer st.Close()
	since := time.Now().Add(-time.Duration(*days) * 24 * time.Hour)
	rows, err := st.Report(ctx, since, *limit)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl report:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []bot.ReportRow{}
		}
		if err := enc.Encode(rows); err != nil {
			fmt.Fprintln(stderr, "faqctl report:", err)
			return 1
		}
		return 0
	}
	writeReport(stdout, rows, *days)
	return 0
}

var reportTitles = []struct{ kind, title string }{
	{"unanswered", "Câu hỏi bot chưa trả lời được"},
	{"clarify", "Câu hỏi bot chưa chắc (phải hỏi lại)"},
	{"rejected", "Câu hỏi mà người hỏi bấm \"Không phải những câu này\""},
	{"thumbs-down", "Câu trả lời bị 👎"},
}

func writeReport(w io.Writer, rows []bot.ReportRow, days int) {
	fmt.Fprintf(w, "Báo cáo %d ngày gần nhất\n", days)
	for _, sec := range reportTitles {
		fmt.Fprintf(w, "\n== %s ==\n", sec.title)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LẦN\tNGƯỜI\tFAQ\tCÂU HỎI (ví dụ)")
		n := 0
		for _, r := range rows {
			if r.Kind != sec.kind {
				continue
			}
			n++
			id := r.FAQID
			if id == "" {
				id = "-"
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", r.Count, r.Users, id, oneLine(r.Text))
		}
		tw.Flush()
		if n == 0 {
			fmt.Fprintln(w, "(không có)")
		}
	}
}

func oneLine(s string) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	for _, c := range r {
		if unicode.IsControl(c) { // line breaks, and escape sequences stored before Scrub dropped them
			c = ' '
		}
		out = append(out, c)
	}
	if len(out) > 100 {
		out = append(out[:99], '…')
	}
	return string(out)
}
