package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq"
)

// evalJSON is the --json output of eval: fractions in 0..1. Total counts
// the in-domain lines (top1, top3 and mrr are over them); NoneTotal counts
// the none/other lines (none_accuracy is over them).
// precision is the share of direct answers on a right topic; wrong the share
// of in-domain lines answered directly on a wrong topic; answer, clarify and
// none the shares of in-domain lines given each decision.
type evalJSON struct {
	Total        int     `json:"total"`
	Top1         float64 `json:"top1"`
	Top3         float64 `json:"top3"`
	MRR          float64 `json:"mrr"`
	Precision    float64 `json:"precision"`
	Wrong        float64 `json:"wrong"`
	Answer       float64 `json:"answer"`
	Clarify      float64 `json:"clarify"`
	None         float64 `json:"none"`
	NoneTotal    int     `json:"none_total"`
	NoneAccuracy float64 `json:"none_accuracy"`
}

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("eval", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "in JSON")
	baseline := fl.Bool("baseline", false, "dùng bộ phân tích mặc định của bleve (để đo lợi ích của phân tích tiếng Việt)")
	fold := fl.Bool("fold", false, "bỏ hết dấu tiếng Việt của câu hỏi trước khi tìm")
	verbose := fl.Bool("v", false, "in từng câu sai")
	dir := fl.String("content", "", "thư mục nội dung đang sửa (mặc định: bản nhúng)")
	rest, err := parseArgs(fl, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "Cách dùng: faqctl eval [--json] [--baseline] [--fold] [-v] [-content DIR] FILE")
		fmt.Fprintln(stderr, "FILE: mỗi dòng `câu hỏi<TAB>chủ đề`; chủ đề none/other nghĩa là bot phải trả lời \"không biết\".")
		fmt.Fprintln(stderr, "Dòng đầu có cột 2 là `topic` là tiêu đề; cột tên `alt_topic` (nếu có) ghi các chủ đề cũng chấp nhận, cách nhau bằng |;")
		fmt.Fprintln(stderr, "cột thừa, dòng trống, dòng # bỏ qua. Một câu đúng khi kết quả đầu có chủ đề `topic` hoặc một `alt_topic`.")
		fmt.Fprintln(stderr, "--json: {total, top1, top3, mrr, precision, wrong, answer, clarify, none, none_total, none_accuracy}:")
		fmt.Fprintln(stderr, "total là số câu có chủ đề (không tính none/other); top1/top3/mrr, answer/clarify/none (tỉ lệ quyết định) và wrong")
		fmt.Fprintln(stderr, "(trả lời thẳng sai chủ đề) tính trên các câu đó; precision là tỉ lệ câu trả lời thẳng đúng chủ đề;")
		fmt.Fprintln(stderr, "none_total là số câu none/other, none_accuracy tính trên chúng; tỉ lệ từ 0 đến 1.")
		return 2
	}
	if st, err := os.Stat(rest[0]); err == nil && st.IsDir() {
		fmt.Fprintf(stderr, "faqctl eval: %s là thư mục; cần một tệp câu hỏi .tsv\n", rest[0])
		return 2
	}
	f, err := os.Open(rest[0])
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "faqctl eval: không có tệp %s (kiểm tra lại đường dẫn)\n", rest[0])
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "faqctl eval: không mở được %s: %v\n", rest[0], err)
		return 2
	}
	cases, err := faq.ParseEvalSet(rest[0], f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "faqctl eval:\n%v\n", err)
		return 1
	}
	if len(cases) == 0 {
		fmt.Fprintf(stderr, "faqctl eval: %s không có câu hỏi nào (chỉ có dòng trống, ghi chú hoặc tiêu đề)\n", rest[0])
		return 1
	}
	ix, code := openIndex(*dir, *baseline, stderr)
	if ix == nil {
		return code
	}
	defer ix.Close()
	if probs := unknownTopics(rest[0], cases, ix.KB().Topics()); len(probs) > 0 {
		fmt.Fprintf(stderr, "faqctl eval:\n%s\n", strings.Join(probs, "\n"))
		return 1
	}
	r, err := faq.Evaluate(ctx, ix, cases, *fold)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl eval: %v\n", err)
		return 1
	}
	if *asJSON {
		out := evalJSON{Total: r.Total, Top1: r.Top1, Top3: r.Top3, MRR: r.MRR, Precision: r.Precision, Wrong: r.Wrong,
			Answer: r.AnswerRate, Clarify: r.ClarifyRate, None: r.NoneRate, NoneTotal: r.NoneTotal, NoneAccuracy: r.NoneAccuracy}
		if err := json.NewEncoder(stdout).Encode(out); err != nil {
			fmt.Fprintf(stderr, "faqctl eval: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stdout, "Câu hỏi có chủ đề: %d\n", r.Total)
	fmt.Fprintf(stdout, "  top-1 %.3f   top-3 %.3f   MRR %.3f   (xếp hạng, không phụ thuộc quyết định)\n", r.Top1, r.Top3, r.MRR)
	fmt.Fprintf(stdout, "  bot trả lời %.3f (đúng chủ đề %.3f, sai chủ đề %.3f; độ chính xác %.3f), hỏi lại %.3f (có lựa chọn đúng %.3f), nói không biết %.3f\n",
		r.AnswerRate, r.AnsweredOK, r.Wrong, r.Precision, r.ClarifyRate, r.ClarifyOK, r.NoneRate)
	fmt.Fprintf(stdout, "Câu hỏi ngoài phạm vi (none/other): %d, được trả lời \"không biết\": %.3f\n", r.NoneTotal, r.NoneAccuracy)
	fmt.Fprintln(stdout, "Chủ đề yếu nhất (top-1):")
	for i, t := range r.Topics {
		if i == 5 {
			break
		}
		fmt.Fprintf(stdout, "  %-32s %.3f (%d câu)\n", t.Topic, t.Top1, t.Total)
	}
	if *verbose {
		fmt.Fprintln(stdout, "Các câu sai:")
		for _, m := range r.Misses {
			fmt.Fprintf(stdout, "  dòng %d: %q cần %s, được %s/%s (%s)\n", m.Case.Line, m.Case.Question, m.Case.Topic, m.GotTopic, m.GotID, m.Decision)
		}
	}
	return 0
}

// unknownTopics lists, as "file:line: message", the cases whose expected
// topic is neither in topics.yaml nor none/other: counted, they would only
// look like search misses.
func unknownTopics(file string, cases []faq.EvalCase, topics []faq.Topic) []string {
	known := map[string]bool{}
	for _, t := range topics {
		known[t.Slug] = true
	}
	var probs []string
	for _, c := range cases {
		if !c.OffTopic() && !known[c.Topic] {
			probs = append(probs, fmt.Sprintf("%s:%d: chủ đề %q không có trong topics.yaml (câu ngoài phạm vi ghi none hoặc other)", file, c.Line, c.Topic))
		}
		for _, t := range c.AltTopics {
			if !known[t] && t != "none" && t != "other" {
				probs = append(probs, fmt.Sprintf("%s:%d: chủ đề thay thế %q không có trong topics.yaml", file, c.Line, t))
			}
		}
	}
	return probs
}
