package studio

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
)

func TestPagesDraw(t *testing.T) {
	st := seedDB(t, []studiotest.Recorded{{Text: "bà bán xôi muốn hỏi tổng đài", Kind: "unanswered", Times: 3}, {Text: "ba ban xoi muon hoi tong dai", Kind: "clarify", Top: "hotline", Times: 1}})
	_, ts := newServer(t, Config{ContentDir: smallContent(t), Records: st})
	c := newClient(t, ts.URL)
	for _, p := range []string{"/thu", "/thu?q=t%E1%BB%95ng+%C4%91%C3%A0i+s%E1%BB%91+m%E1%BA%A5y", "/hop-thu", "/noi-dung", "/dai-ly"} {
		resp, body := c.get(p)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", p, body)
		t.Logf("%s: %d bytes", p, len(body))
	}
}
