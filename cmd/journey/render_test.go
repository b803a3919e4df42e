package main

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
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
	// No progress when not on a terminal: only the closing line.
	if want := "journey: wrote 8 files of the flow view (mermaid) to " + dir + "\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "../../examples"}, "use --out-dir"},
		{[]string{"render", "-o", "x.txt", exampleJourney}, "cannot tell the format"},
		{[]string{"render", "--view", "canvas", "--format", "dot", exampleJourney}, "canvas view is drawn as svg or png"},
		{[]string{"render", "--persona", "nobody-here", exampleJourney}, "no such persona"},
		{[]string{"render", "--persona", "marketing-manger", exampleJourney}, `(did you mean "marketing-manager"?)`},
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
			// PNGs 1,000 pixels wide: the whole path, at a fraction of the
			// default scale's pixels (sizes are tested on their own).
			{"render", "--format", "svg"}, {"render", "--format", "png", "--width", "1000"}, {"render", "--format", "dot"},
			{"render", "--format", "mermaid"}, {"render", "--view", "canvas"}, {"render", "--view", "canvas", "--format", "png", "--width", "1000"},
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
	out := filepath.Join(t.TempDir(), "x.dot")
	if code, _, errOut := runCLI(t, "", "render", "--format", "dot", "-o", out, exampleJourney); code != 0 {
		t.Fatal(errOut)
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v; want 0644", info.Mode(), err)
	}
}

// baseJourney is the repro scripts' minimal valid journey with id id.
func baseJourney(id string) string {
	return "journey: " + id + `
title: Base
owner: marketing
phases:
  - {id: p, name: P}
stages:
  - {id: a, name: A, phase: p, entry: true, next: [b]}
  - {id: b, name: B, phase: p, outcome: success}
`
}

// Repro 01: a journey id that climbs out of --out-dir never names a file:
// render and report stop with the schema finding (exit 1) and the file
// beside the output directory is untouched.
func TestOutDirTraversal(t *testing.T) {
	for _, command := range [][]string{
		{"render", "--out-dir"}, {"render", "--format", "mermaid", "--out-dir"}, {"report", "--out-dir"}, {"report", "--images", "--out-dir"},
	} {
		t.Run(strings.Join(command, " "), func(t *testing.T) {
			root := t.TempDir()
			victim := filepath.Join(root, "victim", "README.md")
			write(t, victim, "precious\n")
			write(t, filepath.Join(root, "in", "t.journey.yaml"), baseJourney(`"../../victim/README"`))
			code, _, errOut := runCLI(t, "", append(command, filepath.Join(root, "out", "docs"), filepath.Join(root, "in"))...)
			if code != 1 || !strings.Contains(errOut, `t.journey.yaml:1:10: error: journey: "../../victim/README" is not a valid id`) {
				t.Errorf("exit %d, %q; want exit 1 and the schema finding", code, errOut)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
				t.Errorf("victim/README.md now holds %q", b)
			}
			if entries, _ := os.ReadDir(filepath.Join(root, "victim")); len(entries) != 1 {
				t.Errorf("%d files in victim/, want 1", len(entries))
			}
		})
	}
}

// The last guard behind the loader: a name that is not a valid id, or
// would leave the directory, stops the command with its position before
// anything is written; two journeys with one name are a usage error that
// names both files.
func TestOutDirNames(t *testing.T) {
	lj := func(file, id string, line int) loadedJourney {
		return loadedJourney{Journey: &journey.Journey{File: file, ID: journey.Text{Value: id, Range: journey.Range{Start: journey.Pos{Line: line, Column: 10}}}}}
	}
	for _, bad := range []string{"../../victim/README", "a/b", "..", "", "Index", "x\x1b]0;t\a", "/etc/passwd", "a.b"} {
		_, err := outDirNames([]loadedJourney{lj("t.journey.yaml", bad, 1)}, nil)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(err.Error(), "t.journey.yaml:1:10: journey id") || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%q: %v; want exit 1 with the position", bad, err)
		}
	}
	names, err := outDirNames([]loadedJourney{lj("a.journey.yaml", "index", 1), lj("b.journey.yaml", "other", 1)}, map[string]string{"index": "index.journey"})
	if err != nil || strings.Join(names, ",") != "index.journey,other" {
		t.Errorf("names %v, %v", names, err)
	}
	_, err = outDirNames([]loadedJourney{lj("a.journey.yaml", "same", 1), lj("b.journey.yaml", "other", 1), lj("c.journey.yaml", "same", 3)}, nil)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "a.journey.yaml:1:10 and c.journey.yaml:3:10 both define journey \"same\"") {
		t.Errorf("duplicate: %v; want a usage error naming both files", err)
	}
}

