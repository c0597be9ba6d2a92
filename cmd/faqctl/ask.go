package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/faq"
)

// askJSON is the --json output of ask. Results are the ranked entries (for
// clarify, the first `choices` are the buttons); focus is the asking part of
// the message that was searched; confidence the model's probability of the
// first result's topic; personal the kinds of personal numbers left out;
// also the other questions the message asked that get their own button.
type askJSON struct {
	Query      string          `json:"query"`
	Decision   string          `json:"decision"`
	Choices    int             `json:"choices"`
	Confidence float64         `json:"confidence"`
	Focus      string          `json:"focus"`
	Personal   []string        `json:"personal"`
	Results    []askResultJSON `json:"results"`
	Also       []askResultJSON `json:"also"`
}

type askResultJSON struct {
	ID       string  `json:"id"`
	Topic    string  `json:"topic"`
	Question string  `json:"question"`
	Score    float64 `json:"score"`
}

func cmdAsk(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("ask", flag.ContinueOnError)
	fl.SetOutput(stderr)
	k := fl.Int("k", 3, "số kết quả")
	explain := fl.Bool("explain", false, "giải thích điểm và quyết định")
	asJSON := fl.Bool("json", false, "in JSON (với -: mỗi dòng vào một dòng JSON ra)")
	baseline := fl.Bool("baseline", false, "dùng bộ phân tích mặc định của bleve (để so sánh)")
	dir := fl.String("content", "", "thư mục nội dung đang sửa (mặc định: bản nhúng)")
	date := fl.String("date", "", "tính số tiền trong câu trả lời như vào ngày YYYY-MM-DD (mặc định: hôm nay)")
	rest, err := parseArgs(fl, args)
	if err != nil {
		return 2
	}
	day := time.Now().In(vietnam)
	if *date != "" {
		if day, err = time.ParseInLocation(time.DateOnly, *date, vietnam); err != nil {
			fmt.Fprintf(stderr, "faqctl ask: ngày %q chưa đúng dạng YYYY-MM-DD, ví dụ 2027-01-05\n", *date)
			return 2
		}
	}
	if len(rest) == 0 {
		fmt.Fprintln(stderr, `Cách dùng: faqctl ask [-k N] [--explain] [--json] [-content DIR] "câu hỏi"`)
		fmt.Fprintln(stderr, `          faqctl ask [--json] -     (đọc mỗi dòng của đầu vào chuẩn là một câu hỏi)`)
		return 2
	}
	if *k < 1 || *k > 50 {
		fmt.Fprintf(stderr, "faqctl ask: -k phải từ 1 đến 50 (số kết quả muốn xem), không phải %d\n", *k)
		return 2
	}
	ix, code := openIndex(*dir, *baseline, stderr)
	if ix == nil {
		return code
	}
	defer ix.Close()
	if n, took := ix.Learned(); *explain && n > 0 {
		fmt.Fprintf(stdout, "Bot học từ %d câu (câu hỏi của các câu trả lời và câu hỏi có nhãn trong questions/) trong %d ms.\n", n, took.Milliseconds())
	}
	opts := faq.SearchOptions{K: *k, Explain: *explain}
	one := func(question string) int {
		res, err := ix.SearchWith(ctx, question, opts)
		if err != nil {
			fmt.Fprintf(stderr, "faqctl ask: %v\n", err)
			return 1
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(askOutput(question, res)); err != nil {
				fmt.Fprintf(stderr, "faqctl ask: %v\n", err)
				return 1
			}
			return 0
		}
		printAsk(stdout, res, *explain, func(e *faq.Entry) (string, error) { return ix.AnswerText(e, day) })
		return 0
	}
	if len(rest) == 1 && rest[0] == "-" {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			if ctx.Err() != nil {
				return 1
			}
			q := strings.TrimRight(sc.Text(), "\r")
			if !*asJSON {
				fmt.Fprintf(stdout, "── %s\n", q)
			}
			if c := one(q); c != 0 {
				return c
			}
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			fmt.Fprintf(stderr, "faqctl ask: dòng %d của đầu vào dài quá 1 MB: mỗi dòng là một câu hỏi (đầu vào có phải tệp câu hỏi không?)\n", line+1)
			return 1
		} else if err != nil {
			fmt.Fprintf(stderr, "faqctl ask: đọc đầu vào: %v\n", err)
			return 1
		}
		return 0
	}
	return one(strings.Join(rest, " "))
}

