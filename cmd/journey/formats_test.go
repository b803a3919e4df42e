package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/diag"
)

// The lint output formats are registered once (diag.Writers); the GitHub
// Action's input and the CLI docs list exactly them.
func TestLintFormatsListedEverywhere(t *testing.T) {
	quoted := regexp.MustCompile("`([a-z]+)`")
	for _, c := range []struct {
		file, line string
		words      func(string) []string
	}{
		{"action.yml", "description: Lint output format", func(l string) []string {
			return regexp.MustCompile(`[a-z]+`).FindAllString(l[strings.Index(l, "("):], -1)
		}},
		{filepath.Join("docs", "cli.md"), "| `--format` | `text` | `text`, `json`", func(l string) []string {
			var out []string
			for _, m := range quoted.FindAllStringSubmatch(l, -1)[1:] {
				out = append(out, m[1])
			}
			return out
		}},
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", c.file))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range strings.Split(string(data), "\n") {
			if !strings.Contains(l, c.line) {
				continue
			}
			found = true
			words := map[string]bool{}
			for _, w := range c.words(l) {
				words[w] = true
			}
			for _, f := range diag.Formats {
				if !words[f] {
					t.Errorf("%s: %q does not list the format %s", c.file, strings.TrimSpace(l), f)
				}
			}
		}
		if !found {
			t.Errorf("%s: no line %q", c.file, c.line)
		}
	}
}
