package faq

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/content"
	"gopkg.in/yaml.v3"
)

// Topic is one entry of the closed topic list in content/topics.yaml.
type Topic struct {
	Slug   string // e.g. "min-max-income"
	Group  string // e.g. "Voluntary social insurance (BHXH tự nguyện)"
	Covers string // what questions the topic covers, in Vietnamese
}

// KB is a loaded and validated knowledge base. It is immutable once built
// and safe for concurrent use.
type KB struct {
	entries  []*Entry
	byID     map[string]*Entry
	topics   []Topic
	amounts  *Amounts   // values of the answers' placeholders (nil without rates.yaml; set by Open)
	labelled []Labelled // questions/*.tsv, in file and line order
}

// Labelled returns the labelled questions of questions/*.tsv (a copy).
func (kb *KB) Labelled() []Labelled { return append([]Labelled(nil), kb.labelled...) }

// Entries returns every entry, sorted by id. The slice is a copy; the entries
// are shared and must not be modified.
func (kb *KB) Entries() []*Entry { return append([]*Entry(nil), kb.entries...) }

// Entry returns the entry with the given id.
func (kb *KB) Entry(id string) (*Entry, bool) {
	e, ok := kb.byID[id]
	return e, ok
}

// Topics returns the closed topic list in file order.
func (kb *KB) Topics() []Topic { return append([]Topic(nil), kb.topics...) }

// Topic returns the topic with the given slug.
func (kb *KB) Topic(slug string) (Topic, bool) {
	for _, t := range kb.topics {
		if t.Slug == slug {
			return t, true
		}
	}
	return Topic{}, false
}

// Paths inside the content FS.
const (
	TopicsFile = "topics.yaml"
	FAQDir     = "faq"
)

