package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestNewFileIs0644(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.svg")
	if err := Write(p, []byte("x")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode())
	}
}

func TestRewriteKeepsModeAndSetgid(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.svg")
	os.WriteFile(p, []byte("old"), 0o600)
	if err := os.Chmod(p, 0o640|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if info.Mode()&(os.ModePerm|os.ModeSetgid) != 0o640|os.ModeSetgid {
		t.Errorf("mode %v, want setgid 0640", info.Mode())
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("content %q", b)
	}
}

func TestSymlinkKeptTargetWritten(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "v2.svg")
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(dir, "current.svg")
	os.Symlink("v2.svg", link)
	if err := Write(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Lstat(link); info.Mode()&os.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target has %q", b)
	}
}

func TestFIFOWrittenStraight(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(p)
		got <- string(b)
	}()
	if err := Write(p, []byte("data")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "data" {
		t.Errorf("reader got %q", s)
	}
	if info, _ := os.Lstat(p); info.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}
}

func TestDevNullStaysADevice(t *testing.T) {
	if err := Write(os.DevNull, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(os.DevNull); info.Mode()&os.ModeCharDevice == 0 {
		t.Fatal("/dev/null is no longer a device")
	}
}

func TestErrorsNeverNameTheTempFile(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "missing", "out.svg"), []byte("x"))
	if err == nil || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("error %v", err)
	}
}

func TestDirectoryRefused(t *testing.T) {
	if err := Write(t.TempDir(), []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("error %v", err)
	}
}
