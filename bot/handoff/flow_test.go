package handoff

import (
	"context"
	"encoding/json"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
)

// chat drives the flow like the engine does: Start, then Handle with one
// ChatState kept between events.
type chat struct {
	t    *testing.T
	f    *Flow
	st   *bot.ChatState
	now  time.Time
	last bot.Response
}

func newChat(t *testing.T, staff int64) (*chat, *memStore) {
	d, err := agents.LoadDirectory(content.FS())
	require.NoError(t, err)
	ms := newMemStore()
	c := &chat{t: t, st: &bot.ChatState{ChatID: userID, UserID: userID}, now: ict(23, 12, 0)}
	c.f = NewFlow(NewService(d, ms, Config{StaffChatID: staff}), func() time.Time { return c.now }, nil)
	return c, ms
}

func (c *chat) start(topic bot.Topic) bot.Response {
	r, err := c.f.Start(context.Background(), bot.Event{ChatID: userID, UserID: userID, Private: true, Kind: bot.KindCommand}, c.st, topic)
	require.NoError(c.t, err)
	c.last = r
	return r
}

func (c *chat) send(ev bot.Event) (bot.Response, bool) {
	ev.ChatID, ev.UserID, ev.Private = userID, userID, true
	r, ok, err := c.f.Handle(context.Background(), ev, c.st)
	require.NoError(c.t, err)
	c.last = r
	return r, ok
}

func (c *chat) text(s string) bot.Response {
	r, ok := c.send(bot.Event{Kind: bot.KindText, Text: s})
	require.True(c.t, ok, "text %q not consumed", s)
	return r
}

// countButtons counts the buttons whose label contains label.
func countButtons(r bot.Response, label string) int {
	n := 0
	for _, m := range r.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					n++
				}
			}
		}
	}
	return n
}

// press presses the button whose label contains label in the last response.
func (c *chat) press(label string) bot.Response {
	for _, m := range c.last.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					r, ok := c.send(bot.Event{Kind: bot.KindButton, Data: b.Data, MessageID: 9})
					if d, err := bot.DecodeCallback(b.Data); err == nil && strings.ContainsRune("pvoktl", rune(d.Kind)) {
						require.True(c.t, ok)
					}
					return r
				}
			}
		}
	}
	c.t.Fatalf("no button %q in %+v", label, c.last)
	return bot.Response{}
}

func texts(r bot.Response) string {
	var s []string
	for _, m := range r.Messages {
		s = append(s, m.HTML)
	}
	return strings.Join(s, "\n---\n")
}

func TestFlow_start(t *testing.T) {
	c, _ := newChat(t, staffChat)
	r := c.start(bot.Topic{})
	require.Len(t, r.Messages, 2)
	assert.True(t, r.Messages[0].Keyboard[0][0].RequestLocation)
	assert.Contains(t, r.Messages[1].HTML, "trang 1/5")
	n := 0
	for _, row := range r.Messages[1].Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, "v:") {
				n++
			}
			assert.LessOrEqual(t, len(b.Data), bot.MaxCallbackLen)
		}
	}
	assert.Equal(t, provPerPage, n)
	assert.Equal(t, FlowName, c.st.Flow)

	r = c.press("Sau")
	assert.Contains(t, r.Messages[0].HTML, "trang 2/5")
	assert.Equal(t, 9, r.Messages[0].EditMessageID)
}

func TestFlow_typedOldCommuneNameToAgents(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	r := c.text("thai thuy")
	h := texts(r)
	assert.Contains(t, h, "xã Thái Thụy")
	assert.Contains(t, h, "Hưng Yên")
	assert.Contains(t, h, "[MẪU] Bưu điện xã Thái Thụy")
	assert.Contains(t, h, "1900 9068")
	assert.Contains(t, h, "Bảo hiểm xã hội tỉnh Hưng Yên")
	assert.Contains(t, h, "dữ liệu mẫu")
	assert.Contains(t, h, "google.com/maps")
}

