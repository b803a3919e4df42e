package load

import (
	"io/fs"
	"os"
	slashpath "path"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeykit/journey/internal/safeio"
)

// fileSystem is what the loader reads files and directories through: the
// disk, or a file system mounted at a directory (a git revision), so that
// both are searched by the same code: the same configuration lookup, globs
// and skip list. Names are absolute OS paths.
type fileSystem interface {
	lstat(name string) (fs.FileInfo, error)
	stat(name string) (fs.FileInfo, error)
	// readFile reads a regular file of at most max bytes (else a
	// *safeio.TooLargeError).
	readFile(name string, max int64) ([]byte, error)
	walkDir(root string, fn fs.WalkDirFunc) error
	// evalSymlinks resolves every symbolic link of name.
	evalSymlinks(name string) (string, error)
}

// disk is the file system of the machine. Reads never block on FIFOs and
// stop at their cap (internal/safeio).
type disk struct{}

func (disk) lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }
func (disk) stat(name string) (fs.FileInfo, error)  { return os.Stat(name) }
func (disk) readFile(name string, max int64) ([]byte, error) {
	return safeio.ReadFile(name, max)
}
func (disk) walkDir(root string, fn fs.WalkDirFunc) error { return filepath.WalkDir(root, fn) }
func (disk) evalSymlinks(name string) (string, error)     { return filepath.EvalSymlinks(name) }

// mounted shows fsys as the contents of directory root: a git revision
// read in place of the working tree. Nothing outside root exists; root
// holds a .git entry, so the revision is a repository as the work tree
// is; there are no symbolic links.
type mounted struct {
	fsys fs.FS
	root string // absolute, cleaned
}

// rel is name as a path of fsys, or false when name is outside root.
func (m mounted) rel(name string) (string, bool) {
	r, err := filepath.Rel(m.root, name)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return "", false
	}
	r = filepath.ToSlash(r)
	return r, fs.ValidPath(r)
}

func (m mounted) lstat(name string) (fs.FileInfo, error) { return m.stat(name) }

func (m mounted) stat(name string) (fs.FileInfo, error) {
	r, ok := m.rel(name)
	if !ok {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	if r == ".git" {
		return markerInfo{}, nil
	}
	return fs.Stat(m.fsys, r)
}

func (m mounted) readFile(name string, max int64) ([]byte, error) {
	info, err := m.stat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &safeio.NotRegularError{Kind: safeio.KindOf(info.Mode())}
	}
	if info.Size() > max {
		return nil, &safeio.TooLargeError{Size: info.Size(), Max: max}
	}
	r, _ := m.rel(name)
	return fs.ReadFile(m.fsys, r)
}

func (m mounted) walkDir(root string, fn fs.WalkDirFunc) error {
	r, ok := m.rel(root)
	if !ok {
		return fn(root, nil, &fs.PathError{Op: "open", Path: root, Err: fs.ErrNotExist})
	}
	return fs.WalkDir(m.fsys, r, func(p string, d fs.DirEntry, err error) error {
		return fn(filepath.Join(m.root, filepath.FromSlash(slashpath.Clean(p))), d, err)
	})
}

func (m mounted) evalSymlinks(name string) (string, error) {
	if _, err := m.stat(name); err != nil {
		return "", err
	}
	return name, nil
}

// markerInfo is the .git directory a mounted revision shows at its root.
type markerInfo struct{}

func (markerInfo) Name() string       { return ".git" }
func (markerInfo) Size() int64        { return 0 }
func (markerInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (markerInfo) ModTime() time.Time { return time.Time{} }
func (markerInfo) IsDir() bool        { return true }
func (markerInfo) Sys() any           { return nil }
