package main

import (
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "__start_journey",
		"zsh":        "#compdef journey",
		"fish":       "complete -c journey",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, errOut := runCLI(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("%s: exit %d, %q missing (%s)", shell, code, marker, errOut)
		}
	}
}

// Dynamic completion, as the shells ask for it through cobra's __complete.
func TestDynamicCompletion(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"render", "../../examples/higher-ed/university-applicant.journey.yaml", "--persona", ""}, []string{"high-school-senior\t", "international-applicant\t", "transfer-student\t"}},
		{[]string{"render", "../../examples/higher-ed/university-applicant.journey.yaml", "--persona", "tr"}, []string{"transfer-student\t"}},
		{[]string{"simulate", "../../examples/saas/ebook-nurture.journey.yaml", "--from", ""}, []string{"downloads-ebook\t"}},
		{[]string{"rules", "no-"}, []string{"no-entry\t", "no-outcome\t", "no-exit-loop\t"}},
		{[]string{"render", "--view", ""}, []string{"flow", "canvas"}},
		{[]string{"lint", "--format", ""}, []string{"sarif", "github"}},
		{[]string{"diff", "--fail-on", ""}, []string{"breaking", "any"}},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, "", append([]string{"__complete"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: %q missing from\n%s", c.args, w, out)
			}
		}
	}
	_, out, _ := runCLI(t, "", "__complete", "render", "../../examples/higher-ed/university-applicant.journey.yaml", "--persona", "tr")
	if strings.Contains(out, "high-school-senior") {
		t.Errorf("prefix not honoured:\n%s", out)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	root := newRootCommand(nil, nil, nil)
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Short == "" || c.Long == "" || c.Example == "" {
			t.Errorf("journey %s: summary %q, description %d chars, example %q", c.Name(), c.Short, len(c.Long), c.Example)
		}
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules")
	if code != 0 || !strings.Contains(out, "no-exit-loop") || strings.Count(out, "\n") < 18 {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "rules", "dead-end")
	if code != 0 || !strings.Contains(out, "docs/rules.md#dead-end") {
		t.Errorf("rules dead-end: exit %d\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "", "rules", "dead-ends")
	if code != 2 || !strings.Contains(errOut, `did you mean "dead-end"`) {
		t.Errorf("unknown rule: exit %d %q", code, errOut)
	}
}
