package faq

import (
	"bufio"
	"bytes"
	"io/fs"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// SynonymsFile is the staff-editable normalisation list inside the content FS.
const SynonymsFile = "synonyms.txt"

// Sections of synonyms.txt.
const (
	sectionBoth    = "both"    // expanded in entries and in questions
	sectionQuery   = "query"   // expanded in questions only (chat spelling, fillers)
	sectionNumbers = "numbers" // units written after numbers: 2tr, 500k, 25t
	sectionOutside = "outside" // phrases of other subjects: the question gets none
	// sectionContext: phrases of other subjects that real questions also
	// use as context (a job, a vehicle, a phone, a country, a marriage):
	// none only when the question does not name the bot's subject.
	sectionContext = "context"
	sectionSubject = "subject" // words that name the bot's subject (bhxh, bhyt...)
)

// phraseSections are the sections that list phrases, not rules.
var phraseSections = map[string]bool{sectionOutside: true, sectionContext: true, sectionSubject: true}

// Synonyms is the parsed content/synonyms.txt: abbreviations and chat
// spellings expanded to full words, filler words dropped, and number units
// (1tr5 → 1500000 triệu). See the header of synonyms.txt for the format.
type Synonyms struct {
	rules []synRule
	units []unitRule
	// [outside], [context] and [subject] phrases, lower case NFC, one
	// tone placement.
	outside, context, subject []string
}

// synRule maps one or more variants (each one or more words) to an
// expansion (zero or more words; zero means "drop the words").
type synRule struct {
	queryOnly bool
	from      []string // variants, lower case NFC, words separated by one space
	to        string   // expansion, lower case NFC
}

// unitRule is a unit written after a number: "tr" in "2tr" means ×1000000
// and the word "triệu".
type unitRule struct {
	names []string // lower case NFC
	mult  int64
	word  string // lower case NFC
}

// LoadSynonyms reads synonyms.txt from the content root. Errors are a
// *Problems with file:line of every bad line.
func LoadSynonyms(fsys fs.FS) (*Synonyms, error) {
	src, err := fs.ReadFile(fsys, SynonymsFile)
	if err != nil {
		p := &Problems{}
		p.Add(SynonymsFile, 0, "danh sách viết tắt: %s", content.ReadMessage(SynonymsFile, err))
		return nil, p
	}
	return ParseSynonyms(SynonymsFile, src)
}

// ParseSynonyms parses the synonyms format; file is used in messages.
func ParseSynonyms(file string, src []byte) (*Synonyms, error) {
	probs := &Problems{}
	if !utf8.Valid(src) {
		probs.Add(file, 0, "tệp không phải UTF-8; lưu lại bằng mã UTF-8")
		return nil, probs
	}
	syn := &Synonyms{}
	section := sectionBoth
	type seenAt struct {
		line int
		to   string
	}
	seen := map[string]seenAt{} // folded variant → first line and expansion
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(vitext.LowerTones(text))
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "[") {
			name := strings.TrimSpace(strings.Trim(text, "[]"))
			switch name {
			case sectionBoth, sectionQuery, sectionNumbers, sectionOutside, sectionContext, sectionSubject:
				section = name
			default:
				probs.Add(file, line, "phần %q không có; chỉ dùng [both], [query], [numbers], [outside], [context] hoặc [subject]", text)
			}
			continue
		}
		if phraseSections[section] {
			for _, v := range strings.Split(text, ",") {
				v = strings.Join(strings.Fields(v), " ")
				switch {
				case v == "":
				case !wordsOnly(v):
					probs.Add(file, line, "%q: trong [%s] chỉ viết các cụm từ (chữ, số, dấu cách), cách nhau bằng dấu phẩy", v, section)
				case section == sectionOutside:
					syn.outside = append(syn.outside, v)
				case section == sectionContext:
					syn.context = append(syn.context, v)
				default:
					syn.subject = append(syn.subject, v)
				}
			}
			continue
		}
		left, right, ok := strings.Cut(text, "=")
		if !ok {
			probs.Add(file, line, "thiếu dấu `=`: viết dạng `viết tắt, viết tắt khác = từ đầy đủ`")
			continue
		}
		right = strings.Join(strings.Fields(right), " ")
		var variants []string
		before := len(probs.List)
		for _, v := range strings.Split(left, ",") {
			v = strings.Join(strings.Fields(v), " ")
			if v == "" {
				continue
			}
			if !wordsOnly(v) {
				probs.Add(file, line, "%q: chỉ dùng chữ, số và dấu cách ở bên trái dấu =", v)
				continue
			}
			// Variants that fold alike ("hgđ", "hgd") must agree on the
			// expansion: folded questions cannot tell them apart.
			key := vitext.Fold(v)
			if section == sectionNumbers {
				key = section + "\x00" + key
			}
			to := vitext.Fold(strings.Join(strings.Fields(right), " "))
			if prev, dup := seen[key]; dup && prev.to != to {
				probs.Add(file, line, "%q bỏ dấu thành %q, đã có ở dòng %d với nghĩa khác", v, vitext.Fold(v), prev.line)
				continue
			} else if !dup {
				seen[key] = seenAt{line, to}
			}
			variants = append(variants, v)
		}
		if len(variants) == 0 {
			if len(probs.List) == before {
				probs.Add(file, line, "bên trái dấu = cần ít nhất một từ viết tắt")
			}
			continue
		}
		if section == sectionNumbers {
			multS, word, _ := strings.Cut(right, " ")
			mult, err := strconv.ParseInt(multS, 10, 64)
			if err != nil || mult <= 0 || mult > 1_000_000_000 || !wordsOnly(word) {
				probs.Add(file, line, "trong [numbers] bên phải dấu = là `hệ số từ`, ví dụ `1000000 triệu`")
				continue
			}
			for _, v := range variants {
				if strings.Contains(v, " ") || strings.IndexFunc(v, unicode.IsDigit) >= 0 {
					probs.Add(file, line, "%q: đơn vị sau con số phải là một từ không có số", v)
				}
			}
			syn.units = append(syn.units, unitRule{names: variants, mult: mult, word: word})
			continue
		}
		if right != "" && !wordsOnly(right) {
			probs.Add(file, line, "%q: chỉ dùng chữ, số và dấu cách ở bên phải dấu =", right)
			continue
		}
		syn.rules = append(syn.rules, synRule{queryOnly: section == sectionQuery, from: variants, to: right})
	}
	if err := sc.Err(); err != nil {
		probs.Add(file, line+1, "không đọc được: %v", err)
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return syn, nil
}