// Repro 13: a journey whose id is "index" keeps its report
// (index.journey.md, linked from the index); two journeys with one id are
// a usage error naming both files, and nothing is written.
func TestReportIndexCollision(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, filepath.Join(in, "i.journey.yaml"), baseJourney("index"))
	write(t, filepath.Join(in, "o.journey.yaml"), baseJourney("other"))
	code, _, errOut := runCLI(t, "", "report", "--out-dir", out, "--images", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.md"))
	if !strings.HasPrefix(string(index), "# Journeys\n") || !strings.Contains(string(index), "| [index](index.journey.md) |") || !strings.Contains(string(index), "| [other](other.md) |") {
		t.Errorf("index.md:\n%s", index)
	}
	report, _ := os.ReadFile(filepath.Join(out, "index.journey.md"))
	if !strings.HasPrefix(string(report), "# Base\n") || !strings.Contains(string(report), "](index.journey.svg)") {
		t.Errorf("index.journey.md:\n%s", report)
	}
	if _, err := os.Stat(filepath.Join(out, "index.journey.svg")); err != nil {
		t.Error(err)
	}

	for _, command := range [][]string{{"report", "--out-dir"}, {"render", "--out-dir"}} {
		dup, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
		write(t, filepath.Join(dup, "a.journey.yaml"), baseJourney("same"))
		write(t, filepath.Join(dup, "b", "b.journey.yaml"), baseJourney("same"))
		code, _, errOut = runCLI(t, "", append(command, out, filepath.Join(dup, "a.journey.yaml"), filepath.Join(dup, "b", "b.journey.yaml"))...)
		if code != 2 || !strings.Contains(errOut, "a.journey.yaml:1:10 and ") || !strings.Contains(errOut, "b.journey.yaml:1:10 both define journey \"same\"") {
			t.Errorf("%v with one id twice: exit %d, %q; want exit 2 naming both files", command, code, errOut)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("%v wrote %s", command, entries[0].Name())
		}
	}
}

// Repro 10: -o, --out-dir, diff -o and lint --write-baseline write into a
// FIFO and a device, write a symbolic link's target and keep the link, and
// -o /dev/stdout works for a user who cannot create files in /dev.
func TestOutputIntoSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "b.journey.yaml")
	write(t, src, baseJourney("base"))
	changed := filepath.Join(dir, "c.journey.yaml")
	write(t, changed, strings.Replace(baseJourney("base"), "name: B,", "name: Bee,", 1))

	outputs := map[string][]string{
		"render":         {"render", src, "--format", "svg", "-o"},
		"report":         {"report", src, "-o"},
		"diff":           {"diff", src, changed, "-o"},
		"write-baseline": {"lint", src, "--write-baseline"},
	}
	for name, args := range outputs {
		t.Run(name, func(t *testing.T) {
			// A symbolic link: its target is written, the link stays.
			target := filepath.Join(dir, name+"-target.svg")
			write(t, target, "old")
			link := filepath.Join(dir, name+"-link.svg")
			os.Symlink(target, link)
			if code, _, errOut := runCLI(t, "", append(args, link)...); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the symbolic link was replaced: %v", err)
			}
			if b, _ := os.ReadFile(target); len(b) < 10 {
				t.Errorf("the link's target holds %q", b)
			}

			// A FIFO with a reader gets the data and stays a FIFO.
			fifo := filepath.Join(dir, name+"-fifo.svg")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skip("no mkfifo:", err)
			}
			got := make(chan int)
			go func() {
				b, _ := os.ReadFile(fifo)
				got <- len(b)
			}()
			if code, _, errOut := runCLI(t, "", append(args, fifo)...); code != 0 {
				t.Fatalf("FIFO: exit %d: %s", code, errOut)
			}
			if n := <-got; n < 10 {
				t.Errorf("the FIFO's reader got %d bytes", n)
			}
			if info, _ := os.Lstat(fifo); info.Mode()&os.ModeNamedPipe == 0 {
				t.Error("the FIFO was replaced")
			}

			// A character device (root only: mknod) stays a device.
			if os.Geteuid() == 0 {
				dev := filepath.Join(dir, name+"-null.svg")
				if err := syscall.Mknod(dev, syscall.S_IFCHR|0o644, 1<<8|3); err == nil {
					if code, _, errOut := runCLI(t, "", append(args, dev)...); code != 0 {
						t.Fatalf("device: exit %d: %s", code, errOut)
					}
					if info, _ := os.Lstat(dev); info.Mode()&os.ModeCharDevice == 0 {
						t.Errorf("the device node became %v", info.Mode())
					}
				}
			}
		})
	}
}

// -o /dev/stdout as a user who may not create files in /dev (repro 10).
func TestOutputDevStdoutAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run as nobody")
	}
	dir := openTempDir(t)
	src := filepath.Join(dir, "b.journey.yaml")
	write(t, src, baseJourney("base"))
	os.Chmod(src, 0o644)
	cmd := exec.Command(buildBinary(t), "render", src, "--format", "dot", "-o", "/dev/stdout")
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil || !strings.HasPrefix(out.String(), "digraph journey {") {
		t.Errorf("%v: %s; stdout %.40q", err, errOut.String(), out.String())
	}
}

