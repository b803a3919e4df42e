package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs git in dir for a test repository.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// inDir runs the command in-process with dir as the working directory.
func inDir(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	return runCLI(t, "", args...)
}

type diffJSON struct {
	Journeys []struct {
		Journey string `json:"journey"`
		Status  string `json:"status"`
		Changes []struct {
			Kind     string `json:"kind"`
			Breaking bool   `json:"breaking"`
			Stage    string `json:"stage"`
			Message  string `json:"message"`
		} `json:"changes"`
	} `json:"journeys"`
	Summary struct{ Changes, Breaking int } `json:"summary"`
}

func kinds(t *testing.T, out string) map[string]int {
	t.Helper()
	var d diffJSON
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	k := map[string]int{}
	for _, j := range d.Journeys {
		for _, c := range j.Changes {
			k[c.Kind]++
		}
	}
	return k
}

func newRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "journeys", "ok.journey.yaml"), validJourney)
	write(t, filepath.Join(dir, "journeys", "gone.journey.yaml"), strings.Replace(validJourney, "journey: ok", "journey: gone", 1))
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "first")
	return dir
}

func TestDiffBaseInGit(t *testing.T) {
	dir := newRepo(t)

	// No change against HEAD.
	code, out, errOut := inDir(t, dir, "diff", "--base", "HEAD", "--format", "json", "--fail-on", "any")
	if code != 0 || kinds(t, out)["journey-added"] != 0 {
		t.Fatalf("clean tree: exit %d %s %s", code, out, errOut)
	}

	// Move a file, delete one, add one, change a stage: on a branch.
	git(t, dir, "checkout", "-q", "-b", "feature")
	os.MkdirAll(filepath.Join(dir, "moved"), 0o755)
	git(t, dir, "mv", "journeys/ok.journey.yaml", "moved/ok.journey.yaml")
	git(t, dir, "rm", "-q", "journeys/gone.journey.yaml")
	write(t, filepath.Join(dir, "journeys", "new.journey.yaml"), strings.Replace(validJourney, "journey: ok", "journey: fresh", 1))
	changed := strings.Replace(validJourney, "name: Buys", "name: Buys the plan", 1)
	write(t, filepath.Join(dir, "moved", "ok.journey.yaml"), changed)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "second")
	// main advances after the branch point: --merge-base must ignore it.
	git(t, dir, "checkout", "-q", "main")
	write(t, filepath.Join(dir, "journeys", "main-only.journey.yaml"), strings.Replace(validJourney, "journey: ok", "journey: main-only", 1))
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "main moves on")
	git(t, dir, "checkout", "-q", "feature")

	code, out, errOut = inDir(t, dir, "diff", "--base", "main", "--merge-base", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	k := kinds(t, out)
	for kind, want := range map[string]int{"journey-moved": 1, "journey-removed": 1, "journey-added": 1, "stage-changed": 1} {
		if k[kind] != want {
			t.Errorf("%s: %d, want %d\n%s", kind, k[kind], want, out)
		}
	}
	if strings.Contains(out, "main-only") {
		t.Errorf("--merge-base compared with main's tip, not the fork point:\n%s", out)
	}
	// Without --merge-base, main's own addition shows as a removal.
	_, out, _ = inDir(t, dir, "diff", "--base", "main", "--format", "json")
	if !strings.Contains(out, "main-only") {
		t.Errorf("--base main without --merge-base should see main-only")
	}
	if code, _, _ := inDir(t, dir, "diff", "--base", "main", "--merge-base", "--fail-on", "breaking"); code != 1 {
		t.Errorf("--fail-on breaking with a removed journey: exit %d, want 1", code)
	}
}

func TestDiffBaseRefIsNeverAnOption(t *testing.T) {
	dir := newRepo(t)
	target := filepath.Join(t.TempDir(), "x")
	for _, ref := range []string{"--output=" + target, "-p"} {
		code, _, errOut := inDir(t, dir, "diff", "--base", ref)
		if code != 2 {
			t.Errorf("ref %q: exit %d (%s), want 2", ref, code, errOut)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("ref %q made git write %s", ref, target)
		}
	}
	code, _, errOut := inDir(t, dir, "diff", "--base", "no-such-branch")
	if code != 2 || !strings.Contains(errOut, "no-such-branch") {
		t.Errorf("unknown ref: exit %d, %q", code, errOut)
	}
}

func TestDiffBaseShallowAndOutside(t *testing.T) {
	dir := newRepo(t)
	for i := 0; i < 2; i++ {
		write(t, filepath.Join(dir, "journeys", "ok.journey.yaml"), strings.Replace(validJourney, "Buys", "Buys "+strings.Repeat("!", i+1), 1))
		git(t, dir, "commit", "-q", "-am", "more")
	}
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, clone)
	code, _, errOut := inDir(t, clone, "diff", "--base", "HEAD~2")
	if code != 2 || !strings.Contains(errOut, "shallow") || !strings.Contains(errOut, "fetch") {
		t.Errorf("shallow clone: exit %d, %q", code, errOut)
	}
	outside := t.TempDir()
	code, _, errOut = inDir(t, outside, "diff", "--base", "HEAD")
	if code != 2 || !strings.Contains(errOut, "not inside a git repository") {
		t.Errorf("outside a repository: exit %d, %q", code, errOut)
	}
}

