package faq

import (
	"context"
	"os"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadLabelled(t *testing.T) {
	fsys := testFS(map[string]string{
		"faq/floor.md": goodEntry,
		"faq/age.md":   ageEntry,
		"questions/a.tsv": "\uFEFFquestion\tid\n" +
			"# staff note\n" +
			"em bán hàng rong muốn đóng ít nhất thì bao nhiêu\tfloor\r\n" +
			"\n" +
			"công thức làm bánh flan\tnone\n",
		"questions/b.tsv": "15 tuổi đã được đóng chưa\tage\n",
	})
	kb, err := Load(fsys)
	require.NoError(t, err)
	got := kb.Labelled()
	require.Len(t, got, 3)
	assert.Equal(t, Labelled{File: "questions/a.tsv", Line: 3, Question: "em bán hàng rong muốn đóng ít nhất thì bao nhiêu", ID: "floor"}, got[0])
	assert.Equal(t, NoneID, got[1].ID)
	assert.Equal(t, "questions/b.tsv", got[2].File)
}

func TestLoadLabelledProblems(t *testing.T) {
	fsys := testFS(map[string]string{
		"faq/floor.md": goodEntry,
		"faq/age.md":   ageEntry,
		"questions/a.tsv": "question\tid\n" +
			"no tab here\n" +
			"câu hỏi\tnowhere\n" +
			"một\thai\tba\n" +
			"Đóng ít nhất bao nhiêu?\tfloor\n" +
			"dong it nhat bao nhieu?\tage\n" +
			"ĐÓNG ÍT NHẤT BAO NHIÊU?\tfloor\n" +
			"đóng\x0c tối thiểu là bao nhiêu\tfloor\r\n",
		"questions/notes.txt": "x",
		"questions/bad.tsv":   "\xff\xfe\tfloor\n",
	})
	_, err := Load(fsys)
	assert.Equal(t, []string{
		"questions/a.tsv:2: cần đúng hai cột `câu hỏi<TAB>id` (id của câu trả lời trong faq/, hoặc none)",
		`questions/a.tsv:3: không có câu trả lời nào có id "nowhere" (kiểm tra tên tệp faq/nowhere.md, hoặc ghi none nếu bot không được trả lời câu này)`,
		"questions/a.tsv:4: cần đúng hai cột `câu hỏi<TAB>id` (id của câu trả lời trong faq/, hoặc none)",
		`questions/a.tsv:6: câu hỏi này đã gán cho "floor" ở questions/a.tsv:5; một câu chỉ có một câu trả lời`,
		"questions/a.tsv:7: câu hỏi trùng với questions/a.tsv:5; bỏ dòng trùng",
		// A form feed pasted from Word; a CRLF line end is not one.
		"questions/a.tsv:8: ký tự điều khiển U+000C không nhìn thấy ở cột 5 (thường do dán từ Word hoặc PDF): xoá nó",
		"questions/bad.tsv: tệp không phải UTF-8; lưu lại bằng mã UTF-8",
		"questions/notes.txt: tệp này không được đọc: câu hỏi có nhãn phải là tệp .tsv ngay trong questions/",
	}, problemsOf(t, err))
}

func TestLabelledQuestionsTeachTheModel(t *testing.T) {
	// "bánh mì" is a word no entry uses; labelled under the hotline entry,
	// the model learns it. Without the label, the question is not taken
	// for the hotline.
	base, err := os.ReadFile("testdata/kb/topics.yaml")
	require.NoError(t, err)
	fsys := fstest.MapFS{"topics.yaml": {Data: base}}
	entries, err := os.ReadDir("testdata/kb/faq")
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile("testdata/kb/faq/" + e.Name())
		require.NoError(t, err)
		fsys["faq/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	syn, err := os.ReadFile("testdata/kb/synonyms.txt")
	require.NoError(t, err)
	fsys["synonyms.txt"] = &fstest.MapFile{Data: syn}

	q := "chú bán bánh mì hỏi gọi số nào"
	before, err := Open(fsys)
	require.NoError(t, err)
	defer before.Close()
	rb, err := before.Search(context.Background(), q)
	require.NoError(t, err)

	fsys["questions/staff.tsv"] = &fstest.MapFile{Data: []byte("question\tid\n" +
		"bán bánh mì thì gọi ai\thotline\n" +
		"người bán bánh mì hỏi số nào để gọi\thotline\n" +
		"tôi bán bánh mì cần gọi tổng đài\thotline\n")}
	after, err := Open(fsys)
	require.NoError(t, err)
	defer after.Close()
	ra, err := after.Search(context.Background(), q)
	require.NoError(t, err)
	require.NotEmpty(t, ra.Hits)
	assert.Equal(t, "hotline", ra.Hits[0].Entry.ID)
	assert.Greater(t, ra.Signals.Topic, rb.Signals.Topic, "the labelled questions raise the model's confidence")
}
