package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Nothing passes silently: a lint that checked nothing, or an exit 1 that
// comes from a threshold, says so.
func TestNothingPassesSilently(t *testing.T) {
	empty := t.TempDir()
	code, out, errOut := runCLI(t, "", "lint", empty)
	if code != 2 || !strings.Contains(errOut, "no journey files found in "+empty) || strings.Contains(out, "no findings") {
		t.Errorf("lint of an empty directory: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	ws := t.TempDir()
	write(t, filepath.Join(ws, ".journey.yaml"), "journeys: [\"jurneys/**/*.journey.yaml\"]\n")
	write(t, filepath.Join(ws, "notes.md"), "# not a journey\n")
	if code, _, errOut := runCLI(t, "", "lint", ws); code != 2 || !strings.Contains(errOut, "(\"jurneys/**/*.journey.yaml\") match no file: nothing was checked") {
		t.Errorf("lint of a workspace whose globs match nothing: exit %d, stderr %q", code, errOut)
	}

	// With no path, the workspace's globs are named.
	code, out, errOut = inDir(t, ws, "lint")
	if code != 2 || !strings.Contains(errOut, "no journey files found: the `journeys` globs of .journey.yaml (\"jurneys/**/*.journey.yaml\") match no file") {
		t.Errorf("lint in a workspace whose globs match nothing: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	// One glob of several matching nothing is a warning at the glob.
	write(t, filepath.Join(ws, ".journey.yaml"), "journeys:\n  - \"journeys/**/*.journey.yaml\"\n  - \"jurneys/**/*.journey.yaml\"\n")
	write(t, filepath.Join(ws, "journeys", "ok.journey.yaml"), validJourney)
	code, out, errOut = inDir(t, ws, "lint")
	if code != 0 || !strings.Contains(out, "no findings in 1 file") ||
		errOut != "journey: warning: .journey.yaml:3:5: the `journeys` glob \"jurneys/**/*.journey.yaml\" matches no file\n" {
		t.Errorf("lint with one glob matching nothing: exit %d\nstdout: %s\nstderr: %q", code, out, errOut)
	}

	// missing-owner is a warning: one warning over --max-warnings 0.
	noOwner := strings.Replace(validJourney, "owner: marketing\n", "", 1)
	file := filepath.Join(t.TempDir(), "w.journey.yaml")
	write(t, file, noOwner)
	code, out, errOut = runCLI(t, "", "lint", "--max-warnings", "0", file)
	if code != 1 || !strings.Contains(errOut, "more than --max-warnings 0 allows") {
		t.Errorf("--max-warnings 0 with warnings: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "lint", "--max-warnings", "5", file); code != 0 || errOut != "" {
		t.Errorf("--max-warnings 5: exit %d, stderr %q", code, errOut)
	}

	old := filepath.Join(t.TempDir(), "a.journey.yaml")
	write(t, old, validJourney)
	changed := filepath.Join(t.TempDir(), "a.journey.yaml")
	write(t, changed, strings.Replace(validJourney, "title: OK", "title: Changed", 1))
	if code, _, errOut := runCLI(t, "", "diff", "--fail-on", "any", old, changed); code != 1 || !strings.Contains(errOut, "(--fail-on any)") {
		t.Errorf("diff --fail-on any: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "diff", "--fail-on", "breaking", old, changed); code != 0 || errOut != "" {
		t.Errorf("diff --fail-on breaking without breaking changes: exit %d, stderr %q", code, errOut)
	}
}

// A workspace configuration given to lint is checked as a configuration.
func TestLintConfigAsConfig(t *testing.T) {
	if code, out, errOut := runCLI(t, "", "lint", "../../examples/.journey.yaml"); code != 0 || !strings.Contains(out, "no findings in 1 file") {
		t.Errorf("lint of the examples' .journey.yaml: exit %d\n%s%s", code, out, errOut)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".journey.yml"), "teams: 3\n")
	write(t, filepath.Join(dir, "a.journey.yaml"), validJourney)
	code, out, _ := runCLI(t, "", "lint", filepath.Join(dir, ".journey.yml"))
	if code != 1 || !strings.Contains(out, ".journey.yml:1:8: error: teams: expected a list, got the number 3 [schema]") || strings.Contains(out, `"journey"`) {
		t.Errorf("lint of a broken .journey.yml: exit %d\n%s", code, out)
	}
	write(t, filepath.Join(dir, ".journey.yaml"), "")
	if code, _, errOut := runCLI(t, "", "lint", dir); code != 2 || !strings.Contains(errOut, "has both .journey.yaml and .journey.yml") {
		t.Errorf("both configurations: exit %d, stderr %q", code, errOut)
	}
}
