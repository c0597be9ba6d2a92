package handoff

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the directory content, located in a file.
type Problem struct {
	File string // path inside the content FS, e.g. "agents/agents.csv"
	Line int    // 1-based line; 0 when it concerns the whole file
	Msg  string
}

// String formats the problem as "file:line: message".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is the error returned by the loaders: every problem found, sorted
// by file and line.
type Problems struct {
	List []Problem
}

// Error joins all problems, one per line.
func (p *Problems) Error() string {
	lines := make([]string, len(p.List))
	for i, pr := range p.List {
		lines[i] = pr.String()
	}
	return strings.Join(lines, "\n")
}

func (p *Problems) add(file string, line int, format string, args ...any) {
	p.List = append(p.List, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *Problems) err() error {
	if len(p.List) == 0 {
		return nil
	}
	sort.SliceStable(p.List, func(i, j int) bool {
		a, b := p.List[i], p.List[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return p
}
