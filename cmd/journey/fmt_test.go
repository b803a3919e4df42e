package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/outfile"
	"github.com/spf13/cobra"
)

// runFmtCLI runs `journey fmt ARGS` in-process as main's run does: the
// command is built with newFmtCommand, so the test does not depend on the
// root command's list.
func runFmtCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := &cobra.Command{Use: "journey", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("color", "auto", "")
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.AddCommand(newFmtCommand())
	root.SetArgs(append([]string{"fmt"}, args...))
	code = func() (code int) {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("panic: %v", r)
				code = 2
			}
		}()
		err := root.Execute()
		if err == nil {
			return 0
		}
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintf(&errOut, "journey: %v\n", ee.err)
			}
			return ee.code
		}
		fmt.Fprintf(&errOut, "journey: %v\n", err)
		return 2
	}()
	return code, out.String(), errOut.String()
}

// unformatted is validJourney with its keys out of order, a comment and
// 4-space indentation.
const unformatted = `# the header comment
title: OK
journey: ok
owner: marketing
phases:
    - {name: Start, id: start}
stages:
    - name: Arrives   # first
      id: arrives
      phase: start
      entry: true
      next: [buys]
    - id: buys
      name: Buys
      phase: start
      outcome: success
`

const formatted = `# the header comment
journey: ok
title: OK
owner: marketing

phases:
  - {id: start, name: Start}

stages:
  - id: arrives
    name: Arrives # first
    phase: start
    entry: true
    next: [buys]

  - id: buys
    name: Buys
    phase: start
    outcome: success
`

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFmtPrintsToStdout(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	write(t, path, unformatted)
	code, out, errOut := runFmtCLI(t, "", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != formatted {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, formatted)
	}
	if readString(t, path) != unformatted {
		t.Errorf("the file was changed without -w")
	}
}

func TestFmtWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	write(t, path, unformatted)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runFmtCLI(t, "", "-w", path)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got := readString(t, path); got != formatted {
		t.Errorf("file:\n%s\nwant:\n%s", got, formatted)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, %v; want 0640", info.Mode().Perm(), err)
	}
	assertNoTempFiles(t, dir)
	// Formatted files are left alone and pass --check.
	code, out, _ = runFmtCLI(t, "", "--check", path)
	if code != 0 || out != "" {
		t.Errorf("--check after -w: exit %d, stdout %q", code, out)
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".fmt-") || strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestFmtCheck(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.journey.yaml"), unformatted)
	write(t, filepath.Join(dir, "b.journey.yaml"), formatted)
	write(t, filepath.Join(dir, "sub", "c.journey.yml"), unformatted)
	write(t, filepath.Join(dir, "node_modules", "d.journey.yaml"), unformatted)
	write(t, filepath.Join(dir, "notes.yaml"), "not: [a journey\n")
	t.Chdir(dir)
	for _, flag := range []string{"--check", "-l"} {
		code, out, errOut := runFmtCLI(t, "", flag, ".")
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", flag, code)
		}
		want := "a.journey.yaml\n" + filepath.Join("sub", "c.journey.yml") + "\n"
		if out != want {
			t.Errorf("%s: stdout %q, want %q", flag, out, want)
		}
		if !strings.Contains(errOut, "2 of 3 file(s) not formatted") {
			t.Errorf("%s: stderr %q", flag, errOut)
		}
	}
	if readString(t, "a.journey.yaml") != unformatted {
		t.Errorf("--check changed a file")
	}
	code, _, _ := runFmtCLI(t, "", "--check", "b.journey.yaml")
	if code != 0 {
		t.Errorf("--check on a formatted file: exit %d", code)
	}
}

const wantDiff = `--- a/a.journey.yaml
+++ b/a.journey.yaml
@@ -1,16 +1,19 @@
 # the header comment
-title: OK
 journey: ok
+title: OK
 owner: marketing
+
 phases:
-    - {name: Start, id: start}
+  - {id: start, name: Start}
+
 stages:
-    - name: Arrives   # first
-      id: arrives
-      phase: start
-      entry: true
-      next: [buys]
-    - id: buys
-      name: Buys
-      phase: start
-      outcome: success
+  - id: arrives
+    name: Arrives # first
+    phase: start
+    entry: true
+    next: [buys]
+
+  - id: buys
+    name: Buys
+    phase: start
+    outcome: success
`

