package handoff

import (
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"strings"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Card button actions (bot.CbLead's action) and the status each sets.
var cardActions = []struct {
	action string
	status Status
	label  string
}{
	{bot.LeadClaim, StatusClaimed, "✋ Nhận"},
	{bot.LeadContacted, StatusContacted, "📞 Đã liên hệ"},
	{bot.LeadEnrolled, StatusEnrolled, "✅ Đã tham gia"},
	{bot.LeadNo, StatusNotInterested, "🚫 Không quan tâm"},
}

// actionStatus is the status a card action sets; ok is false for an unknown action.
func actionStatus(action string) (Status, bool) {
	for _, a := range cardActions {
		if a.action == action {
			return a.status, true
		}
	}
	return "", false
}

// CardInput is what a lead card shows besides the lead.
type CardInput struct {
	Lead      Lead
	Agent     *agents.Agent    // nil when the agent left the directory
	Province  *agents.Province // nil when unknown
	ChatID    int64            // where the card goes
	WithPhone bool             // the consent covers this chat
	Escalated bool             // sent because nobody claimed it in time
	Now       time.Time
	By        string // who just changed the status (first name), when known
}

// CardMessage renders the lead card for an agent or staff chat, with the
// status buttons. The phone appears only when WithPhone (and the lead's
// consent covers ChatID).
func CardMessage(in CardInput) bot.Message {
	l := in.Lead
	var b strings.Builder
	if in.Escalated {
		b.WriteString("⏰ <b>Chưa có ai nhận, nhờ nhóm xử lý</b>\n")
	}
	fmt.Fprintf(&b, "🔔 <b>Yêu cầu gọi lại #%d</b>", l.ID)
	if in.Agent != nil && in.Agent.Sample {
		b.WriteString(" <i>(dữ liệu mẫu)</i>")
	}
	b.WriteString("\n")
	if in.WithPhone && l.Consented(in.ChatID) {
		name := l.Name
		if strings.TrimSpace(name) == "" {
			name = "(không có tên)"
		}
		fmt.Fprintf(&b, "👤 Người hỏi: %s\n", esc(name))
		fmt.Fprintf(&b, "☎️ Điện thoại: <b>%s</b>\n", esc(displayPhone(l.Phone)))
	} else {
		// A chat the consent did not name sees neither the name nor the phone.
		fmt.Fprintf(&b, "👤 Tên và ☎️ điện thoại: chỉ gửi cho %s (người được đồng ý)\n", esc(l.RecipientName))
	}
	where := l.Commune
	if in.Province != nil {
		if where != "" {
			where += ", "
		}
		where += in.Province.Name
	}
	if where != "" {
		fmt.Fprintf(&b, "📍 Nơi ở: %s\n", esc(where))
	}
	if in.Agent != nil {
		fmt.Fprintf(&b, "🏢 Đại lý: %s\n", esc(in.Agent.Name))
	} else if l.AgentID != "" {
		fmt.Fprintf(&b, "🏢 Đại lý: %s\n", esc(l.AgentID))
	}
	if l.Context != "" {
		fmt.Fprintf(&b, "💬 Đã hỏi/tính: %s\n", esc(shorten(l.Context, 300)))
	}
	pref := l.PreferredTime
	if pref == "" {
		pref = "giờ hành chính"
	}
	fmt.Fprintf(&b, "🕒 Muốn được gọi: %s\n", esc(pref))
	fmt.Fprintf(&b, "📅 Gửi lúc: %s\n", l.CreatedAt.In(calc.Vietnam).Format("15:04 02/01/2006"))
	fmt.Fprintf(&b, "Trạng thái: <b>%s</b>", esc(l.Status.Label()))
	if in.By != "" && l.Status != StatusNew {
		fmt.Fprintf(&b, " (bởi %s)", esc(in.By))
	}
	var row1, row2 []bot.Button
	for _, a := range cardActions {
		if a.status == StatusClaimed && l.Status != StatusNew {
			continue // already taken: "Nhận" would only say so
		}
		btn := bot.Button{Text: a.label, Data: bot.LeadCb(l.ID, a.action).EncodeOrEmpty()}
		if len(row1) < 2 {
			row1 = append(row1, btn)
		} else {
			row2 = append(row2, btn)
		}
	}
	return bot.Message{ChatID: in.ChatID, HTML: b.String(), Buttons: [][]bot.Button{row1, row2}}
}

// RedactedCard is what a delivered lead card becomes once its lead was
// deleted: the number, why, and no personal data or buttons. retentionDays
// is named for an expired lead.
func RedactedCard(r Redaction, retentionDays int) bot.Message {
	why := "Người hỏi đã xoá dữ liệu của mình (/xoa): tên và số điện thoại không còn ở đây. " +
		"Xin đừng gọi lại, và xoá số này nếu đã ghi ở nơi khác."
	if r.Reason == RedactExpired {
		why = fmt.Sprintf("Đã hết thời hạn lưu %d ngày: tên và số điện thoại đã được xoá.", retentionDays)
	}
	return bot.Message{ChatID: r.ChatID, EditMessageID: r.MessageID,
		HTML: fmt.Sprintf("🗑 <b>Yêu cầu gọi lại #%d</b>\n%s", r.LeadID, why)}
}

// displayPhone groups a Vietnamese number for reading and leaves others as
// they came.
func displayPhone(p string) string {
	if d, err := agents.NormalizePhone(p); err == nil {
		return agents.FormatPhone(d)
	}
	return p
}
