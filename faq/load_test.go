package faq

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testTopics = `topics:
  - slug: min-max-income
    group: "G"
    covers: "c"
  - slug: who-can-join
    group: "G"
    covers: "c"
`

// goodEntry is a valid entry whose lines are known: id on line 2, topic 3,
// question 4, alternates 5-8, tags 9, related 10, sources 11-12,
// reviewed 13, closing --- 14, body from line 15.
const goodEntry = `---
id: floor
topic: min-max-income
question: Thu nhập thấp nhất là bao nhiêu?
alternates:
  - thu nhap thap nhat bn
  - dong bhxh tn thap nhat
  - it nhat bao nhieu
tags: [mức sàn]
related: [age]
sources:
  - "Luật BHXH 41/2024/QH15, Điều 31"
reviewed: 2026-11-26
---
Mức thấp nhất là **1.500.000 đồng/tháng**.
`

const ageEntry = `---
id: age
topic: who-can-join
question: Bao nhiêu tuổi được tham gia?
alternates: [may tuoi, bao nhieu tuoi, tuoi nao]
sources: ["Luật BHXH 41/2024/QH15, Điều 2"]
reviewed: 2026-11-26
---
Từ đủ 15 tuổi.
`

func testFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{"topics.yaml": {Data: []byte(testTopics)}}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	var p *Problems
	require.True(t, errors.As(err, &p), "error is %T, want *Problems", err)
	var out []string
	for _, pr := range p.List {
		out = append(out, pr.String())
	}
	return out
}

func TestLoadFixture(t *testing.T) {
	kb, err := Load(os.DirFS("testdata/kb"))
	require.NoError(t, err)
	assert.Len(t, kb.Entries(), 6)
	assert.Len(t, kb.Topics(), 5)
	e, ok := kb.Entry("min-income-floor")
	require.True(t, ok)
	assert.Equal(t, "min-max-income", e.Topic)
	assert.Equal(t, "Thu nhập thấp nhất để đóng BHXH tự nguyện là bao nhiêu?", e.Question)
	assert.Len(t, e.Alternates, 4)
	assert.Equal(t, []string{"max-income-ceiling"}, e.Related)
	assert.Equal(t, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), e.Reviewed)
	assert.Equal(t, "faq/min-income-floor.md", e.File)
	assert.True(t, strings.HasPrefix(e.Body, "Mức thu nhập thấp nhất"), "body %q", e.Body)
	_, ok = kb.Entry("nope")
	assert.False(t, ok)
}

func TestLoadValid(t *testing.T) {
	kb, err := Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/age.md": ageEntry, "faq/.keep": ""}))
	require.NoError(t, err)
	require.Len(t, kb.Entries(), 2)
	assert.Equal(t, "age", kb.Entries()[0].ID, "entries are sorted by id")
}

