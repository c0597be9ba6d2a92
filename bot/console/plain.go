package console

import (
	"html"
	"strings"
)

// PlainText turns the bot's Telegram HTML into terminal text: tags are
// dropped (bold text stays as it is), a link keeps its address in
// parentheses, and entities are unescaped.
func PlainText(s string) string {
	var b strings.Builder
	var hrefs []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(s))
			break
		}
		b.WriteString(html.UnescapeString(s[:i]))
		j := strings.IndexByte(s[i:], '>')
		if j < 0 { // a lone "<" cannot come from the engine; print it as is
			b.WriteString(html.UnescapeString(s[i:]))
			break
		}
		tag := s[i+1 : i+j]
		s = s[i+j+1:]
		name := ""
		if f := strings.Fields(tag); len(f) > 0 {
			name = strings.ToLower(f[0])
		}
		switch {
		case name == "a":
			hrefs = append(hrefs, attr(tag, "href"))
		case name == "/a" && len(hrefs) > 0:
			if h := hrefs[len(hrefs)-1]; h != "" {
				b.WriteString(" (" + h + ")")
			}
			hrefs = hrefs[:len(hrefs)-1]
		case name == "blockquote":
			b.WriteString("│ ")
		}
	}
	return b.String()
}

// attr returns an attribute value from a tag's inside, unescaped.
func attr(tag, name string) string {
	k := strings.Index(tag, name+`="`)
	if k < 0 {
		return ""
	}
	v := tag[k+len(name)+2:]
	if e := strings.IndexByte(v, '"'); e >= 0 {
		v = v[:e]
	}
	return html.UnescapeString(v)
}