func TestDiffTwoPaths(t *testing.T) {
	old := filepath.Join(t.TempDir(), "a.journey.yaml")
	new := filepath.Join(t.TempDir(), "b.journey.yaml")
	write(t, old, validJourney)
	write(t, new, strings.Replace(validJourney, "    outcome: success\n", "    outcome: exit\n", 1))
	code, out, errOut := runCLI(t, "", "diff", "--format", "json", "--fail-on", "breaking", old, new)
	if code != 1 || kinds(t, out)["outcome-changed"] != 1 || strings.Contains(out, "journey-moved") {
		t.Errorf("exit %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "diff", old); code != 2 || !strings.Contains(errOut, "OLD and NEW") {
		t.Errorf("one path: exit %d %q", code, errOut)
	}
	svg := filepath.Join(t.TempDir(), "d.svg")
	if code, _, errOut := runCLI(t, "", "diff", "-o", svg, old, new); code != 0 {
		t.Fatalf("-o: exit %d %s", code, errOut)
	}
	if data, _ := os.ReadFile(svg); !strings.Contains(string(data), "</svg>") {
		t.Error("no visual diff written")
	}
}

// Issue 13: `journey diff DIR FILE` was accepted and printed a
// journey-moved "to " (empty) and a breaking journey-removed. A file and a
// directory, either way round, is a usage error.
func TestDiffFileAndDirectory(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "old", "ok.journey.yaml"), validJourney)
	file := filepath.Join(dir, "ok.journey.yaml")
	write(t, file, validJourney)
	for _, args := range [][]string{{filepath.Join(dir, "old"), file}, {file, filepath.Join(dir, "old")}} {
		code, out, errOut := runCLI(t, "", append([]string{"diff"}, args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, "compare two files or two directories") {
			t.Errorf("diff %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// Issue 13: a pure file move was labelled modified; it is moved, and a
// move with a change stays modified.
func TestDiffMovedStatus(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "old", "a", "ok.journey.yaml"), validJourney)
	write(t, filepath.Join(dir, "new", "b", "ok.journey.yaml"), validJourney)
	status := func() (string, int) {
		code, out, errOut := runCLI(t, "", "diff", "--format", "json", filepath.Join(dir, "old"), filepath.Join(dir, "new"))
		var d diffJSON
		if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 || len(d.Journeys) != 1 {
			t.Fatalf("exit %d: %v\n%s%s", code, err, out, errOut)
		}
		return d.Journeys[0].Status, len(d.Journeys[0].Changes)
	}
	if s, n := status(); s != "moved" || n != 1 {
		t.Errorf("pure move: status %s with %d changes, want moved with 1 (journey-moved)", s, n)
	}
	write(t, filepath.Join(dir, "new", "b", "ok.journey.yaml"), strings.Replace(validJourney, "name: Buys", "name: Buys now", 1))
	if s, n := status(); s != "modified" || n != 2 {
		t.Errorf("move and change: status %s with %d changes, want modified with 2", s, n)
	}
}

// .journey.yaml's diff.breaking decides what --fail-on breaking fails on;
// a name that is no kind is a warning with its position and the closest
// kind.
func TestDiffBreakingFromConfig(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "old", "ok.journey.yaml"), validJourney)
	write(t, filepath.Join(dir, "new", "ok.journey.yaml"), strings.Replace(validJourney, "    outcome: success\n", "    outcome: exit\n", 1))
	old, new := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	if code, _, _ := runCLI(t, "", "diff", "--fail-on", "breaking", old, new); code != 1 {
		t.Fatalf("outcome changed, no config: exit %d, want 1", code)
	}
	cfg := filepath.Join(new, ".journey.yaml")
	write(t, cfg, "diff:\n  breaking:\n    outcome-changed: false\n    stage-remove: true\n")
	code, out, errOut := runCLI(t, "", "diff", "--fail-on", "breaking", old, new)
	if code != 0 || !strings.Contains(out, "0 breaking") {
		t.Errorf("outcome-changed: false: exit %d\n%s%s", code, out, errOut)
	}
	want := "journey: warning: " + cfg + `:4:5: diff.breaking: "stage-remove" is not a change kind; this setting is ignored; did you mean "stage-removed"?`
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
}

// --format github: breaking changes as annotations on the file's line,
// named from the repository root wherever diff runs; errors with
// --fail-on.
func TestDiffGitHubFormat(t *testing.T) {
	dir := newRepo(t)
	write(t, filepath.Join(dir, "journeys", "ok.journey.yaml"), strings.Replace(validJourney, "    outcome: success\n", "    outcome: exit\n", 1))
	code, out, errOut := inDir(t, filepath.Join(dir, "journeys"), "diff", "--base", "HEAD", "--format", "github", "--fail-on", "breaking")
	want := "::error file=journeys/ok.journey.yaml,line=15,col=14,title=journey diff%3A outcome-changed::ok: buys: outcome: success -> exit\n"
	if code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("exit %d\n%s\nwant first line %s%s", code, out, want, errOut)
	}
	os.Remove(filepath.Join(dir, "journeys", "gone.journey.yaml"))
	for _, wd := range []string{dir, filepath.Join(dir, "journeys")} {
		_, out, _ = inDir(t, wd, "diff", "--base", "HEAD", "--format", "github")
		if !strings.Contains(out, "::warning file=journeys/gone.journey.yaml,title=journey diff%3A journey-removed::gone: journey \"gone\" removed\n") {
			t.Errorf("removed journey, run in %s:\n%s", wd, out)
		}
	}
}