// askOutput is the --json object of one question.
func askOutput(question string, res faq.Result) askJSON {
	out := askJSON{Query: question, Decision: string(res.Decision), Choices: res.Choices, Confidence: res.Signals.Topic,
		Focus: res.Cleaned, Personal: append([]string{}, res.Personal...), Results: []askResultJSON{}, Also: []askResultJSON{}}
	for _, h := range res.Hits {
		out.Results = append(out.Results, askResultJSON{ID: h.Entry.ID, Topic: h.Entry.Topic, Question: h.Entry.Question, Score: h.Score})
	}
	for _, h := range res.Also {
		out.Also = append(out.Also, askResultJSON{ID: h.Entry.ID, Topic: h.Entry.Topic, Question: h.Entry.Question, Score: h.Score})
	}
	return out
}

// printAsk prints a decision; answer renders an entry's answer for the day
// asked.
func printAsk(w io.Writer, res faq.Result, explain bool, answer func(*faq.Entry) (string, error)) {
	label := map[faq.Decision]string{
		faq.DecisionAnswer:  "answer — trả lời bằng câu hỏi đầu tiên",
		faq.DecisionClarify: fmt.Sprintf("clarify — hỏi lại, đưa %d lựa chọn", res.Choices),
		faq.DecisionNone:    "none — không có câu trả lời phù hợp",
	}
	fmt.Fprintf(w, "Quyết định: %s\n", label[res.Decision])
	if len(res.Personal) > 0 {
		fmt.Fprintf(w, "Có số cá nhân (%s): đã bỏ ra khỏi câu hỏi; bot nhắc không gửi số như vậy\n", strings.Join(res.Personal, ", "))
	}
	if explain {
		fmt.Fprintf(w, "Phần hỏi được tìm: %q\n", res.Cleaned)
	}
	if explain {
		s := res.Signals
		fmt.Fprintf(w, "Mô hình: chủ đề đầu %.3f (trả lời khi ≥ %.2f), chủ đề thứ hai %.3f, ngoài phạm vi %.3f (không biết khi ≥ %.2f); lựa chọn khi ≥ %.2f\n",
			s.Topic, faq.AnswerAbove, s.Second, s.None, faq.NoneAbove, faq.ChoiceAbove)
		fmt.Fprintf(w, "Từ khoá: từ=%d coverage=%.3f match=%.3f confidence=%.3f ratio=%.3f\n",
			s.Terms, s.Coverage, s.Match, s.Confidence, s.Ratio)
		if s.Outside != "" {
			fmt.Fprintf(w, "Ngoài phạm vi: %q ([outside] trong synonyms.txt, hoặc số cá nhân)\n", s.Outside)
		}
	}
	for i, h := range res.Hits {
		fmt.Fprintf(w, "%d. %.3f  %s  [%s]  %s\n", i+1, h.Score, h.Entry.ID, h.Entry.Topic, h.Entry.Question)
	}
	if explain && len(res.Hits) > 0 && res.Hits[0].Explain != "" {
		fmt.Fprintf(w, "\nĐiểm của %s (bleve explain):\n%s\n", res.Hits[0].Entry.ID, res.Hits[0].Explain)
	}
	switch res.Decision {
	case faq.DecisionAnswer:
		e := res.Hits[0].Entry
		text, err := answer(e)
		if err != nil {
			text += "\n\n(lỗi khi tính số tiền: " + err.Error() + ")"
		}
		fmt.Fprintf(w, "\n%s\n\n%s\n\nCăn cứ: %s\n(tệp %s)\n", e.Question, text, strings.Join(e.Sources, "; "), e.File)
	case faq.DecisionClarify:
		fmt.Fprintln(w, "\nBot sẽ hỏi: Bạn muốn hỏi điều nào?")
		for i := 0; i < res.Choices && i < len(res.Hits); i++ {
			fmt.Fprintf(w, "  [%s]\n", res.Hits[i].Entry.Question)
		}
	}
	if len(res.Also) > 0 {
		fmt.Fprintln(w, "\nBạn cũng hỏi:")
		for _, h := range res.Also {
			fmt.Fprintf(w, "  [%s]  (%s)\n", h.Entry.Question, h.Entry.ID)
		}
	}
}

// openIndex opens the search index over the embedded content or dir,
// printing content problems; on failure it returns nil and the exit code.
func openIndex(dir string, baseline bool, stderr io.Writer) (*faq.Index, int) {
	fsys, err := openContent(dir)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl: %v\n", err)
		return nil, 2
	}
	open := faq.Open
	if baseline {
		open = func(f fs.FS) (*faq.Index, error) { return faq.OpenBaseline(f) }
	}
	ix, err := open(fsys)
	if err != nil {
		fmt.Fprintf(stderr, "faqctl: nội dung có lỗi (chạy faqctl lint):\n%v\n", err)
		return nil, 1
	}
	return ix, 0
}

// parseArgs parses flags that may come before or after positional
// arguments (`faqctl ask "câu hỏi" --json`): it parses, takes the next
// positional argument, and parses the rest again. "--" ends the flags.
func parseArgs(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		args = fl.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if prev := len(args); prev > 0 && args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
