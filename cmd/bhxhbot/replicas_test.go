package main

// The replica scenario (issue 14): three processes of the bot on one
// PostgreSQL database behind a round-robin load balancer, in webhook mode,
// against the fake Bot API; many chats talk at once (each chat's updates
// land on the replicas in turn, so every step of a conversation reads the
// state another replica wrote); one replica is killed with SIGKILL mid-way
// and started again; Telegram is down for a while during the hand-offs.
// Every update must be answered exactly once, every lead card delivered
// exactly once, and every chat's conversation must be the one a single
// SQLite process holds for the same messages (run first, as the reference
// and the baseline for throughput and latency).
//
//	go test ./cmd/bhxhbot -run TestReplicas -v                  # 600 updates from 60 chats (CI)
//	go test ./cmd/bhxhbot -run TestReplicas -v -replicas.full   # 5,000 updates from 500 chats, plus clean runs to compare

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/postgres/pgtest"
	"github.com/bhxh-tn/bhxhbot/bot/telegram/telegramtest"
)

var replicasFull = flag.Bool("replicas.full", false, "TestReplicas: 5,000 updates from 500 chats, and clean runs of one and three replicas to compare")

const (
	hookPath       = "/tg/hook"
	hookSecret     = "replica-test-secret"
	staffChat      = -900 // BHXHBOT_STAFF_CHAT: the sample agents have no chat, their cards go here
	hookConns      = 40   // webhook connections Telegram opens at most (max_connections)
	replicaWait    = 3 * time.Minute
	outageDuration = 6 * time.Second // longer than the lead outbox's 5 s tick: cards fail and are retried
)

// step is one thing a person does, and how many messages the bot sends for it.
type step struct {
	text     string // a message
	press    string // or a press on the latest button whose data starts with this
	contact  bool   // or sharing their phone number
	replies  int
	withNext bool // posted at the same moment as the next step (two updates of one chat at once)
}

var (
	faqQuestions = []string{
		"thu nhap thap nhat de dong bhxh tu nguyen", "rút bhxh 1 lần được không",
		"đóng bhxh tự nguyện bao nhiêu năm thì được lương hưu", "bhyt hộ gia đình mua ở đâu",
		"hộ nghèo được hỗ trợ bao nhiêu", "đóng trước nhiều năm được không", "mất thẻ bhyt làm lại thế nào",
		"giá vàng hôm nay", "có được đóng bù những năm còn thiếu không", "chết thì gia đình được nhận gì",
		"bảo hiểm xe máy",
	}
	incomes = []string{"3 triệu", "2 triệu", "5 triệu", "2,5tr"}
	groups  = []string{"đối tượng khác", "hộ nghèo", "hộ cận nghèo", "người dân tộc thiểu số"}
)

func ask(i int) step { return step{text: faqQuestions[i%len(faqQuestions)], replies: 1} }

// script is what chat number i says: hand-offs (a lead each), calculations
// (steps that depend on the state the previous step stored), questions, and
// questions sent two at a time.
func script(i int) []step {
	switch i % 10 {
	case 0:
		return []step{{text: "/start", replies: 1}, {text: "/daily", replies: 2}, {text: "huyen thai thuy", replies: 1},
			{press: "k:hyn-bd-thaithuy", replies: 1}, {press: "t:any", replies: 1}, {contact: true, replies: 1},
			{text: "/hotline", replies: 1}, ask(i), ask(i + 1), ask(i + 2)}
	case 1, 2, 3:
		return []step{{text: "/start", replies: 1}, {text: "/tinh", replies: 1}, {text: incomes[i%len(incomes)], replies: 1},
			{text: groups[(i/10)%len(groups)], replies: 1}, {text: "/bhyt", replies: 1},
			{text: "mất thẻ bhyt làm lại thế nào", replies: 2}, {text: "4", replies: 1}, ask(i), {text: "/hotline", replies: 1}, ask(i + 3)}
	case 4:
		s := []step{ask(i), ask(i + 1), ask(i + 2), ask(i + 3), ask(i + 4), ask(i + 5), ask(i + 6), ask(i + 7), ask(i + 8), ask(i + 9)}
		s[4].withNext = true
		return s
	}
	return []step{ask(i), ask(i + 1), ask(i + 2), ask(i + 3), ask(i + 4), ask(i + 5), ask(i + 6), ask(i + 7), ask(i + 8), ask(i + 9)}
}

