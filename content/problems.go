package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with the content, located in a file, in words a
// staff member understands. Every content loader (FAQ entries, synonyms, the
// agent directory, the provinces) reports its problems with it.
type Problem struct {
	File string // path inside the content FS, e.g. "faq/min-income-floor.md"
	Line int    // 1-based line in File; 0 when the problem concerns the whole file
	Msg  string // what is wrong
}

// String formats the problem as "file:line: message" ("file: message" when
// the problem concerns the whole file).
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems collects every problem a loader finds, so staff see them all at
// once rather than one per run. As an error it prints one problem per line.
type Problems struct {
	List []Problem
}

// Error joins all problems, one per line.
func (p *Problems) Error() string {
	lines := make([]string, len(p.List))
	for i, pr := range p.List {
		lines[i] = pr.String()
	}
	return strings.Join(lines, "\n")
}

// Add records a problem at file:line.
func (p *Problems) Add(file string, line int, format string, args ...any) {
	p.List = append(p.List, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Err returns p, sorted by file and line, as an error, or nil when there is
// no problem.
func (p *Problems) Err() error {
	if len(p.List) == 0 {
		return nil
	}
	sort.SliceStable(p.List, func(i, j int) bool {
		a, b := p.List[i], p.List[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return p
}

// ReadProblem turns the error of reading a content file that must be there
// into a problem staff can act on ("places/provinces.yaml: không có tệp
// này…"), instead of a Go error string such as "open …: no such file or
// directory".
func ReadProblem(file string, err error) error {
	var p Problems
	p.Add(file, 0, "%s", ReadMessage(file, err))
	return p.Err()
}

// ReadMessage is ReadProblem's message alone, for a loader that collects
// its problems itself.
func ReadMessage(file string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("không có tệp này trong thư mục nội dung; bot cần nó (chép từ content/%s)", file)
	case errors.Is(err, ErrNotRegular):
		return "không phải tệp thường (thư mục, thiết bị, ống dẫn…): đặt ở đây một tệp bình thường"
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("tệp lớn quá %d MB: có lẽ chép nhầm tệp", MaxFileSize>>20)
	}
	return fmt.Sprintf("không đọc được tệp: %v", err)
}

// CheckControl reports, in probs, the first control character of each line
// of src (a tab aside): invisible in an editor, pasted from Word, a PDF
// (form feed, vertical tab) or a terminal, they would go to Telegram or to
// an agent's card as they are. A CRLF line end is not one.
func CheckControl(file string, src []byte, probs *Problems) {
	for i, line := range bytes.Split(src, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		j := bytes.IndexFunc(line, func(r rune) bool { return unicode.IsControl(r) && r != '\t' })
		if j < 0 {
			continue
		}
		r, _ := utf8.DecodeRune(line[j:])
		probs.Add(file, i+1, "ký tự điều khiển U+%04X không nhìn thấy ở cột %d (thường do dán từ Word hoặc PDF): xoá nó", r, utf8.RuneCount(line[:j])+1)
	}
}
