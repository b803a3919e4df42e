package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --direction lr|tb|auto reaches the flow view (DOT and Mermaid say which);
// a bad value is a usage error with a did-you-mean.
func TestRenderDirection(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ok.journey.yaml")
	write(t, file, validJourney)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "dot", "--direction", "tb"}, "rankdir=TB"},
		{[]string{"--format", "dot", "--direction", "LR"}, "rankdir=LR"},
		{[]string{"--format", "dot"}, "rankdir=LR"}, // auto: a small flow stays left to right
		{[]string{"--format", "mermaid", "--direction", "tb"}, "flowchart TB\n"},
		{[]string{"--format", "mermaid", "--direction", "auto"}, "flowchart LR\n"},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"render", file}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, no %q in the output (stderr %q)", c.args, code, c.want, errOut)
		}
	}
	code, _, errOut := runCLI(t, "", "render", file, "--direction", "td")
	if code != 2 || !strings.Contains(errOut, `unknown --direction "td": use auto, lr, tb (did you mean "tb"?)`) {
		t.Errorf("--direction td: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "render", file, "--direction", "sideways")
	if code != 2 || !strings.Contains(errOut, `unknown --direction "sideways": use auto, lr, tb`) {
		t.Errorf("--direction sideways: exit %d, %q", code, errOut)
	}
}
