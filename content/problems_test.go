package content

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProblemsSortedAndFormatted(t *testing.T) {
	var p Problems
	require.NoError(t, p.Err(), "no problem is no error")
	p.Add("faq/b.md", 3, "thiếu %q", "question")
	p.Add("faq/a.md", 9, "chủ đề không có trong danh sách")
	p.Add("faq/a.md", 2, "id trùng")
	p.Add("topics.yaml", 0, "không đọc được")
	err := p.Err()
	require.Error(t, err)
	assert.Equal(t, "faq/a.md:2: id trùng\nfaq/a.md:9: chủ đề không có trong danh sách\nfaq/b.md:3: thiếu \"question\"\ntopics.yaml: không đọc được", err.Error())
}
