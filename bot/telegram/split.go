package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SplitHTML cuts Telegram HTML into parts of at most limit UTF-16 code units
// each (Telegram's 4096-character limit is counted in UTF-16 units; measuring
// the raw HTML, tags included, keeps every part within it). It cuts at a
// paragraph break if it can, else at a line break, else at a space, else
// between characters; never inside a tag or an entity such as &amp;. Tags
// open at a cut are closed at the end of the part and opened again, with
// their attributes, at the start of the next. Whitespace around cuts is
// dropped; parts without visible text are dropped, so an empty or blank
// input gives no part. Input within the limit comes back as one part,
// trimmed.
func SplitHTML(s string, limit int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if limit <= 0 {
		limit = maxMessageLen
	}
	toks := tokenize(s)
	if !hasVisible(toks) {
		return nil
	}
	if utf16Len(s) <= limit {
		return []string{s}
	}
	if tooDeep(toks) {
		// Only broken or hostile input nests this deep: send its text
		// without markup rather than risk invalid parts.
		return SplitHTML(plainText(toks), limit)
	}

	var parts []string
	var stack []openTag
	pos := 0
	for pos < len(toks) {
		for pos < len(toks) && toks[pos].space() {
			pos++
		}
		if pos == len(toks) {
			break
		}
		end, endStack := cut(toks, pos, stack, limit)
		last := end
		for last > pos && toks[last-1].space() {
			last--
		}
		if hasVisible(toks[pos:last]) {
			var b strings.Builder
			for _, t := range stack {
				b.WriteString(t.raw)
			}
			for _, t := range toks[pos:last] {
				b.WriteString(t.raw)
			}
			for i := len(endStack) - 1; i >= 0; i-- {
				b.WriteString("</" + endStack[i].name + ">")
			}
			parts = append(parts, b.String())
		}
		pos, stack = end, endStack
	}
	return parts
}

// cut finds where the part starting at token pos (with stack open) ends: the
// token index after the part and the tags open there.
func cut(toks []token, pos int, stack []openTag, limit int) (int, []openTag) {
	type candidate struct {
		end   int
		width int
		stack []openTag
	}
	var para, line, space, any candidate
	w := 0
	for _, t := range stack {
		w += len(t.raw)
	}
	st := append([]openTag(nil), stack...)
	i := pos
	for ; i < len(toks); i++ {
		next := applyTag(st, toks[i])
		if w+toks[i].width+closersWidth(next) > limit {
			break
		}
		w += toks[i].width
		st = next
		c := candidate{end: i + 1, width: w}
		switch {
		case toks[i].raw == "\n" && i > pos && toks[i-1].raw == "\n":
			c.stack = append([]openTag(nil), st...)
			para, line, any = c, c, c
		case toks[i].raw == "\n":
			c.stack = append([]openTag(nil), st...)
			line, any = c, c
		case toks[i].raw == " ":
			c.stack = append([]openTag(nil), st...)
			space, any = c, c
		default:
			any = c
			any.stack = nil // filled below if chosen
		}
	}
	if i == len(toks) {
		return i, st
	}
	half := limit / 2
	for _, c := range []candidate{para, line, space} {
		if c.end > pos && c.width >= half {
			return c.end, c.stack
		}
	}
	best := candidate{}
	for _, c := range []candidate{para, line, space} {
		if c.end > best.end {
			best = c
		}
	}
	if best.end > pos {
		return best.end, best.stack
	}
	if any.end > pos {
		return any.end, stackAt(toks, pos, stack, any.end)
	}
	// Not even one token fits next to the open tags: take it anyway so
	// the loop always advances (only pathological input gets here).
	return pos + 1, applyTag(append([]openTag(nil), stack...), toks[pos])
}

func stackAt(toks []token, pos int, stack []openTag, end int) []openTag {
	st := append([]openTag(nil), stack...)
	for _, t := range toks[pos:end] {
		st = applyTag(st, t)
	}
	return st
}

type tokenKind uint8

const (
	tokText tokenKind = iota // one character
	tokEntity
	tokOpen
	tokClose
)

type token struct {
	kind  tokenKind
	raw   string
	name  string // tag name for tags
	width int    // UTF-16 units of raw
}

func (t token) space() bool {
	return t.kind == tokText && (t.raw == " " || t.raw == "\n" || t.raw == "\t" || t.raw == "\r")
}

type openTag struct {
	name string
	raw  string // the opening tag as written, attributes included
}

// tokenize splits HTML into characters, entities and tags. A "<" without a
// closing ">" or a "&" that starts no entity is kept as a character.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s))
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				raw := s[i : i+j+1]
				inner := strings.TrimSpace(raw[1 : len(raw)-1])
				kind := tokOpen
				if strings.HasPrefix(inner, "/") {
					kind = tokClose
					inner = strings.TrimSpace(inner[1:])
				}
				name := inner
				if k := strings.IndexAny(inner, " \t\n/"); k >= 0 {
					name = inner[:k]
				}
				toks = append(toks, token{kind: kind, raw: raw, name: strings.ToLower(name), width: utf16Len(raw)})
				i += j + 1
				continue
			}
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j <= 10 && isEntityName(s[i+1:i+j]) {
				toks = append(toks, token{kind: tokEntity, raw: s[i : i+j+1], width: j + 1})
				i += j + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		toks = append(toks, token{kind: tokText, raw: s[i : i+n], width: w})
		i += n
	}
	return toks
}

func isEntityName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#') {
			return false
		}
	}
	return true
}

// applyTag returns the open-tag stack after t. A closing tag pops up to its
// matching opening tag; one without a match is ignored.
func applyTag(st []openTag, t token) []openTag {
	switch t.kind {
	case tokOpen:
		out := make([]openTag, len(st), len(st)+1)
		copy(out, st)
		return append(out, openTag{name: t.name, raw: t.raw})
	case tokClose:
		for k := len(st) - 1; k >= 0; k-- {
			if st[k].name == t.name {
				return st[:k:k]
			}
		}
	}
	return st
}

func closersWidth(st []openTag) int {
	w := 0
	for _, t := range st {
		w += len(t.name) + 3
	}
	return w
}

func hasVisible(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokEntity || t.kind == tokText && !t.space() {
			return true
		}
	}
	return false
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// maxDepth is the deepest tag nesting SplitHTML keeps markup for.
const maxDepth = 8

func tooDeep(toks []token) bool {
	var st []openTag
	for _, t := range toks {
		st = applyTag(st, t)
		if len(st) > maxDepth {
			return true
		}
	}
	return false
}

// plainText is the text of toks with tags dropped and entities kept.
func plainText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		switch t.kind {
		case tokText:
			switch t.raw {
			case "<":
				b.WriteString("&lt;")
			case ">":
				b.WriteString("&gt;")
			case "&":
				b.WriteString("&amp;")
			default:
				b.WriteString(t.raw)
			}
		case tokEntity:
			b.WriteString(t.raw)
		}
	}
	return b.String()
}
