package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CheckHTML parses text the way Telegram does with parse_mode=HTML and
// returns the plain text (tags removed, entities decoded), or an error whose
// message is what Telegram puts after "Bad Request: can't parse entities: ".
//
// Rules (https://core.telegram.org/bots/api#html-style), applied strictly:
//   - tags: b, strong, i, em, u, ins, s, strike, del, a href="...", code,
//     pre, blockquote [expandable], tg-spoiler, span class="tg-spoiler",
//     tg-emoji emoji-id="..."; code class="language-x" only inside pre;
//     any other tag or attribute is refused;
//   - tags balanced and properly nested; no tag inside code or pre other
//     than one code directly in pre; no a inside a;
//   - every <, > and & that is not part of a tag or an entity refused; the
//     entities are &lt; &gt; &amp; &quot; and numeric &#NN; / &#xHH;;
//   - text must be UTF-8.
func CheckHTML(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("text must be encoded in UTF-8")
	}
	type open struct {
		name string
		at   int
	}
	var stack []open
	var plain strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '<':
			j := strings.IndexByte(text[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			raw := text[i+1 : i+j]
			if strings.HasPrefix(raw, "/") {
				name := strings.ToLower(strings.TrimSpace(raw[1:]))
				if len(stack) == 0 {
					return "", fmt.Errorf("unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if top.name != name {
					return "", fmt.Errorf("unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
			} else {
				name, attrs, err := parseTag(raw)
				if err != nil {
					return "", fmt.Errorf("%v at byte offset %d", err, i)
				}
				parent := ""
				if len(stack) > 0 {
					parent = stack[len(stack)-1].name
				}
				if err := checkTag(name, attrs, parent, stack2names(stack, func(o open) string { return o.name })); err != nil {
					return "", fmt.Errorf("%v at byte offset %d", err, i)
				}
				stack = append(stack, open{name: name, at: i})
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("character '>' is reserved and must be escaped as &gt; at byte offset %d", i)
		case '&':
			j := strings.IndexByte(text[i:], ';')
			if j < 0 || j > 12 {
				return "", fmt.Errorf("character '&' is reserved and must be escaped as &amp; at byte offset %d", i)
			}
			r, ok := entity(text[i+1 : i+j])
			if !ok {
				return "", fmt.Errorf("unsupported HTML entity %q at byte offset %d", text[i:i+j+1], i)
			}
			plain.WriteRune(r)
			i += j + 1
		default:
			plain.WriteByte(c)
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	return plain.String(), nil
}

func stack2names[T any](s []T, f func(T) string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"blockquote": true, "tg-spoiler": true, "span": true, "tg-emoji": true,
}

func checkTag(name string, attrs map[string]string, parent string, open []string) error {
	if !allowedTags[name] {
		return fmt.Errorf("unsupported start tag \"%s\"", name)
	}
	for _, o := range open {
		switch {
		case o == "pre" && name == "code" && parent == "pre":
		case o == "pre" || o == "code":
			return fmt.Errorf("tag \"%s\" is not allowed inside \"%s\"", name, o)
		case o == "a" && name == "a":
			return fmt.Errorf("nested \"a\" tags are not allowed")
		case o == "blockquote" && name == "blockquote":
			return fmt.Errorf("nested \"blockquote\" tags are not allowed")
		}
	}
	allowed := map[string]bool{}
	switch name {
	case "a":
		href, ok := attrs["href"]
		if !ok || strings.TrimSpace(href) == "" {
			return fmt.Errorf("tag \"a\" must have a non-empty href attribute")
		}
		allowed["href"] = true
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return fmt.Errorf("tag \"span\" must have class \"tg-spoiler\"")
		}
		allowed["class"] = true
	case "code":
		if cl, ok := attrs["class"]; ok {
			if parent != "pre" || !strings.HasPrefix(cl, "language-") {
				return fmt.Errorf("class of tag \"code\" must be \"language-...\" and only inside \"pre\"")
			}
			allowed["class"] = true
		}
	case "blockquote":
		allowed["expandable"] = true
	case "tg-emoji":
		if attrs["emoji-id"] == "" {
			return fmt.Errorf("tag \"tg-emoji\" must have emoji-id")
		}
		allowed["emoji-id"] = true
	}
	for k := range attrs {
		if !allowed[k] {
			return fmt.Errorf("unsupported attribute \"%s\" in tag \"%s\"", k, name)
		}
	}
	return nil
}

// parseTag splits the inside of a start tag into its name and attributes.
// Attribute values are entity-decoded.
func parseTag(raw string) (string, map[string]string, error) {
	raw = strings.TrimSpace(raw)
	if strings.HasSuffix(raw, "/") {
		return "", nil, fmt.Errorf("self-closing tags are unsupported")
	}
	n := 0
	for n < len(raw) && (isAlnum(raw[n]) || raw[n] == '-') {
		n++
	}
	if n == 0 {
		return "", nil, fmt.Errorf("empty tag name")
	}
	name := strings.ToLower(raw[:n])
	attrs := map[string]string{}
	rest := raw[n:]
	for {
		rest = strings.TrimLeft(rest, " \t\r\n")
		if rest == "" {
			return name, attrs, nil
		}
		k := 0
		for k < len(rest) && (isAlnum(rest[k]) || rest[k] == '-' || rest[k] == '_') {
			k++
		}
		if k == 0 {
			return "", nil, fmt.Errorf("bad attribute in tag \"%s\"", name)
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
			return "", nil, fmt.Errorf("attribute \"%s\" has no value", key)
		case rest[0] == '"' || rest[0] == '\'':
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return "", nil, fmt.Errorf("unclosed value of attribute \"%s\"", key)
			}
			val, rest = rest[1:1+end], rest[2+end:]
		default:
			end := strings.IndexAny(rest, " \t\r\n")
			if end < 0 {
				end = len(rest)
			}
			val, rest = rest[:end], rest[end:]
		}
		dec, err := decodeEntities(val)
		if err != nil {
			return "", nil, err
		}
		attrs[key] = dec
	}
}

func decodeEntities(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			if s[i] == '<' || s[i] == '>' {
				return "", fmt.Errorf("character %q in an attribute must be escaped", s[i])
			}
			b.WriteByte(s[i])
			i++
			continue
		}
		j := strings.IndexByte(s[i:], ';')
		if j < 0 || j > 12 {
			return "", fmt.Errorf("character '&' in an attribute must be escaped as &amp;")
		}
		r, ok := entity(s[i+1 : i+j])
		if !ok {
			return "", fmt.Errorf("unsupported HTML entity %q", s[i:i+j+1])
		}
		b.WriteRune(r)
		i += j + 1
	}
	return b.String(), nil
}

// entity decodes the name between & and ; (lt, gt, amp, quot, #NN, #xHH).
func entity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if !strings.HasPrefix(name, "#") || len(name) < 2 {
		return 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return 0, false
	}
	return rune(n), true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
