package studio

import (
	"context"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// picker is the choice of an entry in a label form: the entries the search
// suggests first (for the question itself, or for words staff typed in the
// search box), then every entry by topic, then "none".
type picker struct {
	Find      string
	Suggested []option
	Topics    []topicOptions
	Selected  string
}

type option struct {
	ID, Question string
}

type topicOptions struct {
	Name    string
	Options []option
}

// maxSuggested is the most entries suggested first.
const maxSuggested = 6

func (s *Server) picker(ctx context.Context, g *generation, res faq.Result, find, selected string) picker {
	p := picker{Find: strings.TrimSpace(find), Selected: selected}
	kb := g.ix.KB()
	seen := map[string]bool{}
	add := func(e *faq.Entry) {
		if e != nil && !seen[e.ID] && len(p.Suggested) < maxSuggested {
			seen[e.ID] = true
			p.Suggested = append(p.Suggested, option{e.ID, e.Question})
		}
	}
	if p.Find != "" {
		// Words staff typed: entries whose id or question has them, then
		// what the search finds for them.
		f := vitext.Fold(p.Find)
		for _, e := range kb.Entries() {
			if strings.Contains(e.ID, f) || strings.Contains(vitext.Fold(e.Question), f) {
				add(e)
			}
		}
		if found, err := g.ix.SearchWith(ctx, p.Find, faq.SearchOptions{K: maxSuggested}); err == nil {
			for _, h := range found.Hits {
				add(h.Entry)
			}
		}
	} else {
		for _, h := range res.Hits {
			add(h.Entry)
		}
	}
	byTopic := map[string][]option{}
	for _, e := range kb.Entries() {
		byTopic[e.Topic] = append(byTopic[e.Topic], option{e.ID, e.Question})
	}
	for _, t := range kb.Topics() {
		if opts := byTopic[t.Slug]; len(opts) > 0 {
			p.Topics = append(p.Topics, topicOptions{Name: t.Covers, Options: opts})
		}
	}
	return p
}
