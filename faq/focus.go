package faq

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// SentenceKind says what a sentence of a message does.
type SentenceKind string

const (
	// SentenceAsk asks something: "?", "cho tôi hỏi", "có được … không",
	// "bao nhiêu", "thủ tục", "làm sao".
	SentenceAsk SentenceKind = "ask"
	// SentenceStory tells the writer's situation: context, not the question.
	SentenceStory SentenceKind = "story"
	// SentenceSocial greets, thanks or introduces the writer: no content.
	SentenceSocial SentenceKind = "social"
)

// Sentence is one sentence of a message with the weight its words get in
// search.
type Sentence struct {
	Text   string
	Kind   SentenceKind
	Weight float64
}

// Focus is a message read for search: its sentences, which ones ask, and
// the personal numbers taken out of it. Letters tell a story first and ask
// at the end ("Vậy cho tôi hỏi …"), often two or three things; the asking
// sentences carry the question, the story its context.
type Focus struct {
	Sentences []Sentence
	// Personal lists the kinds of personal numbers found and removed
	// (PersonalID, PersonalSI, PersonalPhone, PersonalCard), each once.
	Personal []string
}

// Kinds of personal numbers.
const (
	PersonalID    = "cccd"  // citizen ID: 12 digits, or the old 9-digit CMND
	PersonalSI    = "bhxh"  // social insurance code: 10 digits
	PersonalPhone = "phone" // phone number: 0 or +84 and 9 digits
	PersonalCard  = "card"  // health insurance card code: 2 letters, 13 digits
	PersonalOther = "code"  // another long run of digits that is not an amount
)

// Sentence weights: the asking sentences are the question; the story is
// context (it says "compulsory for 10 years", "my husband died"), worth
// something but less. The story weighs in the topic model only (BM25
// searches the asking sentences). 0.65 since 07/12/2026 (was 0.35, chosen
// when few labelled lines were letters): 5-fold CV topic 0.903 → 0.907,
// entry 0.844 → 0.850 on three seeds alike (faq/DESIGN.md). Re-measure with
// `go test ./faq -run TestCalibrate -calibrate -v`.
const weightAsk = 1.0

const weightStory = 0.65

// maxFocusRunes bounds how much of a message is read (a long letter fits).
const maxFocusRunes = 4000

var (
	placeholderRE = regexp.MustCompile(`\[[^\[\]]{1,40}\]`)
	cardRE        = regexp.MustCompile(`(?i)\b[a-z]{2}\s?\d{1,2}\s?\d{2}\s?\d{10}\b`)
	phoneRE       = regexp.MustCompile(`(?:\+\s?84[\s.\-]?|84|0)[35789](?:[\s.\-]?\d){8}`)
	digitsRE      = regexp.MustCompile(`\d(?:[\s.\-]?\d){5,}`)
	// A sentence ends at ? ! ; or a full stop before a space (not the dot
	// of 1.500.000), or at a line break.
	sentenceEndRE = regexp.MustCompile(`[?!;…]+|\.+(?:\s|$)|\n+`)
)

// askMarkers start the asking part of a sentence ("…, vậy cho tôi hỏi …"):
// folded, matched on whole words.
var askMarkers = []string{
	"vay cho toi hoi", "vay cho em hoi", "vay cho minh hoi", "vay xin hoi",
	"cho toi hoi", "cho em hoi", "cho minh hoi", "cho chau hoi", "cho hoi", "xin hoi", "xin duoc hoi",
	"toi muon hoi", "em muon hoi", "minh muon hoi", "toi xin hoi", "em xin hoi",
	"xin cho biet", "cho toi biet", "cho em biet", "xin tu van", "nho tu van", "mong duoc tu van",
	"toi muon biet", "em muon biet", "xin huong dan",
}

// askCues make a sentence a question when they appear in it (folded words).
var askCues = []string{
	"hoi", "khong", "ko", "k", "chua", "hay khong", "duoc khong", "dc khong", "co phai",
	"bao nhieu", "bn", "bao lau", "bao gio", "khi nao", "luc nao", "o dau", "the nao", "nhu the nao",
	"ra sao", "lam sao", "sao", "lam the nao", "nhu nao", "ntn", "the nao", "gi", "j", "nao",
	"thu tuc", "can gi", "giay to", "ho so", "tu van", "huong dan", "co duoc", "duoc huong",
	"nen", "muon biet",
}

