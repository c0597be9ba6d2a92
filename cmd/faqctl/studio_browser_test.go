package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
	"github.com/bhxh-tn/bhxhbot/content"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite studio/testdata/screenshots/*.png")

// The demo question the browser labels: the shipped content gets it wrong
// (choices led by another entry), and one label is enough for the bot to
// answer it with the right entry.
const (
	demoQuestion = "con dâu có được vào sổ hộ khẩu để mua bhyt chung không"
	demoEntry    = "household-hi-who-in-family"
	demoFolded   = "con dau co duoc vao so ho khau de mua bhyt chung khong"
)

// chromium returns Debian's browser, or "" when none is installed.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestStudioInBrowser runs `faqctl studio` with a password on a copy of the
// shipped content and a database of recorded questions, and drives it in
// headless Chromium as staff would: log in, ask a question, open the inbox,
// label the question the bot got wrong, see the bot answer it, and find the
// change in the figures of the content page. With -update-screenshots it
// rewrites the three screenshots the README shows.
func TestStudioInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := chromium()
	if browser == "" {
		t.Skip("no Chromium on this machine: install Debian's package (apt-get install -y chromium), as .ci/run does, to run the browser test")
	}
	t0 := time.Now()
	step := func(name string) { t.Logf("%5.1fs %s", time.Since(t0).Seconds(), name) }
	defer step("end")
	dir := filepath.Join(t.TempDir(), "content")
	require.NoError(t, studiotest.CopyFS(content.FS(), dir))
	db := filepath.Join(t.TempDir(), "bot.db")
	require.NoError(t, studiotest.DemoDB(context.Background(), db, time.Now()))
	const password = "mat-khau-thu-nghiem"

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srvCtx, stopServer := context.WithCancel(ctx)
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		env := func(k string) string {
			if k == studioPasswordEnv {
				return password
			}
			return ""
		}
		done <- runStudio(srvCtx, []string{"-content", dir, "-db", db, "-addr", "127.0.0.1:0"}, env, &stdout, &stderr, func(a string) { addrc <- a })
	}()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a
		step("studio listening")
	case code := <-done:
		t.Fatalf("studio exited with %d: %s", code, stderr.String())
	}
	defer func() {
		stopServer()
		assert.Equal(t, 0, <-done, stderr.String())
	}()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 1250),
		chromedp.Flag("lang", "vi-VN"), // dates as staff see them: 07/12/2026
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	shots := map[string][]byte{}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		shots[name] = b
	}
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(sel))
		require.NoError(t, err)
		return s
	}

	// Log in: the studio sends a stranger to the login page.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(base+"/thu"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("q")),
	), stderr.String())
	assert.Equal(t, "Thử câu hỏi", text("h1"))
	step("logged in")

	// Ask: the bot offers choices led by the wrong entry.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.SetValue(chromedp.ID("q"), demoQuestion),
		chromedp.Submit(chromedp.ID("q")),
		chromedp.WaitVisible(chromedp.CSS(".phone .msg.bot")),
	))
	before := text("p.big")
	require.NotContains(t, before, "✔", "the shipped content now answers the demo question: pick another one for this test")
	t.Logf("before: %s", before)
	step("asked")
	shot("thu")

	if *updateScreenshots {
		// Open the content page once: it starts the first run of the
		// figures, which the run after the label is compared with.
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(base+"/noi-dung")))
	}

	// The inbox lists it; label its group.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(base+"/hop-thu"),
		chromedp.WaitVisible(chromedp.CSS("ul.groups")),
	))
	// The database keeps one text of the accented and unaccented twins (the
	// unaccented one): the group shows it.
	assert.Contains(t, text("ul.groups"), demoFolded)
	shot("hop-thu")
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Click(chromedp.Search(`//a[contains(., "`+demoFolded+`")]`)),
		chromedp.WaitVisible(chromedp.CSS("#form-gan select")),
	))
	shot("nhom")
	require.NoError(t, chromedp.Do(bctx,
		chromedp.SetValue(chromedp.CSS("#form-gan select"), demoEntry),
		chromedp.Click(chromedp.CSS("#form-gan button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("table.before-after")),
	))
	shot("ket-qua")
	after := text("main")
	step("labelled")
	assert.Contains(t, after, "Đã ghi 2 dòng vào questions/studio.tsv", "both wordings of the group are labelled (the unaccented twin is the same question)")
	assert.Contains(t, after, "✔ Bot đã trả lời đúng.", after)

	file, err := os.ReadFile(filepath.Join(dir, "questions", "studio.tsv"))
	require.NoError(t, err)
	assert.Contains(t, string(file), demoFolded+"\t"+demoEntry+"\n")

	// Back on the question: the bot answers it now.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(base+"/thu?q="+strings.ReplaceAll(demoQuestion, " ", "+")),
		chromedp.WaitVisible(chromedp.CSS(".phone .msg.bot")),
	))
	now := text("p.big")
	assert.Contains(t, now, "Trả lời")
	assert.Contains(t, now, "✔ đúng nhãn")
	step("asked again")

	// The content page lists the entries at once; the figures of the
	// labelled sets come when the background run has asked all ~4,000
	// lines again (the page reloads itself until then). Waiting for them
	// takes most of a minute under -race, so only the screenshot run does;
	// TestContentPage checks the figures on small content.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Navigate(base+"/noi-dung"),
		chromedp.WaitVisible(chromedp.ID(demoEntry)),
	))
	assert.Contains(t, text("#cau-tra-loi"), "Mua BHYT hộ gia đình thì có tự động cho cả nhà không")
	if *updateScreenshots {
		require.NoError(t, chromedp.Do(bctx, chromedp.WaitVisible(chromedp.ID("thay-doi"))))
		assert.Contains(t, text("#bo-cau-hoi"), demoFolded, "the new lines are listed as changed")
		shot("noi-dung")
	}

	// On a phone (390 × 844 CSS pixels) no page is wider than the screen.
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait)))
	for _, page := range []string{"/thu?q=" + strings.ReplaceAll(demoQuestion, " ", "+"), "/hop-thu", "/noi-dung", "/dai-ly"} {
		require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS("h1"))))
		width, err := chromedp.Run(bctx, chromedp.EvaluateAsDevTools[int]("document.documentElement.scrollWidth"))
		require.NoError(t, err)
		assert.LessOrEqual(t, width, 390, "%s scrolls sideways on a phone", page)
		if page == "/hop-thu" {
			shot("hop-thu-dien-thoai")
		}
	}
	step("phone widths")

	if *updateScreenshots {
		for name, b := range shots {
			require.NoError(t, os.WriteFile(filepath.Join("studio", "testdata", "screenshots", name+".png"), b, 0o644))
		}
	}
}
