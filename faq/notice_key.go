package faq

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// RenderedNotice is a notice in force, rendered for a day, with its key.
type RenderedNotice struct {
	Key  string // stays the same while the notice's start and text do
	HTML string
}

// Key identifies a notice for those who receive each notice once (the
// reminders' news): a hash of its start day and text, so a new notice or a
// rewritten one is new, and moving its expiry is not.
func (n Notice) Key() string {
	h := sha256.Sum256([]byte(n.From.Format(dateLayout) + "\n" + n.Text))
	return hex.EncodeToString(h[:8])
}

// RenderNotices renders the notices in force on day d with the amounts of
// a (as NoticesHTML), with their keys; a notice that cannot be rendered is
// left out (faqctl lint reports it).
func RenderNotices(notices []Notice, a *Amounts, d time.Time) []RenderedNotice {
	var out []RenderedNotice
	for _, n := range notices {
		if !n.Active(d) {
			continue
		}
		if html, err := a.renderNotice(n.Text, d); err == nil {
			out = append(out, RenderedNotice{Key: n.Key(), HTML: html})
		}
	}
	return out
}

// NoticesInForce is RenderNotices for the index's notices and amounts.
func (ix *Index) NoticesInForce(d time.Time) []RenderedNotice {
	return RenderNotices(ix.notices, ix.kb.amounts, d)
}
