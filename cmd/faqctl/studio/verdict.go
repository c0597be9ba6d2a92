package studio

import (
	"context"
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq"
)

// verdict is what the bot does with a question, in words for staff.
type verdict struct {
	Decision faq.Decision
	ID       string // the answer, or the first choice
	Question string // its question
	Choices  []string
	Label    string // the entry the question is labelled with ("" unknown)
	Err      string
}

// Right: the label is known and the bot does what it says.
func (v verdict) Right() bool {
	if v.Label == "" || v.Err != "" {
		return false
	}
	if v.Label == faq.NoneID {
		return v.Decision == faq.DecisionNone
	}
	return v.Decision == faq.DecisionAnswer && v.ID == v.Label
}

// Words says the verdict in one sentence.
func (v verdict) Words() string {
	switch {
	case v.Err != "":
		return v.Err
	case v.Decision == faq.DecisionAnswer:
		return "trả lời bằng «" + v.Question + "»"
	case v.Decision == faq.DecisionClarify:
		return fmt.Sprintf("hỏi lại, đưa %d lựa chọn: «%s»", len(v.Choices), strings.Join(v.Choices, "», «"))
	}
	return "nói không biết (không có câu trả lời phù hợp)"
}

// judge searches q on g and says what the bot does, against label.
func judge(ctx context.Context, g *generation, q, label string) verdict {
	v := verdict{Label: label}
	if g.ix == nil {
		v.Err = "nội dung đang có lỗi, bot không chạy"
		return v
	}
	res, err := g.ix.Search(ctx, q)
	if err != nil {
		v.Err = "lỗi tìm kiếm: " + err.Error()
		return v
	}
	return verdictOf(res, label)
}

func verdictOf(res faq.Result, label string) verdict {
	v := verdict{Decision: res.Decision, Label: label}
	if len(res.Hits) > 0 {
		v.ID, v.Question = res.Hits[0].Entry.ID, res.Hits[0].Entry.Question
	}
	if res.Decision == faq.DecisionClarify {
		for _, h := range res.Hits[:min(res.Choices, len(res.Hits))] {
			v.Choices = append(v.Choices, h.Entry.Question)
		}
	}
	return v
}

// reasons explains a decision in sentences for staff, from the signals the
// search decided on (faq.Signals and the thresholds of faq/decision.go).
func reasons(res faq.Result, g *generation) []string {
	s := res.Signals
	topicName := func(i int) string {
		if i >= len(res.Hits) {
			return ""
		}
		t, ok := g.ix.KB().Topic(res.Hits[i].Entry.Topic)
		if !ok {
			return res.Hits[i].Entry.Topic
		}
		return t.Covers
	}
	var out []string
	if strings.TrimSpace(res.Cleaned) != strings.TrimSpace(res.Query) && res.Cleaned != "" {
		out = append(out, "Bot chỉ tìm phần hỏi của tin nhắn: «"+res.Cleaned+"».")
	}
	if len(res.Personal) > 0 {
		out = append(out, "Tin nhắn có số cá nhân ("+strings.Join(res.Personal, ", ")+"): bot bỏ số đó ra khi tìm và nhắc người hỏi không gửi số như vậy.")
	}
	switch {
	case len(res.Hits) == 0 || s.Terms == 0:
		out = append(out, "Câu hỏi không có từ nào mà nội dung có, nên bot không tìm được gì.")
	case s.Outside != "":
		out = append(out, "Câu hỏi có cụm «"+s.Outside+"», thuộc những việc bot không trả lời (mục [outside] của synonyms.txt), nên bot nói không biết.")
	case s.None >= faq.NoneAbove && s.None >= s.Topic:
		out = append(out, fmt.Sprintf("Bot cho rằng câu này nằm ngoài những gì nó trả lời: %s (nói không biết khi từ %s trở lên và cao hơn chủ đề đầu, %s). Thường là vì những câu có nhãn none giống câu này.",
			pctf(s.None), pctf(faq.NoneAbove), pctf(s.Topic)))
	case s.Topic >= faq.AnswerAbove:
		out = append(out, fmt.Sprintf("Bot chắc %s rằng câu hỏi thuộc chủ đề «%s» (trả lời khi từ %s), nên trả lời bằng câu đầu tiên của chủ đề đó.",
			pctf(s.Topic), topicName(0), pctf(faq.AnswerAbove)))
	case s.Confidence < faq.WeakBelow:
		out = append(out, fmt.Sprintf("Câu trả lời đầu chỉ có %s sức nặng các từ của câu hỏi (dưới %s), nên bot không đưa lựa chọn mà nói không biết.",
			pctf(s.Confidence), pctf(faq.WeakBelow)))
	case res.Decision == faq.DecisionClarify:
		out = append(out, fmt.Sprintf("Bot chưa đủ chắc: chủ đề đầu «%s» chỉ %s (cần %s để trả lời), nên hỏi lại với những câu có từ %s trở lên.",
			topicName(0), pctf(s.Topic), pctf(faq.AnswerAbove), pctf(faq.ChoiceAbove)))
	default:
		out = append(out, fmt.Sprintf("Không chủ đề nào đạt %s, nên bot nói không biết.", pctf(faq.ChoiceAbove)))
	}
	return out
}

func pctf(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
