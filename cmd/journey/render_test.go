package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const exampleJourney = "../../examples/saas/ebook-nurture.journey.yaml"

// The same input gives byte-identical output in every format, in this
// process and in a fresh one.
func TestRenderDeterministicAcrossProcesses(t *testing.T) {
	bin := buildBinary(t)
	cases := [][]string{
		{"render", "--format", "svg"},
		{"render", "--format", "dot"},
		{"render", "--format", "mermaid"},
		{"render", "--view", "canvas"},
		{"report"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, inProc, errOut := runCLI(t, "", append(args, exampleJourney)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			again, err := exec.Command(bin, append(args, exampleJourney)...).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal([]byte(inProc), again) {
				t.Fatalf("a fresh process gave different bytes (%d vs %d)", len(inProc), len(again))
			}
		})
	}
}

func TestRenderOutDirAndErrors(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "", "render", "--out-dir", dir, "--format", "mermaid", "../../examples")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.mmd"))
	if len(files) != 8 {
		t.Errorf("%d files written, want one per example journey (8)", len(files))
	}
	if errOut != "" {
		t.Errorf("progress printed when not on a terminal: %q", errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "../../examples"}, "use --out-dir"},
		{[]string{"render", "-o", "x.txt", exampleJourney}, "cannot tell the format"},
		{[]string{"render", "--view", "canvas", "--format", "dot", exampleJourney}, "canvas view is drawn as svg or png"},
		{[]string{"render", "--persona", "nobody-here", exampleJourney}, "no such persona"},
		{[]string{"render", "--format", "gif", exampleJourney}, "unknown --format"},
		{[]string{"report", "--images", exampleJourney}, "--images needs --out-dir"},
	} {
		code, _, errOut := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
	broken := filepath.Join(t.TempDir(), "broken.journey.yaml")
	os.WriteFile(broken, []byte("journey: [unclosed\n"), 0o644)
	if code, _, errOut := runCLI(t, "", "render", broken); code != 1 || !strings.Contains(errOut, "syntax") {
		t.Errorf("broken file: exit %d, %q", code, errOut)
	}
}

func TestReportOutDirWithImages(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "", "report", "--out-dir", dir, "--images", "../../examples/saas")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"index.md", "retention.md", "retention.svg", "ebook-nurture.md", "ebook-nurture.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, "index.md"))
	if !strings.Contains(string(index), "(retention.md)") {
		t.Errorf("index does not link the reports:\n%s", index)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "retention.md"))
	if !strings.Contains(string(md), "](retention.svg)") {
		t.Error("the report does not show its flow image")
	}
}

// Every example renders in both views, in every format, and as a report.
func TestEveryExampleRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every example")
	}
	examples, _ := filepath.Glob("../../examples/*/*.journey.yaml")
	if len(examples) < 7 {
		t.Fatalf("only %d examples", len(examples))
	}
	for _, ex := range examples {
		for _, args := range [][]string{
			{"render", "--format", "svg"}, {"render", "--format", "png"}, {"render", "--format", "dot"},
			{"render", "--format", "mermaid"}, {"render", "--view", "canvas"}, {"render", "--view", "canvas", "--format", "png"},
			{"report"},
		} {
			code, out, errOut := runCLI(t, "", append(args, ex)...)
			if code != 0 || len(out) < 100 {
				t.Errorf("%s %v: exit %d, %d bytes, %s", filepath.Base(ex), args, code, len(out), errOut)
			}
		}
	}
}

func TestOutputFilesAreReadable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.svg")
	if code, _, errOut := runCLI(t, "", "render", "--format", "dot", "-o", out, exampleJourney); code != 0 {
		t.Fatal(errOut)
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v; want 0644", info.Mode(), err)
	}
}
