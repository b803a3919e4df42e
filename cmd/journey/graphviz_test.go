package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
)

// buildBinary builds the journey binary once per test run into a directory
// every user can read, so it can also run as an unprivileged user.
var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "journey-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		os.Chmod(dir, 0o755)
		binaryPath = filepath.Join(dir, "journey")
		out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			binaryErr = err
			t.Logf("%s", out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// runAs runs the binary with TMPDIR set, as an unprivileged user when the
// test runs as root (root ignores permission bits, and the trap is about a
// cache directory that belongs to someone else).
func runAs(t *testing.T, tmpdir, workdir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	cmd.Dir = workdir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmpdir, "HOME="+workdir, "XDG_CACHE_HOME="+filepath.Join(workdir, ".cache"))
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String()
}

// openTempDir is a temporary directory that another user can enter
// (t.TempDir's parent is private to the test's user).
func openTempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "journey-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if d != nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	os.Chmod(dir, 0o777)
	return dir
}

// go-graphviz v0.2.9 panics in its package init when $TMPDIR/go-graphviz
// exists but is not writable, which would kill every command; and a missing
// temp directory must not break anything either.
func TestGraphvizCacheTraps(t *testing.T) {
	work := openTempDir(t)
	write(t, filepath.Join(work, "ok.journey.yaml"), validJourney)
	os.Chmod(filepath.Join(work, "ok.journey.yaml"), 0o644)

	// A cache written by another user: populate it as the test's user,
	// then lock it. As root, the locked cache belongs to root and the
	// command runs as nobody; otherwise the cache is made unreadable.
	foreign := openTempDir(t)
	populate := exec.Command(buildBinary(t), "version")
	populate.Env = append(os.Environ(), "TMPDIR="+foreign)
	if out, err := populate.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	locked := filepath.Join(foreign, "go-graphviz")
	subdirs, _ := filepath.Glob(filepath.Join(locked, "*"))
	if len(subdirs) == 0 {
		t.Fatal("go-graphviz wrote no cache: the trap cannot be reproduced")
	}
	for _, d := range subdirs {
		mode := os.FileMode(0o700)
		if os.Geteuid() != 0 {
			mode = 0
		}
		os.Chmod(d, mode)
	}
	os.Chmod(locked, 0o555)

	cases := map[string]string{
		"cache directory not writable": foreign,
		"temp directory missing":       filepath.Join(work, "no", "such", "dir"),
	}
	for name, tmpdir := range cases {
		t.Run(name, func(t *testing.T) {
			if code, out := runAs(t, tmpdir, work, "lint", "ok.journey.yaml"); code != 0 || strings.Contains(out, "panic") {
				t.Fatalf("lint: exit %d\n%s", code, out)
			}
			code, out := runAs(t, tmpdir, work, "render", "ok.journey.yaml")
			if code != 0 || !strings.Contains(out, "</svg>") {
				t.Fatalf("render: exit %d\n%s", code, out)
			}
		})
	}
}

// Concurrent renders in one process are serialised, and a failed layout
// does not spoil the next one.
func TestLayoutConcurrentAndAfterFailure(t *testing.T) {
	f := load.ParseJourney("ok.journey.yaml", []byte(validJourney))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	want, err := render.FlowSVG(f.Journey, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := render.FlowSVG(f.Journey, render.Options{})
			if err == nil && !bytes.Equal(got, want) {
				err = errMismatch
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := render.LayoutSVG([]byte("digraph { a -> ")); err == nil {
		t.Fatal("a broken DOT graph laid out without error")
	}
	got, err := render.FlowSVG(f.Journey, render.Options{})
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("render after a failed layout differs (err %v)", err)
	}
}

type mismatch struct{}

func (mismatch) Error() string { return "concurrent render gave different bytes" }

var errMismatch error = mismatch{}

// gvcache must run its init before go-graphviz's: Go orders package inits
// by import path among the packages whose imports are ready.
func TestGraphvizCacheInitRunsFirst(t *testing.T) {
	cmd := exec.Command(buildBinary(t), "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ours := strings.Index(string(out), "init github.com/journeykit/journey/pkg/render/internal/gvcache ")
	theirs := strings.Index(string(out), "init github.com/goccy/go-graphviz/internal/wasm ")
	if ours < 0 || theirs < 0 || ours > theirs {
		t.Fatalf("gvcache init at %d, go-graphviz wasm init at %d:\n%s", ours, theirs, out)
	}
}
