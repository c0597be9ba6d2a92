package studio

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/faq"
)

// StudioFile is where labels given in the studio are appended.
const StudioFile = faq.QuestionsDir + "/studio.tsv"

// File headers, with a comment for whoever opens the file.
const (
	labelledHeader = "question\tid\n# Câu hỏi được gán cho câu trả lời trong faqctl studio (câu hỏi<TAB>id của câu trả lời, hoặc none).\n"
	neededHeader   = "question\tnote\n# Câu hỏi cần câu trả lời mới (ghi trong faqctl studio): câu hỏi<TAB>ghi chú.\n"
	ignoredHeader  = "question\tnote\n# Câu hỏi bỏ qua, không hiện trong hộp thư của faqctl studio: câu hỏi<TAB>ghi chú.\n"
)

// maxQuestionRunes is the longest question that can be labelled (the
// labelled-question files accept no more).
const maxQuestionRunes = 2000

// cleanCell makes text one cell of a tab-separated line: tabs and line
// breaks become spaces, spaces are collapsed, and a leading "#" (which
// would make the line a comment) is dropped.
func cleanCell(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	return strings.TrimSpace(strings.TrimLeft(s, "#"))
}

// appendLines appends lines to file in root, creating it with header when
// missing or empty, and returns how to undo the write.
func appendLines(root *os.Root, file, header string, lines []string) (func() error, error) {
	if err := root.MkdirAll(path.Dir(file), 0o755); err != nil {
		return nil, fmt.Errorf("studio: create %s: %w", path.Dir(file), err)
	}
	var size int64
	info, err := root.Stat(file)
	existed := err == nil
	switch {
	case existed:
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("studio: %s is not a regular file", file)
		}
		size = info.Size()
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, fmt.Errorf("studio: %s: %w", file, err)
	}
	f, err := root.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("studio: open %s: %w", file, err)
	}
	var b bytes.Buffer
	if size == 0 {
		b.WriteString(header)
	} else {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, size-1); err == nil && last[0] != '\n' {
			b.WriteByte('\n')
		}
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, werr := f.Write(b.Bytes())
	cerr := f.Close()
	undo := func() error {
		if !existed {
			return root.Remove(file)
		}
		f, err := root.OpenFile(file, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := f.Truncate(size); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := errors.Join(werr, cerr); err != nil {
		_ = undo()
		return nil, fmt.Errorf("studio: write %s: %w", file, err)
	}
	return undo, nil
}

// replaceLabel sets the id of line `line` of a labelled-question file,
// after checking that the line still holds question, and returns how to
// undo it. The file is rewritten whole, through a temporary file renamed
// over it.
func replaceLabel(root *os.Root, file string, line int, question, id string) (func() error, error) {
	orig, err := root.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("studio: read %s: %w", file, err)
	}
	lines := strings.SplitAfter(string(orig), "\n")
	if line < 1 || line > len(lines) {
		return nil, fmt.Errorf("%w: %s:%d không còn", errStale, file, line)
	}
	text := lines[line-1]
	body := strings.TrimRight(text, "\r\n")
	q, _, ok := strings.Cut(body, "\t")
	if !ok || faq.QuestionKey(strings.TrimPrefix(q, "\uFEFF")) != faq.QuestionKey(question) {
		return nil, fmt.Errorf("%w: %s:%d đã đổi", errStale, file, line)
	}
	lines[line-1] = q + "\t" + id + text[len(body):]
	if err := writeWhole(root, file, []byte(strings.Join(lines, ""))); err != nil {
		return nil, err
	}
	return func() error { return writeWhole(root, file, orig) }, nil
}

// errStale: the file changed since the page was drawn.
var errStale = errors.New("studio: file changed")

func writeWhole(root *os.Root, file string, data []byte) error {
	tmp := file + ".studio-tmp"
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("studio: write %s: %w", file, err)
	}
	if err := root.Rename(tmp, file); err != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("studio: write %s: %w", file, err)
	}
	return nil
}

// checkQuestion returns the question as it would be written, or why it
// cannot be.
func checkQuestion(q string) (string, string) {
	q = cleanCell(q)
	switch {
	case q == "":
		return "", "câu hỏi trống"
	case utf8.RuneCountInString(q) > maxQuestionRunes:
		return "", fmt.Sprintf("câu hỏi dài quá %d ký tự: hãy gõ lại phần hỏi ở trang Thử câu hỏi rồi gán", maxQuestionRunes)
	}
	return q, ""
}