// scenario is one run of the load.
type scenario struct {
	name     string
	db       string // SQLite file or PostgreSQL URL
	replicas int
	chats    int
	kill     bool // SIGKILL replica 2 when 40% of the updates are acknowledged, and start it again
	outage   bool // Telegram down for outageDuration during the hand-offs
}

// outcome is what a run measured.
type outcome struct {
	updates     int
	elapsed     time.Duration // first update posted → last step answered
	ack         []time.Duration
	reply       []time.Duration
	redelivered int64 // webhook posts that failed (replica down) and were posted again
	transcripts map[int64][]string
	cards       map[string]int // lead number → cards in the staff chat
	leads       []string       // lead numbers people were given
	killedAt    time.Duration
	restartedIn time.Duration
	outageAt    time.Duration
	cardsAfter  time.Duration // from the last step until every card was in
	cardsFailed int           // card sends Telegram refused (the outage)
	repliesFail int           // reply sends Telegram refused
}

func (o outcome) throughput() float64 { return float64(o.updates) / o.elapsed.Seconds() }

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// freePort returns a port on 127.0.0.1 nothing listens on (for a moment).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startReplica runs the binary in webhook mode on port.
func startReplica(t *testing.T, bin string, fake *telegramtest.Server, db string, port int, logPath string) *botProcess {
	t.Helper()
	f, err := os.Create(logPath)
	require.NoError(t, err)
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"TELEGRAM_BOT_TOKEN=" + fake.Token, "TELEGRAM_API_URL=" + fake.URL, "BHXHBOT_DB=" + db,
		"BHXHBOT_WEBHOOK_URL=https://bot.example.test" + hookPath, "BHXHBOT_WEBHOOK_SECRET=" + hookSecret,
		"BHXHBOT_LISTEN_ADDR=127.0.0.1:" + strconv.Itoa(port), "BHXHBOT_STAFF_CHAT=" + strconv.Itoa(staffChat),
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
		if t.Failed() {
			t.Logf("%s (last lines):\n%s", filepath.Base(logPath), tail(p.logs(), 15))
		}
	})
	return p
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// balancer is the load balancer: each webhook call goes to the next replica
// in turn; a replica that does not answer gives 502 (Telegram then posts the
// update again, and the next try goes to the next replica).
func balancer(ports []int) *httptest.Server {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: hookConns}}
	var next atomic.Uint64
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		port := ports[next.Add(1)%uint64(len(ports))]
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://127.0.0.1:"+strconv.Itoa(port)+r.URL.Path, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, "replica unreachable", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
}

// driver plays Telegram's side of the webhook: it posts each update until
// a replica answers 200, at most hookConns at once.
type driver struct {
	fake    *telegramtest.Server
	url     string
	client  *http.Client
	conns   chan struct{}
	start   time.Time
	acked   atomic.Int64
	retries atomic.Int64
	mu      sync.Mutex
	ack     []time.Duration // a webhook post's answer 200, from its first try on a connection
	reply   []time.Duration // a step's last reply at the fake, from its update's first try
	leads   []string
}

// post delivers u and returns when it first went out on a connection (the
// wait for a free connection is Telegram's queue, not the bot's time).
func (d *driver) post(ctx context.Context, u telegramtest.Update) (time.Time, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return time.Time{}, err
	}
	var first time.Time
	wait := 20 * time.Millisecond
	for try := 0; ; try++ {
		if try > 0 {
			d.retries.Add(1)
			select {
			case <-ctx.Done():
				return first, ctx.Err()
			case <-time.After(wait): // Telegram's retry of a failed delivery
			}
			wait = min(2*wait, time.Second)
		}
		d.conns <- struct{}{}
		if first.IsZero() {
			first = time.Now()
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, d.url+hookPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hookSecret)
		resp, err := d.client.Do(req)
		<-d.conns
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				d.mu.Lock()
				d.ack = append(d.ack, time.Since(first))
				d.mu.Unlock()
				d.acked.Add(1)
				return first, nil
			}
		}
		if ctx.Err() != nil {
			return first, ctx.Err()
		}
	}
}

var leadNumber = regexp.MustCompile(`#(\d+)`)

