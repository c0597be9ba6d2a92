package bot

import (
	"log/slog"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// ChatState is the per-chat conversation state. Flow names the flow in
// progress ("vsi", "hi", "pen", "retire", "handoff", "xoa" or ""), Step its
// current step; Data holds each flow's answers in its own typed struct. The
// store keeps Data as JSON.
type ChatState struct {
	ChatID  int64
	UserID  int64
	Flow    string
	Step    string
	Data    StateData
	Updated time.Time

	gone bool // set by /xoa: the engine must not save the state again
}

// StateData is everything a chat remembers between events. Each flow owns
// one field; Last and Keyboard belong to the engine and outlive flows.
type StateData struct {
	Last     Topic         `json:"last,omitzero"` // what led to the last answer or result
	Keyboard string        `json:"kb,omitempty"`  // the flow whose reply keyboard (share contact/location) is on screen
	VSI      *VSIState     `json:"vsi,omitempty"`
	HI       *HIState      `json:"hi,omitempty"`
	Pension  *PensionState `json:"pen,omitempty"`
	Handoff  *HandoffState `json:"handoff,omitempty"`
	Remind   *RemindState  `json:"remind,omitempty"` // setting a reminder (remind_flow.go)
}

// VSIState is the voluntary-SI contribution flow: income, then group.
type VSIState struct {
	Income       decimal.Decimal `json:"income,omitzero"`
	Group        calc.Group      `json:"group,omitempty"`
	GroupAssumed bool            `json:"assumed,omitempty"` // "Đối tượng khác" taken without asking; the result says so
	Months       int             `json:"months,omitempty"`  // method named in the question (1, 3, 6, 12), marked in the result
	Advance      int             `json:"advance,omitempty"` // years ahead named in the question (2..5)
}

// HIState is the household health-insurance flow: the number of members.
type HIState struct {
	Members int `json:"members,omitempty"`
	Months  int `json:"months,omitempty"` // period named in the question, marked in the result
}

// PensionState is the pension estimate: sex, birth month, years already
// contributed (by scheme when the person said so) and income. The
// retirement-age answer ("retire" flow) uses Sex and Born only.
type PensionState struct {
	Sex          calc.Sex        `json:"sex,omitempty"`
	Born         calc.Month      `json:"born,omitzero"`
	BornYearOnly bool            `json:"born_year_only,omitempty"` // only the year was given: month taken as January
	Age          int             `json:"age,omitempty"`            // age given instead of a birth year
	Compulsory   int             `json:"compulsory,omitempty"`
	Voluntary    int             `json:"voluntary,omitempty"`
	YearsSet     bool            `json:"years_set,omitempty"`
	Income       decimal.Decimal `json:"income,omitzero"`
}

// Years is all the years contributed.
func (p *PensionState) Years() int { return p.Compulsory + p.Voluntary }

// HandoffState is the hand-off flow's progress (bot/handoff owns its meaning).
type HandoffState struct {
	Province string `json:"prov,omitempty"`
	Agent    string `json:"agent,omitempty"`
	Commune  string `json:"commune,omitempty"`
	When     string `json:"when,omitempty"`
	Consent  string `json:"consent,omitempty"` // version of the consent text shown
	Topic    Topic  `json:"topic,omitzero"`    // what led to the hand-off
}

// Topic is what led to an answer, a result or a hand-off: an FAQ entry, the
// question asked (scrubbed of phone and ID numbers and names), or a
// calculation in calc's own types.
type Topic struct {
	FAQID    string       `json:"faq,omitempty"`
	Question string       `json:"q,omitempty"`
	Calc     *CalcSummary `json:"calc,omitempty"`
}

// IsZero reports an empty topic.
func (t Topic) IsZero() bool { return t.FAQID == "" && t.Question == "" && t.Calc == nil }

// CalcSummary is a calculation shown to the person, as its inputs.
type CalcSummary struct {
	VSI     *calc.VSIInput `json:"vsi,omitempty"`
	HI      *calc.HIInput  `json:"hi,omitempty"`
	Pension *PensionState  `json:"pension,omitempty"`
}

// Reset ends the current flow, keeping the engine's own data.
func (s *ChatState) Reset() {
	s.Flow, s.Step = "", ""
	s.Data.VSI, s.Data.HI, s.Data.Pension, s.Data.Handoff, s.Data.Remind = nil, nil, nil, nil, nil
}

// Enter starts flow at step, dropping the previous flow's data.
func (s *ChatState) Enter(flow, step string) {
	s.Reset()
	s.Flow, s.Step = flow, step
}

// LogValue keeps the data (which may hold typed text) out of logs.
func (s *ChatState) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("none")
	}
	return slog.GroupValue(slog.String("flow", s.Flow), slog.String("step", s.Step))
}
