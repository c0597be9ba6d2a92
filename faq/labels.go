package faq

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/content"
)

// QuestionsDir holds the labelled questions inside the content FS: files
// `*.tsv` of `question<TAB>id` lines, each a question as people write it and
// the id of the entry that answers it (NoneID for a question the bot must
// not answer). Search learns from them when the index is built, so staff
// make the bot answer better by labelling, not by editing code.
const QuestionsDir = "questions"

// NoneID labels a question outside what the bot answers.
const NoneID = "none"

// Labelled is one labelled question.
type Labelled struct {
	File     string // path inside the content FS
	Line     int
	Question string
	ID       string // entry id, or NoneID
}

// maxLabelledRunes bounds one labelled question (a long letter fits).
const maxLabelledRunes = 2000

// loadLabelled reads every questions/*.tsv. The directory is optional. ids
// are the entries that exist; problems are reported as file:line.
func loadLabelled(fsys fs.FS, ids map[string]bool, probs *Problems) []Labelled {
	dirents, err := fs.ReadDir(fsys, QuestionsDir)
	if err != nil {
		return nil // no labelled questions: search learns from the entries alone
	}
	var out []Labelled
	seen := map[string]Labelled{} // folded question → first line
	setAside := map[string]SetAside{}
	for _, d := range dirents {
		name := d.Name()
		file := path.Join(QuestionsDir, name)
		switch {
		case strings.HasPrefix(name, "."), !d.IsDir() && path.Ext(name) == ".md":
			continue // editor files; a README for staff
		case d.IsDir() || path.Ext(name) != ".tsv":
			probs.Add(file, 0, "tệp này không được đọc: câu hỏi có nhãn phải là tệp .tsv ngay trong questions/")
			continue
		}
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			probs.Add(file, 0, "không đọc được tệp: %v", err)
			continue
		}
		if isSetAside(file) { // needed.tsv, ignored.tsv: checked, not learnt from
			parseSetAside(file, src, setAside, probs)
			continue
		}
		out = append(out, parseLabelled(file, src, ids, seen, probs)...)
	}
	return out
}

// parseLabelled reads one file of labelled questions. seen carries the
// questions of earlier files, so a question labelled twice is caught
// across files too.
func parseLabelled(file string, src []byte, ids map[string]bool, seen map[string]Labelled, probs *Problems) []Labelled {
	if !utf8.Valid(src) {
		probs.Add(file, 0, "tệp không phải UTF-8; lưu lại bằng mã UTF-8")
		return nil
	}
	content.CheckControl(file, src, probs)
	var out []Labelled
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
		q, id := strings.TrimSpace(f[0]), ""
		if len(f) > 1 {
			id = strings.TrimSpace(f[1])
		}
		switch {
		case line == 1 && q == "question" && id == "id":
			continue // header
		case len(f) != 2 || q == "" || id == "":
			probs.Add(file, line, "cần đúng hai cột `câu hỏi<TAB>id` (id của câu trả lời trong faq/, hoặc %s)", NoneID)
			continue
		case utf8.RuneCountInString(q) > maxLabelledRunes:
			probs.Add(file, line, "câu hỏi dài quá %d ký tự; cắt bớt phần kể chuyện, giữ phần hỏi", maxLabelledRunes)
			continue
		case id != NoneID && !ids[id]:
			probs.Add(file, line, "không có câu trả lời nào có id %q (kiểm tra tên tệp faq/%s.md, hoặc ghi %s nếu bot không được trả lời câu này)", id, id, NoneID)
			continue
		}
		key := QuestionKey(q)
		if prev, dup := seen[key]; dup {
			if prev.ID != id {
				probs.Add(file, line, "câu hỏi này đã gán cho %q ở %s:%d; một câu chỉ có một câu trả lời", prev.ID, prev.File, prev.Line)
			} else {
				probs.Add(file, line, "câu hỏi trùng với %s:%d; bỏ dòng trùng", prev.File, prev.Line)
			}
			continue
		}
		l := Labelled{File: file, Line: line, Question: q, ID: id}
		seen[key] = l
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		probs.Add(file, line+1, "không đọc được dòng: %v", err)
	}
	return out
}
