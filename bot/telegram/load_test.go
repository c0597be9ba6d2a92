package telegram_test

// Load measurements of the whole bot path (real engine, FAQ index,
// calculator and SQLite store in a temp dir, the real adapter, the fake Bot
// API on loopback). They are not run by default: they measure time, and a
// test never asserts one.
//
//	go test ./bot/telegram -run TestLoad -load -v [-load.n 3000] [-load.inflight 8]
//
// Each prints updates/s and the latency percentiles: "ack" is how long
// Telegram's webhook call waited for its 200, "answer" the time from the
// update leaving Telegram to its reply reaching Telegram.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/telegram"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

var (
	loadRun      = flag.Bool("load", false, "run the load measurements (TestLoad*)")
	loadN        = flag.Int("load.n", 3000, "updates per load measurement")
	loadInFlight = flag.Int("load.inflight", 8, "updates in flight (webhook connections or waiting users)")
)

// loadQuestions are typical first questions; each gets at least one reply.
var loadQuestions = []string{
	"đóng bhxh tự nguyện bao nhiêu",
	"muc dong bhyt ho gia dinh nam nay",
	"rút bhxh 1 lần được không",
	"bao nhiêu tuổi thì được nghỉ hưu",
	"thu nhap thap nhat de dong bhxh tu nguyen la bao nhieu",
	"đóng bảo hiểm tự nguyện ở đâu",
	"được hỗ trợ bao nhiêu tiền khi đóng bhxh tự nguyện",
	"đóng đủ 15 năm thì lương hưu bao nhiêu",
}

const loadChatBase = 700000

// loadBot runs the adapter with its production defaults (8 workers) and
// returns the webhook URL ("" in polling mode).
func loadBot(t *testing.T, fake *telegramtest.Server, webhook bool) string {
	h, store := engine(t)
	cfg := telegram.Config{Token: fake.Token, APIURL: fake.URL, Outbox: store}
	hook := ""
	if webhook {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		hook = "http://" + addr + "/telegram"
		cfg.WebhookURL, cfg.WebhookSecret, cfg.ListenAddr = hook, "load-secret", addr
	}
	a, err := telegram.New(cfg, h)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	if webhook {
		require.NoError(t, fake.WaitUntil(e2eWait, func() bool { u, _ := fake.Webhook(); return u != "" }))
	}
	return hook
}

// firstAnswers maps each chat to the time its first reply was accepted.
func firstAnswers(fake *telegramtest.Server) map[int64]time.Time {
	out := map[int64]time.Time{}
	for _, c := range fake.Calls("sendMessage") {
		if _, seen := out[c.ChatID()]; c.OK() && !seen {
			out[c.ChatID()] = c.At
		}
	}
	return out
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// cpuTime is the process's CPU time so far (user + system): the whole bot
// path and the fake API, which share the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(t *testing.T, name string, n int, elapsed, cpu time.Duration, ack, answer []time.Duration) {
	line := fmt.Sprintf("%s: %d updates in %.2fs = %.0f updates/s, CPU %.2f ms/update; answer p50 %s p99 %s max %s",
		name, n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), float64(cpu.Microseconds())/1000/float64(n),
		pct(answer, .5).Round(100*time.Microsecond), pct(answer, .99).Round(100*time.Microsecond), pct(answer, 1).Round(100*time.Microsecond))
	if ack != nil {
		line += fmt.Sprintf("; ack p50 %s p99 %s", pct(ack, .5).Round(100*time.Microsecond), pct(ack, .99).Round(100*time.Microsecond))
	}
	t.Log(line)
}

// TestLoadWebhook posts -load.n updates of distinct chats straight to the
// webhook with -load.inflight connections, as Telegram does.
func TestLoadWebhook(t *testing.T) {
	if !*loadRun {
		t.Skip("load measurement: run with -load")
	}
	fake := telegramtest.New(t)
	hook := loadBot(t, fake, true)
	n := *loadN
	bodies := make([][]byte, n)
	for i := range bodies {
		u := telegramtest.Update{UpdateID: int64(i + 1), Message: fake.IncomingMessage(loadChatBase+int64(i), loadQuestions[i%len(loadQuestions)])}
		bodies[i], _ = json.Marshal(u)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadInFlight * 2}}
	sent := make([]time.Time, n)
	ack := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for range *loadInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, hook, bytes.NewReader(bodies[i]))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "load-secret")
				req.Header.Set("Content-Type", "application/json")
				sent[i] = time.Now()
				res, err := client.Do(req)
				if err != nil {
					t.Errorf("post: %v", err)
					return
				}
				res.Body.Close()
				ack[i] = time.Since(sent[i])
				if res.StatusCode != http.StatusOK {
					t.Errorf("status %d", res.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, fake.WaitUntil(5*time.Minute, func() bool { return fake.CallCount("sendMessage") >= n }))
	cpu := cpuTime() - cpu0
	answered := firstAnswers(fake)
	require.Len(t, answered, n)
	var last time.Time
	answer := make([]time.Duration, n)
	for i := range n {
		at := answered[loadChatBase+int64(i)]
		answer[i] = at.Sub(sent[i])
		if at.After(last) {
			last = at
		}
	}
	report(t, fmt.Sprintf("webhook, %d in flight", *loadInFlight), n, last.Sub(start), cpu, ack, answer)
}

// TestLoadPolling runs -load.inflight people who each ask and wait for the
// reply before the next one asks (long polling), then a burst of -load.n
// updates queued at once.
func TestLoadPolling(t *testing.T) {
	if !*loadRun {
		t.Skip("load measurement: run with -load")
	}
	fake := telegramtest.New(t)
	fake.PollWait = 50 * time.Millisecond
	loadBot(t, fake, false)
	n := *loadN
	answer := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for range *loadInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				chat := loadChatBase + int64(i)
				t0 := time.Now()
				fake.PushMessage(chat, loadQuestions[i%len(loadQuestions)])
				if err := fake.WaitUntil(time.Minute, func() bool { return fake.SentCount(chat) >= 1 }); err != nil {
					t.Error(err)
					return
				}
				answer[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	report(t, fmt.Sprintf("polling, %d people waiting for their reply", *loadInFlight), n, time.Since(start), cpuTime()-cpu0, nil, answer)

	base := int64(loadChatBase + n)
	us := make([]telegramtest.Update, n)
	for i := range us {
		us[i] = telegramtest.Update{Message: fake.IncomingMessage(base+int64(i), loadQuestions[i%len(loadQuestions)])}
	}
	total := fake.CallCount("sendMessage")
	start, cpu0 = time.Now(), cpuTime()
	fake.PushUpdates(us...)
	require.NoError(t, fake.WaitUntil(5*time.Minute, func() bool { return fake.CallCount("sendMessage") >= total+n }))
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	burst := make([]time.Duration, 0, n)
	for chat, at := range firstAnswers(fake) {
		if chat >= base {
			burst = append(burst, at.Sub(start))
		}
	}
	report(t, "polling, a burst queued at once", n, elapsed, cpu, nil, burst)
}
