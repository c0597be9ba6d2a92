package bot

import (
	"errors"
	"strconv"
	"strings"
)

// MaxCallbackLen is Telegram's limit for callback_data, in bytes.
const MaxCallbackLen = 64

// CallbackKind is the first field of callback data.
type CallbackKind byte

// Callback kinds. The wire form is "<kind>:<fields...>".
const (
	CbAnswer   CallbackKind = 'a' // a:<faq-id>          show that answer (clarify choice)
	CbRelated  CallbackKind = 'r' // r:<faq-id>          show a related answer
	CbFeedback CallbackKind = 'f' // f:+:<faq-id> / f:-:<faq-id>
	CbMenu     CallbackKind = 'm' // m:<menu>            open a menu entry
	CbCalc     CallbackKind = 'c' // c:<flow>:<step>:<value>
	CbNav      CallbackKind = 'x' // x:back / x:cancel / x:delete / x:keep
	CbAgent    CallbackKind = 'g' // g:<faq-id> or g:   hand-off with the topic that led here
	CbDetail   CallbackKind = 'd' // d:                  sources and caveats of the last result
	CbRemind   CallbackKind = 'n' // n:<action>[:<n>]    reminders (remind_flow.go)

	// The hand-off's buttons (bot/handoff handles them).
	CbProvPage CallbackKind = 'p' // p:<page>            a page of provinces
	CbProvince CallbackKind = 'v' // v:<province-id>     a province picked
	CbCommune  CallbackKind = 'o' // o:<province-id>:<i> the i-th commune of a province
	CbCallMe   CallbackKind = 'k' // k:<agent-id>        ask that agent to call back
	CbCallTime CallbackKind = 't' // t:sang|chieu|any    preferred time of the call
	CbLead     CallbackKind = 'l' // l:<lead-id>:<act>   a status button on a lead card
)

// Menu entries for CbMenu.
const (
	MenuMain    = "main"
	MenuFAQ     = "faq"
	MenuVSI     = "vsi"
	MenuHI      = "hi"
	MenuPension = "pension"
	MenuAgent   = "agent"
	MenuHotline = "hotline"
)

// Navigation actions for CbNav.
const (
	NavBack   = "back"
	NavCancel = "cancel"
	NavDelete = "delete" // /xoa confirmed
	NavKeep   = "keep"   // /xoa declined
	// NavNotThese: none of the offered choices is what the person asked;
	// the question is recorded and people who can help are offered.
	NavNotThese = "notthese"
)

// Callback is decoded callback data. Which fields are set depends on Kind:
// ID for a/r/f/g (an FAQ id), v/o (a province id) and k (an agent id); Vote
// for f; Menu for m; Flow/Step/Value for c; Nav for x; N for p (page), o
// (commune index) and l (lead id); Value for t (time) and l (action); Value
// (action) and N (number) for n.
type Callback struct {
	Kind  CallbackKind
	ID    string
	Vote  int
	Menu  string
	Flow  string
	Step  string
	Value string
	Nav   string
	N     int64
}

// Lead-card actions (CbLead's Value).
const (
	LeadClaim     = "claim"
	LeadContacted = "contacted"
	LeadEnrolled  = "enrolled"
	LeadNo        = "no"
)

var leadActions = map[string]bool{LeadClaim: true, LeadContacted: true, LeadEnrolled: true, LeadNo: true}
var callTimes = map[string]bool{"sang": true, "chieu": true, "any": true}

// remindActions are CbRemind's actions and whether they carry a number.
var remindActions = map[string]bool{
	RemindMenu: false, RemindSetPay: false, RemindSetCard: false, RemindSetNews: false,
	RemindMethod: true, RemindPeriod: true, RemindPaid: true, RemindLater: true,
	RemindRenewed: false, RemindOffPay: false, RemindOffCard: false, RemindOffNews: false,
}

// RemindCb is a reminder button: an action and, for those that take one, a
// number (months of a method, or a period's first month as YYYYMM).
func RemindCb(action string, n int64) Callback { return Callback{Kind: CbRemind, Value: action, N: n} }

// ErrBadCallback is returned for data that is unknown, forged or too long.
var ErrBadCallback = errors.New("bot: invalid callback data")

