package content

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// YAMLSyntax turns the error gopkg.in/yaml.v3 returned for data into a
// Problem in plain Vietnamese, located in file. data starts at line
// firstLine of the file (front matter starts at line 2 of an FAQ entry). The
// YAML library reports some errors (tabs, bad indentation) at the line where
// the enclosing block starts, so the lines staff usually get wrong are looked
// for first: bytes that are not UTF-8, a tab in the indentation, an odd
// number of spaces (content files indent by 2).
func YAMLSyntax(file string, data []byte, firstLine int, err error) Problem {
	// Lines as YAML counts them: \r\n, \n or a lone \r ends a line.
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	at := func(line int, format string, args ...any) Problem {
		return Problem{File: file, Line: firstLine - 1 + line, Msg: fmt.Sprintf(format, args...)}
	}
	for i, l := range lines {
		if !utf8.ValidString(l) {
			return at(i+1, "tệp không phải UTF-8 (dòng này có ký tự lạ); hãy lưu lại tệp với mã hoá UTF-8")
		}
	}
	for i, l := range lines {
		if strings.Contains(indentOf(l), "\t") {
			return at(i+1, "dòng này thụt vào bằng phím Tab; YAML chỉ dùng dấu cách (mỗi mức 2 dấu cách)")
		}
	}
	line, msg := 1, err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if l := unclosedQuote(lines, line); l > 0 {
		return at(l, "dấu ngoặc kép \" mở ra mà chưa đóng trên dòng này; thêm \" ở cuối giá trị")
	}
	switch {
	case strings.Contains(msg, "expected ',' or ']'"), strings.Contains(msg, "expected ',' or '}'"):
		if l := unclosedBracket(lines, line); l > 0 {
			line = l
		}
		return at(line, "thiếu dấu đóng: một ngoặc vuông [ hoặc ngoặc nhọn { mở ra mà chưa đóng; nếu giá trị có dấu [ hãy đặt cả giá trị trong ngoặc kép \"...\" (chi tiết: %s)", msg)
	case strings.Contains(msg, "did not find expected"), strings.Contains(msg, "could not find expected ':'"),
		strings.Contains(msg, "mapping values are not allowed"), strings.Contains(msg, "not allowed in this context"):
		if l := oddIndent(lines, line); l > 0 {
			return at(l, "dòng này thụt vào %d dấu cách; mỗi mức thụt vào đúng 2 dấu cách, thẳng hàng với các dòng cùng mức",
				len(indentOf(lines[l-1])))
		}
		return at(line, "thụt lề hoặc dấu `:` / `- ` sai ở dòng này hoặc vài dòng ngay sau: mỗi mức thụt vào 2 dấu cách, sau tên mục là dấu `:` và một dấu cách (chi tiết: %s)", msg)
	case strings.Contains(msg, "cannot start any token"):
		return at(line, "có ký tự YAML không hiểu ở đầu một giá trị (như `@`, `%%`, dấu huyền `); hãy đặt giá trị trong ngoặc kép \"...\"")
	case strings.Contains(msg, "end of stream"), strings.Contains(msg, "quoted scalar"), strings.Contains(msg, "flow"):
		return at(line, "thiếu dấu đóng: một dấu ngoặc kép \", ngoặc vuông ] hoặc ngoặc nhọn } mở ra mà chưa đóng (chi tiết: %s)", msg)
	}
	return at(line, "YAML sai cú pháp ở dòng này hoặc ngay sau (chi tiết: %s)", msg)
}

// indentOf returns the leading spaces and tabs of l.
func indentOf(l string) string { return l[:len(l)-len(strings.TrimLeft(l, " \t"))] }

// oddIndent returns the first line, from the reported line on, that is
// indented by an odd number of spaces (0 if none).
func oddIndent(lines []string, from int) int {
	for i := max(from-1, 0); i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if len(indentOf(l))%2 == 1 {
			return i + 1
		}
	}
	return 0
}

// unclosedQuote returns the last line up to the reported one that opens a
// double quote without closing it (0 if none): the YAML library then reads
// the following lines as part of the text and fails further down.
func unclosedQuote(lines []string, upTo int) int {
	found := 0
	for i := 0; i < len(lines) && i < upTo; i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "#") {
			continue
		}
		if (strings.Count(t, `"`)-strings.Count(t, `\"`))%2 == 1 {
			found = i + 1
		}
	}
	return found
}

// unclosedBracket returns the first line from the reported one on that opens
// more [ or { than it closes (0 if none): the YAML library reports an
// unclosed flow sequence at the line where the enclosing mapping started.
func unclosedBracket(lines []string, from int) int {
	for i := max(from-1, 0); i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "#") {
			continue
		}
		if strings.Count(t, "[")+strings.Count(t, "{") > strings.Count(t, "]")+strings.Count(t, "}") {
			return i + 1
		}
	}
	return 0
}