// talk runs chat's script: each step is posted once the replies of the one
// before arrived (as a person reads, then answers), except steps marked
// withNext, posted together with the next one.
func (d *driver) talk(ctx context.Context, chat int64, steps []step) error {
	for i := 0; i < len(steps); i++ {
		batch := steps[i : i+1]
		if steps[i].withNext && i+1 < len(steps) {
			batch = steps[i : i+2]
			i++
		}
		// Replies are counted without one that came twice (see distinct):
		// counted, it would end the wait for this step's reply early.
		want := len(distinct(d.fake.Sent(chat)))
		var us []telegramtest.Update
		for _, s := range batch {
			want += s.replies
			u, err := d.update(chat, s)
			if err != nil {
				return err
			}
			us = append(us, u)
		}
		type posted struct {
			at  time.Time
			err error
		}
		done := make(chan posted, len(us))
		for _, u := range us {
			go func() { at, err := d.post(ctx, u); done <- posted{at, err} }()
		}
		var t0 time.Time
		for range us {
			p := <-done
			if p.err != nil {
				return fmt.Errorf("chat %d step %d: %w", chat, i, p.err)
			}
			if t0.IsZero() || p.at.Before(t0) {
				t0 = p.at
			}
		}
		arrived := func() bool { // SentCount first: it is cheap, and never below the distinct count
			return d.fake.SentCount(chat) >= want && len(distinct(d.fake.Sent(chat))) >= want
		}
		if err := d.fake.WaitUntil(replicaWait, arrived); err != nil {
			return fmt.Errorf("chat %d step %d (%+v): %d of %d replies: %w", chat, i, batch[0], len(distinct(d.fake.Sent(chat))), want, err)
		}
		d.mu.Lock()
		d.reply = append(d.reply, time.Since(t0))
		if batch[0].contact {
			sent := d.fake.Sent(chat)
			if m := leadNumber.FindStringSubmatch(sent[len(sent)-1]); m != nil {
				d.leads = append(d.leads, m[1])
			}
		}
		d.mu.Unlock()
	}
	return nil
}

// update builds the Telegram update for a step.
func (d *driver) update(chat int64, s step) (telegramtest.Update, error) {
	switch {
	case s.press != "":
		msgs := d.fake.Messages(chat)
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].ReplyMarkup == nil {
				continue
			}
			for _, row := range msgs[i].ReplyMarkup.InlineKeyboard {
				for _, b := range row {
					if strings.HasPrefix(b.CallbackData, s.press) {
						return d.fake.IncomingCallback(chat, b.CallbackData, msgs[i].MessageID), nil
					}
				}
			}
		}
		return telegramtest.Update{}, fmt.Errorf("chat %d: no button %q", chat, s.press)
	case s.contact:
		m := d.fake.IncomingMessage(chat, "")
		m.Contact = &telegramtest.Contact{PhoneNumber: fmt.Sprintf("0912%06d", chat%1_000_000), FirstName: "Lan", LastName: "Nguyen", UserID: chat}
		return d.fake.Prepare(telegramtest.Update{Message: m}), nil
	}
	return d.fake.Prepare(telegramtest.Update{Message: d.fake.IncomingMessage(chat, s.text)}), nil
}

