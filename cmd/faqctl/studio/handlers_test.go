package studio

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"io/fs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// unknown is a question the small content does not answer until it is
// labelled for the hotline.
const unknown = "ông hàng xóm nhờ hỏi cách liên lạc"

func TestTryShowsDecisionWhyAndTheReply(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	resp, body := c.get("/thu?" + url.Values{"q": {"số hotline bhxh"}, "ngay": {"2027-01-05"}}.Encode())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `<span class="dec dec-answer">Trả lời</span> bằng <a href="/noi-dung?bai=hotline#hotline">«Số tổng đài BHXH là gì?»</a>`)
	assert.Contains(t, body, "Bot chắc", "the reason in words")
	assert.Contains(t, body, "<li><a href=\"/thu?q=s%e1%bb%91%20hotline%20bhxh\">«số hotline bhxh»</a> → <b>hotline</b> <span class=\"muted\"><code>questions/base.tsv:5</code> · giống 100%</span></li>",
		"the labelled questions most like it, with file:line")
	assert.Contains(t, body, "«cho xin số điện thoại bhxh»</a> → <b>hotline</b>")
	// The reply as Telegram shows it: the engine's answer card, its
	// Telegram HTML drawn, its buttons pressable.
	assert.Contains(t, body, `<div class="msg bot"><b>Số tổng đài BHXH là gì?</b>`)
	assert.Contains(t, body, `<a href="https://baohiemxahoi.gov.vn" rel="noopener noreferrer" target="_blank">trang BHXH</a>`)
	assert.Contains(t, body, `<button type="submit" class="kb-btn">👍</button>`)
	assert.Contains(t, body, `name="ngay" value="2027-01-05"`, "the day asked goes with the buttons")
	assert.Contains(t, body, `value="2027-01-05"`)
}

func TestTrySaysWhenTheMessageStartsTheCalculator(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	_, body := c.get("/thu?" + url.Values{"q": {"mua bhyt hộ gia đình cho 4 người hết bao nhiêu"}}.Encode())
	assert.Contains(t, body, "bot bắt đầu <b>tính tiền BHYT hộ gia đình</b> thay vì tìm trong phần hỏi đáp")
	_, body = c.get("/thu?" + url.Values{"q": {"số hotline bhxh"}}.Encode())
	assert.NotContains(t, body, "bot bắt đầu")
}

func TestTryEscapesWhatWasTyped(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	q := `<b>x</b> & a\b <script>alert(1)</script>`
	_, body := c.get("/thu?" + url.Values{"q": {q}}.Encode())
	assert.NotContains(t, body, "<b>x</b>")
	assert.NotContains(t, body, "<script>")
	assert.Contains(t, body, `<div class="msg me">&lt;b&gt;x&lt;/b&gt; &amp; a\b &lt;script&gt;alert(1)&lt;/script&gt;</div>`)
	assert.Contains(t, body, `>&lt;b&gt;x&lt;/b&gt; &amp; a\b &lt;script&gt;alert(1)&lt;/script&gt;</textarea>`)
}

