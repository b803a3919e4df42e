// Package safeio reads user-named inputs within bounds: regular files only
// (a FIFO, a device or a socket is refused instead of blocking or reading
// forever), never more than a stated number of bytes.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by every NotRegularError.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError says an input is a FIFO, a device, a socket or another
// kind of file that is not read.
type NotRegularError struct {
	Kind string // "a named pipe (FIFO)", "a device", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("is %s, not a regular file: only regular files are read", e.Kind)
}

func (e *NotRegularError) Unwrap() error { return ErrNotRegular }

// TooLargeError says an input has more bytes than its cap.
type TooLargeError struct {
	// Size is the input's size when known (a regular file), else -1:
	// the input was read up to Max+1 bytes and stopped there.
	Size int64
	Max  int64
}

func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		size, max := Bytes(e.Size), Bytes(e.Max)
		if size == max {
			// Just over the cap: rounded, both read the same.
			size, max = fmt.Sprintf("%d bytes", e.Size), fmt.Sprintf("%d bytes", e.Max)
		}
		return fmt.Sprintf("is %s, more than the %s allowed", size, max)
	}
	return fmt.Sprintf("is more than the %s allowed", Bytes(e.Max))
}

// Bytes writes a size for people: "512 bytes", "3.1 MiB".
func Bytes(n int64) string {
	const k = 1024
	switch {
	case n < k:
		return fmt.Sprintf("%d bytes", n)
	case n < k*k:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/k)) + " KiB"
	case n < k*k*k:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(k*k))) + " MiB"
	}
	return trimZero(fmt.Sprintf("%.1f", float64(n)/(k*k*k))) + " GiB"
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// KindOf names a file mode's kind for messages.
func KindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file"
}

// Open opens a regular file for reading, following symbolic links. Anything
// else is a *NotRegularError; opening never blocks on a FIFO, even one
// swapped in after the check.
func Open(path string) (*os.File, fs.FileInfo, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &NotRegularError{Kind: KindOf(info.Mode())}
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	info, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Kind: KindOf(info.Mode())}
	}
	return f, info, nil
}

// ReadFile reads a regular file of at most max bytes. A larger file is a
// *TooLargeError that tells its size; nothing past max+1 bytes is read, so
// a file that grows while it is read is still bounded.
func ReadFile(path string, max int64) ([]byte, error) {
	f, info, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > max {
		return nil, &TooLargeError{Size: info.Size(), Max: max}
	}
	return ReadAll(f, max)
}

// ReadAll reads r to its end, at most max bytes: a longer input is a
// *TooLargeError, found after reading max+1 bytes, never more.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Size: -1, Max: max}
	}
	return data, nil
}
