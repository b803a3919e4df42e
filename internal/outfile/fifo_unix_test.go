//go:build unix

package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO nobody reads is an error after fifoWait, never a hang, and stays
// a FIFO.
func TestFIFOWithoutReaderFails(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() { done <- Write(p, []byte("data")) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "no process has opened it for reading") {
			t.Errorf("got %v, want an error saying no reader came", err)
		}
	case <-time.After(60 * time.Second): // hang guard, not a timing assertion
		t.Fatal("Write blocked on a FIFO with no reader")
	}
	if info, _ := os.Lstat(p); info.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}
}
