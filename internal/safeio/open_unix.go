//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// openNonBlocking opens with O_NONBLOCK, so a FIFO put in place of the file
// between the check and the open does not block; regular files ignore it.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
