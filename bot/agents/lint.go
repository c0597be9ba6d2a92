package agents

import (
	"errors"
	"io/fs"
)

// Lint checks the province list and the agent directory of a content tree
// the way the bot loads them; the error lists every problem as
// "file:line: message", one per line. A tree with neither file (a FAQ-only
// working copy) has nothing to check.
func Lint(fsys fs.FS) error {
	_, errP := fs.Stat(fsys, PlacesFile)
	_, errA := fs.Stat(fsys, AgentsFile)
	if errors.Is(errP, fs.ErrNotExist) && errors.Is(errA, fs.ErrNotExist) {
		return nil
	}
	_, err := LoadDirectory(fsys)
	return err
}
