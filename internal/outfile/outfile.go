// Package outfile writes the files a user names with -o, --out-dir,
// --write-baseline or fmt -w. A regular file (or a new one) is replaced
// atomically: the data goes to a temporary file beside it that is renamed
// over it, so a crash or a signal never leaves half a file, and the file
// keeps its mode and owner. Anything else (a device such as /dev/null or
// /dev/stdout, a FIFO, a terminal) is written straight into, never replaced.
// A symbolic link is followed: its target is written, the link stays.
package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Write writes data to path as described in the package comment. A new
// file gets mode 0644.
func Write(path string, data []byte) error {
	info, err := os.Stat(path) // follows symbolic links
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeAtomic(path, data, nil)
	case err != nil:
		return err
	case info.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case info.Mode()&fs.ModeNamedPipe != 0:
		f, err := openFIFO(path)
		if err != nil {
			return err
		}
		return writeAll(f, data)
	case !info.Mode().IsRegular():
		return writeStraight(path, data)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	return writeAtomic(real, data, info)
}

func writeStraight(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return writeAll(f, data)
}

func writeAll(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeAtomic replaces path (old is its current state, nil when new).
func writeAtomic(path string, data []byte, old fs.FileInfo) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Never show the temporary file's invented name.
			return fmt.Errorf("cannot write %s: %v", path, pe.Err)
		}
		return err
	}
	name := tmp.Name()
	track(name)
	defer untrack(name)
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	// CreateTemp makes the file private (0600); an output file is as
	// readable as one written by the shell, and a rewritten file keeps its
	// mode (setuid, setgid and sticky bits included) and its owner.
	mode := fs.FileMode(0o644)
	if old != nil {
		mode = old.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		if err := keepOwner(tmp, old); err != nil {
			return fail(err)
		}
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	// chmod after chown: changing the owner clears setuid and setgid.
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

var (
	tempsMu sync.Mutex
	temps   = map[string]bool{}
)

func track(name string) {
	tempsMu.Lock()
	temps[name] = true
	tempsMu.Unlock()
}

func untrack(name string) {
	tempsMu.Lock()
	delete(temps, name)
	tempsMu.Unlock()
}

// RemoveTemps removes the temporary files of writes under way; main calls
// it when a signal stops the process, so nothing is left behind.
func RemoveTemps() {
	tempsMu.Lock()
	defer tempsMu.Unlock()
	for name := range temps {
		os.Remove(name)
		delete(temps, name)
	}
}