// socialStarts open a sentence that only greets or thanks.
var socialStarts = []string{
	"chao", "xin chao", "kinh gui", "kinh chao", "gui", "thua", "cam on", "xin cam on", "chan thanh cam on",
	"mong nhan duoc", "rat mong", "mong som", "xin tran trong", "tran trong", "tran thanh",
}

// introStarts open a self-introduction; a short one ("Tôi tên Lan") is
// social, a longer one tells the story ("Tôi là công nhân, sinh năm 1980").
var introStarts = []string{"toi ten", "em ten", "minh ten", "ten toi", "ten em", "toi la", "em la", "minh la"}

// ReadFocus splits a message into sentences, classifies them and takes out
// personal numbers and redaction placeholders ("[họ tên]"). It never fails;
// a message without sentence marks is one sentence.
func ReadFocus(msg string) Focus {
	var f Focus
	msg = strings.ToValidUTF8(msg, " ")
	if utf8.RuneCountInString(msg) > maxFocusRunes {
		r := []rune(msg)
		msg = string(r[:maxFocusRunes/2]) + "\n" + string(r[len(r)-maxFocusRunes/2:])
	}
	msg = vitext.NFC(msg)
	if strings.Contains(msg, "[") {
		msg = placeholderRE.ReplaceAllString(msg, " ")
	}
	if digitRun(msg) >= 6 {
		msg = f.takePersonal(msg)
	}

	var parts []string
	last := 0
	for _, loc := range sentenceEndRE.FindAllStringIndex(msg, -1) {
		parts = append(parts, msg[last:loc[1]])
		last = loc[1]
	}
	parts = append(parts, msg[last:])
	for _, p := range parts {
		for _, s := range splitGreeting(p) {
			words := vitext.Words(s)
			if len(words) == 0 {
				continue
			}
			f.Sentences = append(f.Sentences, Sentence{Text: strings.TrimSpace(s), Kind: classify(s, words)})
		}
	}
	asks := 0
	for _, s := range f.Sentences {
		if s.Kind == SentenceAsk {
			asks++
		}
	}
	for i := range f.Sentences {
		s := &f.Sentences[i]
		switch {
		case s.Kind == SentenceSocial:
			s.Weight = 0
		case asks == 0 || s.Kind == SentenceAsk:
			s.Weight = weightAsk // no sentence asks: all of it is the question
		default:
			s.Weight = weightStory
		}
	}
	if len(f.Sentences) > 0 && allZero(f.Sentences) {
		// Only greetings and thanks: keep them, the caller decides.
		for i := range f.Sentences {
			f.Sentences[i].Weight = weightAsk
		}
	}
	return f
}

func allZero(ss []Sentence) bool {
	for _, s := range ss {
		if s.Weight > 0 {
			return false
		}
	}
	return true
}

