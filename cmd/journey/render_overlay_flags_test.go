package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The overlay flags are checked once, before anything is drawn, with
// conform's checks; an event log on standard input feeds one journey only.
func TestRenderOverlayFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "--format", "html", "--simulate", "--events", "x.csv", exampleJourney}, "not both"},
		{[]string{"render", "--format", "html", "--case", "user", exampleJourney}, "--case reads an event log"},
		{[]string{"render", "--format", "html", "--events", "x.csv", "--time", "", exampleJourney}, "--time: the column name is empty"},
		{[]string{"render", "--format", "html", "--events", "x.csv", "--events-format", "xml", exampleJourney}, `unknown --events-format "xml"`},
		{[]string{"render", "--format", "html", "--events", "-", "-"}, "cannot both come from standard input"},
		{[]string{"render", "--format", "html", "--events", "-", "--out-dir", out, "../../examples/saas"}, "standard input can be read for one only"},
	} {
		code, _, errOut := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
