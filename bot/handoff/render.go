package handoff

import (
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"html"
	"strconv"
	"strings"
	"time"
)

// esc escapes a dynamic value for Telegram HTML.
func esc(s string) string { return html.EscapeString(s) }

// MapURL is a Google Maps link to a point.
func MapURL(lat, lon float64) string {
	return "https://www.google.com/maps?q=" + strconv.FormatFloat(lat, 'f', 5, 64) + "," + strconv.FormatFloat(lon, 'f', 5, 64)
}

// AgentHTML renders one agent for the person as Telegram HTML (every value
// escaped): name and kind, address, phone, hours and whether it is open at
// now, distance when known (km ≥ 0), and a map link.
func AgentHTML(a *agents.Agent, km float64, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>%s</b> (%s)", esc(a.Name), esc(a.Kind.Label()))
	if a.Sample {
		b.WriteString(" <i>(dữ liệu mẫu)</i>")
	}
	b.WriteString("\n📍 " + esc(a.Address))
	if km >= 0 {
		b.WriteString(" · cách khoảng " + esc(formatKm(km)))
	}
	b.WriteString("\n☎️ " + esc(agents.FormatPhone(a.Phone)))
	b.WriteString("\n🕒 " + esc(a.Hours.String()))
	if s := a.Hours.Describe(now); s != "" {
		b.WriteString("\n" + esc(s))
	}
	fmt.Fprintf(&b, "\n<a href=\"%s\">Xem bản đồ</a>", esc(MapURL(a.Lat, a.Lon)))
	return b.String()
}

func formatKm(km float64) string {
	switch {
	case km < 0.1:
		return "dưới 100 m"
	case km < 1:
		return fmt.Sprintf("%d m", int(km*1000/50)*50)
	}
	s := strconv.FormatFloat(km, 'f', 1, 64)
	return strings.Replace(s, ".", ",", 1) + " km"
}

// FallbackHTML is always shown under an agent list: the national hotline and
// the provincial BHXH office (nil when the province is unknown).
func FallbackHTML(p *agents.Province) string {
	var b strings.Builder
	b.WriteString("Nếu chưa liên hệ được: gọi tổng đài BHXH Việt Nam <b>" + calc.Hotline + "</b>")
	if p != nil {
		b.WriteString(", hoặc đến " + esc(p.Office.Name))
		if addr := p.Office.Address; addr != "" && addr != "cần xác nhận" {
			b.WriteString(" (" + esc(addr) + ")")
		}
		if ph, err := agents.NormalizePhone(p.Office.Phone); err == nil && agents.FormatPhone(ph) != calc.Hotline {
			b.WriteString(", ☎️ " + esc(agents.FormatPhone(ph)))
		}
	}
	b.WriteString(".")
	return b.String()
}

// AgentsHTML renders an answer: a heading, up to MaxAgents agents and the
// fallback block. showKm says whether the distances are from the person
// (shared location) and worth showing.
func AgentsHTML(heading string, list []agents.Near, p *agents.Province, now time.Time, showKm bool) string {
	var b strings.Builder
	if heading != "" {
		b.WriteString(heading + "\n\n")
	}
	for i, n := range list {
		if i >= agents.MaxAgents {
			break
		}
		km := n.Km
		if !showKm {
			km = -1
		}
		fmt.Fprintf(&b, "%d. %s\n\n", i+1, AgentHTML(n.Agent, km, now))
	}
	b.WriteString(FallbackHTML(p))
	return b.String()
}