func TestFlow_provinceThenCommune(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	for c.last.Messages[len(c.last.Messages)-1].HTML != "" {
		if hasButton(c.last, "An Giang") {
			break
		}
		c.press("Sau")
	}
	r := c.press("An Giang")
	assert.Contains(t, texts(r), "xã, phường nào của <b>An Giang</b>")
	r = c.text("tp rach gia")
	assert.Contains(t, texts(r), "Đại lý phục vụ <b>phường Rạch Giá</b>")
	r = c.text("kien luong xyz")
	assert.Contains(t, texts(r), "chưa tìm thấy")
	r = c.text("kien giang")
	assert.Contains(t, texts(r), "An Giang", "a former province name is understood")
}

func hasButton(r bot.Response, label string) bool {
	for _, m := range r.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					return true
				}
			}
		}
	}
	return false
}

// TestFlow_typedPhoneOnConsent: a number typed on the consent screen is
// taken like the share button (the person read who gets it).
func TestFlow_typedPhoneOnConsent(t *testing.T) {
	c, ms := newChat(t, staffChat)
	c.start(bot.Topic{})
	c.text("huyen thai thuy")
	c.press("Nhờ số 1")
	r := c.press("Buổi chiều")
	assert.Contains(t, texts(r), "Bạn chọn <b>[MẪU] Bưu điện xã Thái Thụy</b>", "the consent names the agent the person picked")
	assert.Contains(t, texts(r), "Bảo hiểm xã hội tỉnh Hưng Yên", "and who receives the request")
	r = c.text("sdt em 0912 345 678")
	assert.Contains(t, texts(r), "Đã gửi yêu cầu gọi lại")
	require.Len(t, ms.leads, 1)
	for _, l := range ms.leads {
		assert.Equal(t, "0912345678", l.Phone)
	}
}

func TestFlow_locationNeverStored(t *testing.T) {
	c, ms := newChat(t, staffChat)
	c.start(bot.Topic{})
	r, ok := c.send(bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 20.5655, Lon: 106.5611}})
	require.True(t, ok)
	h := texts(r)
	assert.Contains(t, h, "[MẪU] Bưu điện xã Thái Thụy")
	assert.Contains(t, h, "cách khoảng")
	saved, err := json.Marshal(c.st.Data)
	require.NoError(t, err)
	assert.NotContains(t, string(saved), "20.56")
	assert.NotContains(t, string(saved), "106.56")
	assert.Empty(t, hs(c.st).Province, "not even the province the point lies in")
	assert.Empty(t, ms.leads)

	r, _ = c.send(bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 16.05, Lon: 108.20}})
	assert.Contains(t, texts(r), "chưa có đại lý nào trong vòng 50 km", "Đà Nẵng has no sample agent")
}

func TestFlow_consentContactLead(t *testing.T) {
	c, ms := newChat(t, staffChat)
	c.start(bot.Topic{Question: "đóng bhxh tự nguyện 1 năm bao nhiêu"})
	c.text("huyen thai thuy")
	c.press("Nhờ số 1")
	assert.Contains(t, texts(c.last), "lúc nào")
	r := c.press("Buổi chiều")
	h := texts(r)
	assert.Contains(t, h, "Bảo hiểm xã hội tỉnh Hưng Yên", "sample agents have no chat: the office is named")
	assert.Contains(t, h, "đóng bhxh tự nguyện 1 năm bao nhiêu")
	assert.Contains(t, h, "90 ngày")
	assert.True(t, r.Messages[0].Keyboard[0][0].RequestContact)
	assert.Empty(t, ms.leads, "nothing stored before the tap")

	r = c.text("ừm")
	assert.Contains(t, texts(r), "Đồng ý, gửi số điện thoại")
	_, ok := c.send(bot.Event{Kind: bot.KindText, Text: "rút bhxh 1 lần được không?"})
	assert.False(t, ok, "a question on the consent screen goes to the engine to be answered")
	assert.Equal(t, stepConsent, c.st.Step, "and the consent stays open")

	r, _ = c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0987654321", FirstName: "Khác", UserID: 777}})
	assert.Contains(t, texts(r), "chính bạn")
	assert.Empty(t, ms.leads)

	r, _ = c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "+84912345678", FirstName: "Lan", UserID: userID}})
	require.Len(t, ms.leads, 1)
	l := ms.leads[1]
	assert.Equal(t, "hyn-bd-thaithuy", l.AgentID)
	assert.Equal(t, "xã Thái Thụy", l.Commune)
	assert.Equal(t, "buổi chiều", l.PreferredTime)
	assert.Equal(t, ConsentVersion, l.ConsentVersion)
	assert.Equal(t, staffChat, l.RecipientChatID)
	h = texts(r)
	assert.Contains(t, h, "#1")
	assert.Contains(t, h, "từ 13:30 hôm nay (buổi chiều, như bạn chọn)", "at lunch the office opens again at 13:30")
	assert.True(t, r.Messages[0].RemoveKeyboard)
	assert.Empty(t, c.st.Flow)
}

