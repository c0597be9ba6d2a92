package handoff

import (
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"strings"
)

// ConsentVersion names the wording of ConsentHTML. Change it whenever the
// text changes in substance: every lead stores the version the person saw.
const ConsentVersion = "dong-y-goi-lai-v1-2026-11"

// Recipient is who a lead goes to, as the consent names it.
type Recipient struct {
	ChatID       int64
	Name         string // "[MẪU] Bưu điện xã Thái Thụy", "Bảo hiểm xã hội tỉnh Hưng Yên"
	FallbackChat int64  // gets the lead when the recipient is unreachable or does not claim it
	FallbackName string
}

// Route decides who receives a lead for agent a in province p: the agent's
// own chat when it has one; otherwise the province's staff group; otherwise
// the staff chat (BHXHBOT_STAFF_CHAT), named as the provincial office. The
// fallback is the next of those that differs. ok is false when nobody can
// receive a lead (no chat anywhere): then the person is given the phone
// numbers only.
func Route(a *agents.Agent, p *agents.Province, staffChat int64) (Recipient, bool) {
	type cand struct {
		chat int64
		name string
	}
	var cs []cand
	if a != nil && a.ChatID != 0 {
		cs = append(cs, cand{a.ChatID, a.Name})
	}
	office := "Bảo hiểm xã hội tỉnh"
	if p != nil {
		office = p.Office.Name
		if p.StaffChatID != 0 {
			cs = append(cs, cand{p.StaffChatID, office})
		}
	}
	if staffChat != 0 {
		cs = append(cs, cand{staffChat, office})
	}
	if len(cs) == 0 {
		return Recipient{}, false
	}
	r := Recipient{ChatID: cs[0].chat, Name: cs[0].name}
	for _, c := range cs[1:] {
		if c.chat != r.ChatID {
			r.FallbackChat, r.FallbackName = c.chat, c.name
			break
		}
	}
	return r, true
}

// ConsentHTML is the consent screen (Telegram HTML, values escaped): who gets
// what, why, and for how long. context is the question or calculation that
// led here ("" when none).
// agent is the agent the person picked: when the request goes to someone
// else (the agent takes no requests through the bot), the text says so.
func ConsentHTML(r Recipient, agent, commune, context string, retentionDays int) string {
	var b strings.Builder
	b.WriteString("📞 <b>Nhờ gọi lại</b>\n\n")
	if agent != "" && agent != r.Name {
		fmt.Fprintf(&b, "Bạn chọn <b>%s</b>. Nơi này chưa nhận yêu cầu qua bot, nên bot gửi yêu cầu cho <b>%s</b>; họ sẽ gọi cho bạn hoặc nhờ %s gọi.\n", esc(agent), esc(r.Name), esc(agent))
		fmt.Fprintf(&b, "Bot sẽ gửi cho <b>%s</b>:\n", esc(r.Name))
	} else {
		fmt.Fprintf(&b, "Để <b>%s</b> gọi điện tư vấn cho bạn, bot sẽ gửi cho họ:\n", esc(r.Name))
	}
	b.WriteString("• tên Telegram và số điện thoại của bạn (khi bạn bấm nút chia sẻ)\n")
	if commune != "" {
		fmt.Fprintf(&b, "• nơi bạn ở: %s\n", esc(commune))
	}
	if context != "" {
		fmt.Fprintf(&b, "• điều bạn vừa hỏi hoặc tính: %s\n", esc(shorten(context, 200)))
	}
	b.WriteString("\n<b>Mục đích:</b> chỉ để gọi lại, hướng dẫn bạn đăng ký và đóng BHXH tự nguyện, BHYT hộ gia đình.\n")
	if r.FallbackName != "" && r.FallbackName != r.Name {
		fmt.Fprintf(&b, "Nếu %s chưa nhận được, <b>%s</b> sẽ nhận thay để gọi cho bạn.\n", esc(r.Name), esc(r.FallbackName))
	} else if r.FallbackChat != 0 {
		b.WriteString("Nếu người nhận đầu tiên bận, đồng nghiệp cùng cơ quan sẽ gọi thay.\n")
	}
	fmt.Fprintf(&b, "<b>Lưu bao lâu:</b> %d ngày, rồi tự xoá. Bạn xoá ngay được bằng lệnh /xoa.\n", retentionDays)
	b.WriteString("Theo Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, bạn có thể rút lại đồng ý bất cứ lúc nào.\n\n")
	b.WriteString("Bot không bao giờ hỏi số CCCD, mã OTP hay tài khoản ngân hàng.\n")
	b.WriteString("Nếu đồng ý, bấm nút <b>Đồng ý, gửi số điện thoại</b> bên dưới bàn phím.")
	return b.String()
}

// shorten cuts s to at most n runes, adding "…".
func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
