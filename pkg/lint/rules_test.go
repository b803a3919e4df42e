package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// lintDir lints a directory as a workspace, the way `journey lint DIR`
// does, and returns findings with paths relative to it.
func lintDir(t *testing.T, dir string) []diag.Diagnostic {
	t.Helper()
	sets, err := load.Load(load.Options{Dir: dir, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	return Run(sets, Options{}).Findings
}

// formatFindings is the golden form: one line per finding with its exact
// range, severity, rule and message, then an indented line for its
// suggestion (with the range it replaces) and each related place.
func formatFindings(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s:%s %s %s %s\n", filepath.ToSlash(d.File), rangeText(d.Range), d.Severity, d.Rule, d.Message)
		if s := d.Suggestion; s != nil {
			fmt.Fprintf(&b, "  help %s: %s\n", rangeText(s.Range), s.Help())
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  related %s:%s: %s\n", filepath.ToSlash(r.File), rangeText(r.Range), r.Message)
		}
	}
	return b.String()
}

func rangeText(r journey.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// TestRuleGoldens runs every rule's failing and passing case. A failing
// case must produce its golden findings, at least one of them of the rule
// it is named after; a passing case must produce no finding at all.
func TestRuleGoldens(t *testing.T) {
	for _, r := range Rules {
		t.Run(r.ID, func(t *testing.T) {
			base := filepath.Join("testdata", "rules", r.ID)
			failDir, passDir := filepath.Join(base, "fail"), filepath.Join(base, "pass")
			for _, d := range []string{failDir, passDir} {
				if _, err := os.Stat(d); err != nil {
					t.Fatalf("rule %s needs a case in %s", r.ID, d)
				}
			}
			got := formatFindings(lintDir(t, failDir))
			if !strings.Contains(got, " "+r.ID+" ") {
				t.Errorf("failing case has no %s finding:\n%s", r.ID, got)
			}
			golden.Check(t, filepath.Join(base, "fail.golden"), []byte(got))
			if pass := formatFindings(lintDir(t, passDir)); pass != "" {
				t.Errorf("passing case has findings:\n%s", pass)
			}
		})
	}
}
