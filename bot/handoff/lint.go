package handoff

import (
	"errors"
	"io/fs"
)

// LintDirectory loads the province list and the agent directory from fsys
// and returns every problem as "file:line: message" (nil when both load).
// faqctl lint calls it.
func LintDirectory(fsys fs.FS) []string {
	_, err := LoadDirectory(fsys)
	if err == nil {
		return nil
	}
	var p *Problems
	if errors.As(err, &p) {
		out := make([]string, len(p.List))
		for i, pr := range p.List {
			out[i] = pr.String()
		}
		return out
	}
	return []string{err.Error()}
}
