package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad flag values and baseline files get plain messages with a position,
// exit 2, and never Go's parser wording (issue 12).
func TestLintUsageMessages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	journeyFile := write("a.journey.yaml", "journey: a\ntitle: A\nowner: m\nphases: [{id: p, name: P}]\n"+
		"stages: [{id: s, name: S, phase: p, entry: true, outcome: success}]\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-warnings", "abc"}, `--max-warnings: "abc" is not a whole number`},
		{[]string{"--max-warnings", "1.5"}, `--max-warnings: "1.5" is not a whole number`},
		{[]string{"--max-warnings", "99999999999999999999"}, `--max-warnings: "99999999999999999999" is too large`},
		{[]string{"--baseline", write("b1.json", `{"version":1,"findings":[{"count":"x"}]}`)},
			`b1.json:1:38: not a journey baseline file: "findings.count" is a string, want a whole number`},
		{[]string{"--baseline", write("b2.json", "{\"version\":1,\n \"bogus\":2}")}, `b2.json:2:12: not a journey baseline file: unknown key "bogus"`},
		{[]string{"--baseline", write("b3.json", "")}, `the file is empty: not a journey baseline file`},
		{[]string{"--baseline", write("b4.json", `{"version":3}`)}, `baseline version 3 is not supported (want 2)`},
		{[]string{"--baseline", "/dev/null"}, `is a character device, not a regular file`},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"lint"}, append(tt.args, journeyFile)...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("lint %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
		for _, internal := range []string{"strconv", "cannot unmarshal", "unknown field", "ParseInt", "Go value"} {
			if strings.Contains(stderr, internal) {
				t.Errorf("lint %s: Go internals in %q", strings.Join(tt.args, " "), stderr)
			}
		}
	}
	if code, _, stderr := runCLI(t, "", "lint", "--max-warnings", "0", journeyFile); code != 0 {
		t.Errorf("--max-warnings 0 on a clean file: exit %d, %s", code, stderr)
	}
}
