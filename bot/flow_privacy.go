package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// flowDeleteConfirm marks a chat that was asked /xoa's confirmation: only
// then does the "delete" button act, so an old or forged button cannot skip
// the question. The mark expires with the rest of the chat state.
const flowDeleteConfirm = "xoa"

// askDelete asks /xoa's confirmation.
func (e *Engine) askDelete(st *ChatState) Response {
	st.Reset()
	st.Flow = flowDeleteConfirm
	return reply(msgDeleteAsk, keyboard([]Button{btn(BtnDelete, NavCb(NavDelete)), btn(BtnKeep, NavCb(NavKeep))}))
}

// deleteUser removes everything stored about the user: chat state, feedback,
// questions, attribution, and (through the hook) leads and contact data.
func (e *Engine) deleteUser(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	if st.Flow != flowDeleteConfirm {
		return badButton(), nil
	}
	// Reminders first: if the rest fails, /xoa runs again whole.
	if err := e.deleteReminders(ctx, ev.ChatID); err != nil {
		return Response{}, fmt.Errorf("delete reminders: %w", err)
	}
	if err := e.store.DeleteUser(ctx, ev.UserID, ev.ChatID); err != nil {
		return Response{}, fmt.Errorf("delete user: %w", err)
	}
	if e.handoff != nil {
		if err := e.handoff.DeleteUser(ctx, ev.UserID); err != nil {
			return Response{}, fmt.Errorf("handoff delete user: %w", err)
		}
	}
	st.gone = true
	r := reply(msgDeleted, nil)
	r.CallbackText = toastDeleted
	return r, nil
}

// deleteAnswer reads /xoa's question answered in words rather than with its
// buttons: yes ("xóa hết", "xoá đi", "đồng ý", "có") or no ("không xóa",
// "không"); ok is false for anything else (a question is searched as usual).
func deleteAnswer(text string) (yes, ok bool) {
	var kept []string
	for _, w := range strings.FieldsFunc(vitext.Fold(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "nhe", "nha", "di", "a", "ak", "luon", "nua", "roi", "ban", "bot", "giup", "gium", "minh", "toi", "em", "het":
		default:
			kept = append(kept, w)
		}
	}
	switch strings.Join(kept, " ") {
	case "xoa", "co xoa", "dong y", "dong y xoa", "co", "xoa du lieu", "xoa tat ca":
		return true, true
	case "khong", "ko", "k", "khong xoa", "ko xoa", "k xoa", "thoi khong xoa", "giu lai", "de lai":
		return false, true
	}
	return false, false
}
