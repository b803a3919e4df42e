package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --phases ID[,ID] cuts the flow and the canvas; an unknown phase is a
// usage error with a did-you-mean; the landscape draws no phases.
func TestRenderPhases(t *testing.T) {
	retention := filepath.Join("..", "..", "examples", "saas", "retention.journey.yaml")
	for _, c := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"--format", "dot", "--phases", "activation"}, "Builds a first automation", "Starts a 14-day free trial"},
		{[]string{"--format", "mermaid", "--phases", "signup, onboarding"}, "Starts a 14-day free trial", "Builds a first automation"},
		{[]string{"--view", "canvas", "--phases", "activation"}, "continues in Ongoing usage", "Starts a 14-day free trial"},
		{[]string{"--view", "canvas", "--phases", "activation", "--phases", "usage"}, "Uses the product every week", "Starts a 14-day free trial"},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"render", retention}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) || strings.Contains(out, c.not) {
			t.Errorf("%v: exit %d, %q in the output: %v, %q: %v (stderr %q)", c.args, code,
				c.want, strings.Contains(out, c.want), c.not, strings.Contains(out, c.not), errOut)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--phases", "activaton"}, `--phases: no phase "activaton" in journey "retention": its phases are signup, onboarding, activation, usage, at-risk, win-back, advocacy (did you mean "activation"?)`},
		{[]string{"--phases", "nothing-like-it"}, `no phase "nothing-like-it" in journey "retention"`},
		{[]string{"--phases", "signup,,usage"}, "--phases: an empty phase id"},
		{[]string{"--view", "landscape", "--phases", "signup"}, "the landscape view draws no phases"},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"render", retention}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q, want %q", c.args, code, len(out), errOut, c.want)
		}
	}
}

// --phases completes phase ids, also after a comma.
func TestRenderPhasesCompletion(t *testing.T) {
	retention := filepath.Join("..", "..", "examples", "saas", "retention.journey.yaml")
	_, out, _ := runCLI(t, "", "__complete", "render", retention, "--phases", "a")
	if !strings.Contains(out, "activation\tActivation\n") || !strings.Contains(out, "advocacy\tAdvocacy\n") || strings.Contains(out, "signup") {
		t.Errorf("--phases a completes to %q", out)
	}
	_, out, _ = runCLI(t, "", "__complete", "render", retention, "--phases", "activation,")
	if !strings.Contains(out, "activation,signup\tSign-up\n") || strings.Contains(out, "activation,activation") {
		t.Errorf("--phases activation, completes to %q", out)
	}
}
