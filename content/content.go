// Package content embeds everything staff edit: FAQ entries (faq/*.md), the
// closed topic list (topics.yaml), the normalisation list (synonyms.txt), the
// dated legal parameters (rates.yaml), the labelled questions search learns
// from (questions/*.tsv), the agent directory (agents/) and the
// province data (places/). Every loader in the project takes an fs.FS, so the
// binaries can be pointed at a working copy with -content DIR instead.
package content

import (
	"context"
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
// empty (a working copy staff are editing), otherwise the embedded copy. A
// directory is read safely (regular files only, sizes checked first: see
// MaxFileSize and ErrNotRegular).
func Open(dir string) (fs.FS, error) { return OpenContext(context.Background(), dir) }

// OpenContext is Open whose directory opens nothing more once ctx is done
// (SIGINT or SIGTERM during a long load): the loaders then stop with
// ctx's error.
func OpenContext(ctx context.Context, dir string) (fs.FS, error) {
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
	return dirFS{ctx: ctx, root: dir}, nil
}
