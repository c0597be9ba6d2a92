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
	kb, err := Load(testFS(map[string]string{
		"faq/floor.md":        floor,
		"faq/age.md":          ageEntry,
		"questions/label.tsv": labels.String(),
	}))
	require.NoError(t, err)
	ix, err := NewIndex(kb, nil)
	require.NoError(t, err)
	defer ix.Close()
	w := ix.Warnings()
	require.Len(t, w, 1, "%v", w)
	assert.Equal(t, "faq/floor.md", w[0].File)
	assert.Equal(t, 9, w[0].Line)
	assert.Contains(t, w[0].Msg, `thẻ "tuổi"`)
	assert.Contains(t, w[0].Msg, "who-can-join")
}