// Limits applied by validation.
const (
	// MaxRenderedChars is the longest rendered answer (Telegram HTML, in
	// characters) accepted: one Telegram message holds 4096 characters and
	// the bot adds a footer (sources, buttons text), so we keep a margin.
	MaxRenderedChars = 3500
	// MinAlternates is the minimum number of alternate phrasings per entry.
	MinAlternates = 3
	maxFileBytes  = 256 << 10
	dateLayout    = "2006-01-02"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Load reads content/topics.yaml and every content/faq/*.md from fsys (the
// content root), validates them and returns the knowledge base. When anything
// is wrong the error is a *Problems listing every problem found, each located
// as file:line; Load never stops at the first problem and never panics.
func Load(fsys fs.FS) (*KB, error) {
	probs := &Problems{}
	topics := loadTopics(fsys, probs)
	topicSet := make(map[string]bool, len(topics))
	for _, t := range topics {
		topicSet[t.Slug] = true
	}

	dirents, err := fs.ReadDir(fsys, FAQDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			probs.Add(FAQDir, 0, "không có thư mục câu hỏi faq/ trong thư mục nội dung (chép từ content/faq)")
		} else {
			probs.Add(FAQDir, 0, "không đọc được thư mục câu hỏi: %v", err)
		}
		return nil, probs.Err()
	}
	var parsed []*parsedEntry
	present := make(map[string]bool, len(dirents)) // ids of every .md file, even broken ones
	for _, d := range dirents {
		name := d.Name()
		file := path.Join(FAQDir, name)
		switch {
		case strings.HasPrefix(name, "."):
			continue // editor and OS files (.DS_Store, .swp)
		case d.IsDir():
			probs.Add(file, 0, "thư mục con trong faq/ không được đọc; đặt mỗi câu hỏi là một tệp .md ngay trong faq/")
			continue
		case path.Ext(name) != ".md":
			probs.Add(file, 0, "tệp này không được đọc: câu hỏi phải là tệp có đuôi .md viết thường (Windows có thể đang ẩn đuôi .txt)")
			continue
		}
		present[strings.TrimSuffix(name, ".md")] = true
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			probs.Add(file, 0, "không đọc được tệp: %v", err)
			continue
		}
		if pe := parseEntry(file, src, topicSet, probs); pe != nil {
			parsed = append(parsed, pe)
		}
	}
	checkCopies(parsed, probs)
	if len(parsed) == 0 && len(probs.List) == 0 {
		probs.Add(FAQDir, 0, "chưa có câu hỏi nào (cần ít nhất một tệp .md)")
	}

	kb := &KB{byID: make(map[string]*Entry, len(parsed)), topics: topics}
	first := make(map[string]string)
	for _, pe := range parsed {
		id := pe.entry.ID
		if id == "" {
			continue
		}
		if other, dup := first[id]; dup {
			probs.Add(pe.entry.File, pe.lines["id"], "id %q đã dùng ở %s; mỗi câu hỏi cần một id riêng", id, other)
			continue
		}
		first[id] = pe.entry.File
		kb.byID[id] = pe.entry
		kb.entries = append(kb.entries, pe.entry)
	}
	for _, pe := range parsed {
		seen := make(map[string]bool, len(pe.entry.Related))
		for i, rel := range pe.entry.Related {
			line := pe.relatedLines[i]
			switch {
			case rel == pe.entry.ID:
				probs.Add(pe.entry.File, line, "related: %q là chính câu hỏi này", rel)
			case seen[rel]:
				probs.Add(pe.entry.File, line, "related: %q đã có ở trên, bỏ dòng trùng", rel)
			case first[rel] == "" && present[rel]:
				// The file exists but has problems of its own, reported there.
			case first[rel] == "":
				probs.Add(pe.entry.File, line, "related: không có câu hỏi nào có id %q (kiểm tra tên tệp faq/%s.md)", rel, rel)
			}
			seen[rel] = true
		}
	}
	ids := make(map[string]bool, len(present))
	for id := range present {
		ids[id] = true // an entry with problems of its own is reported there, not here
	}
	kb.labelled = loadLabelled(fsys, ids, probs)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	sort.Slice(kb.entries, func(i, j int) bool { return kb.entries[i].ID < kb.entries[j].ID })
	return kb, nil
}

// parsedEntry is an entry plus the line of each front matter field, for
// messages about cross-file problems.
type parsedEntry struct {
	entry        *Entry
	lines        map[string]int
	relatedLines []int
	bodyLine     int
}

// loadTopics reads topics.yaml: `topics: [{slug, group, covers}]`.
func loadTopics(fsys fs.FS, probs *Problems) []Topic {
	src, err := fs.ReadFile(fsys, TopicsFile)
	if err != nil {
		probs.Add(TopicsFile, 0, "danh sách chủ đề: %s", content.ReadMessage(TopicsFile, err))
		return nil
	}
	root, ok := parseYAML(TopicsFile, src, 1, probs)
	if !ok {
		return nil
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "topics" {
			list = root.Content[i+1]
		}
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		probs.Add(TopicsFile, root.Line, "cần một danh sách `topics:`")
		return nil
	}
	var topics []Topic
	seen := map[string]int{}
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			probs.Add(TopicsFile, item.Line, "mỗi chủ đề cần có slug, group, covers")
			continue
		}
		var t Topic
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "slug":
				t.Slug = strings.TrimSpace(v.Value)
			case "group":
				t.Group = strings.TrimSpace(v.Value)
			case "covers":
				t.Covers = strings.TrimSpace(v.Value)
			default:
				probs.Add(TopicsFile, k.Line, "trường %q không dùng được (chỉ có slug, group, covers)", k.Value)
			}
		}
		switch {
		case !slugRE.MatchString(t.Slug):
			probs.Add(TopicsFile, item.Line, "slug %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang", t.Slug)
			continue
		case seen[t.Slug] > 0:
			probs.Add(TopicsFile, item.Line, "chủ đề %q bị lặp (đã có ở dòng %d)", t.Slug, seen[t.Slug])
			continue
		}
		seen[t.Slug] = item.Line
		topics = append(topics, t)
	}
	return topics
}

// parseYAML parses src as a YAML mapping; firstLine is the file line of the
// first line of src. Syntax errors are reported with file lines.
func parseYAML(file string, src []byte, firstLine int, probs *Problems) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p := content.YAMLSyntax(file, src, firstLine, err)
		probs.Add(p.File, p.Line, "%s", p.Msg)
		return nil, false
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		probs.Add(file, firstLine, "cần các dòng dạng `tên: giá trị`")
		return nil, false
	}
	root := doc.Content[0]
	shiftLines(root, firstLine-1)
	return root, true
}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// splitFrontMatter separates the YAML front matter (between the first two
// `---` lines) from the body. It returns the 1-based file line of the first
// front matter line and of the first body line.
func splitFrontMatter(src []byte) (fm []byte, fmLine int, body []byte, bodyLine int, err error) {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return nil, 0, nil, 0, errors.New("tệp phải bắt đầu bằng dòng `---` rồi đến phần thông tin (id, topic, ...)")
	}
	rest := src[4:]
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		next := len(rest) + 1
		if end >= 0 {
			l = rest[off : off+end]
			next = off + end + 1
		} else {
			l = rest[off:]
		}
		if string(bytes.TrimRight(l, " \t")) == "---" {
			if next > len(rest) {
				next = len(rest)
			}
			return rest[:off], 2, rest[next:], line + 1, nil
		}
		off = next
		line++
	}
	return nil, 0, nil, 0, errors.New("thiếu dòng `---` đóng phần thông tin đầu tệp")
}

// Front matter field names.
var (
	requiredFields = []string{"id", "topic", "question", "alternates", "sources", "reviewed"}
	knownFields    = map[string]bool{"id": true, "topic": true, "question": true, "alternates": true,
		"tags": true, "related": true, "sources": true, "reviewed": true}
)

// parseEntry parses and validates one file; it returns nil when the file is
// too broken to be used at all. Every problem goes to probs.
func parseEntry(file string, src []byte, topics map[string]bool, probs *Problems) *parsedEntry {
	if len(src) > maxFileBytes {
		probs.Add(file, 0, "tệp quá lớn (%d byte); một câu trả lời chỉ nên dài vài trăm chữ", len(src))
		return nil
	}
	if !utf8.Valid(src) {
		probs.Add(file, 0, "tệp không phải UTF-8; hãy lưu lại với mã hoá UTF-8")
		return nil
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	content.CheckControl(file, src, probs)
	fm, fmLine, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		probs.Add(file, 1, "%v", err)
		return nil
	}
	root, ok := parseYAML(file, fm, fmLine, probs)
	if !ok {
		return nil
	}
	checkFrontMatter(file, fm, fmLine, root, probs)
	e := &Entry{File: file}
	pe := &parsedEntry{entry: e, lines: map[string]int{}, bodyLine: bodyLine}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		name := k.Value
		if !knownFields[name] {
			probs.Add(file, k.Line, "trường %q không dùng được (các trường: id, topic, question, alternates, tags, related, sources, reviewed)", name)
			continue
		}
		if _, dup := pe.lines[name]; dup {
			probs.Add(file, k.Line, "trường %q xuất hiện hai lần", name)
			continue
		}
		pe.lines[name] = k.Line
		switch name {
		case "id":
			e.ID = scalar(file, name, v, probs)
		case "topic":
			e.Topic = scalar(file, name, v, probs)
		case "question":
			e.Question = scalar(file, name, v, probs)
		case "reviewed":
			s := scalar(file, name, v, probs)
			if s == "" {
				break
			}
			d, err := time.Parse(dateLayout, s)
			if err != nil {
				probs.Add(file, v.Line, "reviewed: ngày %q không đúng dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-26", s)
				break
			}
			e.Reviewed = d
		case "alternates":
			e.Alternates, _ = list(file, name, v, probs)
		case "tags":
			e.Tags, e.tagLines = list(file, name, v, probs)
		case "related":
			e.Related, pe.relatedLines = list(file, name, v, probs)
		case "sources":
			e.Sources, _ = list(file, name, v, probs)
		}
	}
	for _, f := range requiredFields {
		if _, ok := pe.lines[f]; !ok {
			probs.Add(file, fmLine, "thiếu trường %q", f)
		}
	}
	stem := strings.TrimSuffix(path.Base(file), ".md")
	if l, ok := pe.lines["id"]; ok {
		switch {
		case e.ID == "":
			probs.Add(file, l, "id đang trống")
		case !slugRE.MatchString(e.ID):
			probs.Add(file, l, "id %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang", e.ID)
		case e.ID != stem:
			probs.Add(file, l, "id %q phải trùng tên tệp (%s.md); đổi một trong hai cho khớp", e.ID, stem)
		}
	}
	if l, ok := pe.lines["topic"]; ok && e.Topic != "" && !topics[e.Topic] && len(topics) > 0 {
		probs.Add(file, l, "chủ đề %q không có trong topics.yaml", e.Topic)
	}
	if l, ok := pe.lines["topic"]; ok && e.Topic == "" {
		probs.Add(file, l, "topic đang trống")
	}
	if l, ok := pe.lines["question"]; ok && e.Question == "" {
		probs.Add(file, l, "question đang trống")
	}
	if l, ok := pe.lines["alternates"]; ok && len(e.Alternates) < MinAlternates {
		probs.Add(file, l, "alternates: cần ít nhất %d cách hỏi khác (đang có %d)", MinAlternates, len(e.Alternates))
	}
	if l, ok := pe.lines["sources"]; ok && len(e.Sources) == 0 {
		probs.Add(file, l, "sources: cần ít nhất một căn cứ pháp lý")
	}
	e.Body = strings.TrimSpace(string(body))
	e.BodyLine = bodyLine + strings.Count(string(body[:bytes.Index(body, []byte(e.Body))]), "\n")
	checkBody(file, body, bodyLine, probs)
	checkTemplates(file, body, bodyLine, probs)
	return pe
}

// scalar returns the text of a scalar field, reporting any other shape.
func scalar(file, name string, v *yaml.Node, probs *Problems) string {
	if v.Kind != yaml.ScalarNode {
		probs.Add(file, v.Line, "%s: cần một giá trị trên cùng dòng, không phải danh sách", name)
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// list returns the items of a list field and the file line of each item.
// An empty value (`tags:`) is an empty list.
func list(file, name string, v *yaml.Node, probs *Problems) ([]string, []int) {
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		probs.Add(file, v.Line, "%s: cần một danh sách, mỗi dòng bắt đầu bằng `- `, hoặc [a, b]", name)
		return nil, nil
	}
	var items []string
	var lines []int
	for _, it := range v.Content {
		if it.Kind != yaml.ScalarNode {
			probs.Add(file, it.Line, "%s: mỗi mục phải là một dòng chữ", name)
			continue
		}
		s := strings.TrimSpace(it.Value)
		if s == "" || it.Tag == "!!null" {
			probs.Add(file, it.Line, "%s: có mục trống", name)
			continue
		}
		items = append(items, s)
		lines = append(lines, it.Line)
	}
	return items, lines
}