// Convenience constructors; Encode validates.
func AnswerCb(id string) Callback   { return Callback{Kind: CbAnswer, ID: id} }
func RelatedCb(id string) Callback  { return Callback{Kind: CbRelated, ID: id} }
func MenuCb(menu string) Callback   { return Callback{Kind: CbMenu, Menu: menu} }
func NavCb(nav string) Callback     { return Callback{Kind: CbNav, Nav: nav} }
func AgentCb(id string) Callback    { return Callback{Kind: CbAgent, ID: id} }
func DetailCb() Callback            { return Callback{Kind: CbDetail} }
func ProvPageCb(page int) Callback  { return Callback{Kind: CbProvPage, N: int64(page)} }
func ProvinceCb(id string) Callback { return Callback{Kind: CbProvince, ID: id} }
func CallMeCb(agent string) Callback {
	return Callback{Kind: CbCallMe, ID: agent}
}
func CallTimeCb(code string) Callback { return Callback{Kind: CbCallTime, Value: code} }
func CommuneCb(province string, i int) Callback {
	return Callback{Kind: CbCommune, ID: province, N: int64(i)}
}
func LeadCb(id int64, action string) Callback {
	return Callback{Kind: CbLead, N: id, Value: action}
}
func CalcCb(flow, step, v string) Callback {
	return Callback{Kind: CbCalc, Flow: flow, Step: step, Value: v}
}
func FeedbackCb(id string, vote int) Callback {
	return Callback{Kind: CbFeedback, ID: id, Vote: vote}
}