// Text returns the sentences with a weight of at least min, joined.
func (f Focus) Text(min float64) string {
	var b strings.Builder
	for _, s := range f.Sentences {
		if s.Weight >= min && s.Weight > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// All returns every sentence, greetings included, joined: the message as
// read (personal numbers and placeholders out, at most maxFocusRunes).
func (f Focus) All() string {
	parts := make([]string, len(f.Sentences))
	for i, s := range f.Sentences {
		parts[i] = s.Text
	}
	return strings.Join(parts, " ")
}

// Asking returns the asking sentences (all weighted sentences when none
// asks).
func (f Focus) Asking() []string {
	var out []string
	for _, s := range f.Sentences {
		if s.Weight == weightAsk {
			out = append(out, s.Text)
		}
	}
	return out
}

// PersonalSpan is a personal number found in a text: its byte range and
// its kind (PersonalID, PersonalSI, PersonalPhone, PersonalCard,
// PersonalOther).
type PersonalSpan struct {
	Start, End int
	Kind       string
}

// FindPersonal returns the personal numbers of s, in order: health card
// codes (two letters and 13 digits), phone numbers (0 or 84 or +84 and 9
// digits, also glued to a word as in "sdt0912345678"), and other runs of 6
// or more digits (separators allowed) that are not amounts of money (ending
// in 000, or grouped by three with dots) nor the 1900/1800 hotlines: 12 or
// 9 digits a citizen ID, 10 a social insurance code. It is the one place
// that knows what a personal number looks like: search leaves them out and
// the bot scrubs them before storing a question.
func FindPersonal(s string) []PersonalSpan {
	if digitRun(s) < 6 {
		return nil
	}
	var out []PersonalSpan
	taken := func(a, b int) bool {
		for _, p := range out {
			if a < p.End && b > p.Start {
				return true
			}
		}
		return false
	}
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for _, loc := range cardRE.FindAllStringIndex(s, -1) {
		out = append(out, PersonalSpan{loc[0], loc[1], PersonalCard})
	}
	for _, re := range []*regexp.Regexp{phoneRE, digitsRE} {
		for from := 0; from < len(s); {
			loc := re.FindStringIndex(s[from:])
			if loc == nil {
				break
			}
			a, b := from+loc[0], from+loc[1]
			if isDigit(a-1) || isDigit(b) || taken(a, b) {
				from = a + 1 // inside a longer number or a span already found
				continue
			}
			from = b
			m := s[a:b]
			d := onlyDigits(m)
			kind := ""
			switch {
			case re == phoneRE && !strings.HasPrefix(d, "1900") && !strings.HasPrefix(d, "1800"):
				kind = PersonalPhone
			case re == phoneRE, strings.HasPrefix(d, "1900"), strings.HasPrefix(d, "1800"):
			case len(d) == 12:
				kind = PersonalID
			case strings.HasSuffix(d, "000") || isGroupedAmount(m):
				// an amount of money: 1.500.000, 2000000
			case len(d) == 9:
				kind = PersonalID
			case len(d) == 10:
				kind = PersonalSI
			default:
				kind = PersonalOther
			}
			if kind != "" {
				out = append(out, PersonalSpan{a, b, kind})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// takePersonal removes personal numbers from msg and records their kinds.
func (f *Focus) takePersonal(msg string) string {
	spans := FindPersonal(msg)
	if len(spans) == 0 {
		return msg
	}
	var b strings.Builder
	last := 0
	for _, p := range spans {
		if !slices.Contains(f.Personal, p.Kind) {
			f.Personal = append(f.Personal, p.Kind)
		}
		b.WriteString(msg[last:p.Start])
		b.WriteByte(' ')
		last = p.End
	}
	b.WriteString(msg[last:])
	return b.String()
}

// digitRun returns the number of digits in s (an upper bound on the
// longest run of digits, separators allowed): below 6, s holds no
// personal number and the regular expressions need not run.
func digitRun(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// isGroupedAmount reports whether s is written as an amount: digits grouped
// by three with dots ("1.500.000", "3.168.000").
func isGroupedAmount(s string) bool {
	return isThousands(s) && strings.Contains(s, ".")
}

// greetingOpeners open a salutation that a comma ends ("Chào luật sư,",
// "Kính gửi BHXH tỉnh Nghệ An,"): folded, whole words.
var greetingOpeners = []string{"chao", "xin chao", "kinh gui", "kinh chao", "thua", "gui", "alo", "hi", "hello"}

// maxGreetingWords bounds the salutation cut off at its comma: a longer
// clause is a sentence that happens to start with "gửi" or "chào".
const maxGreetingWords = 8

// splitGreeting cuts a leading salutation ending at a comma from the rest
// of the sentence, which splitAtMarker then reads: "Chào luật sư, luật sư
// cho tôi biết …" asks without its greeting's words.
func splitGreeting(s string) []string {
	fold := vitext.Fold(s)
	comma := strings.IndexByte(fold, ',')
	if comma <= 0 {
		return splitAtMarker(s)
	}
	words := vitext.Words(fold[:comma])
	if len(words) == 0 || len(words) > maxGreetingWords || !startsWithAny(" "+strings.Join(words, " ")+" ", greetingOpeners) {
		return splitAtMarker(s)
	}
	r, rf := []rune(s), []rune(fold)
	if len(r) != len(rf) {
		return splitAtMarker(s) // folding changed the length: no safe cut
	}
	k := utf8.RuneCountInString(fold[:comma+1])
	return append([]string{string(r[:k])}, splitAtMarker(string(r[k:]))...)
}

// startsWithAny reports whether a folded, space-framed sentence starts with
// one of the phrases (whole words).
func startsWithAny(fold string, openers []string) bool {
	for _, o := range openers {
		if strings.HasPrefix(fold, " "+o+" ") {
			return true
		}
	}
	return false
}

// splitAtMarker splits "…, vậy cho tôi hỏi …" before the marker, so the
// story before it is not taken for the question.
func splitAtMarker(s string) []string {
	r := []rune(s)
	fold := vitext.Fold(s)
	rf := []rune(fold)
	if len(r) != len(rf) {
		return []string{s} // folding changed the length: no safe cut
	}
	best := -1
	for _, m := range askMarkers {
		i := wordIndex(fold, m)
		if i == 0 || strings.TrimSpace(fold[:max(i, 0)]) == "" && i > 0 {
			return []string{s} // the sentence starts with the marker
		}
		if i > 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best <= 0 {
		return []string{s}
	}
	k := utf8.RuneCountInString(fold[:best])
	return []string{string(r[:k]), string(r[k:])}
}

// wordIndex returns the byte index in s of phrase as whole words, or -1.
func wordIndex(s, phrase string) int {
	for from := 0; ; {
		i := strings.Index(s[from:], phrase)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(phrase)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			return i
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// classify says whether a sentence asks, tells or only greets; words are
// its folded words.
func classify(s string, words []string) SentenceKind {
	fold := " " + strings.Join(words, " ") + " "
	if strings.Contains(s, "?") || startsWithAny(fold, askMarkers) {
		return SentenceAsk
	}
	if startsWithAny(withoutPronouns(fold), socialStarts) && !hasCue(withoutIdioms(fold)) {
		return SentenceSocial
	}
	if len(words) <= 5 && startsWithAny(fold, introStarts) && !hasCue(fold) {
		return SentenceSocial
	}
	if len(words) <= 6 && !hasCue(fold) && isSocialOnly(words) {
		return SentenceSocial
	}
	if hasCue(fold) {
		return SentenceAsk
	}
	return SentenceStory
}

// leadPronouns may precede a greeting or thanks ("Tôi xin chân thành cảm
// ơn …", "Em cảm ơn ạ"); "xin" too, once the asking markers ("xin hỏi")
// have been looked for.
var leadPronouns = map[string]bool{"toi": true, "em": true, "minh": true, "chung": true, "con": true, "chau": true, "xin": true}

// withoutPronouns drops the leading pronouns (and "xin") of a folded,
// space-framed sentence.
func withoutPronouns(fold string) string {
	words := strings.Fields(fold)
	i := 0
	for i < len(words)-1 && leadPronouns[words[i]] {
		i++
	}
	return " " + strings.Join(words[i:], " ") + " "
}

// thanksIdioms are what a greeting or thanks thanks for ("đã trả lời câu
// hỏi", "đã tư vấn"): no question in them.
var thanksIdioms = []string{"cau hoi", "tu van", "giai dap", "tra loi", "huong dan", "ho tro", "giup do", "quan tam"}

// withoutIdioms blanks the thanks idioms of a folded, space-framed sentence.
func withoutIdioms(fold string) string {
	for _, id := range thanksIdioms {
		fold = strings.ReplaceAll(fold, " "+id+" ", " ")
	}
	return fold
}

func hasCue(fold string) bool {
	for _, c := range askCues {
		if strings.Contains(fold, " "+c+" ") {
			return true
		}
	}
	return false
}

// isSocialOnly reports whether the words are only greetings, thanks or
// forms of address ("Chào anh chị", "Em cảm ơn ạ").
func isSocialOnly(words []string) bool {
	for _, w := range words {
		switch w {
		case "chao", "cam", "on", "a", "anh", "chi", "em", "ad", "admin", "ban", "luat", "su", "nhe", "nha",
			"thanks", "thank", "you", "hi", "hello", "alo", "oi", "xin", "toi", "minh", "kinh", "gui", "thua", "quy", "co", "chu", "bac":
		default:
			return false
		}
	}
	return true
}