func TestLoadProblems(t *testing.T) {
	replace := func(old, new string) string {
		require.Contains(t, goodEntry, old)
		return strings.Replace(goodEntry, old, new, 1)
	}
	tests := []struct {
		name string
		file string // content of faq/floor.md (faq/age.md is always valid)
		want []string
	}{
		{"unknown topic", replace("topic: min-max-income", "topic: income"),
			[]string{`faq/floor.md:3: chủ đề "income" không có trong topics.yaml`}},
		{"id differs from file name", replace("id: floor", "id: floor2"),
			[]string{`faq/floor.md:2: id "floor2" phải trùng tên tệp`}},
		{"bad id", replace("id: floor", "id: Floor_1"),
			[]string{`faq/floor.md:2: id "Floor_1" không hợp lệ`}},
		{"missing question", replace("question: Thu nhập thấp nhất là bao nhiêu?\n", ""),
			[]string{`faq/floor.md:2: thiếu trường "question"`}},
		{"empty question", replace("question: Thu nhập thấp nhất là bao nhiêu?", "question:"),
			[]string{`faq/floor.md:4: question đang trống`}},
		{"dangling related", replace("related: [age]", "related: [age, nowhere]"),
			[]string{`faq/floor.md:10: related: không có câu hỏi nào có id "nowhere"`}},
		{"related to itself", replace("related: [age]", "related:\n  - floor"),
			[]string{`faq/floor.md:11: related: "floor" là chính câu hỏi này`}},
		{"bad date", replace("reviewed: 2026-11-26", "reviewed: 26/11/2026"),
			[]string{`faq/floor.md:13: reviewed: ngày "26/11/2026" không đúng dạng`}},
		{"impossible date", replace("reviewed: 2026-11-26", "reviewed: 2026-02-30"),
			[]string{`faq/floor.md:13: reviewed: ngày "2026-02-30"`}},
		{"too few alternates", replace("  - it nhat bao nhieu\n", ""),
			[]string{`faq/floor.md:5: alternates: cần ít nhất 3 cách hỏi khác (đang có 2)`}},
		{"empty alternates", replace("alternates:\n  - thu nhap thap nhat bn\n  - dong bhxh tn thap nhat\n  - it nhat bao nhieu", "alternates: []"),
			[]string{`faq/floor.md:5: alternates: cần ít nhất 3`}},
		{"alternates not a list", replace("alternates:\n  - thu nhap thap nhat bn\n  - dong bhxh tn thap nhat\n  - it nhat bao nhieu", "alternates: thu nhap"),
			[]string{`faq/floor.md:5: alternates: cần một danh sách`, `faq/floor.md:5: alternates: cần ít nhất 3`}},
		{"empty list item", replace("  - it nhat bao nhieu", "  - \"\""),
			[]string{`faq/floor.md:5: alternates: cần ít nhất 3 cách hỏi khác (đang có 2)`, `faq/floor.md:8: alternates: có mục trống`}},
		{"no sources", replace("sources:\n  - \"Luật BHXH 41/2024/QH15, Điều 31\"", "sources: []"),
			[]string{`faq/floor.md:11: sources: cần ít nhất một căn cứ pháp lý`}},
		{"unknown field", replace("tags: [mức sàn]", "tag: [mức sàn]"),
			[]string{`faq/floor.md:9: trường "tag" không dùng được`}},
		{"duplicate field", replace("tags: [mức sàn]", "tags: [mức sàn]\ntags: [x]"),
			[]string{`faq/floor.md:10: trường "tags" xuất hiện hai lần`}},
		{"yaml syntax", replace("question: Thu nhập thấp nhất là bao nhiêu?", "question: [Thu nhập"),
			[]string{`faq/floor.md:4: thiếu dấu đóng: một ngoặc vuông [`}},
		{"no front matter", "Chỉ có nội dung.\n",
			[]string{`faq/floor.md:1: tệp phải bắt đầu bằng dòng ` + "`---`"}},
		{"unclosed front matter", "---\nid: floor\n",
			[]string{`faq/floor.md:1: thiếu dòng ` + "`---`"}},
		{"empty body", strings.SplitAfter(goodEntry, "---\n")[0] + strings.SplitAfter(goodEntry, "---\n")[1] + "\n",
			[]string{`faq/floor.md:15: phần trả lời`}},
		{"heading", goodEntry + "\n# Tiêu đề\n",
			[]string{`faq/floor.md:17: không dùng tiêu đề`}},
		{"setext heading", goodEntry + "\nTiêu đề\n=======\n",
			[]string{`faq/floor.md:17: không dùng tiêu đề`}},
		{"table", goodEntry + "\n| a | b |\n|---|---|\n| 1 | 2 |\n",
			[]string{`faq/floor.md:17: Telegram không hiển thị được bảng`}},
		{"image", goodEntry + "\nXem hình:\n![ảnh](https://x.vn/a.png)\n",
			[]string{`faq/floor.md:18: Telegram không hiển thị được hình ảnh`}},
		{"inline html", goodEntry + "\nChữ <span>đỏ</span> ở đây.\n",
			[]string{`faq/floor.md:17: không dùng thẻ HTML`, `faq/floor.md:17: không dùng thẻ HTML`}},
		{"html block", goodEntry + "\n<div>\nx\n</div>\n",
			[]string{`faq/floor.md:17: không dùng thẻ HTML`}},
		{"fenced code", goodEntry + "\n```\ncode\n```\n",
			[]string{`faq/floor.md:17: không dùng khối mã`}},
		{"indented code", goodEntry + "\n    code\n",
			[]string{`faq/floor.md:17: không dùng khối mã`}},
		{"blockquote", goodEntry + "\n> trích\n",
			[]string{`faq/floor.md:17: không dùng trích dẫn`}},
		{"javascript link", goodEntry + "\n[bấm](javascript:alert(1))\n",
			[]string{`faq/floor.md:17: liên kết "javascript:alert(1)" phải bắt đầu bằng https://`}},
		{"too long", goodEntry + "\n" + strings.Repeat("Một câu rất dài. ", 250) + "\n",
			[]string{`faq/floor.md:15: câu trả lời quá dài cho một tin nhắn Telegram`}},
		{"invalid utf-8", "---\nid: \xff\n---\n",
			[]string{`faq/floor.md: tệp không phải UTF-8`}},
		// pasted from Word or a PDF (a form feed, a vertical tab), or a terminal escape
		{"control characters", goodEntry + "\nMột\vdòng.\n\nĐoạn \x1b[31mđỏ\x0c.\n",
			[]string{`faq/floor.md:17: ký tự điều khiển U+000B không nhìn thấy ở cột 4`, `faq/floor.md:19: ký tự điều khiển U+001B không nhìn thấy ở cột 6`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(testFS(map[string]string{"faq/floor.md": tt.file, "faq/age.md": ageEntry}))
			got := problemsOf(t, err)
			require.Len(t, got, len(tt.want), "problems: %q", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

func TestLoadCRLFKeepsLines(t *testing.T) {
	src := strings.ReplaceAll(strings.Replace(goodEntry, "topic: min-max-income", "topic: x", 1), "\n", "\r\n")
	_, err := Load(testFS(map[string]string{"faq/floor.md": src, "faq/age.md": ageEntry}))
	assert.Equal(t, []string{`faq/floor.md:3: chủ đề "x" không có trong topics.yaml`}, problemsOf(t, err))
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	bad := strings.Replace(strings.Replace(goodEntry, "topic: min-max-income", "topic: nope", 1),
		"reviewed: 2026-11-26", "reviewed: hôm qua", 1) + "\n# H\n"
	dup := strings.Replace(ageEntry, "id: age", "id: floor", 1)
	_, err := Load(testFS(map[string]string{"faq/floor.md": bad, "faq/age.md": dup}))
	got := problemsOf(t, err)
	assert.Equal(t, []string{
		`faq/age.md:2: id "floor" phải trùng tên tệp (age.md); đổi một trong hai cho khớp`,
		`faq/floor.md:2: id "floor" đã dùng ở faq/age.md; mỗi câu hỏi cần một id riêng`,
		`faq/floor.md:3: chủ đề "nope" không có trong topics.yaml`,
		// No "related: age" problem: age.md exists, its own problem is reported above.
		`faq/floor.md:13: reviewed: ngày "hôm qua" không đúng dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-26`,
		`faq/floor.md:17: không dùng tiêu đề (#) trong câu trả lời; hãy viết **chữ đậm** thay thế`,
	}, got)
	assert.Contains(t, err.Error(), "faq/floor.md:3: chủ đề")
}

func TestLoadDuplicateID(t *testing.T) {
	// Two files cannot both be named floor.md, but an id can be copied into
	// another file: both the mismatch and the duplicate are reported.
	copyOf := strings.Replace(goodEntry, "related: [age]", "related: []", 1)
	_, err := Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/floor-copy.md": copyOf, "faq/age.md": ageEntry}))
	got := problemsOf(t, err)
	require.Len(t, got, 2, "%q", got)
	assert.Contains(t, got[0], `faq/floor-copy.md:2: id "floor" phải trùng tên tệp`)
	assert.Contains(t, got[1], `faq/floor.md:2: id "floor" đã dùng ở faq/floor-copy.md`)
}

func TestLoadTopicsProblems(t *testing.T) {
	tests := []struct {
		name, topics string
		want         string
	}{
		{"missing list", "foo: 1\n", "topics.yaml:1: cần một danh sách `topics:`"},
		{"duplicate slug", "topics:\n  - slug: a\n  - slug: a\n", `topics.yaml:3: chủ đề "a" bị lặp (đã có ở dòng 2)`},
		{"bad slug", "topics:\n  - slug: A b\n", `topics.yaml:2: slug "A b" không hợp lệ`},
		{"syntax", "topics: [\n", "topics.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFS(map[string]string{"faq/age.md": ageEntry})
			fsys["topics.yaml"] = &fstest.MapFile{Data: []byte(tt.topics)}
			got := problemsOf(t, mustFail(Load(fsys)))
			assert.Contains(t, strings.Join(got, "\n"), tt.want)
		})
	}
}

func mustFail(_ *KB, err error) error { return err }

func TestLoadMissingDirs(t *testing.T) {
	got := problemsOf(t, mustFail(Load(fstest.MapFS{})))
	assert.Len(t, got, 2)
	// Said in words staff act on, not "open topics.yaml: no such file or directory".
	assert.Equal(t, "faq: không có thư mục câu hỏi faq/ trong thư mục nội dung (chép từ content/faq)", got[0])
	assert.Equal(t, "topics.yaml: danh sách chủ đề: không có tệp này trong thư mục nội dung; bot cần nó (chép từ content/topics.yaml)", got[1])
	_, err := LoadSynonyms(fstest.MapFS{})
	assert.Equal(t, []string{"synonyms.txt: danh sách viết tắt: không có tệp này trong thư mục nội dung; bot cần nó (chép từ content/synonyms.txt)"}, problemsOf(t, err))

	got = problemsOf(t, mustFail(Load(fstest.MapFS{"topics.yaml": {Data: []byte(testTopics)}, "faq/.keep": {}})))
	assert.Equal(t, []string{"faq: chưa có câu hỏi nào (cần ít nhất một tệp .md)"}, got)
}

func FuzzLoad(f *testing.F) {
	f.Add(goodEntry)
	f.Add(ageEntry)
	f.Add("---\n---\n")
	f.Add("---\nid: [\n---\n# x\n| a |\n|---|\n")
	f.Add("---\nalternates: {a: b}\nrelated: [[x]]\nreviewed: [1]\n---\n<b>x</b> ![i](j) [a](javascript:x)\n")
	f.Fuzz(func(t *testing.T, src string) {
		kb, err := Load(testFS(map[string]string{"faq/floor.md": src, "faq/age.md": ageEntry}))
		if err != nil {
			var p *Problems
			if !errors.As(err, &p) || len(p.List) == 0 {
				t.Fatalf("error %v is not a non-empty *Problems", err)
			}
			for _, pr := range p.List {
				if pr.File == "" || pr.Msg == "" || pr.Line < 0 {
					t.Fatalf("bad problem %+v", pr)
				}
			}
			return
		}
		for _, e := range kb.Entries() {
			if _, err := RenderHTML(e.Body); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestLoadReportsFilesItDoesNotRead(t *testing.T) {
	_, err := Load(testFS(map[string]string{
		"faq/floor.md":      goodEntry,
		"faq/age.md":        ageEntry,
		"faq/new.md.txt":    goodEntry,
		"faq/NEW.MD":        goodEntry,
		"faq/old/x.md":      goodEntry,
		"faq/.DS_Store":     "x",
		"faq/.floor.md.swp": "x",
	}))
	assert.Equal(t, []string{
		`faq/NEW.MD: tệp này không được đọc: câu hỏi phải là tệp có đuôi .md viết thường (Windows có thể đang ẩn đuôi .txt)`,
		`faq/new.md.txt: tệp này không được đọc: câu hỏi phải là tệp có đuôi .md viết thường (Windows có thể đang ẩn đuôi .txt)`,
		`faq/old: thư mục con trong faq/ không được đọc; đặt mỗi câu hỏi là một tệp .md ngay trong faq/`,
	}, problemsOf(t, err))
}

func TestLoadBrokenFileIsNotAlsoADanglingRelated(t *testing.T) {
	// age.md links to floor; floor.md is broken: only floor.md's own problem is reported.
	broken := strings.Replace(goodEntry, "question: Thu nhập thấp nhất là bao nhiêu?", "question: [Thu nhập", 1)
	_, err := Load(testFS(map[string]string{"faq/floor.md": broken, "faq/age.md": ageEntry}))
	got := problemsOf(t, err)
	require.Len(t, got, 1, "got %q", got)
	assert.Contains(t, got[0], "faq/floor.md:4:")
}

func TestLoadDuplicateRelated(t *testing.T) {
	dup := strings.Replace(goodEntry, "related: [age]", "related: [age, age]", 1)
	_, err := Load(testFS(map[string]string{"faq/floor.md": dup, "faq/age.md": ageEntry}))
	assert.Equal(t, []string{`faq/floor.md:10: related: "age" đã có ở trên, bỏ dòng trùng`}, problemsOf(t, err))
}

func TestLoadCopiedEntryUnderANewID(t *testing.T) {
	// A file copied under a new id and name: the id is fine, but the bot
	// would show two identical buttons and split the search between them.
	copyOf := strings.Replace(goodEntry, "id: floor", "id: floor-copy", 1)
	_, err := Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/floor-copy.md": copyOf, "faq/age.md": ageEntry}))
	got := problemsOf(t, err)
	require.Len(t, got, 2, "%q", got)
	assert.Contains(t, got[0], "faq/floor.md:4: question giống hệt câu hỏi ở faq/floor-copy.md")
	assert.Contains(t, got[1], "faq/floor.md:15: phần trả lời giống hệt faq/floor-copy.md")

	t.Run("same question in other words of case and spacing", func(t *testing.T) {
		other := strings.Replace(ageEntry, "question: Bao nhiêu tuổi được tham gia?", "question: thu nhập thấp  nhất là bao nhiêu", 1)
		got := problemsOf(t, mustFail(Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/age.md": other}))))
		assert.Equal(t, []string{"faq/floor.md:4: question giống hệt câu hỏi ở faq/age.md: khi bot hỏi lại sẽ có hai nút bấm giống nhau; " +
			"sửa câu hỏi cho khác, hoặc xoá tệp chép thừa"}, got)
	})
	t.Run("different questions and answers are fine", func(t *testing.T) {
		_, err := Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/age.md": ageEntry}))
		require.NoError(t, err)
	})
}

func TestLoadAlternateIndentedDifferently(t *testing.T) {
	// "   - dong bhxh tn thap nhat" (3 spaces) is read by YAML as the end of
	// the alternate above: "thu nhap thap nhat bn - dong bhxh tn thap nhat".
	bad := strings.Replace(goodEntry, "\n  - dong bhxh tn thap nhat\n", "\n   - dong bhxh tn thap nhat\n", 1)
	fsys := testFS(map[string]string{"faq/floor.md": bad, "faq/age.md": ageEntry})
	got := problemsOf(t, mustFail(Load(fsys)))
	require.Len(t, got, 2, "%q", got)
	assert.Contains(t, got[0], "faq/floor.md:5: alternates: cần ít nhất 3 cách hỏi khác (đang có 2)")
	assert.Contains(t, got[1], "faq/floor.md:7: dòng này bắt đầu bằng `- ` nhưng không thành một mục riêng")

	t.Run("a dash inside a block scalar is text", func(t *testing.T) {
		block := strings.Replace(goodEntry, "question: Thu nhập thấp nhất là bao nhiêu?", "question: |\n  Thu nhập thấp nhất\n  - là bao nhiêu?", 1)
		_, err := Load(testFS(map[string]string{"faq/floor.md": block, "faq/age.md": ageEntry}))
		require.NoError(t, err)
	})
	t.Run("with four alternates only the merge is reported", func(t *testing.T) {
		four := strings.Replace(bad, "  - it nhat bao nhieu\n", "  - it nhat bao nhieu\n  - toi thieu bao nhieu\n", 1)
		got := problemsOf(t, mustFail(Load(testFS(map[string]string{"faq/floor.md": four, "faq/age.md": ageEntry}))))
		assert.Equal(t, []string{"faq/floor.md:7: dòng này bắt đầu bằng `- ` nhưng không thành một mục riêng: nó thụt vào khác các dòng ở trên " +
			"nên bị nhập vào mục phía trên; thụt vào đúng bằng các mục khác (thường là 2 dấu cách)"}, got)
	})
}

func TestLoadGuessInSources(t *testing.T) {
	// Sources are shown to citizens under every answer: a guess is refused.
	guess := strings.Replace(goodEntry, `  - "Luật BHXH 41/2024/QH15, Điều 31"`, `  - "Nghị định 188/2025/NĐ-CP, có lẽ Điều 6"`, 1)
	got := problemsOf(t, mustFail(Load(testFS(map[string]string{"faq/floor.md": guess, "faq/age.md": ageEntry}))))
	assert.Equal(t, []string{`faq/floor.md:12: sources: "có lẽ" là phỏng đoán, người dân sẽ đọc thấy; ghi điều đã biết chắc, hoặc chỉ tên văn bản và điều khoản`}, got)
	flow := strings.Replace(ageEntry, `sources: ["Luật BHXH 41/2024/QH15, Điều 2"]`, `sources: ["Luật BHXH 41/2024/QH15, Điều 2 (co le khoản 4)"]`, 1)
	got = problemsOf(t, mustFail(Load(testFS(map[string]string{"faq/floor.md": goodEntry, "faq/age.md": flow}))))
	assert.Equal(t, []string{`faq/age.md:6: sources: "co le" là phỏng đoán, người dân sẽ đọc thấy; ghi điều đã biết chắc, hoặc chỉ tên văn bản và điều khoản`}, got)
}