func TestFmtDiff(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, "a.journey.yaml", unformatted)
	write(t, "b.journey.yaml", formatted)
	code, out, errOut := runFmtCLI(t, "", "-d", "a.journey.yaml", "b.journey.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != wantDiff {
		t.Errorf("diff:\n%s\nwant:\n%s", out, wantDiff)
	}
	// --check -d: the diff and exit 1.
	code, out, _ = runFmtCLI(t, "", "-d", "--check", "a.journey.yaml")
	if code != 1 || !strings.HasPrefix(out, "a.journey.yaml\n--- a/a.journey.yaml\n") {
		t.Errorf("--check -d: exit %d, stdout:\n%s", code, out)
	}
}

func TestFmtStdin(t *testing.T) {
	code, out, errOut := runFmtCLI(t, unformatted, "-")
	if code != 0 || out != formatted {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	code, out, _ = runFmtCLI(t, unformatted, "--check", "-")
	if code != 1 || out != "<stdin>\n" {
		t.Errorf("--check -: exit %d, stdout %q", code, out)
	}
	code, _, errOut = runFmtCLI(t, unformatted, "-w", "-")
	if code != 2 || !strings.Contains(errOut, "standard input") {
		t.Errorf("-w -: exit %d, stderr %q", code, errOut)
	}
}

// A file that does not parse is reported with its position and never
// written; the other files are still formatted.
func TestFmtSyntaxErrorLeavesFileAlone(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	broken := "journey: broken\nstages:\n  - id: a\n    next: [b, c\n  - id: b\n"
	write(t, "broken.journey.yaml", broken)
	write(t, "ok.journey.yaml", unformatted)
	before, _ := os.Stat("broken.journey.yaml")
	for _, args := range [][]string{{"-w", "."}, {"--check", "."}, {"broken.journey.yaml"}} {
		code, out, errOut := runFmtCLI(t, "", args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		// The exact place inside the flow list is the loader's to choose.
		if !regexp.MustCompile(`broken\.journey\.yaml:[45]:\d+: error: invalid YAML`).MatchString(errOut) || !strings.Contains(errOut, "[syntax]") {
			t.Errorf("%v: stderr lacks the position of the error:\n%s", args, errOut)
		}
		if !strings.Contains(errOut, "could not be formatted") {
			t.Errorf("%v: stderr %q", args, errOut)
		}
		if strings.Contains(out, "broken") && args[0] != "--check" {
			t.Errorf("%v: stdout %q", args, out)
		}
	}
	after, _ := os.Stat("broken.journey.yaml")
	if readString(t, "broken.journey.yaml") != broken || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the broken file was touched")
	}
	if readString(t, "ok.journey.yaml") != formatted {
		t.Errorf("the other file was not formatted")
	}
}

// A comment yaml.v3 cannot keep: the file is refused, with the comment's
// position.
func TestFmtRefusesToLoseAComment(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src := "journey: c\ntags: [a, # first\n  b]  # lost by yaml.v3\n"
	write(t, "c.journey.yaml", src)
	code, _, errOut := runFmtCLI(t, "", "-w", "c.journey.yaml")
	if code != 1 || !strings.Contains(errOut, "c.journey.yaml:3:7: error: this comment in a flow collection") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if readString(t, "c.journey.yaml") != src {
		t.Errorf("the file was changed")
	}
}

// A write that fails leaves the original file intact, and the other
// files are still written.
func TestFmtFailedWriteKeepsTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	other := filepath.Join(dir, "b.journey.yaml")
	write(t, path, unformatted)
	write(t, other, unformatted)
	writeFile = func(p string, data []byte) error {
		if p == path {
			return errors.New("disk on fire")
		}
		return outfile.Write(p, data)
	}
	t.Cleanup(func() { writeFile = outfile.Write })
	code, _, errOut := runFmtCLI(t, "", "-w", path, other)
	if code != 2 || !strings.Contains(errOut, path+": disk on fire (the file is unchanged)") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if readString(t, path) != unformatted || readString(t, other) != formatted {
		t.Errorf("a.journey.yaml changed or b.journey.yaml was not written")
	}
	assertNoTempFiles(t, dir)
}

