package faq

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// Questions staff set aside (in `faqctl studio` or by hand) live beside the
// labelled ones, in two files that are not labelled questions and that
// search does not learn from:
//   - questions/needed.tsv: questions that need a new answer (no entry
//     answers them yet);
//   - questions/ignored.tsv: questions not worth an answer, hidden from the
//     studio's inbox.
//
// Each line is `question<TAB>note` (the note may be empty); the header is
// `question	note`, `#` starts a comment. A question is set aside once, in
// one of the two files; lint reports problems as file:line.
const (
	NeededFile  = QuestionsDir + "/needed.tsv"
	IgnoredFile = QuestionsDir + "/ignored.tsv"
)

// SetAside is one question of needed.tsv or ignored.tsv.
type SetAside struct {
	File     string // NeededFile or IgnoredFile
	Line     int
	Question string
	Note     string
}

// maxNoteRunes bounds the note of a question set aside.
const maxNoteRunes = 300

// QuestionKey is the form in which two questions count as the same
// question in the files of questions/: diacritics and case folded, spaces
// collapsed.
func QuestionKey(q string) string { return strings.Join(strings.Fields(vitext.Fold(q)), " ") }

// isSetAside reports whether a file of questions/ holds questions set aside
// rather than labelled questions.
func isSetAside(file string) bool { return file == NeededFile || file == IgnoredFile }

// LoadSetAside reads questions/needed.tsv and questions/ignored.tsv; both
// are optional. Errors are *Problems (file:line), the same that Load
// reports for these files.
func LoadSetAside(fsys fs.FS) (needed, ignored []SetAside, err error) {
	probs := &Problems{}
	seen := map[string]SetAside{}
	for _, file := range []string{IgnoredFile, NeededFile} { // the order Load reads them in
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				probs.Add(file, 0, "không đọc được tệp: %v", err)
			}
			continue
		}
		got := parseSetAside(file, src, seen, probs)
		if file == NeededFile {
			needed = got
		} else {
			ignored = got
		}
	}
	return needed, ignored, probs.Err()
}

// parseSetAside reads one file of questions set aside. seen carries the
// questions of the other file, so a question set aside twice is caught.
func parseSetAside(file string, src []byte, seen map[string]SetAside, probs *Problems) []SetAside {
	if !utf8.Valid(src) {
		probs.Add(file, 0, "tệp không phải UTF-8; lưu lại bằng mã UTF-8")
		return nil
	}
	var out []SetAside
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		q, note := strings.TrimSpace(f[0]), ""
		if len(f) > 1 {
			note = strings.TrimSpace(f[1])
		}
		switch {
		case line == 1 && q == "question" && note == "note":
			continue // header
		case len(f) > 2 || q == "":
			probs.Add(file, line, "cần `câu hỏi<TAB>ghi chú` (ghi chú có thể để trống), không quá hai cột")
			continue
		case utf8.RuneCountInString(q) > maxLabelledRunes:
			probs.Add(file, line, "câu hỏi dài quá %d ký tự; cắt bớt phần kể chuyện, giữ phần hỏi", maxLabelledRunes)
			continue
		case utf8.RuneCountInString(note) > maxNoteRunes:
			probs.Add(file, line, "ghi chú dài quá %d ký tự", maxNoteRunes)
			continue
		}
		key := QuestionKey(q)
		if prev, dup := seen[key]; dup {
			probs.Add(file, line, "câu hỏi trùng với %s:%d; một câu chỉ để riêng một lần (%s hoặc %s), bỏ dòng trùng",
				prev.File, prev.Line, path.Base(NeededFile), path.Base(IgnoredFile))
			continue
		}
		s := SetAside{File: file, Line: line, Question: q, Note: note}
		seen[key] = s
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		probs.Add(file, line+1, "không đọc được dòng: %v", err)
	}
	return out
}