func TestPressingAButtonRunsTheEngine(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	_, body := c.get("/thu?" + url.Values{"q": {"số hotline bhxh"}}.Encode())
	chat := regexp.MustCompile(`name="chat" value="(\d+)"`).FindStringSubmatch(body)
	require.NotNil(t, chat)
	resp, body := c.post("/thu/bam", url.Values{"csrf": {c.csrf("/thu?q=x")}, "chat": {chat[1]}, "data": {"m:main"}, "text": {"☰ Menu"}, "q": {"số hotline bhxh"}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `<span class="pressed">Bấm nút:</span> ☰ Menu`)
	assert.Contains(t, body, "🧮 Tính mức đóng BHXH tự nguyện", "the main menu")

	resp, body = c.post("/thu/bam", url.Values{"csrf": {c.csrf("/thu?q=x")}, "chat": {chat[1]}, "data": {"zz:forged"}, "text": {"?"}})
	require.Equal(t, http.StatusOK, resp.StatusCode, "forged button data is answered calmly")
	assert.Contains(t, body, `class="msg bot"`)
}

func TestLabelWritesAndTheBotAnswers(t *testing.T) {
	dir := smallContent(t)
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	_, body := c.get("/thu?" + url.Values{"q": {unknown}}.Encode())
	require.Contains(t, body, `<span class="dec dec-none">Không biết</span>`, "premise: the small content does not answer it")
	token := c.csrf("/thu?q=x")

	resp, _ := c.post("/gan", url.Values{"csrf": {token}, "q": {unknown, "  ông  hàng xóm nhờ hỏi cách liên lạc\t"}, "id": {"hotline"}, "back": {"/thu?q=x"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Header.Get("Location"), "/ket-qua?id="))
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Đã ghi 1 dòng vào <code>questions/studio.tsv</code> với nhãn <b>hotline</b>")
	assert.Contains(t, body, "trùng với câu ở trên", "the same question twice in one form is written once")
	assert.Contains(t, body, "✔ Bot đã trả lời đúng.")
	assert.Contains(t, body, `<div class="msg bot"><b>Số tổng đài BHXH là gì?</b>`, "the reply drawn after the write")
	assert.Contains(t, body, `href="/thu?q=x"`, "back where staff came from")

	b, err := os.ReadFile(filepath.Join(dir, "questions", "studio.tsv"))
	require.NoError(t, err)
	assert.Equal(t, labelledHeader+unknown+"\thotline\n", string(b))
	lintClean(t, dir)

	// Labelled again for the same entry: nothing written; for another:
	// refused, the label in the way named.
	resp, _ = c.post("/gan", url.Values{"csrf": {token}, "q": {strings.ToUpper(unknown)}, "id": {"hotline"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Không có dòng nào cần ghi.")
	assert.Contains(t, body, "đã gán cho câu trả lời này ở questions/studio.tsv:3")
	resp, _ = c.post("/gan", url.Values{"csrf": {token}, "q": {unknown}, "id": {"lump-sum-when"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "đang gán cho &#34;hotline&#34; ở questions/studio.tsv:3")
	b2, _ := os.ReadFile(filepath.Join(dir, "questions", "studio.tsv"))
	assert.Equal(t, string(b), string(b2))

	// An entry that does not exist, an empty question, a question that
	// would be a comment.
	resp, _ = c.post("/gan", url.Values{"csrf": {token}, "q": {"x"}, "id": {"../../etc/passwd"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Không có câu trả lời")
	resp, _ = c.post("/gan", url.Values{"csrf": {token}, "q": {"   ", "# đây là câu hỏi"}, "id": {"none"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "câu hỏi trống")
	b3, _ := os.ReadFile(filepath.Join(dir, "questions", "studio.tsv"))
	assert.Equal(t, string(b)+"đây là câu hỏi\tnone\n", string(b3), "a leading # is dropped: the line stays a question")
	lintClean(t, dir)
}

// lintClean loads the content directory as the bot and lint do.
func lintClean(t *testing.T, dir string) {
	t.Helper()
	ix, err := faq.Open(os.DirFS(dir))
	require.NoError(t, err)
	ix.Close()
	_, _, err = faq.LoadSetAside(os.DirFS(dir))
	require.NoError(t, err)
}

func TestLabelAppendsToAFileWithoutFinalNewline(t *testing.T) {
	dir := smallContent(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "questions", "studio.tsv"), []byte("question\tid\nsố hotline là gì\thotline"), 0o644))
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	resp, _ := c.post("/gan", url.Values{"csrf": {c.csrf("/thu?q=x")}, "q": {unknown}, "id": {"hotline"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	b, _ := os.ReadFile(filepath.Join(dir, "questions", "studio.tsv"))
	assert.Equal(t, "question\tid\nsố hotline là gì\thotline\n"+unknown+"\thotline\n", string(b))
	lintClean(t, dir)
}

func TestSetAsideNeededAndIgnored(t *testing.T) {
	dir := smallContent(t)
	st := seedDB(t, []studiotest.Recorded{
		{Text: "bảo hiểm xe máy mua ở đâu", Kind: "unanswered", Times: 4},
		{Text: "bao hiem xe may mua o dau vay", Kind: "unanswered", Times: 1},
		{Text: "xem bói tuổi con gì", Kind: "unanswered", Times: 2},
		{Text: "giá vàng hôm nay", Kind: "unanswered", Times: 1},
		{Text: "đóng qua momo được không", Kind: "clarify", Top: "min-income-floor", Times: 3},
	})
	_, ts := newServer(t, Config{ContentDir: dir, Records: st})
	c := newClient(t, ts.URL)
	resp, body := c.get("/hop-thu")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "Cần xử lý <span class=\"count\">3</span>")
	assert.Contains(t, body, "và 1 cách hỏi giống", "the unaccented variant is in the same group")
	token := c.csrf("/hop-thu")

	resp, _ = c.post("/de-rieng", url.Values{"csrf": {token}, "kind": {"needed"}, "q": {"đóng qua momo được không"}, "note": {"cần bài về ví điện tử\tmomo"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Đã ghi 1 dòng vào <code>questions/needed.tsv</code>, ghi chú «cần bài về ví điện tử momo»")
	resp, _ = c.post("/de-rieng", url.Values{"csrf": {token}, "kind": {"ignored"}, "q": {"xem bói tuổi con gì"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	resp, _ = c.post("/de-rieng", url.Values{"csrf": {token}, "kind": {"ignored"}, "q": {"dong qua momo duoc khong"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "đang ở questions/needed.tsv:3", "a question is set aside once")
	resp, _ = c.post("/de-rieng", url.Values{"csrf": {token}, "kind": {"deleted"}, "q": {"x"}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	needed, _ := os.ReadFile(filepath.Join(dir, "questions", "needed.tsv"))
	assert.Equal(t, neededHeader+"đóng qua momo được không\tcần bài về ví điện tử momo\n", string(needed))
	ignored, _ := os.ReadFile(filepath.Join(dir, "questions", "ignored.tsv"))
	assert.Equal(t, ignoredHeader+"xem bói tuổi con gì\t\n", string(ignored))
	lintClean(t, dir)

	_, body = c.get("/hop-thu")
	assert.Contains(t, body, "Cần xử lý <span class=\"count\">1</span>")
	assert.Contains(t, body, "Cần câu trả lời mới <span class=\"count\">1</span>")
	assert.Contains(t, body, "Đã bỏ qua <span class=\"count\">1</span>")
	assert.NotContains(t, body, "xem bói", "ignored questions leave the inbox")
	_, body = c.get("/hop-thu?xem=bo-qua")
	assert.Contains(t, body, "xem bói tuổi con gì")
	_, body = c.get("/hop-thu?xem=da-gan")
	assert.Contains(t, body, "giá vàng hôm nay", "labelled none in base.tsv")
	_, body = c.get("/noi-dung")
	assert.Contains(t, body, "«đóng qua momo được không»</a>: cần bài về ví điện tử momo <span class=\"muted\"><code>questions/needed.tsv:3</code>", "the content page lists the answers to write")
}

func TestGroupPageLabelsTheChosenWordings(t *testing.T) {
	dir := smallContent(t)
	st := seedDB(t, []studiotest.Recorded{
		{Text: unknown, Kind: "unanswered", Times: 3},
		{Text: "ong hang xom nho hoi cach lien lac voi bhxh", Kind: "rejected", Times: 1},
		{Text: "giá vàng hôm nay", Kind: "unanswered", Times: 2},
	})
	_, ts := newServer(t, Config{ContentDir: dir, Records: st})
	c := newClient(t, ts.URL)
	_, body := c.get("/hop-thu")
	link := regexp.MustCompile(`href="(/hop-thu/nhom\?k=[^"]+)">«` + unknown).FindStringSubmatch(body)
	require.NotNil(t, link, body)
	resp, body := c.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, strings.Count(body, `type="checkbox" name="q"`), "both wordings, checked")
	assert.Contains(t, body, `<option value="hotline">Số tổng đài BHXH là gì?</option>`)
	_, found := c.get(strings.ReplaceAll(link[1], "&amp;", "&") + "&tim=" + url.QueryEscape("rút"))
	assert.Regexp(t, `(?s)<optgroup label="Gợi ý">\s*<option value="lump-sum-when"`, found, "the search box puts the entries it finds first")

	resp, _ = c.post("/gan", url.Values{"csrf": {c.csrf("/hop-thu")}, "q": {unknown, "ong hang xom nho hoi cach lien lac voi bhxh"}, "id": {"hotline"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Đã ghi 2 dòng")
	_, body = c.get("/hop-thu?xem=da-gan")
	assert.Contains(t, body, unknown)
	assert.Contains(t, body, "✔ đúng nhãn", "the inbox says what the bot does now")
}

func TestRelabelChangesOneLine(t *testing.T) {
	dir := smallContent(t)
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	before, _ := os.ReadFile(filepath.Join(dir, "questions", "base.tsv"))
	q := "khi nào được rút bhxh" // line 17, labelled lump-sum-when
	_, body := c.get("/thu?" + url.Values{"q": {q}}.Encode())
	assert.Contains(t, body, `action="/sua-nhan"`, "a labelled question offers to change its label")
	resp, _ := c.post("/sua-nhan", url.Values{"csrf": {c.csrf("/thu?q=x")}, "file": {"questions/base.tsv"}, "line": {"17"}, "q": {q}, "id": {"who-can-join-age"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, `questions/base.tsv:17: &#34;lump-sum-when&#34; → &#34;who-can-join-age&#34;`)
	after, _ := os.ReadFile(filepath.Join(dir, "questions", "base.tsv"))
	assert.Equal(t, strings.Replace(string(before), q+"\tlump-sum-when\n", q+"\twho-can-join-age\n", 1), string(after))
	lintClean(t, dir)

	// The line moved meanwhile: refused.
	resp, _ = c.post("/sua-nhan", url.Values{"csrf": {c.csrf("/thu?q=x")}, "file": {"questions/base.tsv"}, "line": {"16"}, "q": {q}, "id": {"hotline"}})
	_, body = c.get(resp.Header.Get("Location"))
	assert.Contains(t, body, "Không tìm thấy dòng questions/base.tsv:16")
}

func TestEditsOnDiskAreSeen(t *testing.T) {
	dir := smallContent(t)
	_, ts := newServer(t, Config{ContentDir: dir})
	c := newClient(t, ts.URL)
	f, err := os.OpenFile(filepath.Join(dir, "questions", "base.tsv"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(unknown + "\thotline\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, body := c.get("/thu?" + url.Values{"q": {unknown}}.Encode())
	assert.Contains(t, body, "đã có nhãn: <b>hotline</b> ở <code>questions/base.tsv:25</code>")

	// Content broken by hand: every page says where.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "questions", "needed.tsv"), []byte("a\tb\tc\n"), 0o644))
	_, body = c.get("/thu")
	assert.Contains(t, body, "Nội dung đang có lỗi")
	assert.Contains(t, body, "questions/needed.tsv:1: cần")
}

func TestAWriteThatBreaksTheContentIsUndone(t *testing.T) {
	dir := smallContent(t)
	s, _ := newServer(t, Config{ContentDir: dir})
	before, _ := os.ReadFile(filepath.Join(dir, "questions", "base.tsv"))
	g, err := s.ws.change(func(root *os.Root, _ *generation) (func() error, error) {
		return appendLines(root, "questions/base.tsv", labelledHeader, []string{"một câu\tkhong-co-bai-nay"})
	})
	assert.Nil(t, g)
	require.ErrorIs(t, err, errRejected)
	assert.Contains(t, err.Error(), "questions/base.tsv:25")
	after, _ := os.ReadFile(filepath.Join(dir, "questions", "base.tsv"))
	assert.Equal(t, string(before), string(after))
	g = s.ws.acquire()
	defer s.ws.release(g)
	assert.NotNil(t, g.ix, "the content still loads")
}

func TestContentPage(t *testing.T) {
	dir := smallContent(t)
	lint := func(_ fs.FS, _ time.Time) ([]string, []string) {
		return []string{"faq/hotline.md:4: câu hỏi thử"}, []string{"rates.yaml:10: cảnh báo: thử"}
	}
	s, ts := newServer(t, Config{ContentDir: dir, Lint: lint})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, s.Ready(ctx))
	c := newClient(t, ts.URL)
	_, body := c.get("/noi-dung?bai=hotline")
	assert.Contains(t, body, `<span class="bad">1 lỗi</span>, 1 cảnh báo`)
	assert.Regexp(t, `(?s)<details class="entry" id="hotline" open>.*?faq/hotline.md:4: câu hỏi thử`, body, "under its entry, opened")
	assert.Contains(t, body, "<code>rates.yaml:10: cảnh báo: thử</code>", "other files apart")
	assert.Contains(t, body, `<code>questions/base.tsv</code></td><td>20</td>`, "the figures of the labelled set")
	assert.Contains(t, body, "Đây là lần chạy đầu tiên")
	assert.Contains(t, body, "Luật BHXH 41/2024/QH15, Điều 102", "sources")

	// A label: the next run lists the line it added.
	c2 := newClient(t, ts.URL)
	resp, _ := c2.post("/gan", url.Values{"csrf": {c2.csrf("/thu?q=x")}, "q": {unknown}, "id": {"hotline"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.NoError(t, s.Ready(ctx))
	_, body = c.get("/noi-dung")
	assert.Regexp(t, `(?s)<h3 id="thay-doi">.*«`+unknown+`».*questions/studio.tsv:3.*\(dòng mới\)`, body)
}

func TestAgentsPageHasNoPersonalData(t *testing.T) {
	st := seedDB(t, nil)
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Records: st})
	c := newClient(t, ts.URL)
	_, body := c.get("/dai-ly")
	assert.Contains(t, body, "<th>Hưng Yên</th><td>2</td><td>1</td><td>1</td><td>1</td><td>0</td>")
	assert.Contains(t, body, "hyn-bd-thaithuy")
	assert.Contains(t, body, "(văn phòng tỉnh)")
	assert.Contains(t, body, "<th>Tổng</th><td>3</td>")
	assert.NotContains(t, body, studiotest.LeadName)
	assert.NotContains(t, body, studiotest.LeadPhone)
	assert.NotContains(t, body, "0912 345 678")
	_, body = c.get("/dai-ly?tu=2026-12-06")
	assert.Contains(t, body, "Chưa có yêu cầu gọi lại nào từ ngày này")
}

func TestWithoutDatabase(t *testing.T) {
	_, ts := newServer(t, Config{ContentDir: smallContent(t)})
	c := newClient(t, ts.URL)
	for _, p := range []string{"/hop-thu", "/dai-ly"} {
		resp, body := c.get(p)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, "chưa mở cơ sở dữ liệu của bot", p)
	}
}

// TestDemoInboxDraws draws the inbox of the demo database on the shipped
// content: the tabs, the pages of the list, and group pages.
func TestDemoInboxDraws(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("builds the shipped index (20 s with -race; TestStudioInBrowser runs the shipped content under -race)")
	}
	dir := filepath.Join(t.TempDir(), "content")
	require.NoError(t, studiotest.CopyFS(content.FS(), dir))
	demo, err := studiotest.Demo()
	require.NoError(t, err)
	_, ts := newServer(t, Config{ContentDir: dir, Records: seedDB(t, demo)})
	c := newClient(t, ts.URL)
	links := map[string]bool{}
	for _, p := range []string{"/hop-thu", "/hop-thu?trang=2", "/hop-thu?xem=can-moi", "/hop-thu?xem=da-gan&ngay=365", "/hop-thu?xem=bo-qua&ngay=7"} {
		resp, body := c.get(p)
		require.Equal(t, http.StatusOK, resp.StatusCode, p)
		for _, m := range regexp.MustCompile(`href="(/hop-thu/nhom\?[^"#]+)"`).FindAllStringSubmatch(body, -1) {
			links[strings.ReplaceAll(m[1], "&amp;", "&")] = true
		}
	}
	require.Greater(t, len(links), 25)
	n := 0
	for l := range links { // a sample (map order): each page builds a reply with the shipped index
		if n++; n > 8 {
			break
		}
		resp, body := c.get(l)
		require.Equal(t, http.StatusOK, resp.StatusCode, l)
		assert.Contains(t, body, `id="form-gan"`, l)
		assert.Contains(t, body, `class="msg bot"`, l)
	}
}
