package bot

import (
	"html"
	"strings"
	"unicode/utf8"
)

// This file is the one place where dynamic values become Telegram HTML.
// Telegram accepts only a small tag subset (b, i, u, s, a, code, pre,
// blockquote); every value that comes from a user, the content or the
// calculator goes through esc before it is put next to those tags.

// esc escapes a dynamic value for Telegram HTML (&, <, >, ", ').
func esc(s string) string { return html.EscapeString(s) }

// bold returns <b>value</b> with value escaped.
func bold(s string) string { return "<b>" + esc(s) + "</b>" }

// ital returns <i>value</i> with value escaped.
func ital(s string) string { return "<i>" + esc(s) + "</i>" }

// link returns an <a> tag; href and text are escaped.
func link(href, text string) string {
	return `<a href="` + esc(href) + `">` + esc(text) + "</a>"
}

// lines joins non-empty rendered lines with newlines.
func lines(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// clip shortens s to at most n runes, adding "…" when cut. Button labels use it.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// btn builds an inline button from a callback; invalid callbacks give a
// button with empty Data, which keyboard() drops.
func btn(text string, cb Callback) Button { return Button{Text: text, Data: cb.EncodeOrEmpty()} }

// keyboard drops buttons without data or URL, and empty rows.
func keyboard(rows ...[]Button) [][]Button {
	var out [][]Button
	for _, row := range rows {
		var r []Button
		for _, b := range row {
			if b.Data != "" || b.URL != "" {
				r = append(r, b)
			}
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}
