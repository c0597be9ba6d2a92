// Package content embeds everything staff edit: FAQ entries (faq/*.md), the
// closed topic list (topics.yaml), the normalisation list (synonyms.txt), the
// dated legal parameters (rates.yaml), the labelled questions search learns
// from (questions/*.tsv), the agent directory (agents/) and the
// province data (places/). Every loader in the project takes an fs.FS, so the
// binaries can be pointed at a working copy with -content DIR instead.
package content

import (
	"embed"
	"io/fs"
	"os"
)

// The staff-edited files; Go sources in this directory are not content.
//
//go:embed README.md topics.yaml synonyms.txt rates.yaml notices.yaml faq questions agents places
var embedded embed.FS

// FS returns the embedded content tree.
func FS() fs.FS { return embedded }

// Open returns the content tree to use: the directory dir when it is not
// empty (a working copy staff are editing), otherwise the embedded copy.
func Open(dir string) (fs.FS, error) {
	if dir == "" {
		return embedded, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrInvalid}
	}
	return os.DirFS(dir), nil
}