func wordsOnly(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && r != ' ' {
			return false
		}
	}
	return true
}

// Len returns the number of rules (expansions plus number units).
func (s *Synonyms) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rules) + len(s.units)
}

// encode serialises the rules for a bleve token filter config (bleve builds
// filters from JSON-like maps, so no Go pointer is passed through it).
func (s *Synonyms) encode() []interface{} {
	var out []interface{}
	if s == nil {
		return out
	}
	for _, r := range s.rules {
		kind := "b"
		if r.queryOnly {
			kind = "q"
		}
		out = append(out, kind+"|"+strings.Join(r.from, ",")+"|"+r.to)
	}
	for _, u := range s.units {
		out = append(out, "n|"+strings.Join(u.names, ",")+"|"+strconv.FormatInt(u.mult, 10)+" "+u.word)
	}
	return out
}

// decodeSynonyms is the inverse of encode.
func decodeSynonyms(items []interface{}) *Synonyms {
	s := &Synonyms{}
	for _, it := range items {
		str, ok := it.(string)
		if !ok {
			continue
		}
		parts := strings.SplitN(str, "|", 3)
		if len(parts) != 3 {
			continue
		}
		from := strings.Split(parts[1], ",")
		switch parts[0] {
		case "n":
			multS, word, _ := strings.Cut(parts[2], " ")
			mult, err := strconv.ParseInt(multS, 10, 64)
			if err == nil {
				s.units = append(s.units, unitRule{names: from, mult: mult, word: word})
			}
		default:
			s.rules = append(s.rules, synRule{queryOnly: parts[0] == "q", from: from, to: parts[2]})
		}
	}
	return s
}
