package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/importer"
)

const importDiagram = `journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Do work: 1: Me, Cat
`

const importTable = "id,name,phase,entry,next,outcome\nstart,Starts,onboarding,true,done,\ndone,Is done,onboarding,,,success\n"

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	mmd := filepath.Join(dir, "working-day.mmd")
	csv := filepath.Join(dir, "stages.csv")
	write(t, mmd, importDiagram)
	write(t, csv, importTable)
	want, err := importer.Mermaid([]byte(importDiagram), importer.Options{File: mmd})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.journey.yaml")

	for _, c := range []struct {
		name       string
		stdin      string
		args       []string
		code       int
		stdout     string // the whole standard output, when set
		stderrHas  string
		fileHolds  string // out's content after the run, when set
		stdoutHave string
	}{
		{name: "mermaid to stdout", args: []string{"import", "mermaid", mmd}, stdout: string(want)},
		{name: "mermaid to -o", args: []string{"import", "mermaid", mmd, "-o", out}, fileHolds: string(want)},
		{name: "-o exists", args: []string{"import", "csv", csv, "-o", out}, code: 2, stderrHas: "exists; nothing was written (use --force", fileHolds: string(want)},
		{name: "--force overwrites", args: []string{"import", "csv", csv, "-o", out, "--force"}, fileHolds: "journey: stages\n"},
		{name: "--force without -o", args: []string{"import", "csv", csv, "--force"}, code: 2, stderrHas: "--force only applies to -o FILE"},
		{name: "stdin with --journey", stdin: importTable, args: []string{"import", "csv", "-", "--journey", "onboarding", "--title", "Onboarding"}, stdoutHave: "journey: onboarding\ntitle: Onboarding\n"},
		{name: "stdin needs an id", stdin: importTable, args: []string{"import", "csv", "-"}, code: 2, stderrHas: "<stdin>: no journey id: name one with --journey ID"},
		{name: "mermaid stdin takes the title", stdin: importDiagram, args: []string{"import", "mermaid", "-"}, stdoutHave: "journey: my-working-day\ntitle: My working day\n"},
		{name: "bad --journey", args: []string{"import", "mermaid", mmd, "--journey", "My Day"}, code: 2, stderrHas: `--journey "My Day" is not an id`},
		{name: "refusal has a position", stdin: "journey\n  section S\n    Make tea: 7: Me\n", args: []string{"import", "mermaid", "-"}, code: 2, stderrHas: `journey: <stdin>:3:15: task "Make tea" has the score "7"`},
		{name: "csv refusal has row and column", stdin: "id,name,phase,emotion\na,A,p,high\n", args: []string{"import", "csv", "-", "--journey", "x"}, code: 2, stderrHas: `<stdin>:2:7: row 2, column "emotion"`},
		{name: "missing file", args: []string{"import", "csv", filepath.Join(dir, "none.csv")}, code: 2, stderrHas: "none.csv: no such file or directory"},
		{name: "a directory", args: []string{"import", "csv", dir}, code: 2, stderrHas: "not a regular file"},
		{name: "no format", args: []string{"import"}, code: 2, stderrHas: "journey import mermaid FILE or journey import csv FILE"},
		{name: "no file", args: []string{"import", "csv"}, code: 2, stderrHas: "accepts 1 arg"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.stdin, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
			}
			if c.stdout != "" && stdout != c.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, c.stdout)
			}
			if c.stdoutHave != "" && !strings.Contains(stdout, c.stdoutHave) {
				t.Errorf("stdout lacks %q:\n%s", c.stdoutHave, stdout)
			}
			if !strings.Contains(stderr, c.stderrHas) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderrHas)
			}
			if c.fileHolds != "" {
				got, err := os.ReadFile(out)
				if err != nil || !strings.Contains(string(got), c.fileHolds) {
					t.Errorf("%s holds %q (%v), want %q", out, got, err, c.fileHolds)
				}
			}
		})
	}
}

// The canvas view's Mermaid, through render's flags, imports back.
func TestImportRenderCanvasMermaid(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.journey.yaml")
	write(t, src, validJourney)
	mmd := filepath.Join(dir, "a.mmd")
	if code, _, stderr := runCLI(t, "", "render", "--view", "canvas", "-o", mmd, src); code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(mmd)
	if err != nil || !strings.HasPrefix(string(data), "journey\n") {
		t.Fatalf("render -o a.mmd --view canvas wrote %q (%v)", data, err)
	}
	code, stdout, stderr := runCLI(t, "", "import", "mermaid", mmd)
	if code != 0 || !strings.Contains(stdout, "journey: a\n") {
		t.Fatalf("import: exit %d: %s%s", code, stdout, stderr)
	}
}
