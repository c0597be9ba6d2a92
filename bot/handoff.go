package bot

import "context"

// Handoff is the hook through which the hand-off module (bot/handoff, issue
// 5) joins the conversation. cmd/bhxhbot plugs an implementation into
// Deps.Handoff with one line; when it is nil, "Gặp đại lý" answers with the
// hotline and where to go instead.
//
// Contract:
//   - Handle is offered every event except the engine's own commands
//     (/start, /help, /huy, /xoa, ...) before the engine looks at it. It returns
//     consumed=true when the event is its own: the hand-off's buttons (the
//     callback kinds CbProvPage, CbProvince, CbCommune, CbCallMe, CbCallTime,
//     CbLead of the engine's codec), shared locations and contacts, and text
//     typed while st.Flow is the hand-off's own flow name (except "hủy",
//     "menu", "quay lại", which the engine takes first). It keeps its
//     progress in st.Data.Handoff; the engine saves st after
//     the event. When it returns false the engine proceeds as if it had not
//     been called.
//   - Start begins the hand-off: from the menu, /daily, or the "Gặp đại lý"
//     button under an answer or a calculation. topic is what led here (empty
//     from the menu or /daily): an FAQ id, the scrubbed question, or the
//     calculation in calc's types; Topic.Describe puts it in words.
//   - DeepLink is called on "/start <payload>" after the payload was stored
//     for attribution; it returns the name of the agent whose code it is, or
//     "" when the payload is not an agent code (the greeting names the agent).
//   - DeleteUser is called by /xoa after the engine's own data is deleted; it
//     removes leads and contact data.
//
// Implementations must be safe for concurrent use across chats; the engine
// serialises events of one chat.
type Handoff interface {
	Handle(ctx context.Context, ev Event, st *ChatState) (resp Response, consumed bool, err error)
	Start(ctx context.Context, ev Event, st *ChatState, topic Topic) (Response, error)
	DeepLink(ctx context.Context, ev Event, payload string) (agentName string, err error)
	DeleteUser(ctx context.Context, userID int64) error
}

// startHandoff runs the hook, or the hotline fallback when none is plugged in.
func (e *Engine) startHandoff(ctx context.Context, ev Event, st *ChatState, topic Topic) (Response, error) {
	if e.handoff == nil {
		st.Reset()
		return reply(msgNoHandoff, mainMenu()), nil
	}
	return e.handoff.Start(ctx, ev, st, topic)
}