func TestFlow_declineAndUnaskedContact(t *testing.T) {
	c, ms := newChat(t, staffChat)
	r, ok := c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", UserID: userID}})
	require.True(t, ok)
	assert.Contains(t, texts(r), "không lưu")
	c.start(bot.Topic{})
	c.text("phu quoc")
	c.press("Nhờ đại lý này")
	c.press("Lúc nào")
	r = c.text("Không, cảm ơn")
	assert.Contains(t, texts(r), "không gửi gì")
	assert.Empty(t, ms.leads)
	assert.Empty(t, c.st.Flow)
}

func TestFlow_noRecipientNoCallbackButton(t *testing.T) {
	c, _ := newChat(t, 0) // no staff chat, sample agents have no chat
	c.start(bot.Topic{})
	r := c.text("thai thuy")
	assert.False(t, hasButton(r, "Nhờ"), "nobody could receive a lead")
}

func TestFlow_questionLeavesTheFlow(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	_, ok := c.send(bot.Event{Kind: bot.KindText, Text: "mức đóng thấp nhất là bao nhiêu vậy"})
	assert.False(t, ok)
	assert.Empty(t, c.st.Flow)
}

func TestFlow_deepLinkAttribution(t *testing.T) {
	c, ms := newChat(t, staffChat)
	name, err := c.f.DeepLink(context.Background(), bot.Event{UserID: userID}, "agg-bd-phuquoc")
	require.NoError(t, err)
	assert.Contains(t, name, "Phú Quốc", "the greeting can name the agent")
	name, _ = c.f.DeepLink(context.Background(), bot.Event{UserID: userID}, "promo2026")
	assert.Empty(t, name)
	r := c.start(bot.Topic{})
	assert.Contains(t, r.Messages[0].HTML, "Bưu điện đặc khu Phú Quốc")
	require.Len(t, r.Messages, 1, "/daily after a QR code: the agent, in one message")
	assert.Equal(t, 1, countButtons(r, "Hủy"), "one ✖️ Hủy")
	assert.Equal(t, 1, countButtons(r, "Tìm nơi khác"))
	c.press("Nhờ đại lý này")
	c.press("sáng")
	c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "An", UserID: userID}})
	require.Len(t, ms.leads, 1)
	assert.Equal(t, "agg-bd-phuquoc", ms.leads[1].Attribution)
	require.NoError(t, c.f.DeleteUser(context.Background(), userID))
	assert.Empty(t, ms.leads)
	assert.Empty(t, ms.attr)
}

func TestFlow_foreignButtonsNotConsumed(t *testing.T) {
	c, _ := newChat(t, staffChat)
	_, ok := c.send(bot.Event{Kind: bot.KindButton, Data: "m:main"})
	assert.False(t, ok)
	_, ok = c.send(bot.Event{Kind: bot.KindText, Text: "xin chào"})
	assert.False(t, ok, "text outside the flow belongs to the engine")
	_, ok = c.send(bot.Event{Kind: bot.KindButton, Data: "h:zz:1"})
	assert.False(t, ok, "undecodable data is the engine's to refuse")
	r, ok := c.send(bot.Event{Kind: bot.KindButton, Data: "k:no-such-agent"})
	assert.True(t, ok)
	assert.Equal(t, "Nút đã cũ", r.CallbackText)
	r, _ = c.send(bot.Event{Kind: bot.KindButton, Data: "o:hung-yen:999"})
	assert.Equal(t, "Nút đã cũ", r.CallbackText)
}

