package studio

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/cmd/faqctl/studio/studiotest"
	"github.com/bhxh-tn/bhxhbot/content"
)

// BenchmarkGroupRows groups what a busy year records: 2,000 texts of each
// kind (the most the inbox reads), made of the demo questions' words.
func BenchmarkGroupRows(b *testing.B) {
	demo, err := studiotest.Demo()
	if err != nil {
		b.Fatal(err)
	}
	var vocab []string
	for _, d := range demo {
		vocab = append(vocab, words(d.Text)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var rows []bot.ReportRow
	for _, kind := range []string{"unanswered", "clarify", "rejected", "thumbs-down"} {
		for i := range 2000 {
			n := 4 + r.IntN(8)
			text := ""
			for range n {
				text += vocab[r.IntN(len(vocab))] + " "
			}
			rows = append(rows, bot.ReportRow{Kind: kind, Text: fmt.Sprintf("%s%d", text, i%50), Count: 1 + r.IntN(5), Users: 1, LastAt: testNow})
		}
	}
	g := &generation{}
	b.ReportAllocs()
	for b.Loop() {
		groupRows(rows, g)
	}
}

// BenchmarkEvaluateShipped asks every labelled line of the shipped content
// again, as the content page's background run does after a change.
func BenchmarkEvaluateShipped(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "content")
	if err := studiotest.CopyFS(content.FS(), dir); err != nil {
		b.Fatal(err)
	}
	ws, err := openWorkspace(dir, nil, slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.close()
	g := ws.acquire()
	defer ws.release(g)
	b.ResetTimer()
	for b.Loop() {
		run, err := evaluate(context.Background(), g, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(run.Outcomes)), "lines")
	}
}
