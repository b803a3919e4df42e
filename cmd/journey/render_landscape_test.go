package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// journey render examples --view landscape -o x.svg writes the one
// picture of the workspace that pkg/render keeps as its golden.
func TestRenderLandscapeGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.svg")
	code, stdout, errOut := runCLI(t, "", "render", "../../examples", "--view", "landscape", "-o", out)
	if code != 0 || stdout != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../pkg/render/testdata/landscape-examples.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the CLI's landscape of examples/ differs from pkg/render/testdata/landscape-examples.svg (go test ./pkg/render -run TestLandscapeGolden -update rewrites it)")
	}
}

// The landscape is one output for all the journeys: standard output
// without -o, DIR/landscape.<ext> with --out-dir; PNG and its sizes as for
// the other views; --persona is refused.
func TestRenderLandscapeOutputs(t *testing.T) {
	code, stdout, errOut := runCLI(t, "", "render", "--view", "landscape", "--format", "mermaid", "../../examples")
	if code != 0 || !strings.HasPrefix(stdout, "flowchart LR\n") || strings.Count(stdout, ":::") < 8 {
		t.Errorf("stdout: exit %d, %q, stderr %q", code, stdout, errOut)
	}
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut = runCLI(t, "", "render", "--view", "landscape", "--out-dir", dir, "--format", "png", "--width", "400", "../../examples")
	want := "journey: wrote the landscape of 8 journeys (png) to " + filepath.Join(dir, "landscape.png") + "\n"
	if code != 0 || errOut != want {
		t.Fatalf("--out-dir: exit %d, stderr %q, want %q", code, errOut, want)
	}
	f, err := os.Open(filepath.Join(dir, "landscape.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width != 400 {
		t.Errorf("landscape.png: %v, %d px wide, want 400", err, cfg.Width)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files under --out-dir, want landscape.png alone", len(files))
	}
	// One file of a workspace: its hand-off ends at a node that names
	// the journey not drawn.
	code, stdout, errOut = runCLI(t, "", "render", "--view", "landscape", "--format", "dot", exampleJourney)
	if code != 0 || !strings.Contains(stdout, "<b>retention</b><br/>not among the drawn journeys") {
		t.Errorf("one file: exit %d, %s %s", code, stdout, errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--persona", "founder"}, "--persona draws one persona's path"},
		{[]string{"--format", "svg", "--scale", "3"}, "size a PNG"},
		{[]string{"--format", "png", "-o", "x.svg"}, "names a svg file but --format is png"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"render", "--view", "landscape", "../../examples"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