func TestFlow_locationKeepsWhatLedHere(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{Calc: &bot.CalcSummary{HI: &calc.HIInput{Members: 4, Months: 12}}})
	c.send(bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 20.5655, Lon: 106.5611}})
	c.press("Nhờ số 1")
	r := c.press("sáng")
	assert.Contains(t, texts(r), "Tính BHYT hộ gia đình, 4 người")
	assert.NotContains(t, texts(r), "nơi bạn ở", "a location is not turned into a place to share")
}

func TestFlow_calculationContext(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{Calc: &bot.CalcSummary{VSI: &calc.VSIInput{Income: decimal.NewFromInt(5_000_000), Group: calc.GroupOther, Months: 1}}})
	c.text("thai thuy")
	c.press("Nhờ số 1")
	r := c.press("sáng")
	assert.Contains(t, texts(r), "Tính mức đóng BHXH tự nguyện, thu nhập 5.000.000 đ")
	assert.NotContains(t, texts(r), "câu hỏi cũ")
}

func TestFlow_provinceNameAsksForCommune(t *testing.T) {
	for _, text := range []string{"thai binh", "Hưng Yên", "tinh kien giang"} {
		c, _ := newChat(t, staffChat)
		c.start(bot.Topic{})
		r := c.text(text)
		assert.Contains(t, texts(r), "xã, phường nào của", text)
	}
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	assert.Contains(t, texts(c.text("long xuyen")), "Đại lý phục vụ <b>phường Long Xuyên</b>")
}

// The confirmation can be lost (Telegram down, the process killed after the
// lead was stored): the person taps "share" again or asks again. The agent
// must still get one request, and the person must hear it was sent.
func TestFlow_repeatedRequestReachesTheAgentOnce(t *testing.T) {
	c, ms := newChat(t, staffChat)
	ask := func() bot.Response {
		c.start(bot.Topic{})
		c.text("thai thuy")
		c.press("Nhờ số 1")
		c.press("Lúc nào")
		r, _ := c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "Lan", UserID: userID}})
		return r
	}
	r := ask()
	require.Len(t, ms.leads, 1)
	assert.Contains(t, texts(r), "#1")

	// Another tap on the share button, the flow already over.
	r, _ = c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "Lan", UserID: userID}})
	assert.Contains(t, texts(r), "#1", "the earlier request is named")
	assert.NotContains(t, texts(r), "không lưu")

	// The whole request again, an hour later.
	c.now = c.now.Add(time.Hour)
	r = ask()
	assert.Len(t, ms.leads, 1, "one lead")
	assert.Len(t, ms.items, 1, "one card")
	assert.Contains(t, texts(r), "#1")
	assert.Contains(t, texts(r), "đã gửi")

	// Another agent is another request.
	c.start(bot.Topic{})
	c.text("phu quoc")
	c.press("Nhờ đại lý này")
	c.press("Lúc nào")
	c.send(bot.Event{Kind: bot.KindContact, Contact: &bot.Contact{Phone: "0912345678", FirstName: "Lan", UserID: userID}})
	assert.Len(t, ms.leads, 2)
}

// A commune typed with its province, old or new ("rach gia kien giang",
// "thai thuy, thai binh"), is that commune, not a question about the
// province; two province names together still ask for the commune.
func TestFlow_communeWithProvinceName(t *testing.T) {
	for text, want := range map[string]string{
		"rach gia kien giang":          "Đại lý phục vụ <b>phường Rạch Giá</b>",
		"thai thuy thai binh":          "Đại lý phục vụ <b>xã Thái Thụy</b>",
		"xã Thái Thụy, tỉnh Thái Bình": "Đại lý phục vụ <b>xã Thái Thụy</b>",
		"dien chau nghe an":            "Đại lý phục vụ <b>xã Diễn Châu</b>",
		"phu quoc, an giang":           "Đại lý phục vụ <b>đặc khu Phú Quốc</b>",
		"thai binh, hung yen":          "xã, phường nào của <b>Hưng Yên</b>",
		"kien giang":                   "xã, phường nào của <b>An Giang</b>",
	} {
		c, _ := newChat(t, staffChat)
		c.start(bot.Topic{})
		assert.Contains(t, texts(c.text(text)), want, text)
	}
}

