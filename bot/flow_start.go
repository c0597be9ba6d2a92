package bot

import (
	"context"
	"fmt"
)

// validPayload reports whether p is a Telegram deep-link payload
// ([A-Za-z0-9_-], 1–64 characters).
func validPayload(p string) bool {
	if p == "" || len(p) > 64 {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// onStart greets, shows the menu and keeps a deep-link payload for attribution.
func (e *Engine) onStart(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	st.Reset()
	if err := e.reachable(ctx, ev.ChatID); err != nil {
		return Response{}, fmt.Errorf("reminders: %w", err)
	}
	agent := ""
	if p := ev.Text; validPayload(p) {
		if err := e.store.SetAttribution(ctx, ev.UserID, p, e.now()); err != nil {
			return Response{}, fmt.Errorf("attribution: %w", err)
		}
		if e.handoff != nil {
			name, err := e.handoff.DeepLink(ctx, ev, p)
			if err != nil {
				return Response{}, fmt.Errorf("handoff deep link: %w", err)
			}
			agent = name
		}
	}
	html := greeting(ev.FirstName)
	if agent != "" {
		html += "\n\n" + msgViaAgent(agent)
	}
	for _, n := range e.faq.NoticesHTML(e.today()) {
		html += "\n\n" + n
	}
	return reply(html, mainMenu()), nil
}
