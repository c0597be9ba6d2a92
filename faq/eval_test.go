package faq

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEvalSet(t *testing.T) {
	src := "# comment\nquestion\ttopic\textra\n\nrút 1 lần\tlump-sum-withdrawal\tnote\nbánh flan\tnone\nthời tiết\tother\n"
	cases, err := ParseEvalSet("q.tsv", strings.NewReader(src))
	require.NoError(t, err)
	require.Len(t, cases, 3)
	assert.Equal(t, EvalCase{Line: 4, Question: "rút 1 lần", Topic: "lump-sum-withdrawal"}, cases[0])
	assert.True(t, cases[1].OffTopic())
	assert.True(t, cases[2].OffTopic())
	assert.False(t, cases[0].OffTopic())

	_, err = ParseEvalSet("q.tsv", strings.NewReader("a\tb\nno tab here\n"))
	assert.Equal(t, []string{"q.tsv:2: cần dạng `câu hỏi<TAB>chủ đề`"}, problemsOf(t, err))

	// Not a question file (a binary, another encoding, one endless line):
	// problems with their line, not a Go error ("bufio.Scanner: token too long").
	_, err = ParseEvalSet("q.tsv", strings.NewReader("a\tb\nc\xe1\tnone\n"))
	assert.Equal(t, []string{"q.tsv:2: dòng không phải UTF-8; lưu lại tệp bằng mã UTF-8"}, problemsOf(t, err))
	_, err = ParseEvalSet("q.tsv", strings.NewReader("a\tb\n"+strings.Repeat("x", 2<<20)))
	assert.Equal(t, []string{"q.tsv:2: dòng dài quá 1 MB: đây không phải tệp câu hỏi `câu hỏi<TAB>chủ đề`?"}, problemsOf(t, err))
}

func TestEvaluate(t *testing.T) {
	ix := testIndex(t)
	cases := []EvalCase{
		{Question: "rút bhxh 1 lần khi nào được", Topic: "lump-sum-withdrawal"},
		{Question: "số tổng đài bhxh", Topic: "hotline-contact"},
		{Question: "số tổng đài bhxh", Topic: "min-max-income"}, // deliberately wrong label
		{Question: "công thức làm bánh flan", Topic: "none"},
	}
	r, err := Evaluate(context.Background(), ix, cases, false)
	require.NoError(t, err)
	assert.Equal(t, 3, r.Total)
	assert.InDelta(t, 2.0/3, r.Top1, 1e-9)
	assert.Equal(t, 1, r.NoneTotal)
	assert.InDelta(t, 1.0, r.NoneAccuracy, 1e-9)
	require.Len(t, r.Misses, 1)
	assert.Equal(t, "min-max-income", r.Misses[0].Case.Topic)
	assert.Equal(t, "min-max-income", r.Topics[0].Topic, "worst topic first")
	assert.Less(t, r.MRR, 1.0)

	folded, err := Evaluate(context.Background(), ix, cases, true)
	require.NoError(t, err)
	assert.Equal(t, r.Total, folded.Total)
}

func TestParseEvalSetAltTopic(t *testing.T) {
	src := "question\ttopic\tstyle\talt_topic\nrút 1 lần\tlump-sum-withdrawal\tchat\tlump-sum-vs-pension|survivor-benefits\nthuế\tother\tchat\t\n"
	cases, err := ParseEvalSet("q.tsv", strings.NewReader(src))
	require.NoError(t, err)
	require.Len(t, cases, 2)
	assert.Equal(t, []string{"lump-sum-vs-pension", "survivor-benefits"}, cases[0].AltTopics)
	assert.True(t, cases[0].Accepts("lump-sum-withdrawal"))
	assert.True(t, cases[0].Accepts("survivor-benefits"))
	assert.False(t, cases[0].Accepts("funeral-grant"))
	assert.False(t, cases[0].Accepts(""))
	assert.Nil(t, cases[1].AltTopics)
}

func TestEvaluateWrongAndPrecision(t *testing.T) {
	ix := testIndex(t)
	right, err := ix.Search(context.Background(), "số tổng đài bhxh")
	require.NoError(t, err)
	require.Equal(t, DecisionAnswer, right.Decision, "precondition: a direct answer")
	topic := right.Hits[0].Entry.Topic
	cases := []EvalCase{
		{Question: "số tổng đài bhxh", Topic: topic},
		{Question: "số tổng đài bhxh", Topic: "min-max-income"},                             // answered on a wrong topic
		{Question: "số tổng đài bhxh", Topic: "min-max-income", AltTopics: []string{topic}}, // the alternative accepts it
	}
	r, err := Evaluate(context.Background(), ix, cases, false)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/3, r.Wrong, 1e-9)
	assert.InDelta(t, 2.0/3, r.Precision, 1e-9)
	assert.InDelta(t, 1.0, r.AnswerRate, 1e-9)
	assert.InDelta(t, 0.0, r.NoneRate, 1e-9)
	assert.InDelta(t, 2.0/3, r.Top1, 1e-9)
}
