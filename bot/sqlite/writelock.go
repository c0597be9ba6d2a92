package sqlite

import "sync"

// writeLock serialises this process's write transactions, so that they
// queue here instead of in SQLite's busy handler (which sleeps, up to 100 ms
// a try). Urgent transactions go first: forgetting a reply Telegram has just
// accepted, since until it is forgotten a kill would send it again.
type writeLock struct {
	mu     sync.Mutex
	held   bool
	urgent []chan struct{} // waiting, in arrival order
	normal []chan struct{}
}

func (l *writeLock) lock(urgent bool) {
	l.mu.Lock()
	if !l.held {
		l.held = true
		l.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	if urgent {
		l.urgent = append(l.urgent, ch)
	} else {
		l.normal = append(l.normal, ch)
	}
	l.mu.Unlock()
	<-ch // the lock is handed over still held
}

func (l *writeLock) unlock() {
	l.mu.Lock()
	var next chan struct{}
	switch {
	case len(l.urgent) > 0:
		next, l.urgent = l.urgent[0], l.urgent[1:]
	case len(l.normal) > 0:
		next, l.normal = l.normal[0], l.normal[1:]
	default:
		l.held = false
	}
	l.mu.Unlock()
	if next != nil {
		close(next)
	}
}