// A read-only file (no write permission for anyone) is not rewritten, even
// by root, whom the permissions do not stop: exit 1, the file unchanged,
// and the other files are formatted.
func TestFmtRefusesReadOnlyFile(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "a.journey.yaml")
	rw := filepath.Join(dir, "b.journey.yaml")
	write(t, ro, unformatted)
	write(t, rw, unformatted)
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runFmtCLI(t, "", "-w", dir)
	want := "journey: " + ro + " is read-only; not rewritten (make it writable, e.g. chmod u+w, to format it)\n"
	if code != 1 || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, stderr %q", code, out, errOut, want)
	}
	if readString(t, ro) != unformatted {
		t.Errorf("the read-only file was rewritten")
	}
	if info, err := os.Stat(ro); err != nil || info.Mode().Perm() != 0o444 {
		t.Errorf("mode %v (%v), want 0444", info.Mode().Perm(), err)
	}
	if readString(t, rw) != formatted {
		t.Errorf("the writable file was not formatted")
	}
	// --check and printing still read it.
	if code, out, _ := runFmtCLI(t, "", "--check", ro); code != 1 || out != ro+"\n" {
		t.Errorf("--check: exit %d, stdout %q", code, out)
	}
}

func TestFmtReadOnlyDirectory(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a directory this user cannot write to")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	write(t, path, unformatted)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	code, _, errOut := runFmtCLI(t, "", "-w", path)
	if code != 2 || !strings.Contains(errOut, "permission denied") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if readString(t, path) != unformatted {
		t.Errorf("the file changed")
	}
}

func TestFmtWriteThroughSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "real.journey.yaml")
	link := filepath.Join(dir, "link.journey.yaml")
	write(t, target, unformatted)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runFmtCLI(t, "", "-w", link); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if readString(t, target) != formatted {
		t.Errorf("the linked file was not formatted")
	}
}

func TestFmtKeepsCRLF(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.journey.yaml")
	write(t, path, strings.ReplaceAll(unformatted, "\n", "\r\n"))
	if code, _, errOut := runFmtCLI(t, "", "-w", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got, want := readString(t, path), strings.ReplaceAll(formatted, "\n", "\r\n"); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// With no path, fmt formats the workspace: the configuration and the
// journeys its globs name.
func TestFmtWorkspace(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".journey.yaml"), "teams: [marketing]\njourneys: [\"maps/*.journey.yaml\"]\n")
	write(t, filepath.Join(dir, "maps", "a.journey.yaml"), unformatted)
	write(t, filepath.Join(dir, "other", "b.journey.yaml"), unformatted)
	t.Chdir(filepath.Join(dir, "maps"))
	code, out, _ := runFmtCLI(t, "", "--check")
	// Files outside the working directory are shown by absolute path, as
	// lint shows them.
	want := filepath.Join(dir, ".journey.yaml") + "\na.journey.yaml\n"
	if real, err := filepath.EvalSymlinks(dir); err == nil && !strings.HasPrefix(out, dir) {
		want = filepath.Join(real, ".journey.yaml") + "\na.journey.yaml\n"
	}
	if code != 1 || out != want {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if code, _, errOut := runFmtCLI(t, "", "-w"); code != 0 {
		t.Fatalf("-w: exit %d: %s", code, errOut)
	}
	if got := readString(t, filepath.Join(dir, ".journey.yaml")); got != "journeys: [maps/*.journey.yaml]\nteams: [marketing]\n" {
		t.Errorf("config:\n%s", got)
	}
	if readString(t, filepath.Join(dir, "other", "b.journey.yaml")) != unformatted {
		t.Errorf("a file outside the workspace globs was formatted")
	}
}

func TestFmtUsageErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, args := range [][]string{
		{"missing.journey.yaml"},
		{"."}, // no journey files
		{"--no-such-flag"},
		{"-", "-"},
	} {
		code, _, errOut := runFmtCLI(t, "", args...)
		if code != 2 || !strings.HasPrefix(errOut, "journey: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestFmtHelp(t *testing.T) {
	code, out, _ := runFmtCLI(t, "", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"canonical layout", "Examples:", "journey fmt -w", "--check", "-d, --diff"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}
