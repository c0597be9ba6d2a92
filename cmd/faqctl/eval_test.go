package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvalJSON(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "q.tsv")
	require.NoError(t, os.WriteFile(file, []byte("question\ttopic\textra\n"+
		"rut bhxh 1 lan khi nao dc\tlump-sum-withdrawal\tx\n"+
		"mua bhyt hgđ hết bn\thousehold-hi-rate\n"+
		"số tổng đài bhxh\thotline-contact\n"+
		"công thức làm bánh flan\tnone\n"), 0o644))
	code, out, stderr := runCmd(t, "eval", file, "--json", "-content", fixtureContent)
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Len(t, got, 6, "exactly the documented keys: %s", out)
	assert.EqualValues(t, 3, got["total"])
	assert.EqualValues(t, 1, got["top1"])
	assert.EqualValues(t, 1, got["top3"])
	assert.EqualValues(t, 1, got["mrr"])
	assert.EqualValues(t, 1, got["none_total"])
	assert.EqualValues(t, 1, got["none_accuracy"])

	code, out, _ = runCmd(t, "eval", "-content", fixtureContent, "--baseline", "--fold", "-v", file)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "top-1")
	assert.Contains(t, out, "Chủ đề yếu nhất")
}
