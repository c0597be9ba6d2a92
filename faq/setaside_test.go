package faq

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetAsideIsNotLearnt(t *testing.T) {
	fsys := testFS(map[string]string{
		"faq/floor.md":    goodEntry,
		"faq/age.md":      ageEntry,
		"questions/a.tsv": "question\tid\nđóng ít nhất bao nhiêu\tfloor\n",
		"questions/needed.tsv": "question\tnote\n# staff\nbảo hiểm cho chó mèo có không\tcần bài mới\n" +
			"hưu trí ở Nhật\n",
		"questions/ignored.tsv": "\uFEFFquestion\tnote\nalo alo\tthử máy\r\n",
	})
	kb, err := Load(fsys)
	require.NoError(t, err)
	require.Len(t, kb.Labelled(), 1, "needed.tsv and ignored.tsv are not labelled questions")

	needed, ignored, err := LoadSetAside(fsys)
	require.NoError(t, err)
	assert.Equal(t, []SetAside{
		{File: NeededFile, Line: 3, Question: "bảo hiểm cho chó mèo có không", Note: "cần bài mới"},
		{File: NeededFile, Line: 4, Question: "hưu trí ở Nhật"},
	}, needed)
	assert.Equal(t, []SetAside{{File: IgnoredFile, Line: 2, Question: "alo alo", Note: "thử máy"}}, ignored)
}

func TestSetAsideProblems(t *testing.T) {
	fsys := testFS(map[string]string{
		"faq/floor.md": goodEntry,
		"faq/age.md":   ageEntry,
		"questions/needed.tsv": "question\tnote\n" +
			"một\thai\tba\n" +
			"\tchỉ có ghi chú\n" +
			"Alo ALO\tlần hai\n" +
			"hỏi\t" + string(make([]rune, maxNoteRunes+1)) + "\n",
		"questions/ignored.tsv": "alo alo\n",
	})
	want := []string{
		"questions/needed.tsv:2: cần `câu hỏi<TAB>ghi chú` (ghi chú có thể để trống), không quá hai cột",
		"questions/needed.tsv:3: cần `câu hỏi<TAB>ghi chú` (ghi chú có thể để trống), không quá hai cột",
		"questions/needed.tsv:4: câu hỏi trùng với questions/ignored.tsv:1; một câu chỉ để riêng một lần (needed.tsv hoặc ignored.tsv), bỏ dòng trùng",
		"questions/needed.tsv:5: ghi chú dài quá 300 ký tự",
	}
	_, err := Load(fsys)
	assert.Equal(t, want, problemsOf(t, err), "Load (and so lint) checks the files")
	_, _, err = LoadSetAside(fsys)
	assert.Equal(t, want, problemsOf(t, err))
}

func TestSetAsideMissingFiles(t *testing.T) {
	needed, ignored, err := LoadSetAside(testFS(map[string]string{"faq/floor.md": goodEntry}))
	require.NoError(t, err)
	assert.Empty(t, needed)
	assert.Empty(t, ignored)
}
