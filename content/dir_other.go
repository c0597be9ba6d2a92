//go:build !unix

package content

import (
	"fmt"
	"os"
)

// openNoBlock refuses what is not a regular file or a directory before
// opening it (there is no non-blocking open here).
func openNoBlock(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))
	}
	return os.Open(path)
}
