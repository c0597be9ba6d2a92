//go:build unix

package content

import (
	"os"
	"syscall"
)

// openNoBlock opens path for reading without waiting: a named pipe with no
// writer would otherwise block the open forever.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
