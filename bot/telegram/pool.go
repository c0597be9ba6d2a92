package telegram

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// shardQueue is how many updates may wait per worker before intake blocks.
const shardQueue = 64

// errNotRunning is returned by submit before start and after stop.
var errNotRunning = errors.New("telegram: not taking updates")

// pool runs updates on a fixed number of workers. Updates are sharded by
// chat id, so the updates of one chat are handled one after another in the
// order they arrived, while different chats run in parallel.
type pool struct {
	shards  []chan job
	process func(ctx context.Context, u *models.Update) error

	mu      sync.RWMutex // guards running against closing the shards
	running bool
	stopped bool
	wg      sync.WaitGroup
	ctx     context.Context // cancelled only when a drain takes too long
	cancel  context.CancelFunc
}

// job is a queued update; done (may be nil) runs once it has been handled,
// with process's error (nil when its handling is stored).
type job struct {
	u    *models.Update
	done func(error)
}

func newPool(workers int, process func(ctx context.Context, u *models.Update) error) *pool {
	p := &pool{shards: make([]chan job, workers), process: process}
	for i := range p.shards {
		p.shards[i] = make(chan job, shardQueue)
	}
	return p
}

// start launches the workers. It may be called once.
func (p *pool) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running || p.stopped {
		return
	}
	p.running = true
	p.ctx, p.cancel = context.WithCancel(context.Background())
	for _, q := range p.shards {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range q {
				err := p.process(p.ctx, j.u)
				if j.done != nil {
					j.done(err)
				}
			}
		}()
	}
}

// submit queues u on its chat's worker; done (may be nil) runs after u has
// been handled, with its outcome, and only if submit returned nil. It blocks while that
// worker's queue is full, until ctx is done. Errors: errNotRunning, or
// ctx.Err().
func (p *pool) submit(ctx context.Context, u *models.Update, done func(error)) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if !p.running {
		return errNotRunning
	}
	q := p.shards[shardOf(chatKey(u), len(p.shards))]
	j := job{u: u, done: done}
	select {
	case q <- j:
		return nil
	default:
	}
	select {
	case q <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop refuses new updates, lets the workers finish every queued update and
// waits at most timeout for them. It reports whether all work finished; if
// not, the work still running sees its context cancelled.
func (p *pool) stop(timeout time.Duration) bool {
	p.mu.Lock()
	if !p.running {
		p.stopped = true
		p.mu.Unlock()
		return true
	}
	p.running = false
	p.stopped = true
	for _, q := range p.shards {
		close(q)
	}
	p.mu.Unlock()

	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		p.cancel()
		return true
	case <-t.C:
		p.cancel()
		return false
	}
}

func shardOf(key int64, n int) int {
	return int(uint64(key) % uint64(n))
}

// chatKey is the chat an update belongs to, 0 when it has none.
func chatKey(u *models.Update) int64 {
	switch {
	case u == nil:
		return 0
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.Message.Message != nil {
			return q.Message.Message.Chat.ID
		}
		if q.Message.InaccessibleMessage != nil {
			return q.Message.InaccessibleMessage.Chat.ID
		}
		return q.From.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	}
	return 0
}
