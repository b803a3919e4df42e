package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/starter"
)

// initCLI runs `journey init ARGS` on a command built by newInitCommand,
// and maps its error to an exit code the way run does.
func initCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newInitCommand()
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	cmd.SetIn(strings.NewReader(""))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err == nil {
		return 0, out.String(), errOut.String()
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			errOut.WriteString("journey: " + ee.err.Error() + "\n")
		}
		return ee.code, out.String(), errOut.String()
	}
	errOut.WriteString("journey: " + err.Error() + "\n")
	return 2, out.String(), errOut.String()
}

// lintSummary lints dir with the real lint command and returns its summary.
func lintSummary(t *testing.T, dir string) (int, map[string]int, string) {
	t.Helper()
	code, out, errOut := runCLI(t, "", "lint", "--format", "json", dir)
	var report struct {
		Findings []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Rule    string `json:"rule"`
			Message string `json:"message"`
		} `json:"findings"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("lint output is not JSON: %v\nstdout: %.2000s\nstderr: %.2000s", err, out, errOut)
	}
	var findings strings.Builder
	for _, f := range report.Findings {
		fmt.Fprintf(&findings, "%s:%d: %s [%s]\n", f.File, f.Line, f.Message, f.Rule)
	}
	return code, report.Summary, findings.String()
}

func templateFiles(t *testing.T, name string) []starter.File {
	t.Helper()
	tm, ok := starter.Lookup(name)
	if !ok {
		t.Fatalf("no template %q", name)
	}
	files, err := tm.Files()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Every template, written by init into a directory that does not exist
// yet, lints with no error and no warning.
func TestInitEveryTemplateLintsClean(t *testing.T) {
	for _, name := range starter.Names() {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "journeys")
			code, out, errOut := initCLI(t, dir, "--template", name)
			if code != 0 {
				t.Fatalf("init: exit %d\n%s", code, errOut)
			}
			if out != "" {
				t.Errorf("init wrote to standard output: %q", out)
			}
			for _, f := range templateFiles(t, name) {
				got, err := os.ReadFile(filepath.Join(dir, f.Name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, f.Data) {
					t.Errorf("%s differs from the template", f.Name)
				}
				if !strings.Contains(errOut, filepath.Join(dir, f.Name)) {
					t.Errorf("the summary does not name %s:\n%s", f.Name, errOut)
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 {
				t.Errorf("init left %d entries in DIR, want 2 (no temporary files)", len(entries))
			}
			journeyFile := filepath.Join(dir, name+".journey.yaml")
			data, _ := os.ReadFile(journeyFile)
			if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema=https://raw.githubusercontent.com/journeykit/journey/main/schema/journey.schema.json" {
				t.Errorf("first line of the journey: %q", first)
			}

			code, sum, findings := lintSummary(t, dir)
			if code != 0 || sum["errors"] != 0 || sum["warnings"] != 0 || sum["infos"] != 0 || sum["files"] != 1 {
				t.Errorf("lint %s: exit %d, summary %v\n%s", dir, code, sum, findings)
			}
			// The starter journey alone, found through its workspace, too.
			if code, sum, findings := lintSummary(t, journeyFile); code != 0 || sum["errors"]+sum["warnings"] != 0 {
				t.Errorf("lint %s: exit %d, summary %v\n%s", journeyFile, code, sum, findings)
			}
		})
	}
}

func TestInitDefaultTemplateAndNextSteps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cx")
	code, _, errOut := initCLI(t, dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	journeyFile := filepath.Join(dir, starter.Default+".journey.yaml")
	if _, err := os.Stat(journeyFile); err != nil {
		t.Fatalf("the default template %s was not written: %v", starter.Default, err)
	}
	for _, want := range []string{
		"wrote " + filepath.Join(dir, ".journey.yaml"),
		"wrote " + journeyFile,
		"(created)",
		"journey lint " + shellQuote(dir),
		"journey render " + shellQuote(journeyFile) + " -o ",
		"--view canvas",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the summary lacks %q:\n%s", want, errOut)
		}
	}
}

func TestInitList(t *testing.T) {
	code, out, errOut := initCLI(t, "--list")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	templates := starter.Templates()
	if len(lines) != len(templates) {
		t.Fatalf("%d lines for %d templates:\n%s", len(lines), len(templates), out)
	}
	for i, tm := range templates {
		fields := strings.Fields(lines[i])
		if len(fields) == 0 || fields[0] != tm.Name {
			t.Errorf("line %d does not start with %q: %q", i+1, tm.Name, lines[i])
		}
		if !strings.Contains(lines[i], tm.Description) {
			t.Errorf("line %d lacks the description of %s: %q", i+1, tm.Name, lines[i])
		}
		if (tm.Name == starter.Default) != strings.Contains(lines[i], "(default)") {
			t.Errorf("line %d: the default is %s: %q", i+1, starter.Default, lines[i])
		}
	}

	// --list lists; it does not mix with writing.
	for _, args := range [][]string{
		{"--list", t.TempDir()},
		{"--list", "--template", "ecommerce"},
		{"--list", "--force"},
	} {
		if code, _, errOut := initCLI(t, args...); code != 2 || !strings.Contains(errOut, "--list") {
			t.Errorf("init %v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	files := templateFiles(t, starter.Default)
	for _, existing := range files {
		t.Run(existing.Name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, existing.Name)
			mine := []byte("# my own file\n")
			if err := os.WriteFile(path, mine, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := initCLI(t, dir)
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, errOut)
			}
			for _, want := range []string{path, "already exists", "nothing was written", "--force"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("the error lacks %q:\n%s", want, errOut)
				}
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, mine) {
				t.Errorf("%s was changed:\n%s", path, got)
			}
			// Nothing else was written either.
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("DIR holds %v, want only %s", names, existing.Name)
			}
		})
	}

	t.Run("both", func(t *testing.T) {
		dir := t.TempDir()
		for _, f := range files {
			os.WriteFile(filepath.Join(dir, f.Name), []byte("x\n"), 0o644)
		}
		code, _, errOut := initCLI(t, dir)
		if code != 2 || !strings.Contains(errOut, filepath.Join(dir, files[0].Name)+" and "+filepath.Join(dir, files[1].Name)+" already exist") {
			t.Errorf("exit %d\n%s", code, errOut)
		}
	})

	t.Run("a directory in the way", func(t *testing.T) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, files[1].Name), 0o755)
		code, _, errOut := initCLI(t, dir, "--force")
		if code != 2 || !strings.Contains(errOut, "is a directory") {
			t.Errorf("exit %d\n%s", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, files[0].Name)); err == nil {
			t.Error(".journey.yaml was written although init failed")
		}
	})
}

func TestInitForceOverwrites(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, ".journey.yaml")
	if err := os.WriteFile(config, []byte("teams: [old]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := initCLI(t, dir, "--template", "retention", "--force")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, f := range templateFiles(t, "retention") {
		got, _ := os.ReadFile(filepath.Join(dir, f.Name))
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s was not overwritten with the template", f.Name)
		}
	}
	if !strings.Contains(errOut, "overwrote "+config) || !strings.Contains(errOut, "wrote "+filepath.Join(dir, "retention.journey.yaml")) {
		t.Errorf("the summary does not tell what was overwritten:\n%s", errOut)
	}
	if runtime.GOOS != "windows" {
		if info, _ := os.Stat(config); info.Mode().Perm() != 0o600 {
			t.Errorf("the overwritten file's mode changed to %v", info.Mode().Perm())
		}
	}
	if code, sum, findings := lintSummary(t, dir); code != 0 || sum["errors"]+sum["warnings"] != 0 {
		t.Errorf("lint: exit %d, %v\n%s", code, sum, findings)
	}
}

func TestInitUnknownTemplate(t *testing.T) {
	cases := []struct{ name, suggestion string }{
		{"ecomerce", "ecommerce"},
		{"saas", "b2b-saas-trial"},
		{"retension", "retention"},
		{"crm-journey", ""},
		{"", ""},
	}
	for _, c := range cases {
		parent := t.TempDir()
		dir := filepath.Join(parent, "new")
		code, _, errOut := initCLI(t, dir, "--template", c.name)
		if code != 2 {
			t.Errorf("--template %q: exit %d, want 2\n%s", c.name, code, errOut)
		}
		if !strings.Contains(errOut, `unknown --template "`+c.name+`"`) {
			t.Errorf("--template %q: %s", c.name, errOut)
		}
		for _, n := range starter.Names() {
			if !strings.Contains(errOut, n) {
				t.Errorf("--template %q: the error does not list %s:\n%s", c.name, n, errOut)
			}
		}
		hint := `did you mean "` + c.suggestion + `"?`
		if c.suggestion != "" && !strings.Contains(errOut, hint) {
			t.Errorf("--template %q: no suggestion %s:\n%s", c.name, hint, errOut)
		}
		if c.suggestion == "" && strings.Contains(errOut, "did you mean") {
			t.Errorf("--template %q: unexpected suggestion:\n%s", c.name, errOut)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("--template %q: DIR was created", c.name)
		}
	}
}

func TestInitCreatesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "c")
	code, _, errOut := initCLI(t, dir, "-t", "lead-nurture")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "lead-nurture.journey.yaml")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm()&0o700 != 0o700 {
		t.Errorf("DIR mode %v", info.Mode().Perm())
	}
}

func TestInitBadDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	if code, _, errOut := initCLI(t, file); code != 2 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("DIR is a file: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := initCLI(t, ""); code != 2 || !strings.Contains(errOut, "DIR is empty") {
		t.Errorf("empty DIR: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := initCLI(t, t.TempDir(), t.TempDir()); code != 2 {
		t.Errorf("two DIRs: exit %d\n%s", code, errOut)
	}
}

// A workspace inside another one: init says which configuration now applies.
func TestInitNestedWorkspace(t *testing.T) {
	outer := t.TempDir()
	if code, _, errOut := initCLI(t, outer, "-t", "ecommerce"); code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	inner := filepath.Join(outer, "nurture")
	code, _, errOut := initCLI(t, inner, "-t", "lead-nurture")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "inside the workspace of "+filepath.Join(outer, ".journey.yaml")) {
		t.Errorf("no note about the enclosing workspace:\n%s", errOut)
	}
	// Both journeys lint clean, each under its own configuration.
	if code, sum, findings := lintSummary(t, outer); code != 0 || sum["files"] != 2 || sum["errors"]+sum["warnings"] != 0 {
		t.Errorf("lint: exit %d, %v\n%s", code, sum, findings)
	}
}

func TestInitTemplateCompletion(t *testing.T) {
	code, out, errOut := initCLI(t, "__complete", "--template", "e")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, name := range []string{"ecommerce", "edtech-enrollment"} {
		tm, _ := starter.Lookup(name)
		if !strings.Contains(out, name+"\t"+tm.Description+"\n") {
			t.Errorf("completion lacks %s:\n%s", name, out)
		}
	}
	if strings.Contains(out, "retention") {
		t.Errorf("completion of \"e\" offers retention:\n%s", out)
	}
	if !strings.Contains(out, ":4\n") { // ShellCompDirectiveNoFileComp
		t.Errorf("completion does not turn file completion off:\n%s", out)
	}
}

func TestInitHelp(t *testing.T) {
	cmd := newInitCommand()
	if cmd.Short == "" || cmd.Long == "" || cmd.Example == "" {
		t.Fatal("init needs a summary, a description and examples")
	}
	for _, name := range starter.Names() {
		if !strings.Contains(cmd.Long, name) {
			t.Errorf("the help does not name the template %s", name)
		}
	}
	for _, line := range strings.Split(cmd.Long, "\n") {
		if len(line) > 80 {
			t.Errorf("help line longer than 80 columns: %q", line)
		}
	}
	for _, flag := range []string{"template", "list", "force"} {
		if cmd.Flags().Lookup(flag) == nil {
			t.Errorf("no --%s flag", flag)
		}
	}
}

// Once root.go registers init, the full command line behaves the same.
func TestInitThroughRoot(t *testing.T) {
	root := newRootCommand(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if c, _, err := root.Find([]string{"init"}); err != nil || c == root || c.Name() != "init" {
		t.Skip("init is not registered in root.go yet: add root.AddCommand(newInitCommand())")
	}
	dir := filepath.Join(t.TempDir(), "ws")
	code, _, errOut := runCLI(t, "", "init", dir, "--template", "edtech-enrollment")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "init", dir, "--template", "edtech-enrollment"); code != 2 || !strings.Contains(errOut, "already exist") {
		t.Errorf("second init: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "init", dir, "--template", "edtech"); code != 2 || !strings.Contains(errOut, `did you mean "edtech-enrollment"?`) {
		t.Errorf("unknown template: exit %d\n%s", code, errOut)
	}
}

// init refuses a directory that holds a .journey.yml: with the
// .journey.yaml it writes, the directory would have two configurations.
func TestInitRefusesBesideJourneyYML(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".journey.yml"), "teams: [growth]\n")
	for _, args := range [][]string{{"init", dir}, {"init", "--force", dir}} {
		code, _, errOut := initCLI(t, args[1:]...)
		if code != 2 || !strings.Contains(errOut, ".journey.yml already holds the workspace configuration") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".journey.yaml")); err == nil {
		t.Error("init wrote .journey.yaml beside .journey.yml")
	}
}
