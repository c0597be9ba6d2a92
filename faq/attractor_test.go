package faq

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A tag whose words fill the questions labelled with another topic is
// reported with its file:line; a tag its own topic's questions use is not.
func TestWarningsTagAttractor(t *testing.T) {
	floor := strings.Replace(goodEntry, "tags: [mức sàn]", "tags: [mức sàn, tuổi]", 1)
	var labels strings.Builder
	labels.WriteString("question\tid\n")
	for i := range attractorMin + 5 {
		fmt.Fprintf(&labels, "con tôi %d tuổi có được tham gia không\tage\n", 15+i)
	}
	for i := range 10 {
		fmt.Fprintf(&labels, "mức sàn thấp nhất năm %d là bao nhiêu\tfloor\n", 2020+i)
	}
	w := onlyWarning(t, map[string]string{
		"faq/floor.md":        floor,
		"faq/age.md":          ageEntry,
		"questions/label.tsv": labels.String(),
	}, nil)
	assert.Equal(t, "faq/floor.md", w.File)
	assert.Equal(t, 9, w.Line)
	assert.Contains(t, w.Msg, `thẻ "tuổi"`)
	assert.Contains(t, w.Msg, "who-can-join")
}

// Questions with diacritics hold a tag's word only with its accents: "tưới"
// is not "tuổi", though both fold to "tuoi". Unaccented questions still
// count.
func TestWarningsTagAttractorReadsAccents(t *testing.T) {
	floor := strings.Replace(goodEntry, "tags: [mức sàn]", "tags: [mức sàn, tuổi]", 1)
	files := func(question string) map[string]string {
		var labels strings.Builder
		labels.WriteString("question\tid\n")
		for i := range attractorMin + 5 {
			fmt.Fprintf(&labels, question+"\tage\n", 15+i)
		}
		return map[string]string{"faq/floor.md": floor, "faq/age.md": ageEntry, "questions/label.tsv": labels.String()}
	}
	assert.Empty(t, warningsOf(t, files("tôi tưới cây %d năm có được tham gia không"), nil))

	w := onlyWarning(t, files("con toi %d tuoi co duoc tham gia khong"), nil)
	assert.Contains(t, w.Msg, `thẻ "tuổi"`)
}

// onlyWarning loads files, indexes them with syn and returns the one
// warning it expects.
func onlyWarning(t *testing.T, files map[string]string, syn *Synonyms) Problem {
	t.Helper()
	w := warningsOf(t, files, syn)
	require.Len(t, w, 1, "%v", w)
	return w[0]
}

// warningsOf loads files, indexes them with syn and returns the warnings.
func warningsOf(t *testing.T, files map[string]string, syn *Synonyms) []Problem {
	t.Helper()
	kb, err := Load(testFS(files))
	require.NoError(t, err)
	ix, err := NewIndex(kb, syn)
	require.NoError(t, err)
	defer ix.Close()
	return ix.Warnings()
}

// A labelled question whose asking part has an [outside] phrase its entry
// does not use is reported (the bot would refuse it even when it finds the
// entry); the same phrase in a none line, in the story before the question,
// or used by the entry itself is not.
func TestWarningsLabelledOutside(t *testing.T) {
	age := strings.Replace(ageEntry, "Từ đủ 15 tuổi.", "Từ đủ 15 tuổi, kể cả người chạy xe ôm.", 1)
	labels := "question\tid\n" +
		"mức sàn thấp nhất là bao nhiêu, tôi đóng như mua bảo hiểm xe máy được không\tfloor\n" +
		"Tôi đi giao hàng bằng xe máy. Cho tôi hỏi mức thấp nhất là bao nhiêu?\tfloor\n" +
		"bảo hiểm xe máy mua ở đâu\tnone\n" +
		"chạy xe ôm mấy tuổi được tham gia\tage\n"
	syn, err := ParseSynonyms("synonyms.txt", []byte("[outside]\nxe máy, xe ôm\n"))
	require.NoError(t, err)
	w := onlyWarning(t, map[string]string{
		"faq/floor.md":        goodEntry,
		"faq/age.md":          age,
		"questions/label.tsv": labels,
	}, syn)
	assert.Equal(t, "questions/label.tsv", w.File)
	assert.Equal(t, 2, w.Line)
	assert.Contains(t, w.Msg, `"xe máy"`)
	assert.Contains(t, w.Msg, "floor")
}