// validToken reports whether s is a non-empty run of [a-z0-9._-] (ids, steps, values).
func validToken(s string, allowEmpty bool) bool {
	if s == "" {
		return allowEmpty
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// num writes a non-negative number; ok is false for negatives and numbers
// above max.
func num(n, max int64) (string, bool) {
	if n < 0 || n > max {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// parseNum reads what num writes (no sign, no leading zero).
func parseNum(s string) (int64, bool) {
	if s == "" || len(s) > 18 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

var menus = map[string]bool{MenuMain: true, MenuFAQ: true, MenuVSI: true, MenuHI: true, MenuPension: true, MenuAgent: true, MenuHotline: true}
var navs = map[string]bool{NavBack: true, NavCancel: true, NavDelete: true, NavKeep: true, NavNotThese: true}

// Encode returns the wire form, or ErrBadCallback when a field is invalid or
// the result exceeds 64 bytes.
func (c Callback) Encode() (string, error) {
	var s string
	switch c.Kind {
	case CbAnswer, CbRelated:
		if !validToken(c.ID, false) {
			return "", ErrBadCallback
		}
		s = string(c.Kind) + ":" + c.ID
	case CbAgent:
		if !validToken(c.ID, true) {
			return "", ErrBadCallback
		}
		s = "g:" + c.ID
	case CbFeedback:
		if !validToken(c.ID, false) {
			return "", ErrBadCallback
		}
		switch c.Vote {
		case 1:
			s = "f:+:" + c.ID
		case -1:
			s = "f:-:" + c.ID
		default:
			return "", ErrBadCallback
		}
	case CbMenu:
		if !menus[c.Menu] {
			return "", ErrBadCallback
		}
		s = "m:" + c.Menu
	case CbNav:
		if !navs[c.Nav] {
			return "", ErrBadCallback
		}
		s = "x:" + c.Nav
	case CbCalc:
		if !validToken(c.Flow, false) || !validToken(c.Step, false) || !validToken(c.Value, false) {
			return "", ErrBadCallback
		}
		s = "c:" + c.Flow + ":" + c.Step + ":" + c.Value
	case CbDetail:
		s = "d:"
	case CbRemind:
		withN, ok := remindActions[c.Value]
		if !ok || withN != (c.N != 0) {
			return "", ErrBadCallback
		}
		s = "n:" + c.Value
		if withN {
			n, ok := num(c.N, 999999)
			if !ok {
				return "", ErrBadCallback
			}
			s += ":" + n
		}
	case CbProvPage:
		n, ok := num(c.N, 99)
		if !ok {
			return "", ErrBadCallback
		}
		s = "p:" + n
	case CbProvince, CbCallMe:
		if !validToken(c.ID, false) {
			return "", ErrBadCallback
		}
		s = string(c.Kind) + ":" + c.ID
	case CbCommune:
		n, ok := num(c.N, 9999)
		if !ok || !validToken(c.ID, false) {
			return "", ErrBadCallback
		}
		s = "o:" + c.ID + ":" + n
	case CbCallTime:
		if !callTimes[c.Value] {
			return "", ErrBadCallback
		}
		s = "t:" + c.Value
	case CbLead:
		n, ok := num(c.N, 1<<53)
		if !ok || c.N == 0 || !leadActions[c.Value] {
			return "", ErrBadCallback
		}
		s = "l:" + n + ":" + c.Value
	default:
		return "", ErrBadCallback
	}
	if len(s) > MaxCallbackLen {
		return "", ErrBadCallback
	}
	return s, nil
}

// EncodeOrEmpty is Encode for data built from constants and known ids: it
// returns "" for invalid data, and a button with empty data is dropped by
// keyboard() rather than sent (so a bad id costs a button, not the reply).
func (c Callback) EncodeOrEmpty() string {
	s, err := c.Encode()
	if err != nil {
		return ""
	}
	return s
}

// DecodeCallback parses callback data strictly: anything that Encode would not
// produce is ErrBadCallback.
func DecodeCallback(data string) (Callback, error) {
	if len(data) < 2 || len(data) > MaxCallbackLen || data[1] != ':' {
		return Callback{}, ErrBadCallback
	}
	rest := data[2:]
	var c Callback
	switch CallbackKind(data[0]) {
	case CbAnswer, CbRelated:
		c = Callback{Kind: CallbackKind(data[0]), ID: rest}
	case CbAgent:
		c = AgentCb(rest)
	case CbFeedback:
		if len(rest) < 3 || rest[1] != ':' {
			return Callback{}, ErrBadCallback
		}
		vote := 0
		switch rest[0] {
		case '+':
			vote = 1
		case '-':
			vote = -1
		}
		c = FeedbackCb(rest[2:], vote)
	case CbMenu:
		c = MenuCb(rest)
	case CbNav:
		c = NavCb(rest)
	case CbCalc:
		parts := strings.Split(rest, ":")
		if len(parts) != 3 {
			return Callback{}, ErrBadCallback
		}
		c = CalcCb(parts[0], parts[1], parts[2])
	case CbDetail:
		c = DetailCb()
	case CbRemind:
		act, n, hasN := strings.Cut(rest, ":")
		c = RemindCb(act, 0)
		if hasN {
			v, ok := parseNum(n)
			if !ok {
				return Callback{}, ErrBadCallback
			}
			c.N = v
		}
	case CbProvPage:
		n, ok := parseNum(rest)
		if !ok {
			return Callback{}, ErrBadCallback
		}
		c = Callback{Kind: CbProvPage, N: n}
	case CbProvince, CbCallMe:
		c = Callback{Kind: CallbackKind(data[0]), ID: rest}
	case CbCommune, CbLead:
		a, b, ok := strings.Cut(rest, ":")
		if !ok {
			return Callback{}, ErrBadCallback
		}
		if data[0] == byte(CbCommune) {
			n, ok := parseNum(b)
			if !ok {
				return Callback{}, ErrBadCallback
			}
			c = Callback{Kind: CbCommune, ID: a, N: n}
		} else {
			n, ok := parseNum(a)
			if !ok {
				return Callback{}, ErrBadCallback
			}
			c = Callback{Kind: CbLead, N: n, Value: b}
		}
	case CbCallTime:
		c = CallTimeCb(rest)
	case 'h':
		// Lead cards sent before the typed codec carry "h:lead:<id>:<action>";
		// they stay in agents' chats, so their buttons keep working.
		if r, ok := strings.CutPrefix(rest, "lead:"); ok {
			if id, act, ok := strings.Cut(r, ":"); ok {
				if n, ok := parseNum(id); ok && n > 0 && leadActions[act] {
					return LeadCb(n, act), nil
				}
			}
		}
		return Callback{}, ErrBadCallback
	default:
		return Callback{}, ErrBadCallback
	}
	// Round-trip check: the only accepted data is what Encode produces.
	if enc, err := c.Encode(); err != nil || enc != data {
		return Callback{}, ErrBadCallback
	}
	return c, nil
}
