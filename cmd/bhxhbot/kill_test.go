package main

// kill -9 of the real binary during a burst, against the fake Bot API, then
// a restart on the same database: nothing lost, nothing answered only with
// an apology, duplicates only for a reply Telegram accepted in the instant
// before the kill (the Bot API has no idempotency key), none at all when the
// kill finds the replies waiting in the outbox.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

const killWait = 60 * time.Second

// killQuestions: each gets exactly one reply.
var killQuestions = []string{"/start", "thu nhap thap nhat de dong bhxh tu nguyen", "/hotline"}

// buildBot compiles this command once per test.
func buildBot(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := filepath.Join(t.TempDir(), "bhxhbot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// botProcess runs the binary on the fake and the database db.
type botProcess struct {
	t   *testing.T
	cmd *exec.Cmd
	log string
}

func startBot(t *testing.T, bin string, fake *telegramtest.Server, db string, n int) *botProcess {
	t.Helper()
	logPath := filepath.Join(filepath.Dir(db), fmt.Sprintf("run%d.log", n))
	f, err := os.Create(logPath)
	require.NoError(t, err)
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.URL, "BHXHBOT_DB=" + db,
		"BHXHBOT_ADMIN_ADDR=off", "BHXHBOT_LOG_FORMAT=json", "PATH=" + os.Getenv("PATH"),
	}
	cmd.Stdout, cmd.Stderr = f, f
	require.NoError(t, cmd.Start())
	f.Close()
	p := &botProcess{t: t, cmd: cmd, log: logPath}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return p
}

func (p *botProcess) kill() {
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGKILL))
	_ = p.cmd.Wait()
}

// stop is SIGTERM: the bot finishes, sends what is due and exits 0.
func (p *botProcess) stop() {
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(p.t, err, "exit after SIGTERM")
	case <-time.After(killWait):
		p.t.Fatal("no exit after SIGTERM")
	}
}

// takenOver finds the restart's log line about the killed run's leases.
func takenOver(logs string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "sent again now") {
			return l
		}
	}
	return "no lease to take over"
}

func (p *botProcess) logs() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// burst queues every question for each chat, interleaved, at once.
func burst(fake *telegramtest.Server, chats []int64) {
	var us []telegramtest.Update
	for _, q := range killQuestions {
		for _, c := range chats {
			us = append(us, telegramtest.Update{Message: fake.IncomingMessage(c, q)})
		}
	}
	fake.PushUpdates(us...)
}

func killChats(from, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(from + i)
	}
	return out
}

// reference asks the questions in one chat and returns the replies.
func reference(t *testing.T, fake *telegramtest.Server) []string {
	t.Helper()
	const chat = 1
	for _, q := range killQuestions {
		fake.PushMessage(chat, q)
		_, err := fake.WaitSent(chat, 1, killWait)
		require.NoError(t, err)
	}
	got, err := fake.WaitSent(chat, len(killQuestions), killWait)
	require.NoError(t, err)
	return got
}

// check compares every chat's replies with want and returns how many
// replies came twice.
func check(t *testing.T, fake *telegramtest.Server, chats []int64, want []string) (dups int) {
	t.Helper()
	for _, c := range chats {
		got := fake.Sent(c)
		for _, s := range got {
			assert.NotContains(t, s, "trục trặc", "chat %d got an apology", c)
		}
		// Remove repeats of the same reply in a row: a duplicate send.
		var uniq []string
		for _, s := range got {
			if len(uniq) > 0 && uniq[len(uniq)-1] == s {
				dups++
				continue
			}
			uniq = append(uniq, s)
		}
		assert.Equal(t, want, uniq, "chat %d: every update answered, in order", c)
	}
	return dups
}

func waitAll(t *testing.T, fake *telegramtest.Server, chats []int64, n int) {
	t.Helper()
	require.NoError(t, fake.WaitUntil(killWait, func() bool {
		for _, c := range chats {
			if fake.SentCount(c) < n {
				return false
			}
		}
		return true
	}))
}

func outboxLeft(t *testing.T, db string) int {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db)
	require.NoError(t, err)
	defer s.Close()
	st, err := s.OutboxStats(context.Background())
	require.NoError(t, err)
	return st.Depth
}

func TestKill9DuringABurst(t *testing.T) {
	bin := buildBot(t)
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	db := filepath.Join(t.TempDir(), "bot.db")
	p := startBot(t, bin, fake, db, 1)
	want := reference(t, fake)

	chats := killChats(1000, 100)
	burst(fake, chats)
	total := len(chats) * len(killQuestions)
	before := fake.CallCount("sendMessage")
	require.NoError(t, fake.WaitUntil(killWait, func() bool { return fake.CallCount("sendMessage")-before >= total/3 }))
	p.kill()
	sentAtKill := fake.CallCount("sendMessage") - before
	pending := fake.Pending()

	p = startBot(t, bin, fake, db, 2)
	waitAll(t, fake, chats, len(killQuestions))
	p.stop()
	dups := check(t, fake, chats, want)
	assert.LessOrEqual(t, dups, 16, "at most the sends in flight at the kill (16 senders)")
	assert.Zero(t, outboxLeft(t, db), "the outbox is empty after a clean stop")
	assert.Zero(t, fake.Pending(), "every update confirmed")
	t.Logf("%d updates; killed after %d replies with %d updates not yet confirmed; %d replies came twice; restart: %s",
		total, sentAtKill, pending, dups, takenOver(p.logs()))
}

func TestKill9WithTheOutboxFull(t *testing.T) {
	bin := buildBot(t)
	fake := telegramtest.New(t)
	fake.PollWait = 100 * time.Millisecond
	db := filepath.Join(t.TempDir(), "bot.db")
	p := startBot(t, bin, fake, db, 1)
	want := reference(t, fake)

	fake.SetOutage(telegramtest.Outage{Status: 502, HTML: true}) // replies cannot go out
	chats := killChats(2000, 100)
	burst(fake, chats)
	require.NoError(t, fake.WaitUntil(killWait, func() bool { return fake.Pending() == 0 }), "every update stored and confirmed while Telegram fails")
	p.kill()
	assert.Equal(t, len(chats)*len(killQuestions), outboxLeft(t, db), "every reply waits in the outbox")
	fake.SetOutage(telegramtest.Outage{})

	p = startBot(t, bin, fake, db, 2)
	waitAll(t, fake, chats, len(killQuestions))
	p.stop()
	assert.Zero(t, check(t, fake, chats, want), "nothing was in flight: exactly once")
	assert.Zero(t, outboxLeft(t, db))
}