func TestFlow_provincePagesAndNotFound(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	r := c.press("Sau")
	assert.Contains(t, texts(r), "trang 2/5")
	var names []string
	for _, row := range r.Messages[0].Buttons {
		for _, b := range row {
			names = append(names, b.Text)
		}
	}
	assert.Contains(t, names, "Thành phố Hồ Chí Minh", "sorted under H, next to Hà Nội, not under T")
	assert.Contains(t, names, "Hà Nội")

	c.start(bot.Topic{})
	r = c.text("ba dinh")
	assert.Contains(t, texts(r), "1900 9068", "a place not in the directory still gets the hotline")
}

// The call time can be typed the way people say it; anything else at that
// step asks again instead of being searched as a place.
func TestFlow_typedCallTime(t *testing.T) {
	for text, want := range map[string]string{
		"lúc nào cũng được":  "Nhờ gọi lại",
		"gio nao cung dc":    "Nhờ gọi lại",
		"bat ky luc nao":     "Nhờ gọi lại",
		"sáng mai":           "Nhờ gọi lại",
		"buoi chieu":         "Nhờ gọi lại",
		"tối":                "lúc nào",
		"8h toi":             "lúc nào",
		"gọi tối được không": "lúc nào",
		"8h được không?":     "lúc nào",
	} {
		c, _ := newChat(t, staffChat)
		c.start(bot.Topic{})
		c.text("phu quoc")
		c.press("Nhờ đại lý này")
		r := c.text(text)
		assert.Contains(t, texts(r), want, text)
		if want == "lúc nào" {
			assert.Equal(t, stepTime, c.st.Step, text)
			assert.Contains(t, texts(r), "giờ hành chính", "%s: says when agents call", text)
		}
	}
}

// A question typed at the call-time step goes to the engine to be answered
// (the step stays), as on the consent screen; it is not met with the
// call-time question again.
func TestFlow_questionAtCallTimeIsAnswered(t *testing.T) {
	for _, q := range []string{"dong bhxh tu nguyen o dau", "có mất phí không?"} {
		c, _ := newChat(t, staffChat)
		c.start(bot.Topic{})
		c.text("phu quoc")
		c.press("Nhờ đại lý này")
		_, ok := c.send(bot.Event{Kind: bot.KindText, Text: q})
		assert.False(t, ok, "%s: the engine answers it", q)
		assert.Equal(t, stepTime, c.st.Step, "%s: and the step stays", q)
	}
}

// A point far from every agent's commune (Hà Nội has no sample agent; the
// nearest is in Hưng Yên, 14 km away) may lie in another province: the
// answer must not send the person to that province's office.
func TestFlow_locationFarFromAgentsNamesNoOffice(t *testing.T) {
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	r, _ := c.send(bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 21.03, Lon: 105.85}})
	h := texts(r)
	assert.Contains(t, h, "Văn Giang", "still the nearest agents")
	assert.NotContains(t, h, "Bảo hiểm xã hội tỉnh Hưng Yên")
	assert.Contains(t, h, "1900 9068")
	assert.Contains(t, h, "có thể ở tỉnh khác")

	r, _ = c.send(bot.Event{Kind: bot.KindLocation, Location: &bot.Location{Lat: 20.5655, Lon: 106.5611}})
	assert.Contains(t, texts(r), "Bảo hiểm xã hội tỉnh Hưng Yên", "near an agent: its province's office")
}

