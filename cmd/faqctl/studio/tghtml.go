package studio

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Telegram HTML (the subset the bot sends: b, i, u, s, a, code, pre,
// blockquote, spoilers and their aliases) is drawn in the page by
// tgToHTML: every tag of the subset becomes a fixed tag of ours, every
// other character is escaped again, links keep only http(s), tg and mailto
// addresses. Nothing the bot sent reaches the page as markup of its own.

// tgTags maps the tags of Telegram's subset to what the page uses.
var tgTags = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "tg-spoiler": "span", "span": "span", "tg-emoji": "span", "a": "a",
}

// maxTGDepth bounds nesting (the bot nests two or three tags at most).
const maxTGDepth = 16

// tgToHTML turns Telegram HTML into markup for the page.
func tgToHTML(s string) template.HTML {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	var stack []string // the page's tags open, innermost last
	var names []string // the Telegram names they came from
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				b.WriteString("&lt;")
				i++
				continue
			}
			raw := s[i+1 : i+j]
			if end, ok := strings.CutPrefix(raw, "/"); ok {
				name := strings.ToLower(strings.TrimSpace(end))
				k := len(names) - 1
				for k >= 0 && names[k] != name {
					k--
				}
				if k < 0 {
					b.WriteString(html.EscapeString(s[i : i+j+1]))
				} else {
					for len(stack) > k {
						b.WriteString("</" + stack[len(stack)-1] + ">")
						stack, names = stack[:len(stack)-1], names[:len(names)-1]
					}
				}
				i += j + 1
				continue
			}
			name, attrs := parseTGTag(raw)
			tag, ok := tgTags[name]
			if !ok || len(stack) >= maxTGDepth {
				b.WriteString(html.EscapeString(s[i : i+j+1]))
				i += j + 1
				continue
			}
			b.WriteString(openTag(name, tag, attrs))
			stack, names = append(stack, tag), append(names, name)
			i += j + 1
		case '&':
			r, n := tgEntity(s[i:])
			if n == 0 {
				b.WriteString("&amp;")
				i++
				continue
			}
			b.WriteString(html.EscapeString(string(r)))
			i += n
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(html.EscapeString(string(r)))
			i += n
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		b.WriteString("</" + stack[k] + ">")
	}
	return template.HTML(b.String()) // #nosec: built only from fixed tags and escaped text
}

// openTag is the page's start tag for a Telegram tag.
func openTag(name, tag string, attrs map[string]string) string {
	switch {
	case name == "a":
		if href, ok := safeHref(attrs["href"]); ok {
			return `<a href="` + html.EscapeString(href) + `" rel="noopener noreferrer" target="_blank">`
		}
		return `<a>`
	case name == "tg-spoiler" || (name == "span" && attrs["class"] == "tg-spoiler"):
		return `<span class="spoiler">`
	case name == "blockquote":
		return `<blockquote>`
	}
	return "<" + tag + ">"
}

// safeHref keeps web, Telegram and mail addresses.
func safeHref(h string) (string, bool) {
	h = strings.TrimSpace(h)
	low := strings.ToLower(h)
	for _, p := range []string{"https://", "http://", "tg://", "mailto:"} {
		if strings.HasPrefix(low, p) && !strings.ContainsAny(h, " \t\r\n\"'<>`") {
			return h, true
		}
	}
	return "", false
}

// parseTGTag splits the inside of a start tag into a lower-case name and
// its attributes (values entity-decoded). A malformed tag has no name.
func parseTGTag(raw string) (string, map[string]string) {
	raw = strings.TrimSpace(raw)
	n := 0
	for n < len(raw) && (isAlnum(raw[n]) || raw[n] == '-') {
		n++
	}
	name := strings.ToLower(raw[:n])
	attrs := map[string]string{}
	rest := raw[n:]
	for {
		rest = strings.TrimLeft(rest, " \t\r\n")
		if rest == "" {
			return name, attrs
		}
		k := 0
		for k < len(rest) && (isAlnum(rest[k]) || rest[k] == '-' || rest[k] == '_') {
			k++
		}
		if k == 0 {
			return "", nil
		}
		key := strings.ToLower(rest[:k])
		rest = strings.TrimLeft(rest[k:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			attrs[key] = ""
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		var val string
		switch {
		case rest == "":
			return "", nil
		case rest[0] == '"' || rest[0] == '\'':
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return "", nil
			}
			val, rest = rest[1:1+end], rest[2+end:]
		default:
			end := strings.IndexAny(rest, " \t\r\n")
			if end < 0 {
				end = len(rest)
			}
			val, rest = rest[:end], rest[end:]
		}
		attrs[key] = decodeTG(val)
	}
}

// decodeTG decodes Telegram's entities in s; an unknown one stays as typed.
func decodeTG(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			if r, n := tgEntity(s[i:]); n > 0 {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// tgEntity reads the entity at the start of s (&lt; &gt; &amp; &quot;
// &#NN; &#xHH;) and returns it and its length; 0 when there is none.
func tgEntity(s string) (rune, int) {
	j := strings.IndexByte(s, ';')
	if j < 2 || j > 12 {
		return 0, 0
	}
	name := s[1:j]
	switch name {
	case "lt":
		return '<', j + 1
	case "gt":
		return '>', j + 1
	case "amp":
		return '&', j + 1
	case "quot":
		return '"', j + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return 0, 0
	}
	return rune(n), j + 1
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