// Repro 17: a 1,000-stage flow is refused at once (exit 2) with the formats
// that still work; those formats draw it.
func TestRenderLayoutBound(t *testing.T) {
	var b strings.Builder
	n := 1000
	fmt.Fprintf(&b, "journey: r%d\ntitle: T\nowner: m\nphases: [{id: p, name: P}, {id: q, name: Q}]\nstages:\n", n)
	for i := 0; i < n-1; i++ {
		fmt.Fprintf(&b, "- {id: s%d, name: Stage number %d with a longer name, phase: %c, entry: %t, next: [{to: s%d, when: clicks, after: 2d, rate: 0.9}, {to: s%d, when: back}]}\n",
			i, i, "pq"[i%2], i == 0, i+1, (i*7919)%n)
	}
	fmt.Fprintf(&b, "- {id: s%d, name: Stage %d, phase: p, outcome: success}\n", n-1, n-1)
	src := filepath.Join(t.TempDir(), "r.journey.yaml")
	write(t, src, b.String())
	out := t.TempDir()
	for _, args := range [][]string{
		{"render", src, "-o", filepath.Join(out, "r.svg")},
		{"render", src, "--format", "png"},
		{"report", "--images", "--out-dir", out, src},
	} {
		code, _, errOut := runCLI(t, "", args...)
		if code != 2 || !strings.Contains(errOut, "r.journey.yaml: 1000 stages and 1998 transitions are too many to lay out") || !strings.Contains(errOut, "--format dot or --format mermaid") {
			t.Errorf("%v: exit %d, %q; want exit 2 suggesting dot and mermaid", args, code, errOut)
		}
	}
	// The canvas has no Graphviz layout; as PNG it is too wide.
	if code, _, errOut := runCLI(t, "", "render", src, "--view", "canvas", "--format", "png", "-o", filepath.Join(out, "c.png")); code != 2 || !strings.Contains(errOut, "too large for a PNG") || !strings.Contains(errOut, "--format svg") {
		t.Errorf("canvas PNG: exit %d, %q; want exit 2 suggesting svg", code, errOut)
	}
	for _, format := range []string{"dot", "mermaid"} {
		if code, stdout, errOut := runCLI(t, "", "render", src, "--format", format); code != 0 || !strings.Contains(stdout, "s999") {
			t.Errorf("--format %s: exit %d, %s", format, code, errOut)
		}
	}
}

// -o's extension and --format must agree, and --out-dir says what it
// wrote (issue 16, the small ones).
func TestRenderOutputNamesAndFormats(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ok.journey.yaml")
	write(t, file, validJourney)
	code, _, errOut := runCLI(t, "", "render", file, "-o", filepath.Join(dir, "x.svg"), "--format", "png")
	if code != 2 || !strings.Contains(errOut, "names a svg file but --format is png") {
		t.Errorf("-o x.svg --format png: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.svg")); err == nil {
		t.Error("x.svg written although the formats disagree")
	}
	if code, _, errOut := runCLI(t, "", "render", file, "-o", filepath.Join(dir, "x.mmd"), "--format", "mermaid"); code != 0 {
		t.Errorf("-o x.mmd --format mermaid: exit %d, %q", code, errOut)
	}
	out := filepath.Join(dir, "out")
	code, _, errOut = runCLI(t, "", "render", file, "--out-dir", out, "--format", "dot")
	if code != 0 || !strings.Contains(errOut, "journey: wrote 1 file of the flow view (dot) to "+out) {
		t.Errorf("--out-dir: exit %d, stderr %q", code, errOut)
	}
}

// --scale and --width size a PNG (contract 1.1); bad values are usage
// errors.
func TestRenderPNGSize(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ok.journey.yaml")
	write(t, file, validJourney)
	size := func(args ...string) (int, int) {
		t.Helper()
		out := filepath.Join(dir, "x.png")
		if code, _, errOut := runCLI(t, "", append([]string{"render", file, "-o", out}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cfg, err := png.DecodeConfig(f)
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Width, cfg.Height
	}
	w2, h2 := size()
	w1, _ := size("--scale", "1")
	if w1*2 < w2-2 || w1*2 > w2+2 {
		t.Errorf("--scale 1 gives %d px, the default (2) %d px", w1, w2)
	}
	if w, h := size("--width", "300"); w != 300 || h < h2*300/w2-2 || h > h2*300/w2+2 {
		t.Errorf("--width 300: %dx%d (default %dx%d)", w, h, w2, h2)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--scale", "0"}, "--scale \"0\": use a number above 0"},
		{[]string{"--scale", "x"}, "--scale \"x\": use a number"},
		{[]string{"--width", "0"}, "--width 0: use 1 to 65536 pixels"},
		{[]string{"--width", "10", "--scale", "1"}, "use --scale or --width, not both"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"render", file, "-o", filepath.Join(dir, "y.png")}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "", "render", file, "--format", "svg", "--scale", "3"); code != 2 || !strings.Contains(errOut, "size a PNG") {
		t.Errorf("--scale with SVG: exit %d, %q", code, errOut)
	}
}
