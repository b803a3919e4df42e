package safeio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFileRefusesFIFOWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.journey.yaml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, 100); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "FIFO") {
			t.Errorf("error %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO")
	}
}

func TestReadFileRefusesDevices(t *testing.T) {
	_, err := ReadFile("/dev/zero", 100)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Errorf("error %v", err)
	}
}

func TestTooLargeTellsTheRealSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	os.WriteFile(p, make([]byte, 3<<20), 0o644)
	_, err := ReadFile(p, 1<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) || err.Error() != "is 3 MiB, more than the 1 MiB allowed" {
		t.Errorf("error %v", err)
	}
}

func TestReadAllBounded(t *testing.T) {
	if _, err := ReadAll(strings.NewReader("12345"), 4); err == nil {
		t.Error("no error past the cap")
	}
	if b, err := ReadAll(strings.NewReader("1234"), 4); err != nil || string(b) != "1234" {
		t.Errorf("%q %v", b, err)
	}
}

func TestTooLargeJustOverTheCapSaysBytes(t *testing.T) {
	err := &TooLargeError{Size: 1<<20 + 4, Max: 1 << 20}
	if got := err.Error(); got != "is 1048580 bytes, more than the 1048576 bytes allowed" {
		t.Errorf("got %q", got)
	}
}
