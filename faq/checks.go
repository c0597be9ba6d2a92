package faq

import (
	"bytes"
	"strings"

	"github.com/bhxh-tn/bhxhbot/content"
	"gopkg.in/yaml.v3"
)

// checkFrontMatter reports what YAML accepts but staff did not mean: list
// lines that did not become items of their own (see checkMergedItems) and
// guesses such as "có lẽ" in the sources citizens read.
func checkFrontMatter(file string, fm []byte, fmLine int, root *yaml.Node, probs *Problems) {
	checkMergedItems(file, fm, fmLine, root, probs)
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "sources" {
			continue
		}
		for _, it := range append([]*yaml.Node{root.Content[i+1]}, root.Content[i+1].Content...) {
			if it.Kind == yaml.ScalarNode {
				if w := content.Guess(it.Value); w != "" {
					probs.Add(file, it.Line, "sources: %q là phỏng đoán, người dân sẽ đọc thấy; ghi điều đã biết chắc, hoặc chỉ tên văn bản và điều khoản", w)
				}
			}
		}
	}
}

// checkMergedItems reports list lines of the front matter that YAML did not
// read as items of their own. An item indented differently from the one
// above it ("   - b" under "  - a") is folded into the item above as
// "a - b": the entry loses a phrasing without any error. fm is the front
// matter, whose first line is file line fmLine.
func checkMergedItems(file string, fm []byte, fmLine int, root *yaml.Node, probs *Problems) {
	items := map[int]bool{}  // file lines where a list item starts
	blocks := []*yaml.Node{} // literal and folded scalars: their lines are text
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle == 0 {
			for _, it := range n.Content {
				items[it.Line] = true
			}
		}
		if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			blocks = append(blocks, n)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	for i, l := range bytes.Split(fm, []byte("\n")) {
		line := fmLine + i
		t := strings.TrimLeft(string(l), " \t")
		if !strings.HasPrefix(t, "- ") || items[line] || inBlock(blocks, line, strings.TrimSpace(t)) {
			continue
		}
		probs.Add(file, line, "dòng này bắt đầu bằng `- ` nhưng không thành một mục riêng: nó thụt vào khác các dòng ở trên "+
			"nên bị nhập vào mục phía trên; thụt vào đúng bằng các mục khác (thường là 2 dấu cách)")
	}
}

// inBlock reports whether a line belongs to a literal or folded scalar
// (question: | ... ), where a line may start with "- " as plain text.
func inBlock(blocks []*yaml.Node, line int, text string) bool {
	for _, b := range blocks {
		if b.Line < line && strings.Contains(b.Value, text) {
			return true
		}
	}
	return false
}

// sameText is the form under which two questions or answers count as the
// same: lower case, spaces collapsed, without trailing punctuation.
func sameText(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, " ?.!…")
}

// checkCopies reports an entry whose question or answer repeats another
// entry's: a file copied under a new id shows two identical buttons when the
// bot offers a choice, and splits the search between two copies.
func checkCopies(parsed []*parsedEntry, probs *Problems) {
	questions, bodies, ids := map[string]string{}, map[string]string{}, map[string]bool{}
	for _, pe := range parsed {
		e := pe.entry
		if ids[e.ID] { // the same id twice: reported as such by Load
			continue
		}
		ids[e.ID] = true
		if q := sameText(e.Question); q != "" {
			if other, dup := questions[q]; dup {
				probs.Add(e.File, pe.lines["question"], "question giống hệt câu hỏi ở %s: khi bot hỏi lại sẽ có hai nút bấm giống nhau; "+
					"sửa câu hỏi cho khác, hoặc xoá tệp chép thừa", other)
			} else {
				questions[q] = e.File
			}
		}
		if b := sameText(e.Body); b != "" {
			if other, dup := bodies[b]; dup {
				probs.Add(e.File, pe.bodyLine, "phần trả lời giống hệt %s: nếu là bản chép thì xoá tệp thừa, "+
					"nếu là câu hỏi khác thì viết câu trả lời riêng (hoặc thêm câu hỏi này vào alternates của %s)", other, other)
			} else {
				bodies[b] = e.File
			}
		}
	}
}
