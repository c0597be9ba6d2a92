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

// CheckControl names the line and the column (in characters) of the first
// control character of each line; a tab and a CRLF line end are not ones.
func TestCheckControl(t *testing.T) {
	var p Problems
	CheckControl("a.csv", []byte("x\ty\r\nđồng\vz\r\nok\n\f\x00\n"), &p)
	require.Len(t, p.List, 2)
	assert.Equal(t, "a.csv:2: ký tự điều khiển U+000B không nhìn thấy ở cột 5 (thường do dán từ Word hoặc PDF): xoá nó", p.List[0].String())
	assert.Equal(t, 4, p.List[1].Line)
	assert.Contains(t, p.List[1].Msg, "U+000C")
}
