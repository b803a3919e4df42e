package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fmt finds files as lint does (load.Find): with no path, the workspace's
// configuration and the journeys its globs name; in a directory, journeys
// and configurations outside the skipped directories; a link out of the
// workspace is reported and left alone (issue 13).
func TestFmtFindsWhatLintLoads(t *testing.T) {
	ws := t.TempDir()
	unformatted := "title: T\njourney: x\nowner: m\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, entry: true, outcome: success}]\n"
	write(t, filepath.Join(ws, ".journey.yaml"), "teams: [m]\njourneys: [\"journeys/**/*.journey.yaml\"]\n")
	write(t, filepath.Join(ws, "journeys", "a.journey.yaml"), unformatted)
	write(t, filepath.Join(ws, "drafts", "b.journey.yaml"), unformatted)
	write(t, filepath.Join(ws, "journeys", "vendor", "c.journey.yaml"), unformatted)
	outside := filepath.Join(t.TempDir(), "secret.journey.yaml")
	write(t, outside, unformatted)
	if err := os.Symlink(outside, filepath.Join(ws, "journeys", "link.journey.yaml")); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := inDir(t, ws, "fmt", "--check")
	if code != 2 || out != ".journey.yaml\n"+filepath.Join("journeys", "a.journey.yaml")+"\n" ||
		!strings.Contains(errOut, "link.journey.yaml: is a symbolic link to a file outside the workspace") {
		t.Errorf("fmt --check in the workspace: exit %d\nstdout: %q\nstderr: %s", code, out, errOut)
	}
	code, out, _ = inDir(t, ws, "fmt", "--check", "drafts")
	if code != 1 || out != filepath.Join("drafts", "b.journey.yaml")+"\n" {
		t.Errorf("fmt --check drafts: exit %d\nstdout: %q", code, out)
	}
	if data, _ := os.ReadFile(outside); string(data) != unformatted {
		t.Error("fmt changed a file outside the workspace")
	}
}
