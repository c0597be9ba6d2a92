package bot

import (
	"errors"
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
	CbHandoff  CallbackKind = 'h' // h:<opaque>          owned by the Handoff hook
	CbDetail   CallbackKind = 'd' // d:                  sources and caveats of the last result
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
)

// Callback is decoded callback data. Which fields are set depends on Kind:
// ID for a/r/f/g, Vote for f, Menu for m, Flow/Step/Value for c, Nav for x,
// Raw (everything after "h:") for h.
type Callback struct {
	Kind  CallbackKind
	ID    string
	Vote  int
	Menu  string
	Flow  string
	Step  string
	Value string
	Nav   string
	Raw   string
}

// ErrBadCallback is returned for data that is unknown, forged or too long.
var ErrBadCallback = errors.New("bot: invalid callback data")

// Convenience constructors; Encode validates.
func AnswerCb(id string) Callback   { return Callback{Kind: CbAnswer, ID: id} }
func RelatedCb(id string) Callback  { return Callback{Kind: CbRelated, ID: id} }
func MenuCb(menu string) Callback   { return Callback{Kind: CbMenu, Menu: menu} }
func NavCb(nav string) Callback     { return Callback{Kind: CbNav, Nav: nav} }
func AgentCb(id string) Callback    { return Callback{Kind: CbAgent, ID: id} }
func HandoffCb(raw string) Callback { return Callback{Kind: CbHandoff, Raw: raw} }
func DetailCb() Callback            { return Callback{Kind: CbDetail} }
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

// validRaw allows what a hand-off payload needs: printable ASCII without spaces.
func validRaw(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

var menus = map[string]bool{MenuMain: true, MenuFAQ: true, MenuVSI: true, MenuHI: true, MenuPension: true, MenuAgent: true, MenuHotline: true}
var navs = map[string]bool{NavBack: true, NavCancel: true, NavDelete: true, NavKeep: true}

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
	case CbHandoff:
		if !validRaw(c.Raw) {
			return "", ErrBadCallback
		}
		s = "h:" + c.Raw
	case CbDetail:
		s = "d:"
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
	case CbHandoff:
		c = HandoffCb(rest)
	case CbDetail:
		c = DetailCb()
	default:
		return Callback{}, ErrBadCallback
	}
	// Round-trip check: the only accepted data is what Encode produces.
	if enc, err := c.Encode(); err != nil || enc != data {
		return Callback{}, ErrBadCallback
	}
	return c, nil
}
