package handoff

import (
	"flag"
	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func TestAgentsHTML_golden(t *testing.T) {
	d := loadReal(t)
	m := d.FindCommune("hung-yen", "thai thuy")
	require.Len(t, m, 1)
	p, _ := d.Province("hung-yen")
	golden(t, "agents_commune.golden", AgentsHTML("Đại lý phục vụ xã Thái Thụy:", m[0].ServingAgents(agents.MaxAgents), p, ict(23, 12, 0), false))
	golden(t, "agents_location.golden", AgentsHTML("Gần bạn nhất:", d.Nearest(10.23, 103.97, agents.MaxAgents), nil, ict(28, 15, 0), true))
}

func TestAgentHTML_escapes(t *testing.T) {
	h, _ := agents.ParseHours("T2 07:00-08:00")
	a := &agents.Agent{Name: `<b>x</b> & "y"`, Kind: agents.KindAssoc, Address: "a<b", Phone: "0912345678", Hours: h, Lat: 10, Lon: 106}
	got := AgentHTML(a, -1, ict(23, 7, 30))
	assert.Contains(t, got, "&lt;b&gt;x&lt;/b&gt; &amp; &#34;y&#34;")
	assert.Contains(t, got, "a&lt;b")
	assert.Contains(t, got, `<a href="https://www.google.com/maps?q=10.00000,106.00000">`)
	assert.NotContains(t, got, "dữ liệu mẫu")
}

func TestConsentHTML_golden(t *testing.T) {
	r := Recipient{ChatID: -100, Name: "[MẪU] Bưu điện xã Thái Thụy", FallbackChat: -500, FallbackName: "Bảo hiểm xã hội tỉnh Hưng Yên"}
	golden(t, "consent.golden", ConsentHTML(r, r.Name, "xã Thái Thụy", "Tính mức đóng: thu nhập 3 triệu <b>", 90))
}

func TestCardMessage_golden(t *testing.T) {
	d := loadReal(t)
	a, _ := d.Agent("hyn-bd-thaithuy")
	p, _ := d.Province("hung-yen")
	l := Lead{ID: 7, AgentID: a.ID, ProvinceID: "hung-yen", Commune: "xã Thái Thụy", Name: "Lan & <Hoa>", Phone: "84912345678",
		Context: "đóng 1 năm bao nhiêu", RecipientChatID: -100, RecipientName: a.Name, Status: StatusNew, CreatedAt: ict(23, 9, 5)}
	withPhone := CardMessage(CardInput{Lead: l, Agent: a, Province: p, ChatID: -100, WithPhone: true})
	golden(t, "card_agent.golden", withPhone.HTML)
	noPhone := CardMessage(CardInput{Lead: l, Agent: a, Province: p, ChatID: -900, WithPhone: true, Escalated: true})
	golden(t, "card_other_chat.golden", noPhone.HTML)
	assert.NotContains(t, noPhone.HTML, "0912", "WithPhone alone is not enough: the consent must cover the chat")
	assert.NotContains(t, noPhone.HTML, "Hoa", "nor the name: the consent did not name this chat")
	require.Len(t, withPhone.Buttons, 2)
	for _, row := range withPhone.Buttons {
		for _, b := range row {
			cb, err := bot.DecodeCallback(b.Data)
			require.NoError(t, err, b.Data)
			assert.Equal(t, bot.CbLead, cb.Kind)
			assert.Equal(t, int64(7), cb.N)
		}
	}
}

func TestFormatKm(t *testing.T) {
	cases := map[float64]string{0: "dưới 100 m", 0.05: "dưới 100 m", 0.26: "250 m", 0.999: "950 m", 1: "1,0 km", 12.345: "12,3 km"}
	for km, want := range cases {
		assert.Equal(t, want, formatKm(km), "%v", km)
	}
}
