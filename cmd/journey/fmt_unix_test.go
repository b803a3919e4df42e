//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Run as root, fmt -w keeps the file's owner, group and setgid bit (it
// goes through outfile.Write; the old rename-over write gave the file to
// root and dropped setgid).
func TestFmtKeepsOwnerAndSetgid(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the file to another user")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	write(t, path, unformatted)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o664|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runFmtCLI(t, "", "-w", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if readString(t, path) != formatted {
		t.Fatalf("not formatted")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != 65534 || st.Gid != 65534 {
		t.Errorf("owner %d:%d, want 65534:65534", st.Uid, st.Gid)
	}
	if info.Mode()&os.ModeSetgid == 0 || info.Mode().Perm() != 0o664 {
		t.Errorf("mode %v, want setgid and 0664", info.Mode())
	}
	assertNoTempFiles(t, dir)
}

// A FIFO named on the command line is refused at once instead of blocking
// fmt (and -w never replaces it).
func TestFmtRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "p.journey.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var code int
	var errOut string
	go func() {
		defer close(done)
		code, _, errOut = runFmtCLI(t, "", "-w", fifo)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("fmt blocked on a FIFO")
	}
	if code != 2 || !strings.Contains(errOut, fifo+": is a named pipe") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced")
	}
}