// runScenario starts the replicas, talks in every chat at once, makes the faults
// happen and returns what it measured; the replicas are stopped with
// SIGTERM at the end (each must exit 0).
func runScenario(t *testing.T, bin string, sc scenario) outcome {
	t.Helper()
	fake := telegramtest.New(t)
	dir := t.TempDir()
	ports := make([]int, sc.replicas)
	procs := make([]*botProcess, sc.replicas)
	for i := range ports {
		ports[i] = freePort(t)
		procs[i] = startReplica(t, bin, fake, sc.db, ports[i], filepath.Join(dir, fmt.Sprintf("replica%d.log", i+1)))
	}
	require.NoError(t, fake.WaitUntil(replicaWait, func() bool { return fake.CallCount("setWebhook") >= sc.replicas }),
		"replicas did not start")
	lb := balancer(ports)
	defer lb.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	d := &driver{fake: fake, url: lb.URL, conns: make(chan struct{}, hookConns),
		client: &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: hookConns}}}
	out := outcome{transcripts: map[int64][]string{}, cards: map[string]int{}}
	total := 0
	for i := range sc.chats {
		total += len(script(i))
	}
	out.updates = total

	faults := make(chan struct{})
	go func() {
		defer close(faults)
		if sc.kill {
			_ = fake.WaitUntil(replicaWait, func() bool { return d.acked.Load() >= int64(total*4/10) })
			out.killedAt = time.Since(d.start)
			procs[1].kill()
			hooks := fake.CallCount("setWebhook")
			t0 := time.Now()
			procs[1] = startReplica(t, bin, fake, sc.db, ports[1], filepath.Join(dir, "replica2-restarted.log"))
			_ = fake.WaitUntil(replicaWait, func() bool { return fake.CallCount("setWebhook") > hooks })
			out.restartedIn = time.Since(t0)
		}
	}()
	outage := make(chan struct{})
	go func() {
		defer close(outage)
		if sc.outage {
			handoffs := sc.chats / 10
			_ = fake.WaitUntil(replicaWait, func() bool { d.mu.Lock(); defer d.mu.Unlock(); return len(d.leads) >= max(1, handoffs/3) })
			out.outageAt = time.Since(d.start)
			fake.SetOutage(telegramtest.Outage{Status: http.StatusBadGateway})
			<-time.After(outageDuration) // the outage lasts this long, whatever the bot does
			fake.SetOutage(telegramtest.Outage{})
		}
	}()

	d.start = time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, sc.chats)
	for i := range sc.chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.talk(ctx, int64(100_000+i), script(i)); err != nil {
				errs <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	out.elapsed = time.Since(d.start)
	<-faults
	<-outage

	// Every lead's card reaches the staff chat (after the outage: the
	// lead outbox's 30 s backoff).
	t0 := time.Now()
	require.NoError(t, fake.WaitUntil(replicaWait, func() bool { return len(staffCards(fake)) >= len(d.leads) }),
		"cards: %d of %d", len(staffCards(fake)), len(d.leads))
	out.cardsAfter = time.Since(t0)
	for _, p := range procs {
		p.stop()
	}
	for _, c := range fake.Calls("sendMessage") {
		switch {
		case c.OK():
		case c.ChatID() == staffChat:
			out.cardsFailed++
		default:
			out.repliesFail++
		}
	}
	for _, card := range staffCards(fake) {
		if m := leadNumber.FindStringSubmatch(card); m != nil {
			out.cards[m[1]]++
		}
	}
	for i := range sc.chats {
		chat := int64(100_000 + i)
		out.transcripts[chat] = fake.Sent(chat)
	}
	out.ack, out.reply, out.leads, out.redelivered = d.ack, d.reply, d.leads, d.retries.Load()
	return out
}

func staffCards(fake *telegramtest.Server) []string { return fake.Sent(staffChat) }

var hoursLine = regexp.MustCompile(`(?m)^.*(mở cửa|đóng cửa|giờ làm việc|hôm nay|ngày mai|giờ hành chính|buổi sáng|buổi chiều|sáng nay|chiều nay).*$`)

// normal hides what differs between two runs of the same conversation:
// lead numbers, and whether an office is open at that minute.
func normal(s string) string {
	return hoursLine.ReplaceAllString(leadNumber.ReplaceAllString(s, "#N"), "(giờ)")
}

// compare checks chat transcripts against the reference: equal once a
// reply sent twice in a row (a send in flight when its replica was killed)
// is counted and dropped, and once a hand-off's confirmation that came as
// "already sent" is counted and taken for the confirmation; the two replies
// of a pair of simultaneous updates may come in either order. It returns
// the duplicates and the confirmations that came as "already sent".
//
// The lead is stored in its own transaction while the update is handled,
// before the update's state and replies are committed: a replica killed
// between the two leaves the lead without the update, and the update posted
// again to another replica finds the open request and names it ("Yêu cầu gọi
// lại của bạn (mã #N) đã gửi…") instead of creating a second one.
func compare(t *testing.T, ref, got map[int64][]string) (dups, reconfirmed int) {
	t.Helper()
	for chat, want := range ref {
		uniq := distinct(got[chat])
		dups += len(got[chat]) - len(uniq)
		w, g := mapNormal(want), mapNormal(uniq)
		for i := range min(len(w), len(g)) {
			if strings.HasPrefix(w[i], "✅ Đã gửi yêu cầu gọi lại") && strings.HasPrefix(g[i], "✅ Yêu cầu gọi lại của bạn") {
				g[i] = w[i]
				reconfirmed++
			}
		}
		if (chat-100_000)%10 == 4 && len(w) == len(g) && len(w) > 5 {
			slices.Sort(w[4:6]) // the pair posted at once
			slices.Sort(g[4:6])
		}
		if !assert.Equal(t, w, g, "chat %d: the conversation of a single process", chat) {
			return dups, reconfirmed
		}
	}
	return dups, reconfirmed
}

// distinct drops a reply that repeats the one before it: a send in flight
// when its replica was killed goes again from another replica, right after.
func distinct(sent []string) []string {
	var uniq []string
	for _, s := range sent {
		if len(uniq) > 0 && uniq[len(uniq)-1] == s {
			continue
		}
		uniq = append(uniq, s)
	}
	return uniq
}

func mapNormal(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = normal(s)
	}
	return out
}

