package faq

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
)

// TestShippedContent loads the embedded content exactly as the bot does:
// it must pass validation, cover every topic, and answer its own canonical
// questions.
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
		res, err := ix.Search(context.Background(), e.Question)
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, e.ID)
		assert.Equal(t, e.Topic, res.Hits[0].Entry.Topic, "canonical question of %s found %s", e.ID, res.Hits[0].Entry.ID)
	}
}
