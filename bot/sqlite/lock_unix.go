//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Lock makes this process the only one running on the database at dbPath
// (the bot, the console, faqctl migrate-store): an exclusive lock on
// dbPath+".lock", held until unlock (or the process ends, however it ends:
// the kernel drops the lock). With it, the replies an earlier run left
// leased (killed mid-send) can be taken over at once, and a copy is not
// taken while a bot still writes. Errors: another process holds the lock
// (its pid is in the message), or the file cannot be created.
func Lock(dbPath string) (unlock func(), err error) {
	path := dbPath + ".lock"
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another bhxhbot (pid %s) is running on %s: stop it first, or give this one another -db",
				strings.TrimSpace(string(b[:n])), dbPath)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}
