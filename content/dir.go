package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MaxFileSize is the largest content file read from a directory: far above
// any real one (the FAQ, the agent list of a whole country), far below what
// would hurt the bot.
const MaxFileSize = 32 << 20

// ErrNotRegular is returned for a name in a content directory that is
// neither a regular file nor a directory (a named pipe, a device, a
// socket): reading it could block forever or never end.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a content file larger than MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than %d MB", MaxFileSize>>20)

// dirFS is a content directory on disk, read safely: only regular files
// and directories are opened (a named pipe is opened without waiting for a
// writer, then refused), a file's size is checked before it is read and
// its reading stops at that size, and once ctx is done nothing more is
// opened. Symbolic links are followed, to what they point at.
type dirFS struct {
	ctx  context.Context
	root string
}

var (
	_ fs.ReadFileFS = dirFS{}
	_ fs.ReadDirFS  = dirFS{}
	_ fs.StatFS     = dirFS{}
)

func (d dirFS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if err := d.ctx.Err(); err != nil {
		return "", &fs.PathError{Op: op, Path: name, Err: err}
	}
	return filepath.Join(d.root, filepath.FromSlash(name)), nil
}

// Open opens a regular file (its reads limited to its size at open) or a
// directory. Errors: *fs.PathError wrapping ErrNotRegular, ErrTooLarge,
// the context's error, or the system's.
func (d dirFS) Open(name string) (fs.File, error) {
	p, err := d.path("open", name)
	if err != nil {
		return nil, err
	}
	f, err := openNoBlock(p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	switch {
	case st.IsDir():
		return f, nil
	case !st.Mode().IsRegular():
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))}
	case st.Size() > MaxFileSize:
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w: %d MB", ErrTooLarge, st.Size()>>20)}
	}
	return &limitedFile{File: f, size: st.Size()}, nil
}

// ReadFile reads a regular file whole. Errors: as Open's, or the file grew
// past MaxFileSize while read.
func (d dirFS) ReadFile(name string) ([]byte, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lf, ok := f.(*limitedFile)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	b, err := io.ReadAll(lf)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// ReadDir lists a directory, sorted by name.
func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	list, err := dir.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	sortEntries(list)
	return list, nil
}

// Stat describes a name without opening it.
func (d dirFS) Stat(name string) (fs.FileInfo, error) {
	p, err := d.path("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPath(err)}
	}
	return st, nil
}

// limitedFile is a regular file read up to its size when opened: a file
// that keeps growing (or lies about its size) does not make a reader run
// forever.
type limitedFile struct {
	*os.File
	size, pos int64
}

func (f *limitedFile) Read(p []byte) (int, error) {
	if f.pos >= f.size {
		// A byte more than announced means the file grew meanwhile.
		var one [1]byte
		if n, _ := f.File.ReadAt(one[:], f.size); n > 0 && f.pos == f.size {
			return 0, errors.New("the file grew while it was read")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > f.size-f.pos {
		p = p[:f.size-f.pos]
	}
	n, err := f.File.Read(p)
	f.pos += int64(n)
	return n, err
}

func (f *limitedFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.size {
		return 0, io.EOF
	}
	short := int64(len(p)) > f.size-off
	if short {
		p = p[:f.size-off]
	}
	n, err := f.File.ReadAt(p, off)
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}

func (f *limitedFile) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekEnd {
		offset, whence = f.size+offset, io.SeekStart
	}
	pos, err := f.File.Seek(offset, whence)
	if err == nil {
		f.pos = pos
	}
	return pos, err
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// kind names a file mode that is not a regular file, for people.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

func sortEntries(list []fs.DirEntry) {
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}