func TestReplicas(t *testing.T) {
	url := pgtest.URL(t) // skips without BHXHBOT_TEST_POSTGRES
	bin := buildBot(t)
	chats := 60
	if *replicasFull {
		chats = 500
	}

	// The reference: one process on SQLite, no faults.
	ref := runScenario(t, bin, scenario{name: "SQLite, 1 process", db: filepath.Join(t.TempDir(), "bot.db"), replicas: 1, chats: chats})
	for i := range chats {
		want := 0
		for _, s := range script(i) {
			want += s.replies
		}
		require.Len(t, ref.transcripts[int64(100_000+i)], want, "chat %d: the script's reply counts (content changed?)", i)
	}
	require.Len(t, ref.leads, chats/10)
	results := []struct {
		name string
		o    outcome
	}{{"SQLite, 1 process, no faults", ref}}

	if *replicasFull {
		for _, n := range []int{1, 3} {
			o := runScenario(t, bin, scenario{name: "clean", db: pgtest.URL(t), replicas: n, chats: chats})
			dups, reconfirmed := compare(t, ref.transcripts, o.transcripts)
			assert.Zero(t, dups)
			assert.Zero(t, reconfirmed, "no replica was killed: every hand-off confirmed as such")
			results = append(results, struct {
				name string
				o    outcome
			}{fmt.Sprintf("PostgreSQL, %d replica(s), no faults", n), o})
		}
	}

	o := runScenario(t, bin, scenario{name: "faults", db: url, replicas: 3, chats: chats, kill: true, outage: true})
	dups, reconfirmed := compare(t, ref.transcripts, o.transcripts)
	assert.LessOrEqual(t, dups, 16, "duplicates only for sends in flight in the killed replica (16 senders)")
	require.Len(t, o.leads, chats/10, "every hand-off gave the person a request number")
	cardDups := 0
	for _, id := range o.leads {
		assert.GreaterOrEqual(t, o.cards[id], 1, "lead #%s: its card reached the staff chat", id)
		cardDups += max(0, o.cards[id]-1)
	}
	assert.Len(t, o.cards, len(o.leads), "no card for a lead nobody asked for")
	assert.LessOrEqual(t, cardDups, 1, "a card is sent twice only if its replica was killed while sending it")
	assert.Positive(t, o.cardsFailed, "the outage hit card deliveries")

	s, err := postgres.Open(context.Background(), url)
	require.NoError(t, err)
	defer s.Close()
	var handled, waiting, leads int
	require.NoError(t, s.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM processed_updates),
		(SELECT count(*) FROM outbox), (SELECT count(*) FROM leads)`).Scan(&handled, &waiting, &leads))
	assert.Equal(t, o.updates, handled, "every update recorded once")
	assert.Zero(t, waiting, "every reply delivered")
	assert.Equal(t, chats/10, leads, "one lead per hand-off")

	results = append(results, struct {
		name string
		o    outcome
	}{"PostgreSQL, 3 replicas, SIGKILL + Telegram outage", o})
	var b strings.Builder
	fmt.Fprintf(&b, "%d updates from %d chats, %d webhook connections at most:\n", o.updates, chats, hookConns)
	fmt.Fprintf(&b, "%-52s %9s %10s %10s %10s %10s\n", "run", "updates/s", "ack p50", "ack p99", "reply p50", "reply p99")
	for _, r := range results {
		fmt.Fprintf(&b, "%-52s %9.0f %10s %10s %10s %10s\n", r.name, r.o.throughput(),
			pct(r.o.ack, .5).Round(100*time.Microsecond), pct(r.o.ack, .99).Round(100*time.Microsecond),
			pct(r.o.reply, .5).Round(100*time.Microsecond), pct(r.o.reply, .99).Round(100*time.Microsecond))
	}
	fmt.Fprintf(&b, "faults: replica 2 killed at %s (40%% acknowledged), back in %s; %d webhook posts failed and were posted again; "+
		"Telegram down %s from %s (%d reply and %d card sends refused, retried); %d replies and %d lead cards came twice; %d hand-offs confirmed as \"already sent\" (lead stored by the killed replica); every card in %s after the last step\n",
		o.killedAt.Round(time.Millisecond), o.restartedIn.Round(time.Millisecond), o.redelivered, outageDuration, o.outageAt.Round(time.Millisecond),
		o.repliesFail, o.cardsFailed, dups, cardDups, reconfirmed, o.cardsAfter.Round(time.Millisecond))
	t.Log("\n" + b.String())
}
