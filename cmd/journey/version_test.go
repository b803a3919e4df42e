package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// go install ./cmd/journey gives a binary whose version command works: the
// module's build info stands in for the release's ldflags.
func TestGoInstallVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go install")
	}
	bin := t.TempDir()
	install := exec.Command("go", "install", ".")
	install.Env = append(os.Environ(), "GOBIN="+bin)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "journey"), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^journey \S+\n`).Match(out) || !strings.Contains(string(out), "go1.") {
		t.Errorf("version output: %q", out)
	}
}

// A release build's ldflags set version, commit and date.
func TestReleaseLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "journey")
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X main.version=1.2.3 -X main.commit=abc1234 -X main.date=2026-11-22T00:00:00Z", ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"journey 1.2.3", "commit abc1234", "built 2026-11-22T00:00:00Z"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
}