// A former province typed says where it is now, so "Hưng Yên" in the answer
// to "Thái Bình" is not a surprise.
func TestFlow_formerProvinceNamed(t *testing.T) {
	for text, want := range map[string]string{
		"Thái Bình":      "Từ 01/07/2025, <b>Thái Bình</b> thuộc tỉnh <b>Hưng Yên</b>.",
		"kien giang":     "Từ 01/07/2025, <b>Kiên Giang</b> thuộc tỉnh <b>An Giang</b>.",
		"tinh hai duong": "Từ 01/07/2025, <b>Hải Dương</b> thuộc thành phố <b>Hải Phòng</b>.",
		"binh duong":     "Từ 01/07/2025, <b>Bình Dương</b> thuộc <b>Thành phố Hồ Chí Minh</b>.",
	} {
		c, _ := newChat(t, staffChat)
		c.start(bot.Topic{})
		assert.Contains(t, texts(c.text(text)), want, text)
	}
	c, _ := newChat(t, staffChat)
	c.start(bot.Topic{})
	assert.NotContains(t, texts(c.text("hung yen")), "Từ 01/07/2025", "the province's own name needs no note")
}

// TestFlow_groupOffersNoCallbackButton: in a group the call-back needs a
// private chat (Telegram's share-contact button works only there), so the
// agent list says so instead of offering buttons that can only refuse.
func TestFlow_groupOffersNoCallbackButton(t *testing.T) {
	c, _ := newChat(t, staffChat)
	group := bot.Event{ChatID: -1001, UserID: userID, Private: false}
	ev := group
	ev.Kind = bot.KindCommand
	r, err := c.f.Start(context.Background(), ev, c.st, bot.Topic{})
	require.NoError(t, err)
	for _, m := range r.Messages {
		assert.Empty(t, m.Keyboard, "no location keyboard in a group")
	}
	ev = group
	ev.Kind, ev.Text = bot.KindText, "thai thuy"
	r, ok, err := c.f.Handle(context.Background(), ev, c.st)
	require.NoError(t, err)
	require.True(t, ok)
	h := texts(r)
	assert.Contains(t, h, "[MẪU] Bưu điện xã Thái Thụy")
	assert.Contains(t, h, msgGroupOnly)
	assert.NotContains(t, h, msgCallHint)
	for _, m := range r.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				assert.False(t, strings.HasPrefix(b.Data, "k:"), "call-back button %q offered in a group", b.Text)
			}
		}
	}

	// The same list in a private chat still offers them.
	c2, _ := newChat(t, staffChat)
	c2.start(bot.Topic{})
	assert.Contains(t, texts(c2.text("thai thuy")), msgCallHint)
}

// TestFlow_staffChatTalkIsNotAQuestion: text in a chat that gets lead cards
// (staff replying to a card, "đã gọi rồi") is staff talk: the hand-off
// consumes it silently instead of the FAQ answering "I don't know" with the
// menu under every message. Commands and buttons still work there, and
// text in any other group still reaches the FAQ.
func TestFlow_staffChatTalkIsNotAQuestion(t *testing.T) {
	c, _ := newChat(t, staffChat)
	st := &bot.ChatState{ChatID: staffChat}
	r, ok, err := c.f.Handle(context.Background(), bot.Event{ChatID: staffChat, UserID: 77, Kind: bot.KindText, Text: "ok em nhận, đã gọi rồi"}, st)
	require.NoError(t, err)
	assert.True(t, ok, "staff talk consumed")
	assert.Empty(t, r.Messages)

	_, ok, err = c.f.Handle(context.Background(), bot.Event{ChatID: -1001, UserID: 77, Kind: bot.KindText, Text: "đóng bao nhiêu"}, &bot.ChatState{ChatID: -1001})
	require.NoError(t, err)
	assert.False(t, ok, "another group's question goes to the FAQ")

	_, ok, err = c.f.Handle(context.Background(), bot.Event{ChatID: userID, UserID: userID, Private: true, Kind: bot.KindText, Text: "đóng bao nhiêu"}, &bot.ChatState{ChatID: userID})
	require.NoError(t, err)
	assert.False(t, ok, "a private question goes to the FAQ")
}

func TestFlow_staffChatCalculationStillTyped(t *testing.T) {
	c, _ := newChat(t, staffChat)
	st := &bot.ChatState{ChatID: staffChat, Flow: "vsi", Step: "income"}
	_, ok, err := c.f.Handle(context.Background(), bot.Event{ChatID: staffChat, UserID: 77, Kind: bot.KindText, Text: "3 triệu"}, st)
	require.NoError(t, err)
	assert.False(t, ok, "a typed answer of another flow goes to the engine")
}
