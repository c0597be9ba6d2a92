package faq

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
)

// TestShippedContent loads the embedded content exactly as the bot does:
// it must pass validation, cover every topic, and find each entry's topic
// among the first 3 hits for the entry's own canonical question (top-1
// misses are logged: they point at entries that overlap).
func TestShippedContent(t *testing.T) {
	ix, err := Open(content.FS())
	require.NoError(t, err)
	defer ix.Close()
	kb := ix.KB()
	covered := map[string]int{}
	for _, e := range kb.Entries() {
		covered[e.Topic]++
	}
	for _, tp := range kb.Topics() {
		assert.Positive(t, covered[tp.Slug], "no entry for topic %s", tp.Slug)
	}
	for _, e := range kb.Entries() {
		html, err := RenderHTML(e.Body)
		require.NoError(t, err)
		assertTelegramHTML(t, html)
		res, err := ix.Search(context.Background(), e.Question)
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, e.ID)
		var topics []string
		for _, h := range res.Hits[:min(3, len(res.Hits))] {
			topics = append(topics, h.Entry.Topic)
		}
		assert.Contains(t, topics, e.Topic, "canonical question of %s", e.ID)
		if topics[0] != e.Topic {
			t.Logf("canonical question of %s finds %s first", e.ID, res.Hits[0].Entry.ID)
		}
	}
}
